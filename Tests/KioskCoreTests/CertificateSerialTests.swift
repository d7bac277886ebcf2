import Foundation
import Testing

@testable import KioskCore

@Suite("Certificates: serial numbers")
struct CertificateSerialTests {
    @Test func hallCodeDateAndFourDigitSequence() throws {
        let serial = try #require(CertificateSerial(hallCode: "500107-01", day: HallDay("2026-11-21"), sequence: 7))
        #expect(serial.description == "500107-01-20261121-0007")
    }

    @Test func longSequencesAreWrittenInFull() throws {
        let serial = try #require(CertificateSerial(hallCode: "H1", day: HallDay("2026-01-02"), sequence: 12345))
        #expect(serial.description == "H1-20260102-12345")
        #expect(CertificateSerial("H1-20260102-12345") == serial)
    }

    @Test(arguments: ["500107-01-20261121-0007", "H-20260228-0001", "a-b-c-20240229-9999", "X1-20261231-999999"])
    func parsingGivesBackTheParts(text: String) throws {
        let serial = try #require(CertificateSerial(text))
        #expect(serial.description == text)
        let pieces = text.split(separator: "-")
        #expect(serial.hallCode == pieces.dropLast(2).joined(separator: "-"))
        #expect(serial.sequence == Int(pieces.last!)!)
        let date = pieces[pieces.count - 2]
        #expect(serial.day.rawValue == "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))")
    }

    @Test(arguments: [
        "", "0007", "20261121-0007", "500107-01-20261121-007", "500107-01-20261121-00007",
        "500107-01-20261131-0007", "500107-01-20250229-0001", "500107-01-2026112-0007", "500107-01-20261121-0000",
        "500107-01-20261121-+007", "500107 01-20261121-0007", "-20261121-0007", "500107-01-20261121-0007-",
        "５００107-20261121-0007", "500107-01-20261121-1000000",
    ])
    func anythingElseIsNotASerial(text: String) {
        #expect(CertificateSerial(text) == nil)
    }

    @Test func sequenceAndHallCodeAreBounded() {
        let day = HallDay("2026-11-21")
        #expect(CertificateSerial(hallCode: "H", day: day, sequence: 0) == nil)
        #expect(CertificateSerial(hallCode: "H", day: day, sequence: CertificateSerial.maximumSequence + 1) == nil)
        #expect(CertificateSerial(hallCode: "H", day: day, sequence: CertificateSerial.maximumSequence) != nil)
        #expect(CertificateSerial(hallCode: "H", day: HallDay("2026-13-01"), sequence: 1) == nil)
    }

    @Test func hallCodesAreSerialSafe() {
        for good in ["500107-01", "A", "Hall-2-b", String(repeating: "9", count: CertificateSerial.maximumHallCodeLength)] {
            #expect(CertificateSerial.isValidHallCode(good), "\(good)")
        }
        for bad in ["", "-500107", "500107-", "500 107", "500107.01", "九龙坡", "a/b",
            String(repeating: "9", count: CertificateSerial.maximumHallCodeLength + 1)] {
            #expect(!CertificateSerial.isValidHallCode(bad), "\(bad)")
        }
    }

    @Test func aSerialIsEncodedAsItsText() throws {
        let serial = try #require(CertificateSerial("500107-01-20261121-0007"))
        let json = try JSONEncoder().encode([serial])
        #expect(String(decoding: json, as: UTF8.self) == #"["500107-01-20261121-0007"]"#)
        #expect(try JSONDecoder().decode([CertificateSerial].self, from: json) == [serial])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CertificateSerial].self, from: Data(#"["A-1"]"#.utf8)) }
    }

    @Test func serialsOfDifferentHallsDaysOrSequencesDiffer() throws {
        let base = try #require(CertificateSerial(hallCode: "500107-01", day: HallDay("2026-11-21"), sequence: 7))
        let others = [
            CertificateSerial(hallCode: "500107-02", day: HallDay("2026-11-21"), sequence: 7),
            CertificateSerial(hallCode: "500107-01", day: HallDay("2026-11-22"), sequence: 7),
            CertificateSerial(hallCode: "500107-01", day: HallDay("2026-11-21"), sequence: 8),
        ]
        for other in others {
            #expect(other != base)
            #expect(other?.description != base.description)
        }
    }
}
