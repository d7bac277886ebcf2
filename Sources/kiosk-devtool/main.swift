// kiosk-devtool: a technician's and the tests' window on what kioskd sees of USB and udev.
//
//   kiosk-devtool list                      devices present now, then exits
//   kiosk-devtool monitor [--max N] [--open usb:VVVV:PPPP]
//                                           the initial scan, then hotplug events as they come;
//                                           with --open, opens each matching added device with
//                                           USBTransport ("opened"/"error"), to time usability
//   kiosk-devtool usb usb:VVVV:PPPP[:SN] [w:HEX | r:N | t:MS]...
//                                           opens the device with USBTransport and runs each
//                                           step: write bytes, read up to N bytes, set timeout,
//                                           or "wait" for a line on stdin (a test unplugs it then)
//
// One JSON object per line on stdout, flushed at once (tests and scripts read it live), each with
// "t" = wall-clock milliseconds, so a test can measure the time from a uevent to our report.
// The hotplug and USB tests run it under umockdev-run / umockdev-wrapper.
import Foundation
import KioskDevices

func emit(_ fields: [String: Any]) {
    var object = fields
    object["t"] = Int((Date().timeIntervalSince1970 * 1000).rounded())
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data + Data("\n".utf8))  // unbuffered: read live
}

func json(_ node: DeviceNode) -> [String: Any] {
    var o: [String: Any] = ["syspath": node.syspath, "subsystem": node.subsystem]
    if let v = node.devnode { o["devnode"] = v }
    if let v = node.vendorID { o["vendorID"] = v }
    if let v = node.productID { o["productID"] = v }
    if let v = node.serial { o["serial"] = v }
    if let v = node.busnum { o["busnum"] = v }
    if let v = node.devnum { o["devnum"] = v }
    if !node.devlinks.isEmpty { o["devlinks"] = node.devlinks }
    return o
}

func json(_ error: TransportError) -> [String: Any] {
    let kind: String
    let message: String
    switch error {
    case .notFound(let m): (kind, message) = ("notFound", m)
    case .permissionDenied(let m): (kind, message) = ("permissionDenied", m)
    case .busy(let m): (kind, message) = ("busy", m)
    case .disconnected(let m): (kind, message) = ("disconnected", m)
    case .timeout(let m): (kind, message) = ("timeout", m)
    case .io(let m): (kind, message) = ("io", m)
    }
    return ["event": "error", "kind": kind, "message": message]
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func bytes(_ hex: Substring) -> [UInt8]? {
    guard hex.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var i = hex.startIndex
    while i < hex.endIndex {
        let j = hex.index(i, offsetBy: 2)
        guard let b = UInt8(hex[i..<j], radix: 16) else { return nil }
        out.append(b)
        i = j
    }
    return out
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("kiosk-devtool: \(message)\n".utf8))
    exit(2)
}

func watch(stopAfterScan: Bool, max: Int?, open: USBMatch? = nil) async {
    let monitor: UdevMonitor
    do { monitor = try UdevMonitor() } catch { fail("\(error)") }
    var reported = 0
    for await event in monitor.events {
        switch event {
        case .added(let node):
            emit(["event": "added", "node": json(node)])
            if let open, node.subsystem == "usb",
                open.matches(vendorID: node.vendorID, productID: node.productID, serial: node.serial)
            {
                do {
                    let transport = try USBTransport(match: open)
                    emit(["event": "opened", "endpoint": transport.endpoint])
                    transport.close()
                } catch {
                    emit(json(error))
                }
            }
        case .removed(let node): emit(["event": "removed", "node": json(node)])
        case .initialScanComplete:
            emit(["event": "ready"])
            if stopAfterScan { return }
            continue
        }
        reported += 1
        if let max, reported >= max { return }
    }
}

func usb(_ args: ArraySlice<String>) {
    guard let first = args.first, let match = USBMatch(first) else { fail("usb needs usb:VVVV:PPPP[:SERIAL]") }
    let transport: USBTransport
    do {
        transport = try USBTransport(match: match)
    } catch {
        emit(json(error))
        exit(1)
    }
    var opened: [String: Any] = [
        "event": "opened", "endpoint": transport.endpoint, "interface": Int(transport.interfaceNumber),
        "out": Int(transport.outEndpoint),
    ]
    if let i = transport.inEndpoint { opened["in"] = Int(i) }
    emit(opened)
    var timeout = Duration.milliseconds(1000)
    var failed = false
    for step in args.dropFirst() {
        if step == "wait" {
            emit(["event": "waiting"])
            _ = readLine()
            continue
        }
        let value = step.dropFirst(2)
        do {
            switch step.prefix(2) {
            case "w:":
                guard let data = bytes(value) else { fail("bad hex in \(step)") }
                try transport.write(data, timeout: timeout)
                emit(["event": "written", "count": data.count])
            case "r:":
                guard let n = Int(value) else { fail("bad count in \(step)") }
                let got = try transport.read(max: n, timeout: timeout)
                emit(["event": "read", "hex": hex(got)])
            case "t:":
                guard let ms = Int(value) else { fail("bad timeout in \(step)") }
                timeout = .milliseconds(ms)
            default: fail("unknown step \(step)")
            }
        } catch {
            emit(json(error))
            failed = true
        }
    }
    transport.close()
    emit(["event": "closed"])
    exit(failed ? 1 : 0)
}

let args = CommandLine.arguments.dropFirst()
switch args.first {
case "list": await watch(stopAfterScan: true, max: nil)
case "monitor":
    var max: Int?
    if let i = args.firstIndex(of: "--max"), args.index(after: i) < args.endIndex {
        max = Int(args[args.index(after: i)])
    }
    var open: USBMatch?
    if let i = args.firstIndex(of: "--open"), args.index(after: i) < args.endIndex {
        guard let m = USBMatch(args[args.index(after: i)]) else { fail("--open needs usb:VVVV:PPPP[:SERIAL]") }
        open = m
    }
    await watch(stopAfterScan: false, max: max, open: open)
case "usb": usb(args.dropFirst())
default: fail("usage: kiosk-devtool list | monitor [--max N] [--open usb:VVVV:PPPP] | usb usb:VVVV:PPPP[:SERIAL] [w:HEX|r:N|t:MS|wait]...")
}
