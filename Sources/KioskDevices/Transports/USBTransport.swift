import CLibUSB
import Foundation

/// Bulk endpoints of a USB device through libusb-1.0: ESC/POS printers that have no usblp node
/// (or whose usblp driver we detach), and readers that speak over bulk pipes.
///
/// Opening finds the device by `usb:VVVV:PPPP[:SERIAL]`, detaches a kernel driver bound to the
/// interface (usblp grabs printer-class interfaces), and claims the printer-class interface
/// (class 7) or else the first interface with a bulk endpoint. libusb's errors are mapped so
/// the health reason tells a technician what to do: unplugged → `.disconnected`, no such
/// device → `.notFound`, udev rules missing → `.permissionDenied`, someone else has it →
/// `.busy`, a stalled endpoint (halt cleared, so the next job can go) → `.io("stall")`.
///
/// Each transport has its own libusb context, so closing one never disturbs another. libusb
/// handles are not `Sendable`: they live here behind a lock (`@unchecked Sendable`), and calls
/// block, as `ByteTransport` wants (one I/O thread per device); `close()` therefore waits for a
/// transfer in progress to end (at most its timeout).
public final class USBTransport: ByteTransport, @unchecked Sendable {
    public let endpoint: String
    public let match: USBMatch
    /// The claimed interface and its bulk endpoint addresses (IN is nil on write-only printers).
    public let interfaceNumber: Int32
    public let outEndpoint: UInt8
    public let inEndpoint: UInt8?

    private let lock = NSLock()
    private var context: OpaquePointer?
    private var handle: OpaquePointer?
    private let inPacketSize: Int
    /// We detached a kernel driver by hand (no auto-detach): give it back on close.
    private let reattachKernelDriver: Bool
    /// Bytes received beyond what a `read` asked for (a bulk IN must take whole packets).
    private var pending: [UInt8] = []

    /// Opens and claims the device. Throws `.notFound` when no device matches.
    public init(match: USBMatch) throws(TransportError) {
        self.match = match
        endpoint = match.description
        var ctx: OpaquePointer?
        let rc = libusb_init(&ctx)
        guard rc == 0, let ctx else { throw Self.error(rc, "libusb_init") }
        kiosk_libusb_set_debug_none(ctx)
        do throws(TransportError) {
            let handle = try Self.open(match, in: ctx)
            do throws(TransportError) {
                let claimed = try Self.claim(handle)
                self.context = ctx
                self.handle = handle
                interfaceNumber = claimed.interface
                outEndpoint = claimed.out
                inEndpoint = claimed.in
                inPacketSize = claimed.inPacketSize
                reattachKernelDriver = claimed.detachedByHand
            } catch {
                libusb_close(handle)
                throw error
            }
        } catch {
            libusb_exit(ctx)
            throw error
        }
    }

    deinit { close() }

    // MARK: ByteTransport

    public func write(_ bytes: [UInt8], timeout: Duration) throws(TransportError) {
        try locked { () throws(TransportError) in
            guard let handle else { throw .disconnected("\(endpoint) is closed") }
            var offset = 0
            while offset < bytes.count {
                var chunk = Array(bytes[offset...])
                var done: Int32 = 0
                let rc = libusb_bulk_transfer(
                    handle, outEndpoint, &chunk, Int32(chunk.count), &done, Self.milliseconds(timeout))
                offset += Int(done)
                if rc == LIBUSB_ERROR_TIMEOUT.rawValue, done > 0 { continue }  // some went: keep going
                guard rc == 0 else { throw failure(rc, endpoint: outEndpoint, handle: handle, "write") }
            }
        }
    }

