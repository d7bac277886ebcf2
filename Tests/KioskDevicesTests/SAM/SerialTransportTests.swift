import Foundation
import Glibc
import KioskTestSupport
import Testing

@testable import KioskDevices

@Suite(.serialized) struct SAMSerialTransportTests {
    @Test func aMissingPortIsNotFound() {
        #expect(throws: TransportError.notFound("/dev/ttyKIOSK-missing")) {
            try SerialTransport(path: "/dev/ttyKIOSK-missing")
        }
    }

    @Test func anUnsupportedBaudRateIsRefused() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        #expect(throws: TransportError.self) { try SerialTransport(path: reader.path, baud: 12345) }
    }

    @Test func aSecondOpenOfTheSamePortIsBusy() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let first = try SerialTransport(path: reader.path, baud: 9600, parity: .even)
        defer { first.close() }
        #expect(first.isTerminal)
        #expect(throws: TransportError.busy("\(reader.path) is locked by another process")) {
            try SerialTransport(path: reader.path)
        }
        first.close()
        let again = try SerialTransport(path: reader.path)
        again.close()
    }

    @Test func theLineIsSetRawWithTheRequestedSpeedAndParity() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let port = try SerialTransport(path: reader.path, baud: 9600, parity: .odd, stopBits: 2)
        defer { port.close() }
        #expect(port.endpoint == "\(reader.path) @9600")
        // Look at the line from a second descriptor, as `stty -F` would.
        let fd = open(reader.path, O_RDWR | O_NOCTTY | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        var t = termios()
        #expect(tcgetattr(fd, &t) == 0)
        #expect(cfgetospeed(&t) == speed_t(B9600))
        #expect(cfgetispeed(&t) == speed_t(B9600))
        #expect(t.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        // Linux's pty driver forces CS8 and clears PARENB on every tcsetattr (pty_set_termios),
        // so on a pty only PARODD shows that odd parity was asked for.
        #expect(t.c_cflag & tcflag_t(PARODD) != 0)
        #expect(t.c_cflag & tcflag_t(CSTOPB) != 0)
        #expect(t.c_cflag & tcflag_t(CLOCAL) != 0)
        #expect(t.c_cflag & tcflag_t(CREAD) != 0)
        #expect(t.c_lflag & (tcflag_t(ICANON) | tcflag_t(ECHO)) == 0)
        #expect(t.c_oflag & tcflag_t(OPOST) == 0)
        let cc = withUnsafeBytes(of: &t.c_cc) { (Int($0[Int(VMIN)]), Int($0[Int(VTIME)])) }
        #expect(cc.0 == 0 && cc.1 == 0)
    }

    @Test func bytesGoOutAndComeBackRaw() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let port = try SerialTransport(path: reader.path)
        defer { port.close() }
        try port.write(SAMFixture.samStatus, timeout: .seconds(1))
        var got: [UInt8] = []
        let end = Date().addingTimeInterval(2)
        while got.count < SAMFixture.ok.count, Date() < end {
            got += try port.read(max: 64, timeout: .milliseconds(200))
        }
        // 0x0D and 0x0A survive untouched: the line is raw.
        #expect(got == SAMFixture.ok)
        #expect(reader.commands == [SAMFixture.samStatus])
    }

    @Test func aSilentPortTimesOutWithNothing() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let port = try SerialTransport(path: reader.path)
        defer { port.close() }
        let start = Date()
        #expect(try port.read(max: 16, timeout: .milliseconds(150)).isEmpty)
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.14, "returned before its timeout")
    }

    @Test func aHungUpPtyIsDisconnected() throws {
        let reader = try PtySAMReader()
        let port = try SerialTransport(path: reader.path)
        defer { port.close() }
        reader.unplug()
        #expect {
            _ = try port.read(max: 16, timeout: .seconds(1))
        } throws: { error in
            if case .disconnected = error as? TransportError { return true }
            return false
        }
    }
}
