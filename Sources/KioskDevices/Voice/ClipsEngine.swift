import Foundation

/// Engine `clips`: recorded WAV clips (录音片段) chained word by word, as most halls announce.
///
/// The folder holds one `NAME.wav` per word: 零…九 (digits), A…Z, 请, 号, 到, 窗口, 办理, 十 (for
/// window numbers like 十二), and optionally a whole window name (三号窗口.wav), which is used
/// when a window's voice name matches it exactly. Clips may differ in rate or channels; all are
/// converted to the format of 零.wav, so one announcement is one stream. Clips are read from
/// disk at each announcement (a few KB each, in the page cache), so a technician replacing a
/// clip or adding a missing one is heard at the next call without a restart.
public struct ClipsEngine: VoiceEngine {
    /// Words every announcement of the default template can need.
    public static let requiredClips: [String] =
        SpokenNumber.digitWords + (UnicodeScalar("A").value...UnicodeScalar("Z").value).map { String(UnicodeScalar($0)!) }
        + ["请", "号", "到", "窗口", "办理"]

    /// The clip whose format all others are converted to.
    static let referenceClip = "零"

    public let folder: String

    public init(folder: String) { self.folder = folder }

    public func check() throws(VoiceError) -> PCMAudio.Format {
        let format = try referenceFormat()
        for name in Self.requiredClips { _ = try clip(name, format: format) }
        return format
    }

    public func render(_ text: AnnouncementText) throws(VoiceError) -> PCMAudio {
        let format = try referenceFormat()
        let names = try clipNames()
        var out = PCMAudio(format: format)
        for word in Self.words(of: text, available: names) {
            out.append(try clip(word, format: format))
        }
        return out
    }

    /// The clip names `text` is said with, given the clips there are: the number's words as
    /// they are; a window's voice name as one clip when there is one, else like free text; free
    /// text by longest clip name first (窗口 before 窗), a letter or digit each on its own. A
    /// character no clip starts with is returned alone, so the missing clip it causes names it.
    public static func words(of text: AnnouncementText, available: Set<String>) -> [String] {
        var words: [String] = []
        for part in text.parts {
            switch part {
            case .number(_, let spoken):
                words += spoken
            case .window(let name):
                words += available.contains(name) ? [name] : segment(name, available: available, numbersAsNames: true)
            case .words(let text):
                words += segment(text, available: available, numbersAsNames: false)
            }
        }
        return words
    }

    private static func segment(_ text: String, available: Set<String>, numbersAsNames: Bool) -> [String] {
        let characters = Array(text)
        let longest = available.map(\.count).max() ?? 1
        var words: [String] = []
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace || (c.isPunctuation && !available.contains(String(c))) {
                i += 1
                continue
            }
            if SpokenNumber.asciiDigit(c) != nil {
                var end = i
                while end < characters.count, SpokenNumber.asciiDigit(characters[end]) != nil { end += 1 }
                let digits = String(characters[i..<end])
                words += numbersAsNames ? SpokenNumber.cardinalWords(digits) : SpokenNumber.ticketWords(digits)
                i = end
                continue
            }
            if c.isASCII, c.isLetter {
                words.append(c.uppercased())
                i += 1
                continue
            }
            var length = min(longest, characters.count - i)
            while length > 1, !available.contains(String(characters[i..<(i + length)])) { length -= 1 }
            words.append(String(characters[i..<(i + length)]))
            i += length
        }
        return words
    }

    // MARK: Files

    private func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name + ".wav") }

    private func referenceFormat() throws(VoiceError) -> PCMAudio.Format {
        try load(Self.referenceClip).format
    }

    private func clip(_ name: String, format: PCMAudio.Format) throws(VoiceError) -> PCMAudio {
        try load(name).converted(to: format)
    }

    private func load(_ name: String) throws(VoiceError) -> PCMAudio {
        let file = path(name)
        guard FileManager.default.fileExists(atPath: file) else { throw .missingClip(name: name, folder: folder) }
        do {
            return try WAVFile.read(path: file)
        } catch {
            throw .brokenWAV(error.message)
        }
    }

    /// The names of the clips in the folder (file names without `.wav`).
    private func clipNames() throws(VoiceError) -> Set<String> {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw .missingClip(name: Self.referenceClip, folder: folder)
        }
        return Set(entries.filter { $0.hasSuffix(".wav") }.map { String($0.dropLast(4)) })
    }
}
