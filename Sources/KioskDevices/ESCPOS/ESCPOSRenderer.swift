/// Reads an ESC/POS byte stream back into the lines a person would see on the paper.
///
/// Why it exists: the simulated printer writes this rendering to a file so a demo (or a
/// technician on a machine with no printer) can see each ticket, and tests check a slip by what
/// it says rather than by byte offsets. It follows the printer's own rules: text is GB 18030,
/// a line is printed at LF / `ESC d`, alignment and size apply per line.
///
/// Output conventions, one string per printed line, trailing spaces trimmed:
/// - centred and right-aligned lines are padded with spaces to the paper's columns;
/// - magnified text is preceded by `[big WxH] ` (e.g. `[big 4x4] A001`);
/// - a QR code is `[QR: payload]`, a barcode `[barcode: data]`, a raster image `[image WxH]`;
/// - a cut is `--- cut ---`;
/// - a command it does not know is `[? 1B 7A]` (it then resumes at the next byte).
/// Bold, underline and code pages are not shown; status requests print nothing.
public struct ESCPOSRenderer: Sendable {
    /// Columns of the paper at normal size (32 for 58 mm, 48 for 80 mm).
    public let columns: Int

    public init(columns: Int = 32) {
        self.columns = max(1, columns)
    }

    public init(paperWidthDots: Int) {
        self.init(columns: TextColumns.columns(forPaperWidthDots: paperWidthDots))
    }

    /// The printed lines of `bytes`.
    public func render<C: Collection<UInt8>>(_ bytes: C) -> [String] {
        var state = RenderState(columns: columns)
        state.run(Array(bytes))
        return state.lines
    }

    /// The printed lines joined with newlines (no final newline).
    public func renderText<C: Collection<UInt8>>(_ bytes: C) -> String {
        render(bytes).joined(separator: "\n")
    }
}

/// The printer model the renderer steps through the bytes with.
private struct RenderState {
    struct Segment {
        var width: UInt8
        var height: UInt8
        var bytes: [UInt8]
    }

    let columns: Int
    var lines: [String] = []
    var alignment: ESCPOSCommand.Alignment = .left
    var width: UInt8 = 1
    var height: UInt8 = 1
    var segments: [Segment] = []
    var qrData: [UInt8] = []

    init(columns: Int) { self.columns = columns }

    mutating func run(_ b: [UInt8]) {
        var i = 0
        /// The byte `k` places after `i`, or nil when the stream ends early.
        func arg(_ k: Int) -> UInt8? { i + k < b.count ? b[i + k] : nil }

        scan: while i < b.count {
            let c = b[i]
            switch c {
            case 0x0A, 0x0C:  // LF, FF
                flush()
                i += 1
            case 0x0D:  // CR: ignored, as on most thermal printers
                i += 1
            case 0x09:  // HT: a space is close enough
                addText(0x20)
                i += 1
            case 0x1B:
                guard let cmd = arg(1) else { break scan }
                i += escape(cmd, b, i)
            case 0x1D:
                guard let cmd = arg(1) else { break scan }
                i += groupSeparator(cmd, b, i)
            case 0x1C:
                guard let cmd = arg(1) else { break scan }
                switch cmd {
                case 0x26, 0x2E: i += 2  // FS & / FS .: Chinese mode on/off (always decoded as GB 18030)
                case 0x21, 0x2D, 0x43, 0x57: i += 3  // FS ! n, FS - n, FS C n, FS W n
                case 0x53, 0x70: i += 4  // FS S n1 n2, FS p n m
                default: unknown(b, i, 2); i += 2
                }
            case 0x10:  // DLE EOT n, DLE ENQ n: real-time requests, nothing printed
                guard let cmd = arg(1) else { break scan }
                switch cmd {
                case 0x04, 0x05: i += 3
                case 0x14: i += 5  // DLE DC4 fn m t
                default: unknown(b, i, 2); i += 2
                }
            case 0x00..<0x20, 0x7F:
                i += 1
            default:
                addText(c)
                i += 1
            }
        }
        if !segments.isEmpty { flush() }
    }

    /// `ESC x …` at `i`; returns its length.
    mutating func escape(_ cmd: UInt8, _ b: [UInt8], _ i: Int) -> Int {
        func arg(_ k: Int) -> UInt8? { i + k < b.count ? b[i + k] : nil }
        switch cmd {
        case 0x40:  // ESC @: clears the buffer and the modes
            segments = []
            alignment = .left
            width = 1
            height = 1
            return 2
        case 0x61:  // ESC a n
            if let n = arg(2) { alignment = ESCPOSCommand.Alignment(rawValue: n & 0x0F) ?? .left }
            return 3
        case 0x21:  // ESC ! n: bit 4 double height, bit 5 double width
            if let n = arg(2) {
                width = n & 0x20 != 0 ? 2 : 1
                height = n & 0x10 != 0 ? 2 : 1
            }
            return 3
        case 0x64:  // ESC d n: print and feed n lines
            let n = Int(arg(2) ?? 1)
            for _ in 0..<n { flush() }
            return 3
        case 0x4A:  // ESC J n: print and feed n dots
            if !segments.isEmpty { flush() }
            return 3
        case 0x69, 0x6D:  // ESC i / ESC m: old cut commands
            cut()
            return 2
        case 0x32, 0x3C: return 2  // ESC 2, ESC <
        case 0x45, 0x47, 0x2D, 0x4D, 0x74, 0x52, 0x7B, 0x33, 0x20, 0x56, 0x55:
            return 3  // one-parameter modes: bold, double strike, underline, font, code page, …
        case 0x24, 0x5C: return 4  // ESC $ nL nH, ESC \ nL nH
        case 0x63: return 4  // ESC c x n
        case 0x70: return 5  // ESC p m t1 t2: drawer kick
        default:
            unknown(b, i, 2)
            return 2
        }
    }

