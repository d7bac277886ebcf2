import Foundation
import KioskCore

/// The outcome of an online test (在线测试) of one device, as `device.test` answers it.
///
/// A device that fails its test is a result, not an error: the technician asked precisely to
/// learn that, and the message says what is wrong.
public struct DeviceTestResult: Sendable, Equatable {
    public var id: String
    public var kind: DeviceConfig.Kind
    public var passed: Bool
    /// What was done and seen ("printed a test slip; ok: ready", "paper out").
    public var message: String
    /// Health after the test.
    public var health: DeviceHealth
    public var at: Date

    public init(id: String, kind: DeviceConfig.Kind, passed: Bool, message: String, health: DeviceHealth, at: Date) {
        self.id = id
        self.kind = kind
        self.passed = passed
        self.message = message
        self.health = health
        self.at = at
    }
}
