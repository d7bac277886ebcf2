import Testing

@testable import KioskDevices

@Suite struct TextColumnsTests {
    @Test func chineseCharactersTakeTwoColumns() {
        #expect(TextColumns.width(of: "A001") == 4)
        #expect(TextColumns.width(of: "前面还有 3 人") == 13)
    }

    @Test func paperWidthGivesColumnsOfTwelveDots() {
        #expect(TextColumns.columns(forPaperWidthDots: 384) == 32)
        #expect(TextColumns.columns(forPaperWidthDots: 576) == 48)
    }

    @Test func chineseWrapsAnywhereLatinAtSpaces() {
        #expect(TextColumns.wrap("重庆市九龙坡区行政服务中心", columns: 16) == ["重庆市九龙坡区行", "政服务中心"])
        #expect(TextColumns.wrap("please wait for your number", columns: 12) == ["please wait", "for your", "number"])
        #expect(TextColumns.wrap("short", columns: 32) == ["short"])
        #expect(TextColumns.wrap("请留意屏幕和语音叫号 过号请到服务台", columns: 32) == ["请留意屏幕和语音叫号", "过号请到服务台"])
    }
}

@Suite struct TextColumnsEdgeTests {
    @Test func aLeadingSpaceDoesNotMakeAnEmptyLine() {
        #expect(TextColumns.wrap(" abcdef", columns: 4) == [" abc", "def"])
        #expect(TextColumns.wrap("", columns: 4) == [""])
        #expect(TextColumns.wrap("a\nb", columns: 4) == ["a", "b"])
    }
}
