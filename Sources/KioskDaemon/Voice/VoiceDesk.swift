import KioskCore
import KioskDevices
import KioskProtocol

/// `voice.say` (and the device behind `voice.test`): a technician's checks of the `[voice]` device.
struct VoiceDesk: Sendable {
    let device: VoiceDevice?

    private func voice() throws -> VoiceDevice {
        guard let device else { throw KioskError(.deviceUnavailable, "no [voice] is configured on this kioskd") }
        return device
    }

    /// Plays `text` after the chime, now (after any announcement already playing).
    func say(_ text: String) async throws -> JSONValue {
        let device = try voice()
        do {
            let played = try await device.say(text)
            return .object([
                "device": .string(device.id), "text": .string(played.text), "seconds": .double(played.seconds),
                "playedLocally": .bool(played.playedLocally), "endpoint": .string(device.endpoint),
            ])
        } catch {
            throw KioskError(.deviceUnavailable, "voice \(device.id): \(error)")
        }
    }

    /// The device's id, for `voice.test` (the device test every device has).
    func deviceId() throws -> String { try voice().id }
}
