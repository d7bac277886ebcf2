/// One command and its answer over a byte transport: the blocking half of the SAM driver.
///
/// Why separate from the reader: the exchange (write, collect bytes until a frame, check it) is
/// the same for every command and every transport, and is easiest to get right — and to test —
/// without polling loops, health or threads around it. Runs on the caller's thread, which for the
/// driver is its own I/O queue.
struct SAMSession {
    let transport: any ByteTransport
    private var decoder = SAMFrameDecoder()

    init(transport: any ByteTransport) {
        self.transport = transport
    }

    /// Sends `command` and waits at most `timeout` for a whole answer.
    ///
    /// Stale bytes from an earlier, abandoned answer are dropped first. A reader that says nothing
    /// or stops half-way through a frame gives `.timeout`; a frame with a bad checksum throws
    /// `SAMProtocolError`. Status words are returned as they are: the caller decides what they mean.
    mutating func exchange(_ command: SAMCommand, timeout: Duration) throws(SAMExchangeError) -> SAMResponse {
        decoder.reset()
        transport.discardInput()
        let deadline = ContinuousClock.now + timeout
        do {
            try transport.write(command.frame, timeout: timeout)
        } catch {
            throw .transport(error)
        }
        while true {
            do throws(SAMProtocolError) {
                if let response = try decoder.next() { return response }
            } catch {
                throw .protocol(error)
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                let partial = decoder.pendingBytes
                throw .transport(.timeout(
                    partial > 0
                        ? "\(transport.endpoint): reader stopped answering \(command) after \(partial) bytes"
                        : "\(transport.endpoint): no answer to \(command)"))
            }
            do {
                decoder.append(try transport.read(max: 4096, timeout: remaining))
            } catch {
                throw .transport(error)
            }
        }
    }
}

/// What can go wrong in one exchange: the bytes did not travel, or they made no valid frame.
enum SAMExchangeError: Error, Sendable, Equatable {
    case transport(TransportError)
    case `protocol`(SAMProtocolError)
}
