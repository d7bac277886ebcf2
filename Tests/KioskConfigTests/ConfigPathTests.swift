import Testing

@testable import KioskConfig

/// Relative paths in the file resolve lexically against its folder.
@Suite struct ConfigPathTests {
    @Test func relativePathJoinsTheFolder() {
        #expect(ConfigPath.resolve("state", against: "/etc/kioskd") == "/etc/kioskd/state")
        #expect(ConfigPath.resolve("../run/kioskd.sock", against: "/srv/kioskd/Config") == "/srv/kioskd/run/kioskd.sock")
        #expect(ConfigPath.resolve("./a//b/./c/", against: "/etc") == "/etc/a/b/c")
    }

    @Test func absolutePathIgnoresTheFolder() {
        #expect(ConfigPath.resolve("/dev/ttyUSB0", against: "/etc/kioskd") == "/dev/ttyUSB0")
        #expect(ConfigPath.resolve("/var/lib/../lib/kioskd", against: "/etc") == "/var/lib/kioskd")
    }

    @Test func parentOfTheRootIsTheRoot() {
        #expect(ConfigPath.resolve("../../../x", against: "/etc") == "/x")
    }

    @Test func folderOfAFile() {
        #expect(ConfigPath.folder(of: "/etc/kioskd/kioskd.toml") == "/etc/kioskd")
        #expect(ConfigPath.folder(of: "/kioskd.toml") == "/")
    }
}
