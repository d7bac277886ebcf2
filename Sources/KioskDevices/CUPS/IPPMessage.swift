import CCups
import Foundation

/// An IPP request being built: a thin owner of libcups' `ipp_t`, with Swift strings.
///
/// `ippNewRequest` adds `attributes-charset` and `attributes-natural-language` itself. Sending it
/// with `cupsDoRequest` and friends consumes (frees) it: call `take()` then.
struct IPPRequest: ~Copyable {
    private var ipp: OpaquePointer?

    init(_ op: ipp_op_t) {
        ipp = ippNewRequest(op)
    }

    deinit {
        if let ipp { ippDelete(ipp) }
    }

    /// Hands the request to a libcups call that frees it.
    mutating func take() -> OpaquePointer? {
        defer { ipp = nil }
        return ipp
    }

    mutating func add(_ group: ipp_tag_t, _ tag: ipp_tag_t, _ name: String, _ value: String) {
        _ = ippAddString(ipp, group, tag, name, nil, value)
    }

    mutating func add(_ group: ipp_tag_t, _ tag: ipp_tag_t, _ name: String, _ values: [String]) {
        guard let first = values.first else { return }
        var attr = ippAddString(ipp, group, tag, name, nil, first)
        for (i, v) in values.enumerated().dropFirst() {
            _ = ippSetString(ipp, &attr, Int32(i), v)
        }
    }

    mutating func add(_ group: ipp_tag_t, _ name: String, integer: Int) {
        _ = ippAddInteger(ipp, group, IPP_TAG_INTEGER, name, Int32(clamping: integer))
    }

    mutating func add(_ group: ipp_tag_t, _ name: String, bool: Bool) {
        _ = ippAddBoolean(ipp, group, name, bool ? 1 : 0)
    }
}

/// One value of a response attribute, as far as this driver needs them.
enum IPPValue: Sendable, Equatable {
    case integers([Int])
    case bool(Bool)
    case strings([String])
    case other

    var int: Int? { if case .integers(let v) = self { v.first } else { nil } }
    var string: String? { if case .strings(let v) = self { v.first } else { nil } }
    var strings: [String] { if case .strings(let v) = self { v } else { [] } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
}

/// The attribute groups of an IPP response (one per job for Get-Jobs), read into Swift values.
enum IPPResponse {
    /// Every group whose tag is `tag` (`IPP_TAG_JOB`, `IPP_TAG_PRINTER`), in order.
    static func groups(_ response: OpaquePointer, tag: ipp_tag_t) -> [[String: IPPValue]] {
        var groups: [[String: IPPValue]] = []
        var current: [String: IPPValue]?
        var attr = ippFirstAttribute(response)
        while let a = attr {
            let group = ippGetGroupTag(a)
            if let cName = ippGetName(a), group == tag {
                if current == nil { current = [:] }
                current?[String(cString: cName)] = value(a)
            } else if let c = current {
                // A separator (no name) or another group ends the current one.
                groups.append(c)
                current = nil
            }
            attr = ippNextAttribute(response)
        }
        if let c = current { groups.append(c) }
        return groups
    }

    static func value(_ a: OpaquePointer) -> IPPValue {
        let count = Int(ippGetCount(a))
        let tag = ippGetValueTag(a)
        switch tag {
        case IPP_TAG_INTEGER, IPP_TAG_ENUM:
            return .integers((0..<count).map { Int(ippGetInteger(a, Int32($0))) })
        case IPP_TAG_BOOLEAN:
            return .bool(ippGetBoolean(a, 0) != 0)
        case IPP_TAG_TEXT, IPP_TAG_NAME, IPP_TAG_KEYWORD, IPP_TAG_URI, IPP_TAG_URISCHEME, IPP_TAG_MIMETYPE,
            IPP_TAG_CHARSET, IPP_TAG_LANGUAGE, IPP_TAG_TEXTLANG, IPP_TAG_NAMELANG:
            return .strings((0..<count).map { ippGetString(a, Int32($0), nil).map { String(cString: $0) } ?? "" })
        default:
            return .other
        }
    }
}
