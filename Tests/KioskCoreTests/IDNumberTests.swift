import Foundation
import Testing

@testable import KioskCore

@Suite("Resident ID numbers (GB 11643): validation, masking, age")
struct IDNumberTests {
    /// The standard's own worked example.
    let gbExample = "11010519491231002X"

    @Test func ourCheckDigitDefinitionReproducesTheStandardsExample() {
        #expect(iso7064CheckCharacter("11010519491231002") == "X")
    }

    @Test func theStandardsExampleIsValid() throws {
        let id = try IDNumber(validating: gbExample)
        #expect(id.digits == gbExample)
        #expect(id.birthDate.year == 1949)
        #expect(id.birthDate.month == 12)
        #expect(id.birthDate.day == 31)
    }

    @Test func numbersWithEveryCheckCharacterAreValid() throws {
        // Walk serials until every one of the eleven check characters has been seen.
        var seen: Set<Character> = []
        for serial in 0..<1000 {
            let s = idNumber(region: "500107", birth: "19850704", serial: String(format: "%03d", serial))
            let id = try IDNumber(validating: s)
            #expect(id.digits == s)
            seen.insert(s.last!)
            if seen.count == 11 { break }
        }
        #expect(seen.count == 11)
    }

    @Test func everyWrongCheckCharacterIsRefused() {
        let valid = idNumber(birth: "19850704")
        for c in "0123456789X" where c != valid.last! {
            let wrong = String(valid.dropLast()) + String(c)
            expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: wrong) }
        }
    }

    @Test func aSingleChangedDigitIsCaught() {
        let valid = Array(idNumber(birth: "19850704"))
        for i in 0..<17 {
            var changed = valid
            let d = changed[i].wholeNumberValue!
            changed[i] = Character(String((d + 1) % 10))
            let text = String(changed)
            // A changed date digit may also make the date invalid; either way it is refused.
            expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: text) }
        }
    }

    @Test(arguments: ["", "50010719850704123", "5001071985070412345", "50010719850704123XX", "500107850704123"])
    func wrongLengthIsRefused(text: String) {
        expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: text) }
    }

    @Test(arguments: ["5001O7198507041234", "50010719850704X123", "X00107198507041234", "50010７198507041234", "5001-7198507041234"])
    func lettersOrSymbolsInTheFirstSeventeenAreRefused(text: String) {
        expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: text) }
    }

    @Test func aCheckLetterOtherThanXIsRefused() {
        let first17 = String(idNumber(birth: "19850704").prefix(17))
        expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: first17 + "Y") }
    }

    @Test(arguments: ["20260230", "20230229", "19851301", "19850001", "19850700", "19850732", "18991231", "00000000"])
    func anImpossibleBirthDateIsRefusedEvenWithACorrectCheckDigit(birth: String) {
        let text = idNumber(birth: birth)
        expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: text) }
    }

    @Test func leapDayBirthIsAccepted() throws {
        _ = try IDNumber(validating: idNumber(birth: "20000229"))
        _ = try IDNumber(validating: idNumber(birth: "20240229"))
    }

    @Test func lowercaseXIsAcceptedAndStoredUpperCase() throws {
        let id = try IDNumber(validating: "11010519491231002x")
        #expect(id.digits == gbExample)
        #expect(id == (try IDNumber(validating: gbExample)))
    }

    @Test func surroundingSpacesAreIgnored() throws {
        #expect(try IDNumber(validating: " \(gbExample) ").digits == gbExample)
    }

    // MARK: personal information

    @Test func maskedShowsFourThenTenStarsThenFour() throws {
        let id = try IDNumber(validating: gbExample)
        #expect(id.masked == "1101**********002X")
        let other = idNumber(region: "500107", birth: "19850704", serial: "123")
        let masked = try IDNumber(validating: other).masked
        #expect(masked.count == 18)
        #expect(masked.prefix(4) == "5001")
        #expect(masked.dropFirst(4).prefix(10) == "**********")
        #expect(masked.suffix(4) == other.suffix(4))
    }

    @Test func maskLeavesNothingOfShortStrings() {
        #expect(IDNumber.mask("12345678") == "********")
        #expect(IDNumber.mask("") == "")
    }

    @Test func theNumberNeverAppearsWhenTheValueIsPrinted() throws {
        let id = try IDNumber(validating: gbExample)
        let birth = "19491231"
        for text in ["\(id)", String(describing: id), String(reflecting: id), "\([id])", id.description] {
            #expect(!text.contains(gbExample))
            #expect(!text.contains(birth))
        }
    }

    @Test func aRefusalNeverEchoesTheNumber() {
        let wrong = "110105194912310021"
        let error = expectRefusal(.invalidIdNumber) { _ = try IDNumber(validating: wrong) }
        #expect(error.map { !$0.description.contains(wrong) && !$0.details.values.contains { $0.contains(wrong) } } == true)
    }

    // MARK: age

    @Test func ageCountsWholeYearsOnAndBeforeTheBirthday() throws {
        let id = try IDNumber(validating: idNumber(birth: "19661121"))
        #expect(id.age(on: HallDay("2026-11-20")) == 59)
        #expect(id.age(on: HallDay("2026-11-21")) == 60)
        #expect(id.age(on: HallDay("2026-11-22")) == 60)
        #expect(id.age(on: HallDay("2026-12-01")) == 60)
        #expect(id.age(on: HallDay("2026-10-31")) == 59)
        #expect(id.age(on: HallDay("2027-01-01")) == 60)
    }

    @Test func ageOnTheGBExample() throws {
        let id = try IDNumber(validating: gbExample)
        #expect(id.age(on: HallDay("2009-12-30")) == 59)
        #expect(id.age(on: HallDay("2009-12-31")) == 60)
        #expect(id.age(on: HallDay("2010-01-01")) == 60)
    }

    // MARK: 2017 foreign permanent residence card (15 characters)

    @Test func aFifteenCharacterPermanentResidenceNumberIsAccepted() throws {
        let id = try IDNumber(validating: " can110075120118 ")
        #expect(id.digits == "CAN110075120118")
        #expect(id.isForeignPermanent2017)
        #expect(id.masked == "CAN1*******0118")
        #expect(id.birthDate == DateComponents(year: 1975, month: 12, day: 1))
        #expect(id.age(on: HallDay("2026-11-30")) == 50)
        #expect(id.age(on: HallDay("2026-12-01")) == 51)
        // Born 2005: a two-digit year up to 23 is this century.
        #expect(try IDNumber(validating: "GBR310005010312").birthDate.year == 2005)
        #expect(!(try IDNumber(validating: "11010519491231002X")).isForeignPermanent2017)
    }

    @Test(arguments: ["CA1110075120118", "CAN11007512011X", "CAN-10075120118", "500107850704123", "CAN110075133118", "CAN110075023018"])
    func malformedFifteenCharacterNumbersAreRefused(_ text: String) {
        #expect(throws: KioskError.self) { try IDNumber(validating: text) }
    }
}
