/// Params with documented bounds check them when they are decoded: a value outside its limit is
/// refused with `invalid_params` naming the limit — never cut or clamped silently, so what is
/// stored is always what was sent.
public protocol BoundedParams {
    func checkLimits() throws
}

/// The limits `docs/protocol.md` documents, in one place.
public enum ParamLimit {
    /// Names of people and clients (`staff`, `client`, `operator.name`…) and short codes.
    public static let name = 64
    /// Free-text reasons (`queue.cancel`, `cert.void`, `cert.reprint`).
    public static let reason = 200
    /// An evaluation's comment.
    public static let comment = 500
    /// Rows in one `cert.list` or `audit.tail` answer.
    public static let rows = 1...1_000

    /// `nil` passes; otherwise at most `max` characters (and at least one when `required`).
    public static func text(_ value: String?, _ key: String, max: Int, required: Bool = false) throws {
        guard let value else { return }
        if required, value.allSatisfy(\.isWhitespace) { throw RPCError.invalidParams("params.\(key) is required") }
        guard value.count <= max else {
            throw RPCError.invalidParams("params.\(key) is limited to \(max) characters (got \(value.count))")
        }
    }

    public static func range(_ value: Int?, _ key: String, _ range: ClosedRange<Int>) throws {
        guard let value else { return }
        guard range.contains(value) else {
            throw RPCError.invalidParams("params.\(key) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
    }
}

extension HelloParams: BoundedParams {
    public func checkLimits() throws { try ParamLimit.text(client, "client", max: ParamLimit.name) }
}

extension WindowParams: BoundedParams {
    public func checkLimits() throws { try ParamLimit.text(staff, "staff", max: ParamLimit.name) }
}

extension TicketParams: BoundedParams {
    public func checkLimits() throws { try ParamLimit.text(reason, "reason", max: ParamLimit.reason) }
}

extension EvaluationParams: BoundedParams {
    public func checkLimits() throws {
        try ParamLimit.text(comment, "comment", max: ParamLimit.comment)
        try ParamLimit.text(caseNumber, "caseNumber", max: ParamLimit.name)
    }
}

extension AppointmentBookParams: BoundedParams {
    public func checkLimits() throws { try ParamLimit.text(code, "code", max: ParamLimit.name, required: true) }
}

extension IDCardReadParams: BoundedParams {
    public func checkLimits() throws {
        if let t = timeoutSeconds, !(t > 0 && t <= 300) {
            throw RPCError.invalidParams("params.timeoutSeconds must be more than 0 and at most 300 (got \(t))")
        }
    }
}

extension PersonParams {
    func checkLimits(_ key: String) throws {
        try ParamLimit.text(id, "\(key).id", max: ParamLimit.name, required: true)
        try ParamLimit.text(name, "\(key).name", max: ParamLimit.name, required: true)
    }
}

extension CertListParams: BoundedParams {
    public func checkLimits() throws { try ParamLimit.range(limit, "limit", ParamLimit.rows) }
}

extension AuditTailParams: BoundedParams {
    public func checkLimits() throws { try ParamLimit.range(n, "n", ParamLimit.rows) }
}

extension CertReleaseParams: BoundedParams {
    public func checkLimits() throws { try `operator`.checkLimits("operator") }
}

extension CertVoidParams: BoundedParams {
    public func checkLimits() throws {
        try ParamLimit.text(reason, "reason", max: ParamLimit.reason, required: true)
        try authorizedBy.checkLimits("authorizedBy")
    }
}

extension CertReprintParams: BoundedParams {
    public func checkLimits() throws {
        try ParamLimit.text(reason, "reason", max: ParamLimit.reason, required: true)
        try authorizedBy.checkLimits("authorizedBy")
        try requestedBy?.checkLimits("requestedBy")
    }
}

extension CertShipParams: BoundedParams {
    public func checkLimits() throws {
        try ParamLimit.text(carrier, "carrier", max: ParamLimit.name, required: true)
        try ParamLimit.text(trackingNumber, "trackingNumber", max: ParamLimit.name, required: true)
        try `operator`?.checkLimits("operator")
    }
}
