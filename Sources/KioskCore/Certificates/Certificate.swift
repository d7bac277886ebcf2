import Foundation

/// One certificate (证照) of a print order, as the store keeps it: the order it prints, where it
/// is in its life (`state`), and what was printed on it. A reprint is a new `Certificate` with a
/// new serial pointing back at the old one (`reprintOf`); the old one is `voided`.
///
/// The holder's ID number is not kept: only a keyed hash (`holderKey`, to check the card at
/// pickup) and the masked form for people.
public struct Certificate: Sendable, Equatable {
    public var serial: CertificateSerial
    /// The approval system's id of the order (resubmitting it returns this certificate).
    public var orderId: String
    /// The template id ("public-health-license").
    public var type: String
    /// The department whose seal is applied.
    public var department: String
    public var holderName: String
    public var holderKey: String
    public var holderMasked: String
    /// What is printed, by template field key.
    public var fields: [String: String]
    public var acceptedBy: PersonRef
    public var approvedBy: PersonRef
    public var delivery: CertificateDelivery
    public var printMode: PrintMode
    public var state: CertificateState
    /// When the certificate was issued (whole seconds): printed in the signed QR payload.
    public var issuedAt: Date
    /// A digest of the order as submitted: an `orderId` sent again with other content is a
    /// conflict, not a resubmission.
    public var orderDigest: String
    /// The signed anti-counterfeit payload printed as the QR code.
    public var qrPayload: String?
    /// The certificate printer (device id) of the last print attempt.
    public var printer: String?
    public var releasedBy: PersonRef?
    public var carrier: String?
    public var trackingNumber: String?
    /// The serial this one reprints (voided when this one was made).
    public var reprintOf: String?
    public var voidReason: String?
    public var updatedAt: Date
    /// Wrong pickup codes tried so far; at `maximumPickupCodeFailures` only a card will do.
    public var pickupCodeFailures: Int = 0

    public static let maximumPickupCodeFailures = 5

    public init(
        serial: CertificateSerial, orderId: String, type: String, department: String, holderName: String,
        holderKey: String, holderMasked: String, fields: [String: String], acceptedBy: PersonRef,
        approvedBy: PersonRef, delivery: CertificateDelivery, printMode: PrintMode, state: CertificateState = .received,
        issuedAt: Date, orderDigest: String, qrPayload: String? = nil, printer: String? = nil,
        releasedBy: PersonRef? = nil, carrier: String? = nil, trackingNumber: String? = nil, reprintOf: String? = nil,
        voidReason: String? = nil, updatedAt: Date
    ) {
        self.serial = serial
        self.orderId = orderId
        self.type = type
        self.department = department
        self.holderName = holderName
        self.holderKey = holderKey
        self.holderMasked = holderMasked
        self.fields = fields
        self.acceptedBy = acceptedBy
        self.approvedBy = approvedBy
        self.delivery = delivery
        self.printMode = printMode
        self.state = state
        self.issuedAt = issuedAt
        self.orderDigest = orderDigest
        self.qrPayload = qrPayload
        self.printer = printer
        self.releasedBy = releasedBy
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.reprintOf = reprintOf
        self.voidReason = voidReason
        self.updatedAt = updatedAt
    }
}

/// A row of a certificate's history (`cert.get`'s `history`): each state it entered, when, and
/// who or what moved it.
public struct CertificateStep: Sendable, Equatable {
    public var serial: String
    public var at: Date
    public var state: CertificateState
    /// "approval:张三", "operator:王芳", "kioskd" …
    public var actor: String
    public var note: String?

    public init(serial: String, at: Date, state: CertificateState, actor: String, note: String? = nil) {
        self.serial = serial
        self.at = at
        self.state = state
        self.actor = actor
        self.note = note
    }
}

/// One attempt to print a certificate on one printer. Recorded (committed) **before** the job
/// is handed to the printer, and the job is named after it (`jobName`), so after a crash the
/// daemon finds the job at the printer instead of printing the certificate a second time.
public struct PrintAttempt: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Recorded; the job may or may not have reached the printer (a crash in between).
        case pending
        /// The printer accepted the job (`job` is its id there).
        case submitted
        /// Stopped at the printer (out of paper); resumes by itself.
        case held
        case completed
        /// Jammed, cancelled, aborted or unreachable: the next printer of the pool is tried.
        case failed
    }

    public var id: Int64?
    public var serial: String
    /// 1, 2, … per certificate.
    public var number: Int
    /// The certificate printer's device id.
    public var printer: String
    /// "kioskd-<serial>-<number>": the job's name at the printer.
    public var jobName: String
    /// The printer's job id once submitted.
    public var job: Int?
    /// The terminal whose printer has the job (终端): only that daemon can look it up after a
    /// crash. Nil for attempts made before terminals were recorded (this machine's).
    public var terminal: String?
    public var state: State
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64? = nil, serial: String, number: Int, printer: String, job: Int? = nil, state: State = .pending,
        reason: String? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.serial = serial
        self.number = number
        self.printer = printer
        self.jobName = Self.jobName(serial: serial, number: number)
        self.job = job
        self.state = state
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    public static func jobName(serial: String, number: Int) -> String { "kioskd-\(serial)-\(number)" }

    /// Still at the printer or about to be: not yet completed or failed.
    public var isOpen: Bool { state == .pending || state == .submitted || state == .held }
}

/// A stored entry of the audit hash chain, as the store keeps it. The chain's rules (hashing,
/// verification) live with the certificates module; the store only appends and reads rows.
public struct AuditRecord: Sendable, Equatable {
    public var seq: Int64
    /// Milliseconds since 1970: the exact value that was hashed.
    public var atMilliseconds: Int64
    public var action: String
    public var subject: String
    public var actor: String
    /// Canonical JSON text.
    public var details: String
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int64, atMilliseconds: Int64, action: String, subject: String, actor: String, details: String,
        prevHash: String, hash: String
    ) {
        self.seq = seq
        self.atMilliseconds = atMilliseconds
        self.action = action
        self.subject = subject
        self.actor = actor
        self.details = details
        self.prevHash = prevHash
        self.hash = hash
    }
}
