/// Bytes written the way protocol documents write them: "AA AA AA 96 69 00 03 11 FF ED".
public func hex(_ text: String) -> [UInt8] {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0, radix: 16)! }
}

/// The SAM checksum, computed here independently of the code under test: XOR of every byte
/// after the 5-byte preamble.
public func samXOR(_ frameWithoutChecksum: [UInt8]) -> UInt8 {
    var x: UInt8 = 0
    for b in frameWithoutChecksum.dropFirst(5) { x ^= b }
    return x
}

/// The SAM frames of the fixtures, each checksum worked out by hand in its comment
/// (XOR of LEN1 LEN2 and the body).
public enum SAMFixture {
    // Requests (CMD PARA).
    /// 00^03=03, ^10=13, ^FF=EC
    public static let reset = hex("AA AA AA 96 69 00 03 10 FF EC")
    /// 00^03=03, ^11=12, ^FF=ED
    public static let samStatus = hex("AA AA AA 96 69 00 03 11 FF ED")
    /// 00^03=03, ^12=11, ^FF=EE
    public static let samID = hex("AA AA AA 96 69 00 03 12 FF EE")
    /// 00^03=03, ^20=23, ^01=22
    public static let findCard = hex("AA AA AA 96 69 00 03 20 01 22")
    /// 00^03=03, ^20=23, ^02=21
    public static let selectCard = hex("AA AA AA 96 69 00 03 20 02 21")
    /// 00^03=03, ^30=33, ^01=32
    public static let readBaseInfo = hex("AA AA AA 96 69 00 03 30 01 32")

    // Answers (SW1 SW2 SW3 [data]).
    /// 00^04=04, ^90=94
    public static let ok = hex("AA AA AA 96 69 00 04 00 00 90 94")
    /// 00^08=08, ^9F=97 (four zero bytes of data change nothing)
    public static let cardFound = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    /// 00^04=04, ^80=84
    public static let noCard = hex("AA AA AA 96 69 00 04 00 00 80 84")
    /// 00^0C=0C, ^90=9C (eight zero bytes)
    public static let selected = hex("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C")
    /// 04^81=85
    public static let selectFailed = hex("AA AA AA 96 69 00 04 00 00 81 85")
    /// 04^41=45
    public static let readFailed = hex("AA AA AA 96 69 00 04 00 00 41 45")
    /// 04^60=64: SAM自检失败
    public static let selfTestFailed = hex("AA AA AA 96 69 00 04 00 00 60 64")
    /// 04^42=46: a status no table lists
    public static let unknown42 = hex("AA AA AA 96 69 00 04 00 00 42 46")
    /// 04^21=25: command error
    public static let commandError = hex("AA AA AA 96 69 00 04 00 00 21 25")
    /// `ok` with its checksum broken (94 → 95)
    public static let okBadChecksum = hex("AA AA AA 96 69 00 04 00 00 90 95")
    /// `noCard` with its checksum broken (84 → 00)
    public static let noCardBadChecksum = hex("AA AA AA 96 69 00 04 00 00 80 00")
    /// SAM ID 05.01-20101111-0049052391-1262258713: data 05 00 | 01 00 | 20101111 = 0132B7F7 LE
    /// | 49052391 = 02EC7AE7 LE | 1262258713 = 4B3C8A19 LE. LEN 0x14 (3+16+1).
    /// XOR: 14^90=84 ^05=81 ^01=80 ^F7=77 ^B7=C0 ^32=F2 ^01=F3 ^E7=14 ^7A=6E ^EC=82 ^02=80
    /// ^19=99 ^8A=13 ^3C=2F ^4B=64
    public static let samIDAnswer = hex("AA AA AA 96 69 00 14 00 00 90 05 00 01 00 F7 B7 32 01 E7 7A EC 02 19 8A 3C 4B 64")

    /// A 读卡 answer: LEN 05 08 (3 + 4 + 256 + 1024 + 1 = 1288), status 00 00 90, text length
    /// 01 00, photo length 04 00, the text, a 1,024-byte stand-in WLT photo, and the XOR.
    public static func readAnswer(text: [UInt8], photoByte: UInt8 = 0x57) -> [UInt8] {
        precondition(text.count == 256)
        var f = hex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00") + text
        f += [UInt8](repeating: photoByte, count: 1024)
        f.append(samXOR(f))
        return f
    }
}
