import KioskCore

/// A bus device's state, whose health starts from its bus's.
protocol FollowsBus: Sendable {
    var bus: RS485Bus.State { get set }
    /// What else the device forgets when its bus changes (default: nothing).
    mutating func busChanged()
}

extension FollowsBus {
    mutating func busChanged() {}
}

extension RS485Bus {
    /// A device's state box, `absent` until the bus opens, kept in step with this bus (its state,
    /// its last error, and the device's own `busChanged`) by one observer.
    func deviceBox<S: FollowsBus>(_ initial: S, clock: any HallClock, assess: @escaping @Sendable (S) -> (DeviceHealth.State, String))
        -> DeviceStateBox<S> {
        let box = DeviceStateBox(initial, health: DeviceHealth(state: .absent, reason: "not opened yet", since: clock.now()), clock: clock)
        observe { state in
            box.mutate(assess: assess) { s, note in
                s.bus = state
                s.busChanged()
                if case .absent(let why) = state { note.record(why) }
                if case .fault(let why) = state { note.record(why) }
            }
        }
        return box
    }
}
