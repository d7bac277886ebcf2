import Foundation
import CCups

/// Which cupsd to talk to: a Unix socket (`/run/cups/cups.sock`, a test's `<dir>/cups.sock`) or
/// a host and port (`printserver.hall.local:631`).
///
/// Written as one string the way `CUPS_SERVER` and `lpstat -h` take it: a path starting with
/// `/`, `host`, `host:port` or `[v6-address]:port`. With no explicit server, libcups' own choice
/// is used (`CUPS_SERVER`, then `~/.cups/client.conf`, `/etc/cups/client.conf`, then the default
/// socket): see `CUPSServer.default`.
public struct CUPSServer: Sendable, Hashable, CustomStringConvertible {
    /// A host name or address, or the path of a Unix socket.
    public let host: String
    /// The TCP port; for a socket, libcups' `ippPort()` (ignored by the connection).
    public let port: Int

    public var isSocket: Bool { host.hasPrefix("/") }

    /// Whether cupsd runs on this machine (a socket or a loopback address): only then is a
    /// printer's device URI (`ipp://localhost:631/…`, `socket://10.0.0.7`) meaningful from here,
    /// so only then does `CertificatePrinter` check that the printer itself answers.
    public var isLocal: Bool {
        if isSocket { return true }
        let h = host.lowercased()
        return h == "localhost" || h == "127.0.0.1" || h == "::1" || h.hasPrefix("127.")
            || h == "localhost.localdomain"
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `CUPS_SERVER` syntax: `/path/cups.sock`, `host`, `host:port`, `[::1]:631`.
    /// A trailing `/version=1.1` (allowed by libcups) is dropped. Empty → nil.
    public init?(_ text: String) {
        var s = text.trimmingCharacters(in: .whitespaces)
        if let slash = s.range(of: "/version=") { s = String(s[..<slash.lowerBound]) }
        guard !s.isEmpty else { return nil }
        if s.hasPrefix("/") {
            self.init(host: s, port: Int(ippPort()))
            return
        }
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let host = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            let port = rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil
            guard !host.isEmpty, rest.isEmpty || port != nil else { return nil }
            self.init(host: host, port: port ?? Int(ippPort()))
            return
        }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty else { return nil }
            self.init(host: String(parts[0]), port: port)
        } else {
            // A bare host, or a bare IPv6 address (several colons, no brackets).
            self.init(host: s, port: Int(ippPort()))
        }
    }

    /// libcups' own choice: `CUPS_SERVER`, then `~/.cups/client.conf` and `/etc/cups/client.conf`
    /// (`ServerName`), then the default socket.
    ///
    /// `CUPS_SERVER` is read here first, because libcups caches its answer per thread: a thread
    /// that asked before the variable changed would not see the change. `CUPSConnection`
    /// resolves the default once, when it is created.
    public static var `default`: CUPSServer { chosen(environment: ProcessInfo.processInfo.environment) }

    /// `default` for a given environment (tests pass one instead of changing the process's own,
    /// which would race with every thread reading it).
    static func chosen(environment: [String: String]) -> CUPSServer {
        if let env = environment["CUPS_SERVER"], let server = CUPSServer(env) {
            return server
        }
        let raw = cupsServer().map { String(cString: $0) } ?? "/run/cups/cups.sock"
        return CUPSServer(raw) ?? CUPSServer(host: "/run/cups/cups.sock", port: Int(ippPort()))
    }

    /// `/tmp/x/cups.sock` or `host:port`, as `CUPS_SERVER` takes it.
    public var description: String {
        if isSocket { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
