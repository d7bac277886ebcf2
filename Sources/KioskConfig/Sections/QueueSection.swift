import KioskCore

/// `[queue]`: the knobs of the queue rules. Optional; unset keys keep `QueueSettings`' defaults.
extension QueueSettings {
    static let configKeys: Set<String> = [
        "green_channel_age", "priority_burst", "max_recalls", "requeue_limit", "alert_wait_seconds",
        "default_service_seconds", "evaluation_window_seconds",
    ]

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        self.init()
        if let value = try table.int("green_channel_age", atLeast: 1) { greenChannelAge = value }
        // At least one priority call per turn, or the green channel would never be served first.
        if let value = try table.int("priority_burst", atLeast: 1) { priorityBurst = value }
        if let value = try table.int("max_recalls", atLeast: 0) { maxRecalls = value }
        if let value = try table.int("requeue_limit", atLeast: 0) { requeueLimit = value }
        if let value = try table.int("alert_wait_seconds", atLeast: 1) { alertWaitSeconds = value }
        if let value = try table.int("evaluation_window_seconds", atLeast: 1) { evaluationWindowSeconds = value }
        if let value = try table.int("default_service_seconds", atLeast: 1) { defaultServiceSeconds = value }
    }
}
