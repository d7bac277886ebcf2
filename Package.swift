// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "kioskd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kioskd", targets: ["kioskd"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages, installed by scripts/setup).
        .systemLibrary(name: "CSystemd", path: "Sources/CSystemd", providers: [.apt(["libsystemd-dev"])]),
        // glibc's malloc_trim: memory a flood of connections took goes back to the system.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CUdev", path: "Sources/CUdev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CLibUSB", path: "Sources/CLibUSB", providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CQRencode", path: "Sources/CQRencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CCups", path: "Sources/CCups", providers: [.apt(["libcups2-dev"])]),
        .systemLibrary(
            name: "CPangoCairo", path: "Sources/CPangoCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        // Voice announcements: ALSA output and the offline Mandarin synthesizer.
        .systemLibrary(name: "CAlsa", path: "Sources/CAlsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CEspeak", path: "Sources/CEspeak", providers: [.apt(["libespeak-ng-dev"])]),
        // PostgreSQL's client library: synchronous, like the store's transaction bodies, and it
        // already follows multi-host URLs (target_session_attrs) to a promoted standby.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Pure domain rules: no I/O, Foundation only.
        .target(name: "KioskCore", swiftSettings: strict),
        // TOML configuration -> KioskCore.HallConfig, with file:line:key errors.
        .target(name: "KioskConfig", dependencies: [
            "KioskCore", .product(name: "TOMLKit", package: "TOMLKit"),
        ], swiftSettings: strict),
        // The Store protocol and its backends: SQLite, PostgreSQL.
        .target(name: "KioskStore", dependencies: [
            "KioskCore", "CLibPQ", .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        // Device drivers, transports and the registry (simulated drivers for now).
        .target(name: "KioskDevices", dependencies: [
            "KioskCore", "CUdev", "CLibUSB", "CQRencode", "CCups", "CAlsa", "CEspeak",
        ], swiftSettings: strict),
        // Certificates: templates, PDF rendering (cairo/pango), the signed QR payload, the audit chain.
        .target(name: "KioskCertificates", dependencies: [
            "KioskCore", "KioskConfig", "CPangoCairo", "CQRencode",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // Wire types of the Unix-socket JSON-RPC protocol.
        .target(name: "KioskProtocol", dependencies: ["KioskCore"], swiftSettings: strict),
        // The daemon: hall services, event bus, socket server, lifecycle.
        .target(name: "KioskDaemon", dependencies: [
            "KioskCore", "KioskStore", "KioskDevices", "KioskProtocol", "KioskCertificates", "CSystemd", "CMalloc",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], resources: [.copy("Screens/Assets")], swiftSettings: strict),
        // A small blocking client used by kioskctl, tests and benchmarks.
        .target(name: "KioskClient", dependencies: ["KioskProtocol"], swiftSettings: strict),

        .executableTarget(name: "kioskd", dependencies: [
            "KioskDaemon", "KioskConfig", "KioskCertificates",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "kioskctl", dependencies: [
            "KioskClient", "KioskProtocol", "KioskConfig", "KioskCertificates",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        // USB/udev diagnostics as JSON lines; the hotplug and USB tests run it under umockdev.
        .executableTarget(name: "kiosk-devtool", dependencies: ["KioskDevices"], path: "Sources/kiosk-devtool", swiftSettings: strict),
        .executableTarget(name: "kiosk-bench", dependencies: [
            "KioskClient", "KioskProtocol", "KioskCore", "KioskStore", "KioskTestSupport", "KioskCertificates", "CLibPQ",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/kiosk-bench", swiftSettings: strict),

        // Device emulators and fixtures shared by the test targets (a pty SAM reader, card texts).
        .target(name: "KioskTestSupport", path: "Tests/KioskTestSupport", swiftSettings: strict),

        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore"], swiftSettings: strict),
        .testTarget(name: "KioskConfigTests", dependencies: ["KioskConfig"], swiftSettings: strict),
        .testTarget(name: "KioskProtocolTests", dependencies: ["KioskProtocol"], swiftSettings: strict),
        .testTarget(name: "KioskStoreTests", dependencies: [
            "KioskStore", "KioskTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .testTarget(name: "KioskDevicesTests", dependencies: ["KioskDevices", "KioskTestSupport"], swiftSettings: strict),
        .testTarget(name: "KioskCertificatesTests", dependencies: ["KioskCertificates"], swiftSettings: strict),
        .testTarget(name: "KioskDaemonTests", dependencies: [
            "KioskDaemon",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // kioskctl's readable output (tables, times, event lines), tested in-process.
        .testTarget(name: "KioskctlTests", dependencies: ["kioskctl", "KioskCore", "KioskProtocol"], swiftSettings: strict),
        .testTarget(name: "IntegrationTests", dependencies: ["KioskClient", "KioskProtocol", "KioskTestSupport"], swiftSettings: strict),
    ]
)
