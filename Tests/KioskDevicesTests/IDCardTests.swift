import Foundation
import KioskCore
import Testing

@testable import KioskDevices

@Suite struct IDCardTests {
    @Test func cardDatesParseTheChipFormAndRefuseImpossibleDates() {
        #expect(CardDate(yyyymmdd: "20261121")?.description == "2026-11-21")
        #expect(CardDate(yyyymmdd: "20240229") != nil)
        #expect(CardDate(yyyymmdd: "20230229") == nil)
        #expect(CardDate(yyyymmdd: "2026112") == nil)
        #expect(CardDate(yyyymmdd: "2026-1-1") == nil)
        #expect(CardDate(HallDay("2026-11-21")) == CardDate(year: 2026, month: 11, day: 21))
        #expect(CardDate(yyyymmdd: "20261121")?.yyyymmdd == "20261121")
    }

    @Test func aCardIsValidWithinItsPeriodAndALifelongCardNeverExpires() {
        var card = Fixtures.card()
        #expect(card.isValid(on: CardDate(yyyymmdd: "20261121")!))
        #expect(!card.isValid(on: CardDate(yyyymmdd: "20400102")!))
        #expect(!card.isValid(on: CardDate(yyyymmdd: "20191231")!))
        card.validTo = nil  // 长期
        #expect(card.isValid(on: CardDate(yyyymmdd: "20991231")!))
    }

    @Test func describingACardNeverShowsTheFullNumberOrName() {
        let card = Fixtures.card(name: "李小龙")
        for text in [card.description, String(describing: card), String(reflecting: card), "\(card)"] {
            #expect(!text.contains("500107198001011233"))
            #expect(!text.contains("李小龙"))
        }
        #expect(card.description == "IDCard(resident, 李**, 5001**********1233)")
    }

    @Test func cardTypesFollowTheChipMarker() {
        #expect(IDCard.CardType(marker: "J") == .hkMacauTaiwan)
        #expect(IDCard.CardType(marker: "I") == .foreignPermanent)
        #expect(IDCard.CardType(marker: " ") == .resident)
        #expect(IDCard.CardType.hkMacauTaiwan.marker == "J")
    }

    @Test func cardDatesAreJSONStrings() throws {
        let d = CardDate(yyyymmdd: "20400101")!
        let json = try JSONEncoder().encode([d])
        #expect(String(decoding: json, as: UTF8.self) == "[\"2040-01-01\"]")
        #expect(try JSONDecoder().decode([CardDate].self, from: json) == [d])
    }
}
