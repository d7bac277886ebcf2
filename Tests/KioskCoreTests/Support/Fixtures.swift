import Foundation
import Testing

@testable import KioskCore

// Shared helpers for the KioskCore specification tests. They build values the way the tests
// describe them, independently of the code under test (dates from UTC arithmetic, ID check
// digits from the ISO 7064 definition).

/// Asia/Shanghai is UTC+8 all year (no DST since 1991): local wall time is UTC + 8 h.
let shanghai = TimeZone(identifier: "Asia/Shanghai")!

/// An instant given by its Asia/Shanghai wall-clock time, computed from UTC by hand.
func local(
    _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0
) -> Date {
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    let wall = utc.date(from: DateComponents(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    return wall.addingTimeInterval(-8 * 3600)
}

let day0 = HallDay("2026-11-21")
let t0 = local(2026, 11, 21, 9, 0)

/// A ticket with sensible defaults; `id` and `orderKey` default to `sequence`.
func ticket(
    _ sequence: Int, id: Int64? = nil, category: String = "A", state: Ticket.State = .waiting,
    priority: Ticket.Priority = .normal, orderKey: Int64? = nil, front: Bool = false,
    assignedWindow: String? = nil, issuedAt: Date = t0
) -> Ticket {
    Ticket(
        id: id ?? Int64(sequence), day: day0, category: category, sequence: sequence,
        number: TicketNumber.format(prefix: category, sequence: sequence), state: state,
        priority: priority, issuedAt: issuedAt, orderKey: orderKey ?? Int64(sequence), front: front,
        assignedWindow: assignedWindow)
}

/// Asserts that `body` throws a `KioskError` with `reason`.
@discardableResult
func expectRefusal(
    _ reason: KioskError.Reason, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> KioskError? {
    let error = #expect(throws: KioskError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.reason == reason, sourceLocation: sourceLocation)
    return error
}

/// SplitMix64: a tiny seeded generator, so random tests are reproducible.
struct SeededRNG: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    mutating func unit() -> Double { Double((next() >> 11) + 1) * 0x1p-53 }
    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double { -Foundation.log(unit()) * mean }
}

/// The ISO 7064 MOD 11-2 check character, from the standard's definition rather than a weight
/// table: the 18 characters a₁…a₁₈ (X = 10) satisfy Σ aᵢ·2^(18−i) ≡ 1 (mod 11).
func iso7064CheckCharacter(_ first17: String) -> Character {
    precondition(first17.count == 17 && first17.allSatisfy(\.isASCII) && first17.allSatisfy(\.isNumber))
    var sum = 0
    var weight = 1  // 2^0 for a₁₈, then doubling leftwards
    var weights: [Int] = []
    for _ in 0..<17 {
        weight = weight * 2 % 11
        weights.append(weight)
    }
    for (char, w) in zip(first17.reversed(), weights) { sum += char.wholeNumberValue! * w }
    let value = (0...10).first { (sum + $0) % 11 == 1 }!
    return value == 10 ? "X" : Character(String(value))
}

/// A valid 18-character ID number for `region` (6 digits), `birth` (YYYYMMDD) and `serial` (3 digits).
func idNumber(region: String = "500107", birth: String, serial: String = "123") -> String {
    let first17 = region + birth + serial
    return first17 + String(iso7064CheckCharacter(first17))
}
