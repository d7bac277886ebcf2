/// 受理、审批、制证三分立: acceptance, approval and the certificate room are done by different
/// people, so no one person can issue a certificate alone. Each rule throws
/// `separation_of_duties` (with `rule` and the clashing roles in `details`) and changes nothing.
///
/// People are compared by `PersonRef.identity` (trimmed, case-folded id), never by name. A blank
/// id cannot show that two people differ, so it is refused too.
public enum SeparationOfDuties {
    /// `cert.submit`: the approver is not the person who accepted the case.
    public static func checkOrder(acceptedBy: PersonRef, approvedBy: PersonRef) throws {
        try requireNamed(acceptedBy, "acceptedBy", rule: "acceptance_approval")
        try requireNamed(approvedBy, "approvedBy", rule: "acceptance_approval")
        if acceptedBy.isSamePerson(as: approvedBy) {
            throw refusal(
                "acceptance_approval", "approvedBy", "acceptedBy",
                "the approver must not be the person who accepted the case (\(approvedBy.id))")
        }
    }

    /// `cert.release`: with `require_release = true`, a third person — neither the acceptor nor the
    /// approver — checks the certificate before it goes to the holder. With `required = false` the
    /// daemon releases by itself and no person is checked.
    public static func checkRelease(
        releasedBy: PersonRef, acceptedBy: PersonRef, approvedBy: PersonRef, required: Bool
    ) throws {
        guard required else { return }
        try requireNamed(releasedBy, "operator", rule: "release")
        for (role, person) in [("acceptedBy", acceptedBy), ("approvedBy", approvedBy)] where releasedBy.isSamePerson(as: person) {
            throw refusal(
                "release", "operator", role,
                "the release must be done by a third person; \(releasedBy.id) is the order's \(role)")
        }
    }

    /// `cert.reprint`: a reprint puts a second physical copy into the world, so it is authorized by
    /// someone outside the case (neither its acceptor nor its approver: nobody who decided the case
    /// can mint a copy of it) and, when the request names the operator asking for it, by someone
    /// other than that operator (four eyes in the certificate room). The releaser may authorize.
    public static func checkReprint(
        authorizedBy: PersonRef, requestedBy: PersonRef?, acceptedBy: PersonRef, approvedBy: PersonRef
    ) throws {
        try requireNamed(authorizedBy, "authorizedBy", rule: "reprint")
        var others = [("acceptedBy", acceptedBy), ("approvedBy", approvedBy)]
        if let requestedBy { others.append(("operator", requestedBy)) }
        for (role, person) in others where authorizedBy.isSamePerson(as: person) {
            throw refusal(
                "reprint", "authorizedBy", role,
                "a reprint must be authorized by someone other than the \(role == "operator" ? "operator asking for it" : "order's \(role)") (\(authorizedBy.id))")
        }
    }

    private static func requireNamed(_ person: PersonRef, _ role: String, rule: String) throws {
        if person.identity.isEmpty {
            throw KioskError(
                .separationOfDuties, "\(role) has no id, so it cannot be told apart from the other people",
                details: ["rule": rule, "role": role])
        }
    }

    private static func refusal(_ rule: String, _ role: String, _ clashesWith: String, _ message: String) -> KioskError {
        KioskError(.separationOfDuties, message, details: ["rule": rule, "role": role, "sameAs": clashesWith])
    }
}
