import Foundation
import Testing

@testable import KioskConfig
import KioskCore

/// `[[devices]] layout = "tickets/….toml"`: the ticket's lines from a file a technician edits,
/// with errors that name that file, its line and key.
@Suite struct TicketLayoutFileTests {
    /// A folder with `tickets/t.toml` holding `layout`, and a config naming it.
    func load(_ layout: String) throws(ConfigError) -> HallConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-layout-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir.appendingPathComponent("tickets"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent("tickets/t.toml").path, contents: Data(layout.utf8)))
        return try ConfigLoader.parse(
            Fixture.minimal + """
                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "simulated"
                layout = "tickets/t.toml"
                """, file: "hall.toml", baseDirectory: dir.path)
    }

    func refusal(_ layout: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        do {
            _ = try load(layout)
            Issue.record("expected a refusal", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func theShippedStandardLayoutIsTheBuiltInOne() throws {
        let path = Fixture.configFolder + "/tickets/standard.toml"
        #expect(try TicketTemplate.load(path, shownAs: "tickets/standard.toml") == .standard)
    }

    @Test func theShippedWideLayoutLoadsAndPrintsTheNumberFirst() throws {
        let wide = try TicketTemplate.load(Fixture.configFolder + "/tickets/wide-80mm.toml", shownAs: "wide")
        #expect(wide.blocks.first == .text(.init("{number}", bold: true, size: .max)))
        #expect(wide.blocks.contains { if case .text(let t) = $0 { t.paperMM == 80 } else { false } })
        #expect(wide != .standard)
    }

    @Test func aLayoutIsReadIntoTheDevice() throws {
        let config = try load("""
            [[block]]
            text = "{number}"
            size = 3

            [[block]]
            text = "前面 {ahead} 人"
            english = "{aheadPeople} ahead"
            when = "waiting"
            paper = "58mm"

            [[block]]
            qr = true

            [[block]]
            feed = 4
            """)
        #expect(config.devices[0].ticketLayout == TicketTemplate(blocks: [
            .text(.init("{number}", size: .times(3))),
            .text(.init("前面 {ahead} 人", english: "{aheadPeople} ahead", when: .waiting, paperMM: 58)),
            .qr, .feed(lines: 4),
        ]))
    }

    @Test func mistakesNameTheLayoutFileLineAndKey() {
        let unknownPlaceholder = refusal("""
            [[block]]
            text = "{number}"

            [[block]]
            text = "请到 {windw} 号窗口"
            """)
        #expect(unknownPlaceholder?.file == "tickets/t.toml")
        #expect(unknownPlaceholder?.line == 5)
        #expect(unknownPlaceholder?.key == "block[1].text")
        #expect(unknownPlaceholder?.message.contains("{windw}") == true)

        let twoKinds = refusal("""
            [[block]]
            text = "{number}"
            qr = true
            """)
        #expect(twoKinds?.message.contains("text and qr") == true)

        let badSize = refusal("""
            [[block]]
            text = "{number}"
            size = "huge"
            """)
        #expect(badSize?.key == "block[0].size")
        #expect(badSize?.line == 3)

        let typo = refusal("""
            [[block]]
            text = "{number}"
            bolt = true
            """)
        #expect(typo?.message.contains("did you mean bold") == true)

        let noNumber = refusal("""
            [[block]]
            text = "{hall}"
            """)
        #expect(noNumber?.message.contains("{number}") == true)

        let optionOnQR = refusal("""
            [[block]]
            text = "{number}"

            [[block]]
            qr = true
            bold = true
            """)
        #expect(optionOnQR?.key == "block[1].bold")

        #expect(refusal("[[block]]\ntext = \"{number}\"\npaper = \"76mm\"")?.key == "block[0].paper")
        #expect(refusal("[[block]]\ntext = \"{number}\"\n\n[[block]]\nfeed = 50")?.key == "block[1].feed")
        #expect(refusal("text = \"{number}\"")?.message.contains("unknown table") == true)
        #expect(refusal("[[block]\n")?.message.contains("invalid TOML") == true)
    }

    @Test func aMissingLayoutFileOrALayoutOnAReaderIsRefused() {
        let missing = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "simulated"
                layout = "tickets/nope.toml"
                """)
        #expect(missing?.file == "tickets/nope.toml")
        #expect(missing?.message == "no such file")

        let onReader = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "r0"
                kind = "idcard-reader"
                transport = "simulated"
                layout = "tickets/standard.toml"
                """)
        #expect(onReader?.key == "devices[0].layout")
        #expect(onReader?.line == 13)
    }
}
