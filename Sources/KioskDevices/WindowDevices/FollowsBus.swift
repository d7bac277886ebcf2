import KioskCore

/// A bus device's state, whose health starts from its bus's.
protocol FollowsBus: Sendable {
    var bus: RS485Bus.State { get set }
}

extension RS485Bus {
    /// Keeps the bus state in `box` (and its last error) in step with this bus.
    func follow<S: FollowsBus>(into box: DeviceStateBox<S>, assess: @escaping @Sendable (S) -> (DeviceHealth.State, String)) {
        observe { state in
            box.mutate(assess: assess) { s, note in
                s.bus = state
                if case .absent(let why) = state { note.record(why) }
                if case .fault(let why) = state { note.record(why) }
            }
        }
    }
}