    public func read(max: Int, timeout: Duration) throws(TransportError) -> [UInt8] {
        try locked { () throws(TransportError) -> [UInt8] in
            guard let handle else { throw .disconnected("\(endpoint) is closed") }
            guard let inEndpoint else { throw .io("\(endpoint) has no bulk IN endpoint (write-only)") }
            guard max > 0 else { return [] }
            if pending.isEmpty {
                let packets = Swift.max(1, (max + inPacketSize - 1) / inPacketSize)
                var buffer = [UInt8](repeating: 0, count: packets * inPacketSize)
                var got: Int32 = 0
                let rc = libusb_bulk_transfer(
                    handle, inEndpoint, &buffer, Int32(buffer.count), &got, Self.milliseconds(timeout))
                pending = Array(buffer.prefix(Int(got)))
                if rc != 0, rc != LIBUSB_ERROR_TIMEOUT.rawValue {
                    throw failure(rc, endpoint: inEndpoint, handle: handle, "read")
                }
            }
            let out = Array(pending.prefix(max))
            pending.removeFirst(out.count)
            return out
        }
    }

    public func discardInput() {
        lock.withLock { pending.removeAll() }
    }

    /// Releases the interface, gives a detached kernel driver back (libusb does it with
    /// auto-detach, we do it after a detach by hand) and frees the context.
    public func close() {
        lock.withLock {
            if let handle {
                libusb_release_interface(handle, interfaceNumber)
                if reattachKernelDriver { _ = libusb_attach_kernel_driver(handle, interfaceNumber) }
                libusb_close(handle)
            }
            if let context { libusb_exit(context) }
            handle = nil
            context = nil
        }
    }

    /// `NSLock.withLock` with a typed error.
    private func locked<R>(_ body: () throws(TransportError) -> R) throws(TransportError) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Opening

