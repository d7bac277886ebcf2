import Foundation
import KioskCore
import KioskDevices
import KioskProtocol
import Logging
import ServiceLifecycle

/// Caller keypads (呼叫器) and evaluators (评价器) drive their window through the same rules as the
/// socket's `queue.*`, `window.*` and `evaluation.submit` (role counter, the entry's window): each
/// device's presses are handled one at a time in order, and the outcome goes back to its display
/// (`A012 等候5人`, or why the step was refused). The device layer has already acknowledged each
/// frame and dropped the repeats of a press whose acknowledgement was lost.
final class WindowKeyDesk: Service, Sendable {
    let keys: [any WindowKeys]
    let hall: HallService
    let logger: Logger

    init(keys: [any WindowKeys], hall: HallService, logger: Logger) {
        self.keys = keys
        self.hall = hall
        self.logger = logger
    }

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            var sinks: [AsyncStream<WindowKeyPress>.Continuation] = []
            for device in keys {
                let (presses, sink) = AsyncStream<WindowKeyPress>.makeStream()
                sinks.append(sink)
                device.onPress { sink.yield($0) }
                group.addTask {
                    for await press in presses {
                        let text = await self.handle(press, at: device.window, from: device)
                        do { try await device.display(text) } catch {
                            self.logger.debug("\(device.id): could not show \"\(text)\": \(error)")
                        }
                    }
                }
            }
            try? await gracefulShutdown()
            sinks.forEach { $0.finish() }
            await group.waitForAll()
        }
    }

    /// Does what `press` asks at `window`; returns the text for the device's display.
    func handle(_ press: WindowKeyPress, at window: String, from device: any WindowKeys) async -> String {
        let profile = device.profile
        do {
            let number: String
            switch press.action {
            case .callNext:
                guard let ticket = try await hall.call(window: window, ticket: nil) else { return "无人等候" }
                number = ticket.number
            case .recall: number = try await hall.step(.recall, window: window, ticket: nil).number
            case .start: number = try await hall.step(.start, window: window, ticket: nil).number
            case .finish: number = try await hall.step(.finish, window: window, ticket: nil).number
            case .noShow: number = try await hall.step(.noShow, window: window, ticket: nil).number
            case .pause:
                _ = try await hall.setWindow(window, .pause)
                return "暂停服务"
            case .resume:
                guard let w = try await hall.windows().first(where: { $0.id == window }), w.status == "paused" else {
                    throw KioskError(.invalidState, "窗口未暂停")
                }
                _ = try await hall.setWindow(window, .open(staff: w.staff ?? ""))
                return "恢复服务"
            case .evaluation:
                let view = try await hall.evaluateLast(window: window, score: press.score ?? 0)
                logger.info("window \(window): \(view.number) rated \(view.score) (\(view.label)) on \(device.id)")
                return profile.evaluatorThanks
            }
            let waiting = try await hall.windows().first { $0.id == window }?.waiting ?? 0
            logger.info("window \(window): \(press.action.rawValue) \(number) from \(device.id)")
            return profile.keypadDone.replacingOccurrences(of: "{number}", with: number)
                .replacingOccurrences(of: "{waiting}", with: String(waiting))
        } catch {
            let reason = Self.shortReason(error)
            logger.notice("window \(window): \(press.action.rawValue) from \(device.id) refused: \(error)")
            if press.action == .evaluation, (error as? KioskError)?.reason == .notFound { return profile.evaluatorNothing }
            let template = press.action == .evaluation ? profile.evaluatorRefused : profile.keypadRefused
            return template.replacingOccurrences(of: "{reason}", with: reason)
        }
    }

    /// A few characters a keypad's display can hold, for the usual refusals.
    static func shortReason(_ error: any Error) -> String {
        guard let e = error as? KioskError else { return "操作失败" }
        switch e.reason {
        case .closed: return "窗口未开放"
        case .conflict: return "已评价"
        case .notFound: return "无可操作号码"
        case .invalidState: return e.message.count <= 8 ? e.message : "当前不能操作"
        default: return "操作失败"
        }
    }
}
