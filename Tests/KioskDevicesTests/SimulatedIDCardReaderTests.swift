import Foundation
import KioskCore
import Testing

@testable import KioskDevices

@Suite struct SimulatedIDCardReaderTests {
    @Test func timesOutWhenNoCardIsPresented() async {
        let reader = SimulatedIDCardReader(id: "idreader0")
        let started = ContinuousClock.now
        await #expect(throws: DeviceError.timeout(id: "idreader0", seconds: 0.05)) {
            try await reader.readCard(timeout: .milliseconds(50))
        }
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test func returnsACardPresentedBeforeTheRead() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        try reader.present(card: Fixtures.card())
        let card = try await reader.readCard(timeout: .seconds(1))
        #expect(card == Fixtures.card())
    }

    @Test func returnsTheCardOncePresentedWhileWaiting() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        let read = Task { try await reader.readCard(timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(30))
        try reader.present(card: Fixtures.card())
        #expect(try await read.value == Fixtures.card())
    }

    @Test func eachPlacementIsReadOnce() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        try reader.present(card: Fixtures.card())
        _ = try await reader.readCard(timeout: .seconds(1))
        #expect(await reader.status().cardPresent)
        await #expect(throws: DeviceError.timeout(id: "idreader0", seconds: 0.03)) {
            try await reader.readCard(timeout: .milliseconds(30))
        }
        reader.remove()
        #expect(await !reader.status().cardPresent)
        try reader.present(card: Fixtures.card(name: "李四"))
        #expect(try await reader.readCard(timeout: .seconds(1)).name == "李四")
    }

    @Test func aCancelledReadEndsWithCancelled() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        let read = Task { () -> DeviceError? in
            do throws(DeviceError) {
                _ = try await reader.readCard(timeout: .seconds(10))
                return nil
            } catch { return error }
        }
        try await Task.sleep(for: .milliseconds(20))
        read.cancel()
        #expect(await read.value == .cancelled(id: "idreader0"))
        // The cancelled wait does not swallow the next placement.
        try reader.present(card: Fixtures.card())
        #expect(try await reader.readCard(timeout: .seconds(1)) == Fixtures.card())
    }

    @Test func unpluggingFailsWaitsAndMakesTheReaderAbsent() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        let read = Task { try await reader.readCard(timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(20))
        reader.setConnected(false)
        await #expect(throws: DeviceError.unavailable(id: "idreader0", reason: "disconnected")) {
            try await read.value
        }
        #expect(reader.health.state == .absent)
        #expect(throws: DeviceError.unavailable(id: "idreader0", reason: "disconnected")) {
            try reader.present(card: Fixtures.card())
        }
        await #expect(throws: DeviceError.unavailable(id: "idreader0", reason: "disconnected")) {
            try await reader.readCard(timeout: .seconds(1))
        }
        reader.setConnected(true)
        #expect(reader.health.state == .ok)
    }

    @Test func twoWaitersGetTwoPlacementsInOrder() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        let first = Task { try await reader.readCard(timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(20))
        let second = Task { try await reader.readCard(timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(20))
        try reader.present(card: Fixtures.card(name: "张三"))
        try reader.present(card: Fixtures.card(name: "李四"))
        #expect(try await first.value.name == "张三")
        #expect(try await second.value.name == "李四")
    }
}

@Suite struct SimulatedIDCardReaderEdgeTests {
    @Test func aZeroTimeoutStillReturnsACardAlreadyPresented() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        try reader.present(card: Fixtures.card())
        #expect(try await reader.readCard(timeout: .zero) == Fixtures.card())
        await #expect(throws: DeviceError.timeout(id: "idreader0", seconds: 0)) {
            try await reader.readCard(timeout: .zero)
        }
    }

    @Test func presentingAgainReplacesTheCardOnTheReader() async throws {
        let reader = SimulatedIDCardReader(id: "idreader0")
        try reader.present(card: Fixtures.card(name: "张三"))
        try reader.present(card: Fixtures.card(name: "李四"))
        #expect(try await reader.readCard(timeout: .seconds(1)).name == "李四")
    }

    @Test func healthChangesOncePerPlugOrUnplug() {
        let reader = SimulatedIDCardReader(id: "idreader0")
        let recorder = HealthRecorder()
        reader.observeHealth { recorder.record($0) }
        reader.setConnected(false)
        reader.setConnected(false)
        reader.setConnected(true)
        try? reader.present(card: Fixtures.card())
        reader.remove()
        #expect(recorder.states == [.absent, .ok])
    }
}
