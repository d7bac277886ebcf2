import Foundation
import Testing

import KioskConfig
import KioskCore

/// The files in `Config/` are documentation that runs: they must always load.
@Suite struct ShippedConfigTests {
    @Test func demoConfigLoads() throws {
        let config = try ConfigLoader.load(path: Fixture.configFolder + "/demo.toml")
        let root = URL(fileURLWithPath: Fixture.configFolder).deletingLastPathComponent().path

        #expect(config.hall == HallInfo(code: "500107-01", name: "九龙坡区行政服务中心"))
        #expect(config.daemon.timeZone.identifier == "Asia/Shanghai")
        #expect(config.daemon.socket == root + "/run/kioskd.sock")
        #expect(config.daemon.stateDir == root + "/run/state")
        #expect(config.storage == StorageSettings(backend: .sqlite))
        #expect(config.queue == QueueSettings())

        #expect(config.categories.map(\.id) == ["A", "B", "C", "D"])
        #expect(config.category("A")?.dailyLimit == 300)
        #expect(config.category("A")?.hours.description == "08:30-17:30")
        #expect(config.category("B")?.dailyLimit == 200)
        #expect(config.category("B")?.hours.ranges == [510..<720, 810..<1050])
        #expect(config.category("C")?.dailyLimit == nil)
        #expect(config.category("C")?.hours == .allDay)
        #expect(config.category("D")?.requiresPrereview == true)

        #expect(config.windows.count == 5)
        #expect(config.windows.contains { Set($0.serves) == ["A", "B", "C", "D"] })
        #expect(config.window("P1") == Window(id: "P1", name: "预审窗口", serves: ["D"], prereview: true))

        #expect(config.access.rules[.kiosk] == AccessTable.Rule(users: ["kiosk"], groups: []))
        #expect(config.devices.map(\.id).prefix(3) == ["printer0", "idreader0", "certprinter0"])
        // A simulated strip, keypad and evaluator over every window.
        for w in config.windows {
            let kinds = config.devices.filter { $0.window == w.id }.map(\.kind)
            #expect(Set(kinds) == [.windowDisplay, .callerKeypad, .evaluator], "window \(w.id)")
        }
        #expect(config.certificates.settings.printers == ["certprinter0"])
        #expect(config.certificates.department("health")?.maySeal("public-health-license") == true)
        #expect(config.devices[1] == DeviceConfig(id: "idreader0", kind: .idcardReader, transport: .simulated))
        // The demo's 80 mm printer prints the shipped wide layout, the number first.
        var printer = config.devices[0]
        #expect(printer.ticketLayout?.blocks.first == .text(.init("{number}", bold: true, size: .max)))
        printer.ticketLayout = nil
        #expect(printer == DeviceConfig(id: "printer0", kind: .receiptPrinter, transport: .simulated, paperWidthDots: 576))
    }

    @Test func exampleConfigLoads() throws {
        let config = try ConfigLoader.load(path: Fixture.configFolder + "/example.toml")

        #expect(config.daemon.socketGroup == "kiosk")
        #expect(config.daemon.logLevel == "notice")
        #expect(config.windows.map(\.id) == ["1", "2", "3", "4", "10", "P1"])
        #expect(config.access.rules.count == 7)
        let reader = config.devices.first { $0.id == "idreader0" }
        #expect(reader?.transport == .serial)
        #expect(reader?.path == "/dev/ttyUSB0")
        #expect(reader?.baud == 115200)
        #expect(config.devices.first { $0.id == "printer0" }?.match == "usb:0416:5011")
        #expect(config.devices.first { $0.id == "certprinter0" }?.queue == "Certs")
        #expect(config.devices.first { $0.id == "lobbyprinter" }?.port == 9100)
    }

    @Test func pathsInsideResolveAgainstTheFilesFolderHoweverItIsNamed() throws {
        let config = try ConfigLoader.load(path: Fixture.configFolder + "/../Config/./demo.toml")
        let root = URL(fileURLWithPath: Fixture.configFolder).deletingLastPathComponent().path
        #expect(config.daemon.stateDir == root + "/run/state")
    }
}
