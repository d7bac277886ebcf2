/// The character set a printer model reads text in.
///
/// Why a choice: nearly every Chinese thermal printer expects GB 18030 (and needs `FS &` to
/// treat two-byte sequences as one glyph), but some newer models are set to UTF-8 at the
/// factory and print GB 18030 as mojibake. The printer profile says which.
public enum ESCPOSTextEncoding: String, Sendable, Equatable, CaseIterable, Codable {
    case gb18030
    case utf8 = "utf-8"

    /// The bytes of `text` in this encoding.
    public func encode(_ text: String) -> [UInt8] {
        switch self {
        case .gb18030: GB18030.encode(text)
        case .utf8: Array(text.utf8)
        }
    }
}