    /// `GS x …` at `i`; returns its length.
    mutating func groupSeparator(_ cmd: UInt8, _ b: [UInt8], _ i: Int) -> Int {
        func arg(_ k: Int) -> UInt8? { i + k < b.count ? b[i + k] : nil }
        switch cmd {
        case 0x21:  // GS ! n
            if let n = arg(2) {
                width = min(8, (n >> 4) + 1)
                height = min(8, (n & 0x0F) + 1)
            }
            return 3
        case 0x56:  // GS V m [n]
            guard let m = arg(2) else { return b.count - i }
            cut()
            return [65, 66, 97, 98, 103, 104].contains(m) ? 4 : 3
        case 0x28:  // GS ( fn pL pH …: every function is length-prefixed
            guard let fn = arg(2), let pL = arg(3), let pH = arg(4) else { return b.count - i }
            let length = Int(pL) + Int(pH) * 256
            let start = i + 5
            let end = min(b.count, start + length)
            if fn == 0x6B, end - start >= 2 { twoDimensionalCode(Array(b[start..<end])) }
            return end - i
        case 0x6B:  // GS k m …: barcode
            guard let m = arg(2) else { return b.count - i }
            if m <= 6 {  // data ends with NUL
                var j = i + 3
                while j < b.count, b[j] != 0 { j += 1 }
                marker("[barcode: \(GB18030.decode(b[(i + 3)..<j]))]")
                return min(b.count, j + 1) - i
            }
            let n = Int(arg(3) ?? 0)
            let end = min(b.count, i + 4 + n)
            marker("[barcode: \(GB18030.decode(b[min(end, i + 4)..<end]))]")
            return end - i
        case 0x76:  // GS v 0 m xL xH yL yH d…: raster image
            guard let xL = arg(4), let xH = arg(5), let yL = arg(6), let yH = arg(7) else {
                return b.count - i
            }
            let bytesWide = Int(xL) + Int(xH) * 256
            let high = Int(yL) + Int(yH) * 256
            marker("[image \(bytesWide * 8)x\(high)]")
            return min(b.count - i, 8 + bytesWide * high)
        case 0x42, 0x48, 0x68, 0x77, 0x66, 0x61, 0x62, 0x49, 0x72:
            return 3  // one-parameter settings: reverse, HRI, barcode height/width, font, ASB, …
        case 0x4C, 0x57: return 4  // GS L nL nH, GS W nL nH
        default:
            unknown(b, i, 2)
            return 2
        }
    }

    /// The body of `GS ( k` after pL pH: cn fn [params].
    mutating func twoDimensionalCode(_ body: [UInt8]) {
        let cn = body[0], fn = body[1]
        guard cn == 0x31 else {
            if fn == 0x51 { marker("[2D code]") }  // PDF417, MaxiCode…: print function
            return
        }
        switch fn {
        case 0x50: qrData = body.count > 3 ? Array(body[3...]) : []  // store: cn fn m d…
        case 0x51: marker("[QR: \(String(decoding: qrData, as: UTF8.self))]")
        default: break
        }
    }

    mutating func addText(_ byte: UInt8) {
        if let last = segments.last, last.width == width, last.height == height {
            segments[segments.count - 1].bytes.append(byte)
        } else {
            segments.append(Segment(width: width, height: height, bytes: [byte]))
        }
    }

    /// Prints the line buffer (an empty buffer prints a blank line, as LF does).
    mutating func flush() {
        var text = ""
        var physical = 0
        for s in segments {
            let t = GB18030.decode(s.bytes)
            if s.width != 1 || s.height != 1 { text += "[big \(s.width)x\(s.height)] " }
            text += t
            physical += TextColumns.width(of: t) * Int(s.width)
        }
        segments = []
        lines.append((pad(physical) + text).trimmingTrailingSpaces())
    }

    /// A line of its own for a graphic, aligned like text.
    mutating func marker(_ text: String) {
        if !segments.isEmpty { flush() }
        lines.append(pad(TextColumns.width(of: text)) + text)
    }

    mutating func cut() {
        if !segments.isEmpty { flush() }
        lines.append("--- cut ---")
    }

    mutating func unknown(_ b: [UInt8], _ i: Int, _ count: Int) {
        let hex = b[i..<min(b.count, i + count)].map { String($0, radix: 16, uppercase: true) }
            .map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
        addMarkerText("[? \(hex)]")
    }

    mutating func addMarkerText(_ s: String) {
        for byte in s.utf8 { addText(byte) }
    }

    func pad(_ physical: Int) -> String {
        let free = max(0, columns - physical)
        switch alignment {
        case .left: return ""
        case .center: return String(repeating: " ", count: free / 2)
        case .right: return String(repeating: " ", count: free)
        }
    }
}
