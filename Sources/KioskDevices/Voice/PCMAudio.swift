/// Sound as the voice device handles it (音频): signed 16-bit samples, interleaved when stereo.
///
/// One sample format for everything because that is what espeak-ng produces, what recorded
/// clips almost always are, and what every ALSA device accepts; only the rate and the channel
/// count vary, and `converted(to:)` evens those out before clips are chained.
public struct PCMAudio: Sendable, Equatable {
    public struct Format: Sendable, Equatable, CustomStringConvertible {
        public var sampleRate: Int
        /// 1 (mono) or 2 (stereo).
        public var channels: Int

        public init(sampleRate: Int, channels: Int) {
            self.sampleRate = sampleRate
            self.channels = channels
        }

        public var description: String { "\(sampleRate) Hz \(channels == 1 ? "mono" : "stereo") 16-bit" }
    }

    public var format: Format
    /// Interleaved samples: `frames * channels` of them.
    public var samples: [Int16]

    public init(format: Format, samples: [Int16] = []) {
        self.format = format
        self.samples = samples
    }

    public var frameCount: Int { samples.count / format.channels }

    public var seconds: Double { Double(frameCount) / Double(format.sampleRate) }

    /// `milliseconds` of silence.
    public static func silence(milliseconds: Int, format: Format) -> PCMAudio {
        let frames = format.sampleRate * milliseconds / 1000
        return PCMAudio(format: format, samples: Array(repeating: 0, count: frames * format.channels))
    }

    /// Appends `other`, which must already have this format.
    public mutating func append(_ other: PCMAudio) {
        precondition(other.format == format, "append \(other.format) to \(format): convert first")
        samples += other.samples
    }

    /// The same sound in `target`'s rate and channel count: stereo is mixed down by averaging,
    /// mono is copied to both sides, and the rate is changed by linear interpolation (good
    /// enough for speech and a chime; a hall wanting better converts its clips beforehand).
    public func converted(to target: Format) -> PCMAudio {
        if target == format { return self }
        // Channels first, at the source rate.
        var mono: [Int16]
        if format.channels == 2 {
            mono = (0..<frameCount).map { i in
                Int16((Int(samples[2 * i]) + Int(samples[2 * i + 1])) / 2)
            }
        } else {
            mono = samples
        }
        if target.sampleRate != format.sampleRate, !mono.isEmpty {
            let outFrames = Int((Int64(mono.count) * Int64(target.sampleRate)) / Int64(format.sampleRate))
            let step = Double(format.sampleRate) / Double(target.sampleRate)
            mono = (0..<outFrames).map { i in
                let position = Double(i) * step
                let left = min(Int(position), mono.count - 1)
                let right = min(left + 1, mono.count - 1)
                let fraction = position - Double(left)
                let value = Double(mono[left]) * (1 - fraction) + Double(mono[right]) * fraction
                return Int16(value.rounded())
            }
        }
        let out = target.channels == 2 ? mono.flatMap { [$0, $0] } : mono
        return PCMAudio(format: target, samples: out)
    }
}
