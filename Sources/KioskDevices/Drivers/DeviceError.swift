import KioskCore

/// Why a device operation failed. Typed so the daemon can answer each case precisely
/// (`device_unavailable`, `not_found`, …) and a real driver has a fixed vocabulary to map its
/// transport errors (errno, USB status, SAM status words) into.
public enum DeviceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No device with this id is configured.
    case notFound(id: String)
    /// The device is not there: unplugged, not yet found, or no driver for its transport.
    case unavailable(id: String, reason: String)
    /// The device is there but cannot do the job (paper out, cover open, write failed).
    case fault(id: String, message: String)
    /// Nothing happened within the time allowed (no card presented, printer silent).
    case timeout(id: String, seconds: Double)
    /// The waiting task was cancelled (the client went away).
    case cancelled(id: String)
    /// The device exists but is not of the kind the operation needs.
    case wrongKind(id: String, expected: DeviceConfig.Kind, actual: DeviceConfig.Kind)
    /// The job itself cannot be printed as given (e.g. a QR payload longer than a QR code holds).
    case invalidJob(id: String, message: String)
    /// The `[[devices]]` entries cannot be set up (e.g. two devices share an id).
    case invalidConfig(id: String, message: String)

    /// The device concerned.
    public var deviceID: String {
        switch self {
        case .notFound(let id), .unavailable(let id, _), .fault(let id, _), .timeout(let id, _),
            .cancelled(let id), .wrongKind(let id, _, _), .invalidJob(let id, _),
            .invalidConfig(let id, _):
            id
        }
    }

    /// A short stable name of the case, for `error.data` and logs.
    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .unavailable: "unavailable"
        case .fault: "fault"
        case .timeout: "timeout"
        case .cancelled: "cancelled"
        case .wrongKind: "wrong_kind"
        case .invalidJob: "invalid_job"
        case .invalidConfig: "invalid_config"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let id): "no device \(id)"
        case .unavailable(let id, let reason): "device \(id) is unavailable: \(reason)"
        case .fault(let id, let message): "device \(id) failed: \(message)"
        case .timeout(let id, let seconds): "device \(id) timed out after \(Self.format(seconds)) s"
        case .cancelled(let id): "waiting for device \(id) was cancelled"
        case .wrongKind(let id, let expected, let actual):
            "device \(id) is a \(actual.rawValue), not a \(expected.rawValue)"
        case .invalidJob(let id, let message): "device \(id) cannot print this job: \(message)"
        case .invalidConfig(let id, let message): "device \(id) is misconfigured: \(message)"
        }
    }

    /// The protocol-level refusal (contract reasons): `not_found` for an unknown id,
    /// `invalid_state` for a request that can never succeed on this device, and
    /// `device_unavailable` for everything a technician or a retry can fix.
    public var kioskError: KioskError {
        let details = ["device": deviceID, "deviceError": code]
        switch self {
        case .notFound: return KioskError(.notFound, description, details: details)
        case .wrongKind, .invalidJob, .invalidConfig:
            return KioskError(.invalidState, description, details: details)
        case .unavailable, .fault, .timeout, .cancelled:
            return KioskError(.deviceUnavailable, description, details: details)
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
