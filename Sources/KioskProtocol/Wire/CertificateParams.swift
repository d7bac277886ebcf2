/// Params of the certificate methods (`cert.*`) and the audit trail (`audit.*`).

/// A person of the approval system or the certificate room: their staff id and name.
public struct PersonParams: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// `cert.submit`: a print order from an approval unit.
public struct CertSubmitParams: Codable, Sendable {
    public struct Holder: Codable, Sendable {
        public var name: String
        public var idNumber: String
        public init(name: String, idNumber: String) {
            self.name = name
            self.idNumber = idNumber
        }
    }

    public struct Delivery: Codable, Sendable {
        /// "pickup" or "mail".
        public var mode: String
        public var address: String?
        public init(mode: String, address: String? = nil) {
            self.mode = mode
            self.address = address
        }
    }

    public var orderId: String
    public var type: String
    public var holder: Holder
    /// Template field key → text printed.
    public var fields: [String: String]
    public var department: String
    public var acceptedBy: PersonParams
    public var approvedBy: PersonParams
    /// Pickup at the hall by default.
    public var delivery: Delivery?
    /// "now" (default) or "on_pickup".
    public var printMode: String?

    public init(
        orderId: String, type: String, holder: Holder, fields: [String: String], department: String,
        acceptedBy: PersonParams, approvedBy: PersonParams, delivery: Delivery? = nil, printMode: String? = nil
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
}

/// `cert.get`: by serial or by the approval system's order id.
public struct CertLookupParams: Codable, Sendable {
    public var serial: String?
    public var orderId: String?
    public init(serial: String? = nil, orderId: String? = nil) {
        self.serial = serial
        self.orderId = orderId
    }
}

/// `cert.list`: filters; all when absent.
public struct CertListParams: Codable, Sendable {
    public var state: String?
    /// Issue day, "2026-11-21".
    public var date: String?
    public var limit: Int?
    public init(state: String? = nil, date: String? = nil, limit: Int? = nil) {
        self.state = state
        self.date = date
        self.limit = limit
    }
}

/// `cert.release`: the operator hands a printed certificate over to be collected.
public struct CertReleaseParams: Codable, Sendable {
    public var serial: String
    public var `operator`: PersonParams
    public init(serial: String, operator: PersonParams) {
        self.serial = serial
        self.operator = `operator`
    }
}

/// `cert.reprint`: voids `serial` and prints the same order under a new serial.
public struct CertReprintParams: Codable, Sendable {
    public var serial: String
    public var reason: String
    public var authorizedBy: PersonParams
    /// The operator asking, when another person than `authorizedBy`.
    public var requestedBy: PersonParams?
    public init(serial: String, reason: String, authorizedBy: PersonParams, requestedBy: PersonParams? = nil) {
        self.serial = serial
        self.reason = reason
        self.authorizedBy = authorizedBy
        self.requestedBy = requestedBy
    }
}

/// `cert.void`: withdraws a certificate; its QR code stops verifying.
public struct CertVoidParams: Codable, Sendable {
    public var serial: String
    public var reason: String
    public var authorizedBy: PersonParams
    public init(serial: String, reason: String, authorizedBy: PersonParams) {
        self.serial = serial
        self.reason = reason
        self.authorizedBy = authorizedBy
    }
}

/// `cert.ship`: a mailed certificate leaves with a carrier.
public struct CertShipParams: Codable, Sendable {
    public var serial: String
    public var carrier: String
    public var trackingNumber: String
    public var `operator`: PersonParams?
    public init(serial: String, carrier: String, trackingNumber: String, operator: PersonParams? = nil) {
        self.serial = serial
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.operator = `operator`
    }
}

/// `cert.pending`: what is ready for the holder whose card is on the reader.
public struct CertPendingParams: Codable, Sendable {
    public var cardToken: String
    public init(cardToken: String) { self.cardToken = cardToken }
}

/// `cert.pickup`: the holder collects `serial`, proving who they are with a card token (or
/// the pickup code given with the order).
public struct CertPickupParams: Codable, Sendable {
    public var serial: String
    public var cardToken: String?
    public var pickupCode: String?
    /// The certificate printer for `on_pickup` certificates; the pool's first ready one when absent.
    public var printer: String?
    public init(serial: String, cardToken: String? = nil, pickupCode: String? = nil, printer: String? = nil) {
        self.serial = serial
        self.cardToken = cardToken
        self.pickupCode = pickupCode
        self.printer = printer
    }
}

/// `cert.verify`: a scanned QR payload.
public struct CertVerifyParams: Codable, Sendable {
    public var payload: String
    public init(payload: String) { self.payload = payload }
}

/// `audit.verify`: heads witnessed elsewhere (the `auditHead` of earlier daily reports), which
/// the chain must still contain: they catch a rewritten tail, which the hashes alone cannot.
public struct AuditVerifyParams: Codable, Sendable {
    public struct Head: Codable, Sendable {
        public var seq: Int64
        public var hash: String
        public init(seq: Int64, hash: String) {
            self.seq = seq
            self.hash = hash
        }
    }
    public var anchors: [Head]?
    public init(anchors: [Head]? = nil) { self.anchors = anchors }
}

/// `audit.tail`: the last `n` entries (default 20, at most 1,000).
public struct AuditTailParams: Codable, Sendable {
    public var n: Int?
    public init(n: Int? = nil) { self.n = n }
}
