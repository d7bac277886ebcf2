import Testing

@testable import KioskCore

/// 受理、审批、制证三分立.
@Suite("Certificates: separation of duties")
struct CertificateSeparationOfDutiesTests {
    let clerk = PersonRef(id: "S001", name: "张受理")
    let approver = PersonRef(id: "S002", name: "李审批")
    let printer = PersonRef(id: "S003", name: "王制证")
    let supervisor = PersonRef(id: "S004", name: "赵主管")

    @Test func theReasonIsTheContractOne() {
        #expect(KioskError.Reason.separationOfDuties.rawValue == "separation_of_duties")
        #expect(KioskError.Reason.separationOfDuties.code == 1010)
    }

    @Test func differentPeopleMayAcceptAndApprove() {
        #expect(throws: Never.self) { try SeparationOfDuties.checkOrder(acceptedBy: clerk, approvedBy: approver) }
    }

    @Test func theAcceptorCannotApprove() {
        let error = expectRefusal(.separationOfDuties) {
            try SeparationOfDuties.checkOrder(acceptedBy: clerk, approvedBy: PersonRef(id: "S001", name: "另一个名字"))
        }
        #expect(error?.details["rule"] == "acceptance_approval")
    }

    @Test(arguments: ["s001", " S001", "S001 ", "\tS001\n"])
    func idsAreComparedWithoutCaseOrBlanks(id: String) {
        expectRefusal(.separationOfDuties) {
            try SeparationOfDuties.checkOrder(acceptedBy: clerk, approvedBy: PersonRef(id: id, name: "x"))
        }
    }

    @Test func namesDoNotMakeTwoPeople() {
        // Same name, different ids: two people (names are not unique).
        #expect(throws: Never.self) {
            try SeparationOfDuties.checkOrder(acceptedBy: clerk, approvedBy: PersonRef(id: "S009", name: clerk.name))
        }
    }

    @Test(arguments: ["", "  "])
    func aBlankIdCannotShowSeparation(id: String) {
        expectRefusal(.separationOfDuties) {
            try SeparationOfDuties.checkOrder(acceptedBy: PersonRef(id: id, name: "x"), approvedBy: approver)
        }
        expectRefusal(.separationOfDuties) {
            try SeparationOfDuties.checkRelease(
                releasedBy: PersonRef(id: id, name: "x"), acceptedBy: clerk, approvedBy: approver, required: true)
        }
    }

    @Test func aThirdPersonReleases() {
        #expect(throws: Never.self) {
            try SeparationOfDuties.checkRelease(releasedBy: printer, acceptedBy: clerk, approvedBy: approver, required: true)
        }
    }

    @Test func neitherAcceptorNorApproverMayRelease() {
        for (person, role) in [(clerk, "acceptedBy"), (approver, "approvedBy")] {
            let error = expectRefusal(.separationOfDuties) {
                try SeparationOfDuties.checkRelease(releasedBy: person, acceptedBy: clerk, approvedBy: approver, required: true)
            }
            #expect(error?.details["rule"] == "release")
            #expect(error?.details["sameAs"] == role)
        }
    }

    @Test func withoutRequiredReleaseNobodyIsChecked() {
        #expect(throws: Never.self) {
            try SeparationOfDuties.checkRelease(releasedBy: approver, acceptedBy: clerk, approvedBy: approver, required: false)
        }
    }

    @Test func aReprintIsAuthorizedFromOutsideTheCase() {
        #expect(throws: Never.self) {
            try SeparationOfDuties.checkReprint(authorizedBy: supervisor, requestedBy: printer, acceptedBy: clerk, approvedBy: approver)
        }
        // The releaser may authorize when nobody else asks.
        #expect(throws: Never.self) {
            try SeparationOfDuties.checkReprint(authorizedBy: printer, requestedBy: nil, acceptedBy: clerk, approvedBy: approver)
        }
        for (person, role) in [(clerk, "acceptedBy"), (approver, "approvedBy"), (printer, "operator")] {
            let error = expectRefusal(.separationOfDuties) {
                try SeparationOfDuties.checkReprint(authorizedBy: person, requestedBy: printer, acceptedBy: clerk, approvedBy: approver)
            }
            #expect(error?.details["rule"] == "reprint")
            #expect(error?.details["sameAs"] == role)
        }
    }
}
