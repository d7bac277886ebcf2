import Testing

@testable import KioskDevices

/// Numbers read digit by digit, windows by their voice name, and the words each engine gets.
@Suite struct SpokenNumberTests {
    @Test func ticketNumbersAreReadDigitByDigit() {
        #expect(SpokenNumber.ticketWords("A012") == ["A", "零", "一", "二"])
        #expect(SpokenNumber.ticketWords("b100") == ["B", "一", "零", "零"])
        #expect(SpokenNumber.ticketWords("9") == ["九"])
    }

    @Test func windowNumbersAreReadAsNumbers() {
        #expect(SpokenNumber.cardinalWords("3") == ["三"])
        #expect(SpokenNumber.cardinalWords("10") == ["十"])
        #expect(SpokenNumber.cardinalWords("12") == ["十", "二"])
        #expect(SpokenNumber.cardinalWords("20") == ["二", "十"])
        #expect(SpokenNumber.cardinalWords("35") == ["三", "十", "五"])
        #expect(SpokenNumber.cardinalWords("101") == ["一", "零", "一"])
    }

    @Test func templateIsFilledAndReadForEachEngine() {
        let text = AnnouncementText(template: "请{number}号到{window}办理", number: "A012", window: "3号窗口")
        #expect(text.display == "请A012号到3号窗口办理")
        // espeak-ng reads "012" as 十二 and 零一二 digit by digit: it gets the words spaced.
        #expect(text.speech == "请 A 零 一 二 号到3号窗口办理")
        let clips: Set<String> = ["请", "号", "到", "窗口", "办理", "A", "零", "一", "二", "三", "十"]
        #expect(
            ClipsEngine.words(of: text, available: clips)
                == ["请", "A", "零", "一", "二", "号", "到", "三", "号", "窗口", "办理"])
    }

    @Test func aWindowWithItsOwnClipIsSaidWhole() {
        let text = AnnouncementText(template: "请{number}号到{window}办理", number: "B7", window: "综合窗口")
        let clips: Set<String> = ["请", "号", "到", "窗口", "办理", "B", "七", "综合窗口"]
        #expect(ClipsEngine.words(of: text, available: clips) == ["请", "B", "七", "号", "到", "综合窗口", "办理"])
        // Without that clip, the missing word is named by its first character.
        let without = clips.subtracting(["综合窗口"])
        #expect(ClipsEngine.words(of: text, available: without) == ["请", "B", "七", "号", "到", "综", "合", "窗口", "办理"])
    }

    @Test func windowNumberTwelveIsShiEr() {
        let text = AnnouncementText(template: "{number}号到{window}", number: "A1", window: "12号窗口")
        let clips: Set<String> = ["号", "到", "窗口", "A", "一", "二", "十"]
        #expect(ClipsEngine.words(of: text, available: clips) == ["A", "一", "号", "到", "十", "二", "号", "窗口"])
    }
}
