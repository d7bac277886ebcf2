import Testing

import KioskConfig
import KioskCore

/// `[http]` and `[[screens]]`: where the read-only listener binds, and what each hall screen shows.
@Suite struct ScreensConfigTests {
    /// `Fixture.minimal` plus category B and window 1, 16 lines; what a test adds starts on line 17.
    static let hall = Fixture.minimal + """
        [[categories]]
        id = "B"
        name = "不动产登记"
        prefix = "B"
        [[windows]]
        id = "1"
        name = "1号窗口"
        serves = ["A", "B"]

        """

    @Test func noHTTPTableMeansNoListenerAndNoScreens() throws {
        let config = try Fixture.parse(Self.hall)
        #expect(config.http == nil)
        #expect(config.screens.isEmpty)
    }

    @Test(arguments: [
        ("0.0.0.0:8080", "0.0.0.0", 8080), ("127.0.0.1:1", "127.0.0.1", 1), ("[::]:8080", "::", 8080),
        ("localhost:65535", "localhost", 65535),
    ])
    func listenIsHostAndPort(text: String, host: String, port: Int) throws {
        let config = try Fixture.parse(Self.hall + "[http]\nlisten = \"\(text)\"\n")
        #expect(config.http == HTTPSettings(host: host, port: port))
        #expect(config.http?.listen == text)
    }

    @Test(arguments: ["8080", "host:", ":8080", "0.0.0.0:0", "0.0.0.0:65536", "0.0.0.0:80x", "::8080", "[::]8080", "a b:80"])
    func aBadListenIsRefusedWithItsLineAndKey(text: String) {
        let error = Fixture.refusal(Self.hall + "[http]\nlisten = \"\(text)\"\n")
        #expect(error?.line == 18)
        #expect(error?.key == "http.listen")
        #expect(error?.message.contains("must be host:port") == true)
    }

    @Test func aScreenIsReadWithItsDefaults() throws {
        let config = try Fixture.parse(Self.hall + """
            [[screens]]
            id = "hall"
            name = "大厅主屏"

            [[screens]]
            id = "b-wall"
            name = "不动产区"
            categories = ["B"]
            windows = ["1"]
            calls = 10
            voice = true
            notice = "请携带身份证原件"
            """)
        #expect(config.screens == [
            ScreenConfig(id: "hall", name: "大厅主屏"),
            ScreenConfig(id: "b-wall", name: "不动产区", categories: ["B"], windows: ["1"], calls: 10, voice: true,
                notice: "请携带身份证原件"),
        ])
        #expect(config.screen("hall")?.calls == 6 && config.screen("hall")?.voice == false)
    }

    @Test func aScreenShowsOnlyItsCategoriesAndWindows() {
        let screen = ScreenConfig(id: "s", name: "s", categories: ["B"], windows: ["1"])
        #expect(screen.shows(category: "B", window: "1"))
        #expect(!screen.shows(category: "A", window: "1"))
        #expect(!screen.shows(category: "B", window: "2"))
        #expect(ScreenConfig(id: "all", name: "all").shows(category: "Z", window: "9"))
    }

    @Test func anUnknownCategoryOrWindowIsRefused() {
        let category = Fixture.refusal(Self.hall + "[[screens]]\nid = \"s\"\nname = \"s\"\ncategories = [\"B\", \"Z\"]\n")
        #expect(category?.line == 20 && category?.key == "screens[0].categories[1]")
        #expect(category?.message == "no category has id \"Z\"; known: A, B")
        let window = Fixture.refusal(Self.hall + "[[screens]]\nid = \"s\"\nname = \"s\"\nwindows = [\"9\"]\n")
        #expect(window?.key == "screens[0].windows[0]")
        #expect(window?.message == "no window has id \"9\"; known: 1")
    }

    @Test func theAssetsIdADuplicateIdAndOddCallsAreRefused() {
        #expect(Fixture.refusal(Self.hall + "[[screens]]\nid = \"assets\"\nname = \"x\"\n")?.key == "screens[0].id")
        let twice = Fixture.refusal(Self.hall + "[[screens]]\nid = \"s\"\nname = \"x\"\n[[screens]]\nid = \"s\"\nname = \"y\"\n")
        #expect(twice?.message == "duplicate id \"s\", already used by screens[0]")
        #expect(Fixture.refusal(Self.hall + "[[screens]]\nid = \"s\"\nname = \"x\"\ncalls = 0\n")?.key == "screens[0].calls")
        #expect(Fixture.refusal(Self.hall + "[[screens]]\nid = \"s\"\nname = \"x\"\ncalls = 21\n")?.key == "screens[0].calls")
        #expect(Fixture.refusal(Self.hall + "[[screens]]\nid = \"s\"\nname = \"x\"\nvolume = 3\n")?.key == "screens[0].volume")
    }
}
