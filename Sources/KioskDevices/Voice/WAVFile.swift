import Foundation

/// Reading and writing WAV files (RIFF, PCM 16-bit, mono or stereo, any rate): the clip format
/// of every hall's recordings and what `/screens/{id}/announcements/{seq}.wav` serves.
///
/// Why our own parser: it is 100 lines, and a clip a technician replaced with an MP3 renamed
/// `.wav`, an 8-bit recording or a truncated copy must become a `fault` that says so, never a
/// crash or noise in the hall.
public enum WAVFile {
    /// Why a WAV could not be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// The sound in a WAV file's bytes.
    public static func decode(_ bytes: [UInt8]) throws(Problem) -> PCMAudio {
        guard bytes.count >= 12 else { throw Problem("too short for a WAV file (\(bytes.count) bytes)") }
        guard tag(bytes, 0) == "RIFF", tag(bytes, 8) == "WAVE" else { throw Problem("not a RIFF/WAVE file") }
        var offset = 12
        var format: PCMAudio.Format?
        while offset + 8 <= bytes.count {
            let id = tag(bytes, offset)
            let declared = Int(le32(bytes, offset + 4))
            let body = offset + 8
            if id == "fmt " {
                guard declared >= 16, body + 16 <= bytes.count else { throw Problem("fmt chunk is truncated") }
                format = try readFormat(bytes, at: body, size: declared)
            } else if id == "data" {
                guard let format else { throw Problem("data chunk before the fmt chunk") }
                // A writer that streamed the file may leave the size at its maximum.
                let available = bytes.count - body
                let size = declared == 0xFFFF_FFFF ? available - available % (2 * format.channels) : declared
                guard size <= available else {
                    throw Problem("data chunk is truncated: \(size) bytes declared, \(available) present")
                }
                guard size % (2 * format.channels) == 0 else {
                    throw Problem("data chunk of \(size) bytes is not whole \(format.channels)-channel 16-bit frames")
                }
                var samples = [Int16](repeating: 0, count: size / 2)
                for i in 0..<samples.count {
                    samples[i] = Int16(bitPattern: UInt16(bytes[body + 2 * i]) | UInt16(bytes[body + 2 * i + 1]) << 8)
                }
                return PCMAudio(format: format, samples: samples)
            }
            guard declared <= bytes.count - body else { throw Problem("\(id.debugDescription) chunk is truncated") }
            offset = body + declared + declared % 2  // chunks are padded to an even size
        }
        throw Problem(format == nil ? "no fmt chunk" : "no data chunk")
    }

    /// The file at `path`; a missing or unreadable file is a `Problem` too.
    public static func read(path: String) throws(Problem) -> PCMAudio {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem("cannot read \(path)") }
        do {
            return try decode([UInt8](data))
        } catch {
            throw Problem("\(path): \(error.message)")
        }
    }

    /// A canonical 44-byte-header WAV of `audio`.
    public static func encode(_ audio: PCMAudio) -> [UInt8] {
        let dataSize = audio.samples.count * 2
        let blockAlign = audio.format.channels * 2
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataSize)
        out += Array("RIFF".utf8)
        appendLE32(&out, UInt32(36 + dataSize))
        out += Array("WAVEfmt ".utf8)
        appendLE32(&out, 16)
        appendLE16(&out, 1)  // PCM
        appendLE16(&out, UInt16(audio.format.channels))
        appendLE32(&out, UInt32(audio.format.sampleRate))
        appendLE32(&out, UInt32(audio.format.sampleRate * blockAlign))
        appendLE16(&out, UInt16(blockAlign))
        appendLE16(&out, 16)
        out += Array("data".utf8)
        appendLE32(&out, UInt32(dataSize))
        for sample in audio.samples { appendLE16(&out, UInt16(bitPattern: sample)) }
        return out
    }

    /// The raw little-endian sample bytes, as ALSA's `file` plugin writes them.
    public static func rawBytes(_ audio: PCMAudio) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(audio.samples.count * 2)
        for sample in audio.samples { appendLE16(&out, UInt16(bitPattern: sample)) }
        return out
    }

    private static func readFormat(_ bytes: [UInt8], at offset: Int, size: Int) throws(Problem) -> PCMAudio.Format {
        var code = le16(bytes, offset)
        let channels = Int(le16(bytes, offset + 2))
        let rate = Int(le32(bytes, offset + 4))
        let bits = Int(le16(bytes, offset + 14))
        // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
        if code == 0xFFFE, size >= 40, offset + 26 <= bytes.count { code = le16(bytes, offset + 24) }
        guard code == 1 else { throw Problem("not PCM (format code \(code)); convert it to 16-bit PCM") }
        guard bits == 16 else { throw Problem("\(bits)-bit samples; 16-bit PCM is required") }
        guard channels == 1 || channels == 2 else { throw Problem("\(channels) channels; mono or stereo is required") }
        guard (1_000...384_000).contains(rate) else { throw Problem("sample rate \(rate) Hz is not plausible") }
        return PCMAudio.Format(sampleRate: rate, channels: channels)
    }

    private static func tag(_ b: [UInt8], _ at: Int) -> String {
        String(decoding: b[at..<min(at + 4, b.count)], as: UTF8.self)
    }
    private static func le16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    private static func le32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(le16(b, at)) | UInt32(le16(b, at + 2)) << 16
    }
    private static func appendLE16(_ out: inout [UInt8], _ v: UInt16) {
        out.append(UInt8(v & 0xFF))
        out.append(UInt8(v >> 8))
    }
    private static func appendLE32(_ out: inout [UInt8], _ v: UInt32) {
        appendLE16(&out, UInt16(v & 0xFFFF))
        appendLE16(&out, UInt16(v >> 16))
    }
}
