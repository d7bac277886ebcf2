extension Duration {
    /// Seconds as a Double: for timeouts handed to C APIs, leases, and messages.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
