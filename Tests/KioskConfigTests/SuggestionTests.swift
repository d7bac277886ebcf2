import Testing

@testable import KioskConfig

/// "did you mean …?" only for plausible typos.
@Suite struct SuggestionTests {
    @Test func suggestsTheKeyOneOrTwoEditsAway() {
        let keys: Set<String> = ["daily_limit", "hours", "prefix", "name", "id"]
        #expect(Suggestion.closest(to: "daly_limit", among: keys) == "daily_limit")
        #expect(Suggestion.closest(to: "daliy_limit", among: keys) == "daily_limit")
        #expect(Suggestion.closest(to: "hour", among: keys) == "hours")
        #expect(Suggestion.closest(to: "Prefix", among: keys) == "prefix")
    }

    @Test func staysQuietWhenNothingIsClose() {
        #expect(Suggestion.closest(to: "floor", among: ["code", "name"]) == nil)
        #expect(Suggestion.closest(to: "x", among: ["id"]) == nil)
    }
}