    private static func open(_ match: USBMatch, in ctx: OpaquePointer) throws(TransportError) -> OpaquePointer {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(ctx, &list)
        guard count >= 0, let list else { throw error(Int32(count), "libusb_get_device_list") }
        defer { libusb_free_device_list(list, 1) }
        var lastError: TransportError?
        for i in 0..<Int(count) {
            guard let device = list[i] else { continue }
            var desc = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &desc) == 0,
                desc.idVendor == match.vendor, desc.idProduct == match.product
            else { continue }
            var handle: OpaquePointer?
            let rc = libusb_open(device, &handle)
            guard rc == 0, let handle else {
                lastError = error(rc, "open \(match)")
                continue
            }
            if let wanted = match.serial, serial(of: device, handle: handle, descriptor: desc) != wanted {
                libusb_close(handle)
                continue
            }
            return handle
        }
        throw lastError ?? .notFound("no USB device \(match)")
    }

    /// The serial number: sysfs first (no bus traffic, the kernel read it at enumeration), then
    /// the string descriptor.
    private static func serial(of device: OpaquePointer, handle: OpaquePointer, descriptor: libusb_device_descriptor)
        -> String?
    {
        var ports = [UInt8](repeating: 0, count: 8)
        let n = libusb_get_port_numbers(device, &ports, Int32(ports.count))
        if n > 0 {
            let name = "\(libusb_get_bus_number(device))-" + ports.prefix(Int(n)).map(String.init).joined(separator: ".")
            if let s = try? String(contentsOfFile: "/sys/bus/usb/devices/\(name)/serial", encoding: .utf8) {
                return s.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        guard descriptor.iSerialNumber != 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let len = libusb_get_string_descriptor_ascii(handle, descriptor.iSerialNumber, &buffer, Int32(buffer.count))
        guard len > 0 else { return nil }
        return String(decoding: buffer.prefix(Int(len)), as: UTF8.self)
    }

    private struct Claimed {
        var interface: Int32
        var out: UInt8
        var `in`: UInt8?
        var inPacketSize: Int
        var detachedByHand = false
    }

    /// Picks the interface (printer class first), detaches its kernel driver, claims it.
    private static func claim(_ handle: OpaquePointer) throws(TransportError) -> Claimed {
        guard let device = libusb_get_device(handle) else { throw .io("libusb_get_device failed") }
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        var rc = libusb_get_active_config_descriptor(device, &config)
        if rc != 0 { rc = libusb_get_config_descriptor(device, 0, &config) }
        guard rc == 0, let config else { throw error(rc, "reading the configuration descriptor") }
        defer { libusb_free_config_descriptor(config) }

        var candidates: [(Claimed, isPrinter: Bool)] = []
        for i in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[i]
            guard interface.num_altsetting > 0 else { continue }
            let alt = interface.altsetting[0]
            var out: UInt8?
            var inEP: UInt8?
            var inSize = 64
            for e in 0..<Int(alt.bNumEndpoints) {
                let ep = alt.endpoint[e]
                guard ep.bmAttributes & 0x03 == UInt8(LIBUSB_TRANSFER_TYPE_BULK.rawValue) else { continue }
                if ep.bEndpointAddress & 0x80 != 0 {
                    if inEP == nil {
                        inEP = ep.bEndpointAddress
                        inSize = Int(ep.wMaxPacketSize) > 0 ? Int(ep.wMaxPacketSize) : 64
                    }
                } else if out == nil {
                    out = ep.bEndpointAddress
                }
            }
            guard let out else { continue }
            let claimed = Claimed(interface: Int32(alt.bInterfaceNumber), out: out, in: inEP, inPacketSize: inSize)
            candidates.append((claimed, alt.bInterfaceClass == UInt8(LIBUSB_CLASS_PRINTER.rawValue)))
        }
        guard var chosen = candidates.first(where: \.isPrinter)?.0 ?? candidates.first?.0 else {
            throw .io("no interface with a bulk OUT endpoint")
        }
        // usblp (or another driver) may hold the interface: libusb detaches it on claim and
        // gives it back on release. Not every platform can; then claiming says why.
        _ = libusb_set_auto_detach_kernel_driver(handle, 1)
        rc = libusb_claim_interface(handle, chosen.interface)
        if rc == LIBUSB_ERROR_OTHER.rawValue || rc == LIBUSB_ERROR_NOT_SUPPORTED.rawValue {
            // The one-step "disconnect and claim" is missing (older kernels, umockdev): detach
            // by hand if a driver is bound, then claim plainly.
            _ = libusb_set_auto_detach_kernel_driver(handle, 0)
            if libusb_kernel_driver_active(handle, chosen.interface) == 1 {
                let detached = libusb_detach_kernel_driver(handle, chosen.interface)
                guard detached == 0 else { throw error(detached, "detach kernel driver") }
                chosen.detachedByHand = true
            }
            rc = libusb_claim_interface(handle, chosen.interface)
        }
        guard rc == 0 else { throw error(rc, "claim interface \(chosen.interface)") }
        return chosen
    }

    // MARK: Errors

    /// A transfer error; a stall is cleared first so the endpoint works again.
    private func failure(_ rc: Int32, endpoint ep: UInt8, handle: OpaquePointer, _ what: String) -> TransportError {
        if rc == LIBUSB_ERROR_PIPE.rawValue {
            _ = libusb_clear_halt(handle, ep)
            pending.removeAll()
            return .io("stall")
        }
        return Self.error(rc, "\(what) \(endpoint)")
    }

    static func error(_ rc: Int32, _ what: String) -> TransportError {
        let name = libusb_error_name(rc).map { String(cString: $0) } ?? "\(rc)"
        let message = "\(what): \(name)"
        switch rc {
        case LIBUSB_ERROR_NO_DEVICE.rawValue: return .disconnected(message)
        case LIBUSB_ERROR_NOT_FOUND.rawValue: return .notFound(message)
        case LIBUSB_ERROR_ACCESS.rawValue: return .permissionDenied(message)
        case LIBUSB_ERROR_BUSY.rawValue: return .busy(message)
        case LIBUSB_ERROR_TIMEOUT.rawValue: return .timeout(message)
        case LIBUSB_ERROR_PIPE.rawValue: return .io("stall")
        default: return .io(message)
        }
    }

    /// libusb timeouts are unsigned milliseconds where 0 means "forever": round up to at least 1.
    private static func milliseconds(_ d: Duration) -> UInt32 {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return UInt32(clamping: Swift.max(1, ms))
    }
}
