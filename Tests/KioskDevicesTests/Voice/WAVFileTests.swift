import Testing

@testable import KioskDevices

/// The WAV reader on good and broken files, and format conversion.
@Suite struct WAVFileTests {
    static let stereo = PCMAudio(format: .init(sampleRate: 44_100, channels: 2), samples: [1, -1, 300, 100, 32767, 32767])

    @Test func encodedWAVDecodesToTheSameSound() throws {
        let bytes = WAVFile.encode(Self.stereo)
        #expect(bytes.count == 44 + 12)
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8))
        #expect(try WAVFile.decode(bytes) == Self.stereo)
    }

    @Test func extraChunksAndOddPaddingAreSkipped() throws {
        var bytes = WAVFile.encode(PCMAudio(format: .init(sampleRate: 8000, channels: 1), samples: [5, 6]))
        // Insert a 3-byte "LIST" chunk (padded to 4) between fmt and data.
        let list: [UInt8] = Array("LIST".utf8) + [3, 0, 0, 0, 1, 2, 3, 0]
        bytes.insert(contentsOf: list, at: 36)
        let audio = try WAVFile.decode(bytes)
        #expect(audio.samples == [5, 6])
    }

    @Test(arguments: [
        ([UInt8](), "too short for a WAV file (0 bytes)"),
        (Array("ID3\u{3}abcdefghijkl".utf8), "not a RIFF/WAVE file"),
    ])
    func garbageIsRefused(bytes: [UInt8], message: String) {
        #expect(throws: WAVFile.Problem(message)) { try WAVFile.decode(bytes) }
    }

    @Test func truncatedDataIsRefused() {
        let bytes = WAVFile.encode(Self.stereo)
        #expect(throws: WAVFile.Problem("data chunk is truncated: 12 bytes declared, 8 present")) {
            try WAVFile.decode(Array(bytes.dropLast(4)))
        }
    }

    @Test func eightBitAndCompressedAreRefused() {
        var eightBit = WAVFile.encode(Self.stereo)
        eightBit[34] = 8
        #expect(throws: WAVFile.Problem("8-bit samples; 16-bit PCM is required")) { try WAVFile.decode(eightBit) }
        var mp3 = WAVFile.encode(Self.stereo)
        mp3[20] = 0x55
        #expect(throws: WAVFile.Problem("not PCM (format code 85); convert it to 16-bit PCM")) { try WAVFile.decode(mp3) }
    }

    @Test func missingChunksAreNamed() {
        let header = Array(WAVFile.encode(Self.stereo)[0..<36])
        #expect(throws: WAVFile.Problem("no data chunk")) { try WAVFile.decode(header) }
        let noFormat = Array(header[0..<12]) + Array("data".utf8) + [0, 0, 0, 0]
        #expect(throws: WAVFile.Problem("data chunk before the fmt chunk")) { try WAVFile.decode(noFormat) }
    }

    @Test func aMissingFileIsAProblemNamingIt() {
        #expect(throws: WAVFile.Problem("cannot read /nonexistent/x.wav")) { try WAVFile.read(path: "/nonexistent/x.wav") }
    }

    @Test func stereoIsMixedDownAndRatesAreConverted() {
        let mono = Self.stereo.converted(to: .init(sampleRate: 44_100, channels: 1))
        #expect(mono.samples == [0, 200, 32767])
        let up = PCMAudio(format: .init(sampleRate: 8000, channels: 1), samples: [0, 100, 200, 300])
            .converted(to: .init(sampleRate: 16_000, channels: 2))
        #expect(up.format == .init(sampleRate: 16_000, channels: 2))
        #expect(up.samples == [0, 0, 50, 50, 100, 100, 150, 150, 200, 200, 250, 250, 300, 300, 300, 300])
    }
}
