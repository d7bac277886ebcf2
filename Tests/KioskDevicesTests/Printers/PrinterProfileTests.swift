import Foundation
import KioskTestSupport
import Testing

@testable import KioskDevices

/// What the printer profile changes in the bytes: text encoding, `FS &`, QR method.
@Suite("Printer profiles shape the bytes (PrinterProfileTests)")
struct PrinterProfileTests {
    @Test func defaultIsEightyMillimetreGB18030NativeQRBidirectional() {
        let p = PrinterProfile.default
        #expect(p.paperWidthDots == 576 && p.textEncoding == .gb18030 && p.chineseModeCommand)
        #expect(p.nativeQR && p.bidirectional && p.quirks.isEmpty && p.vendorID == nil)
        #expect(PrinterProfile.default58mm.paperWidthDots == 384)
        #expect(PrinterProfile(vendorID: 0x0416, productID: 0x5011).usbMatch == "usb:0416:5011")
    }

    @Test func gb18030WithChineseModeIsTheDefaultEncoding() throws {
        let bytes = try PrinterJobEncoder(profile: .default).encode([.chineseMode(true), .text("企业开办"), .lineFeed])
        #expect(bytes == [0x1C, 0x26, 0xC6, 0xF3, 0xD2, 0xB5, 0xBF, 0xAA, 0xB0, 0xEC, 0x0A])
    }

    @Test func utf8ProfileSendsUTF8AndNoFSAmpersand() throws {
        let profile = PrinterProfile(textEncoding: .utf8, chineseModeCommand: false)
        let bytes = try PrinterJobEncoder(profile: profile).encode([.chineseMode(true), .text("企业开办"), .lineFeed])
        #expect(bytes == [0xE4, 0xBC, 0x81, 0xE4, 0xB8, 0x9A, 0xE5, 0xBC, 0x80, 0xE5, 0x8A, 0x9E, 0x0A])
    }

    @Test func gb18030WithoutChineseModeDropsOnlyFSAmpersand() throws {
        let profile = PrinterProfile(chineseModeCommand: false)
        let slip = Fixtures.slip()
        let commands = try TicketLayout(paperWidthDots: 576).commands(for: slip)
        let bytes = try PrinterJobEncoder(profile: profile).encode(commands)
        let expected = ESCPOSEncoder().encode(commands.filter { if case .chineseMode = $0 { false } else { true } })
        #expect(bytes == expected)
        #expect(!bytes.contains(run: [0x1C, 0x26]))
    }

    @Test func cutQuirks() throws {
        let cut: [ESCPOSCommand] = [.cut]
        #expect(try PrinterJobEncoder(profile: .default).encode(cut) == [0x1D, 0x56, 0x42, 0x00])
        #expect(
            try PrinterJobEncoder(profile: PrinterProfile(quirks: ["no-partial-cut"])).encode(cut) == [
                0x1D, 0x56, 0x41, 0x00,
            ])
        #expect(
            try PrinterJobEncoder(profile: PrinterProfile(quirks: ["no-cutter", "slow-init"])).encode(cut) == [
                0x1B, 0x64, 0x04,
            ])
    }

    @Test func encoderKeepsItsOldDefault() {
        #expect(ESCPOSEncoder().textEncoding == .gb18030)
        #expect(ESCPOSEncoder(textEncoding: .utf8).encode(.text("号")) == [0xE5, 0x8F, 0xB7])
        #expect(ESCPOSEncoder().encode(.text("号")) == [0xBA, 0xC5])
    }

    @Test func statusBytesOneAndThreeDecode() {
        #expect(ESCPOSStatus.printerState(0x12) == ESCPOSStatus.PrinterState())
        #expect(ESCPOSStatus.printerState(0x1A)?.offline == true)
        #expect(ESCPOSStatus.printerState(0x13) == nil)
        #expect(ESCPOSStatus.errorCause(0x1A)?.descriptions == ["autocutter error"])
        #expect(ESCPOSStatus.errorCause(0x32)?.unrecoverable == true)
        #expect(ESCPOSStatus.errorCause(0x80) == nil)
    }
}
