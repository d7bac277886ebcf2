import Foundation

/// A print order (制证指令) as the approval system sends it with `cert.submit`.
///
/// Plain values: the daemon decodes them from the request, checks them with `problems()`,
/// `SeparationOfDuties.checkOrder` and the template, then stores them. `holder.idNumber` is
/// personal information: the daemon keeps it only as a keyed hash and the masked form.
public struct CertificateOrder: Sendable, Equatable {
    /// The approval system's id: a resubmission with the same id and the same content returns the
    /// certificate already issued; with other content it is a `conflict`.
    public var orderId: String
    /// The template id (证照类型).
    public var type: String
    public var holder: CertificateHolder
    /// The printed fields, as text, keyed by the template's field names.
    public var fields: [String: String]
    /// The department whose seal is applied; it must be allowed to seal `type`.
    public var department: String
    /// Who accepted the case (受理).
    public var acceptedBy: PersonRef
    /// Who approved it (审批); never the person who accepted it.
    public var approvedBy: PersonRef
    public var delivery: CertificateDelivery
    public var printMode: PrintMode

    public init(
        orderId: String, type: String, holder: CertificateHolder, fields: [String: String], department: String,
        acceptedBy: PersonRef, approvedBy: PersonRef, delivery: CertificateDelivery = .pickup,
        printMode: PrintMode = .now
    ) {
        self.orderId = orderId
        self.type = type
        self.holder = holder
        self.fields = fields
        self.department = department
        self.acceptedBy = acceptedBy
        self.approvedBy = approvedBy
        self.delivery = delivery
        self.printMode = printMode
    }

    /// Longest `orderId` accepted: ids from approval systems are short; a bound keeps rows small.
    public static let maximumOrderIdLength = 64

    /// What is wrong with the order's shape, first problem first (empty when it is well formed).
    /// The daemon answers the first one as invalid params; template and department checks come after.
    public func problems() -> [OrderProblem] {
        var problems: [OrderProblem] = []
        func require(_ value: String, _ field: String) {
            if value.isBlank { problems.append(OrderProblem(field: field, message: "is required")) }
        }
        require(orderId, "orderId")
        if orderId.count > Self.maximumOrderIdLength {
            problems.append(OrderProblem(field: "orderId", message: "is limited to \(Self.maximumOrderIdLength) characters"))
        }
        require(type, "type")
        require(holder.name, "holder.name")
        require(holder.idNumber, "holder.idNumber")
        if fields.keys.contains(where: \.isBlank) {
            problems.append(OrderProblem(field: "fields", message: "field names must not be empty"))
        }
        require(department, "department")
        require(acceptedBy.id, "acceptedBy.id")
        require(approvedBy.id, "approvedBy.id")
        if delivery.mode == .mail, delivery.address?.isBlank ?? true {
            problems.append(OrderProblem(field: "delivery.address", message: "is required for delivery by mail"))
        }
        // Printing at pickup needs the holder at the kiosk; a mailed certificate is printed in the hall.
        if printMode == .onPickup, delivery.mode == .mail {
            problems.append(OrderProblem(
                field: "printMode", message: "on_pickup prints when the holder collects it; use \"now\" for delivery by mail"))
        }
        return problems
    }
}

/// One reason an order is malformed, named by its JSON path inside `params`.
public struct OrderProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "params.\(field) \(message)" }
}

/// The person the certificate is issued to (持证人).
public struct CertificateHolder: Sendable, Equatable {
    public var name: String
    /// The holder's ID number (or other certificate number) as sent; never logged.
    public var idNumber: String
    public init(name: String, idNumber: String) {
        self.name = name
        self.idNumber = idNumber
    }
}

/// A member of staff named in an order or a certificate-room step. `id` decides separation of
/// duties; `name` is what the audit trail shows.
public struct PersonRef: Sendable, Equatable, Hashable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// The id as compared for separation of duties: surrounding blanks dropped and case folded,
    /// so "S001" and " s001" cannot pass for two people.
    public var identity: String { id.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }

    public func isSamePerson(as other: PersonRef) -> Bool { identity == other.identity }
}

/// How the certificate reaches the holder: collected in the hall (领证) or mailed (邮寄).
public struct CertificateDelivery: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable, Codable, CaseIterable {
        case pickup, mail
    }
    public var mode: Mode
    /// Postal address; required for `mail`.
    public var address: String?
    public init(mode: Mode, address: String? = nil) {
        self.mode = mode
        self.address = address
    }
    public static let pickup = CertificateDelivery(mode: .pickup)
    public static func mail(to address: String) -> CertificateDelivery { CertificateDelivery(mode: .mail, address: address) }
}

/// When the certificate is printed: as soon as it is rendered, or when the holder identifies
/// themself at a kiosk (so no printed certificate waits unattended in a tray).
public enum PrintMode: String, Sendable, Equatable, Codable, CaseIterable {
    case now
    case onPickup = "on_pickup"
}

extension String {
    /// Empty or only whitespace.
    fileprivate var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
