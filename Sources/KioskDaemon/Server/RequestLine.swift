import KioskProtocol
import NIOCore

/// One request line, parsed once into a `JSONValue` tree: the envelope is checked here, the
/// params are typed from the same tree by the dispatcher.
enum RequestLine {
    enum Decoded {
        case request(RPCRequest)
        /// Unusable line. `answer` is false for a notification (no `id`): JSON-RPC never answers
        /// those, whatever is wrong with them.
        case failure(RPCId?, RPCError, answer: Bool)
    }

    static func decode(_ line: ByteBuffer) -> Decoded {
        let json: JSONValue
        do {
            json = try JSONParser.parse(line.readableBytesView)
        } catch {
            return .failure(nil, .parse("not valid JSON (\(error.description)): send one JSON-RPC object per line"), answer: true)
        }
        guard case .object(let o) = json else { return .failure(nil, .invalidRequest("a request is a JSON object"), answer: true) }
        var id: RPCId?
        switch o["id"] {
        case nil, .null?: id = nil
        case .int(let n)?: id = .number(n)
        case .string(let s)?: id = .string(s)
        case .double(let d)? where d == d.rounded(.towardZero):
            return .failure(nil, .invalidRequest(
                "id is a whole number outside -2^63 … 2^63-1 (64-bit); use a smaller number or a string"), answer: true)
        default: return .failure(nil, .invalidRequest("id must be a number or a string"), answer: true)
        }
        // Without an id this is a notification, as long as it is a request at all.
        let answer = id != nil
        guard o["jsonrpc"] == .string("2.0") else { return .failure(id, .invalidRequest("jsonrpc must be \"2.0\""), answer: true) }
        guard case .string(let method)? = o["method"], !method.isEmpty else {
            return .failure(id, .invalidRequest("method must be a non-empty string"), answer: true)
        }
        if let params = o["params"], params.objectValue == nil, !params.isNull {
            return .failure(id, .invalidParams("params must be an object"), answer: answer)
        }
        return .request(RPCRequest(id: id, method: method, params: o["params"]))
    }
}
