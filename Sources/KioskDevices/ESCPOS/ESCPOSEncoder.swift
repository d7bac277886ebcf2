/// Turns `ESCPOSCommand`s into the bytes a printer receives.
///
/// Stateless and total: every command has exactly one encoding, so tests can pin the bytes to
/// the Epson ESC/POS reference and a real driver can send the result as is.
public struct ESCPOSEncoder: Sendable {
    /// How `.text` becomes bytes: GB 18030 unless the printer model wants UTF-8.
    public var textEncoding: ESCPOSTextEncoding = .gb18030

    public init() {}

    /// An encoder that sends text in `textEncoding` (a printer profile's setting).
    public init(textEncoding: ESCPOSTextEncoding) {
        self.textEncoding = textEncoding
    }

    /// The bytes of a whole job.
    public func encode(_ commands: [ESCPOSCommand]) -> [UInt8] {
        var out: [UInt8] = []
        for command in commands { append(command, to: &out) }
        return out
    }

    /// The bytes of one command.
    public func encode(_ command: ESCPOSCommand) -> [UInt8] {
        var out: [UInt8] = []
        append(command, to: &out)
        return out
    }

    static let esc: UInt8 = 0x1B
    static let gs: UInt8 = 0x1D
    static let fs: UInt8 = 0x1C
    static let dle: UInt8 = 0x10
    static let lf: UInt8 = 0x0A

    private func append(_ command: ESCPOSCommand, to out: inout [UInt8]) {
        let esc = Self.esc, gs = Self.gs, fs = Self.fs
        switch command {
        case .initialize:
            out += [esc, 0x40]
        case .align(let a):
            out += [esc, 0x61, a.rawValue]
        case .bold(let on):
            out += [esc, 0x45, on ? 1 : 0]
        case .characterSize(let w, let h):
            out += [gs, 0x21, (w.rawValue - 1) << 4 | (h.rawValue - 1)]
        case .text(let s):
            out += textEncoding.encode(Self.printable(s))
        case .lineFeed:
            out.append(Self.lf)
        case .feed(let n):
            out += [esc, 0x64, n]
        case .qrCode(let qr):
            out += Self.qrFunction(0x41, [qr.model.rawValue, 0])  // fn 165: select the model
            out += Self.qrFunction(0x43, [qr.moduleSize])  // fn 167: module size
            out += Self.qrFunction(0x45, [qr.errorCorrection.rawValue])  // fn 169: error correction
            out += Self.qrFunction(0x50, [0x30] + qr.data)  // fn 180: store the data
            out += Self.qrFunction(0x51, [0x30])  // fn 181: print the stored code
        case .cut:
            out += [gs, 0x56, 66, 0]
        case .chineseMode(let on):
            out += [fs, on ? 0x26 : 0x2E]
        case .requestStatus(let n):
            out += [Self.dle, 0x04, n.rawValue]
        }
    }

    /// `GS ( k pL pH cn fn [params]` with cn = 49 (QR); pL + pH·256 counts cn, fn and params.
    static func qrFunction(_ fn: UInt8, _ params: [UInt8]) -> [UInt8] {
        let length = params.count + 2
        return [gs, 0x28, 0x6B, UInt8(length & 0xFF), UInt8(length >> 8), 0x31, fn] + params
    }

    /// Text with every control character except LF replaced by a space.
    static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }) else {
            return s
        }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            out.append((u.value < 0x20 && u != "\n") || u.value == 0x7F ? " " : u)
        }
        return String(out)
    }
}
