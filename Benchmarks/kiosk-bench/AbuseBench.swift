import Foundation
import KioskClient
import KioskProtocol
import Synchronization

/// What a flood costs the daemon and whether it gets its memory back: subscribers that never
/// read, and thousands of connections holding unfinished lines (issue 8's measurements, redone).
extension Bench {
    /// 500 subscribers that never read, then events until every one is cut off: resident memory
    /// before, at the peak and after, and how long `daemon.status` takes while they are cut.
    func slowSubscribers() throws {
        let d = try Daemon.start()
        let c = try KioskClient(socketPath: d.socket)
        let baseline = d.rssMB()
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        for _ in 0..<500 {
            let fd = try RawSocket.connect(d.socket)
            RawSocket.send(fd, #"{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{}}"# + "\n")
            sockets.append(fd)
        }
        while (try c.call("daemon.status")["subscribers"]?.intValue ?? 0) < 500 { usleep(10_000) }

        // A second client asks daemon.status every 10 ms while the events flow and the cuts happen.
        let stop = Atomic<Bool>(false)
        let samples = Mutex<[Double]>([])
        let socket = d.socket
        let probe = Thread {
            let s = try! KioskClient(socketPath: socket)
            while !stop.load(ordering: .relaxed) {
                let t0 = DispatchTime.now()
                _ = try? s.call("daemon.status")
                samples.withLock { $0.append(ms(since: t0)) }
                usleep(10_000)
            }
        }
        probe.start()
        var peak = baseline, events = 0
        while events < 20_000 {
            try c.call("queue.take", ["category": "C"])
            events += 1
            if events % 50 == 0 {
                peak = max(peak, d.rssMB())
                if (try c.call("daemon.status")["slowSubscribersCut"]?.intValue ?? 0) >= 500 { break }
            }
        }
        stop.store(true, ordering: .relaxed)
        usleep(100_000)
        let cut = try c.call("daemon.status")["slowSubscribersCut"]?.intValue ?? 0
        sleep(4)  // kioskd gives memory back within a few seconds of a flood
        let after = d.rssMB()
        let p = Percentiles(samples.withLock { $0 })
        say(String(format: "500 subscribers that never read: %lld cut after %d events; RSS %d MB before, %d MB at the peak, %d MB 4 s later; daemon.status meanwhile p50 %.2f ms, p99 %.2f ms, max %.2f ms",
            cut, events, baseline, peak, after, p.p50, p.p99, p.max))
    }

    /// 2,000 connections, each sending 1 MB of a line it never finishes: what the daemon holds
    /// during the flood and after the connections close.
    func partialLineFlood() throws {
        let d = try Daemon.start()
        let c = try KioskClient(socketPath: d.socket)
        let baseline = d.rssMB()
        let chunk = [UInt8](repeating: 0x78, count: 1_000_000)
        var sockets: [Int32] = []
        var peak = baseline
        for i in 0..<2_000 {
            let fd = try RawSocket.connect(d.socket)
            RawSocket.send(fd, #"{"jsonrpc":"2.0","id":1,"method":"daemon.status","params":{"pad":""#)
            RawSocket.send(fd, chunk)
            sockets.append(fd)
            if i % 100 == 0 { peak = max(peak, d.rssMB()) }
        }
        peak = max(peak, d.rssMB())
        let t0 = DispatchTime.now()
        _ = try c.call("daemon.status")
        let statusMs = ms(since: t0)
        sockets.forEach { close($0) }
        sleep(4)
        say(String(format: "2,000 connections holding 1 MB unfinished lines: RSS %d MB before, %d MB at the peak, %d MB 4 s after they closed; daemon.status during the flood %.2f ms",
            baseline, peak, d.rssMB(), statusMs))
    }
}

/// Plain blocking Unix-socket writes for clients that misbehave on purpose.
enum RawSocket {
    static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            throw CocoaError(.fileReadNoPermission)
        }
        // A peer that never reads: the smallest receive buffer, so the daemon's side fills first.
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Writes all of `bytes` or stops at the first error (a refused peer is closed by kioskd).
    static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    static func send(_ fd: Int32, _ text: String) { send(fd, Array(text.utf8)) }
}
