/// `[http]`: the read-only HTTP listener for hall screens and health checks (absent: no listener).
public struct HTTPSettings: Sendable, Equatable {
    /// Address to bind: an IPv4 or IPv6 literal, or a host name ("0.0.0.0", "::", "127.0.0.1").
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// "host:port", IPv6 in brackets, as written in the config.
    public var listen: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One `[[screens]]` entry: a hall screen (大厅显示屏) served at `/screens/{id}`, showing the calls
/// of some categories and windows.
public struct ScreenConfig: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// Categories whose calls and waiting counts it shows; nil = all.
    public var categories: [String]?
    /// Windows whose calls it shows; nil = all.
    public var windows: [String]?
    /// How many recent calls it lists.
    public var calls: Int
    /// Whether the page plays the announcements itself.
    public var voice: Bool
    /// A scrolling line (e.g. 请携带身份证原件).
    public var notice: String?

    public init(
        id: String, name: String, categories: [String]? = nil, windows: [String]? = nil, calls: Int = 6,
        voice: Bool = false, notice: String? = nil
    ) {
        self.id = id
        self.name = name
        self.categories = categories
        self.windows = windows
        self.calls = calls
        self.voice = voice
        self.notice = notice
    }

    /// Whether a call of `category` at `window` belongs on this screen.
    public func shows(category: String?, window: String?) -> Bool {
        if let categories, let category, !categories.contains(category) { return false }
        if let windows, let window, !windows.contains(window) { return false }
        return true
    }
}
