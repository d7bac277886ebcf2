import KioskConfig

/// Checks a print order's values against its template before anything is drawn, so a wrong
/// order is refused with a reason the operator can act on, and never wastes a sheet of security
/// paper.
extension CertificateTemplate {
    /// Throws the first problem: the template's fields in order (missing, blank, line break, too
    /// long), then keys the template does not have (alphabetically).
    public func validate(fields values: [String: String]) throws(CertificateFieldError) {
        if let first = problems(in: values).first { throw first }
    }

    /// Every problem of the order, in the order `validate` reports them, for a screen that lists
    /// them all.
    public func problems(in values: [String: String]) -> [CertificateFieldError] {
        var problems: [CertificateFieldError] = []
        for field in fields {
            guard let value = values[field.key] else {
                if field.required { problems.append(.missing(key: field.key, label: field.label)) }
                continue
            }
            if value.allSatisfy(\.isWhitespace) {
                if field.required { problems.append(.empty(key: field.key, label: field.label)) }
                continue
            }
            if !field.style.multiline, value.contains(where: \.isNewline) {
                problems.append(.lineBreak(key: field.key, label: field.label))
            }
            if let maxLength = field.maxLength, value.count > maxLength {
                problems.append(.tooLong(key: field.key, label: field.label, length: value.count, maxLength: maxLength))
            }
        }
        let known = Set(fields.map(\.key))
        for key in values.keys.sorted() where !known.contains(key) {
            problems.append(.unknown(key: key, template: id, suggestion: Suggestion.closest(to: key, among: known)))
        }
        return problems
    }
}

/// Why an order's values do not fit its template. `description` is written for the operator at
/// the printing desk: it names the field by its label and its key.
public enum CertificateFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required field is absent from the order.
    case missing(key: String, label: String)
    /// A required field is present but empty or only spaces.
    case empty(key: String, label: String)
    /// A single-line field contains a line break.
    case lineBreak(key: String, label: String)
    /// More characters than the template's `max_length`.
    case tooLong(key: String, label: String, length: Int, maxLength: Int)
    /// The order has a field the template does not print; `suggestion` is a close known key.
    case unknown(key: String, template: String, suggestion: String?)

    /// The order's key the problem is about.
    public var key: String {
        switch self {
        case .missing(let key, _), .empty(let key, _), .lineBreak(let key, _), .tooLong(let key, _, _, _),
            .unknown(let key, _, _):
            return key
        }
    }

    public var description: String {
        switch self {
        case .missing(let key, let label):
            return "\(label) (\(key)) is required but the order does not have it"
        case .empty(let key, let label):
            return "\(label) (\(key)) is required but the order leaves it empty"
        case .lineBreak(let key, let label):
            return "\(label) (\(key)) must be a single line, but the order's value contains a line break"
        case .tooLong(let key, let label, let length, let maxLength):
            return "\(label) (\(key)) is too long: \(length) characters, at most \(maxLength) fit on the certificate"
        case .unknown(let key, let template, let suggestion):
            var text = "\(key) is not a field of the certificate template \(template)"
            if let suggestion { text += "; did you mean \(suggestion)?" }
            return text
        }
    }
}
