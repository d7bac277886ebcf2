import Foundation
import KioskCore
import Synchronization

@testable import KioskDevices

/// Shared test values: a known ticket at 09:30 Beijing time and a known ID card.
enum Fixtures {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    /// 2026-11-21 09:30:00 +08:00.
    static let issuedAt = Date(timeIntervalSince1970: 1_795_224_600)

    static let payload = "kioskd:ticket:500107-01:2026-11-21:A001"

    static func slip(
        number: String = "A001", ahead: Int = 3, wait: Int = 900, priority: String? = nil
    ) -> TicketSlip {
        TicketSlip(
            hallName: "九龙坡区行政服务中心", categoryName: "企业开办", number: number, ahead: ahead,
            estimatedWaitSeconds: wait, issuedAt: issuedAt, timeZone: shanghai, qrPayload: payload,
            priorityLabel: priority)
    }

    /// A valid resident card (check digit computed by ISO 7064 MOD 11-2).
    static func card(name: String = "张三") -> IDCard {
        IDCard(
            name: name, sex: .male, nation: "汉", birthDate: CardDate(yyyymmdd: "19800101")!,
            address: "重庆市九龙坡区杨家坪正街1号", idNumber: try! IDNumber(validating: "500107198001011233"),
            authority: "重庆市公安局九龙坡区分局", validFrom: CardDate(yyyymmdd: "20200101")!,
            validTo: CardDate(yyyymmdd: "20400101")!)
    }

    /// A fresh empty folder under the temporary directory.
    static func tempDir() -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kioskd-devices-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: " ")
    }
}

/// Collects health changes handed to an observer, for "once per change" checks.
final class HealthRecorder: Sendable {
    private let seen = Mutex<[DeviceHealth]>([])
    var changes: [DeviceHealth] { seen.withLock { $0 } }
    var states: [DeviceHealth.State] { changes.map(\.state) }
    func record(_ h: DeviceHealth) { seen.withLock { $0.append(h) } }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs as a contiguous run.
    func contains(run needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
