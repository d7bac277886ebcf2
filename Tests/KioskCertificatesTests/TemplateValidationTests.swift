import Testing

@testable import KioskCertificates

/// An order's values checked against its template before anything is drawn.
@Suite struct TemplateValidationTests {
    static func template() throws -> CertificateTemplate {
        try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/public-health-license.toml")
    }

    static func order(_ changes: [String: String?] = [:]) -> [String: String] {
        var order = RenderSupport.healthLicenceOrder
        for (key, value) in changes { order[key] = value }
        return order
    }

    @Test func completeOrderPasses() throws {
        try Self.template().validate(fields: Self.order())
        #expect(try Self.template().problems(in: Self.order()).isEmpty)
    }

    @Test func missingRequiredFieldIsNamed() throws {
        let template = try Self.template()
        #expect(throws: CertificateFieldError.missing(key: "unitName", label: "单位名称")) {
            try template.validate(fields: Self.order(["unitName": nil]))
        }
        let error = CertificateFieldError.missing(key: "unitName", label: "单位名称")
        #expect(error.description == "单位名称 (unitName) is required but the order does not have it")
    }

    @Test func blankRequiredFieldIsRefused() throws {
        let template = try Self.template()
        #expect(throws: CertificateFieldError.empty(key: "legalRepresentative", label: "法定代表人（负责人）")) {
            try template.validate(fields: Self.order(["legalRepresentative": " 　"]))
        }
    }

    @Test func unknownFieldIsRefusedWithASuggestion() throws {
        let template = try Self.template()
        let error = CertificateFieldError.unknown(key: "unitNmae", template: "public-health-license", suggestion: "unitName")
        #expect(throws: error) {
            try template.validate(fields: Self.order(["unitNmae": "x"]))
        }
        #expect(
            error.description
                == "unitNmae is not a field of the certificate template public-health-license; did you mean unitName?")
        #expect(throws: CertificateFieldError.unknown(key: "ownerPhone", template: "public-health-license", suggestion: nil)) {
            try template.validate(fields: Self.order(["ownerPhone": "023-68781234"]))
        }
    }

    @Test func tooLongCountsCharactersNotBytes() throws {
        let template = try Self.template()
        // 40 CJK characters (120 UTF-8 bytes) is exactly the limit.
        let forty = String(repeating: "星", count: 40)
        try template.validate(fields: Self.order(["unitName": forty]))
        // A letter with a combining accent is one character.
        try template.validate(fields: Self.order(["unitName": String(repeating: "e\u{301}", count: 40)]))

        let error = CertificateFieldError.tooLong(key: "unitName", label: "单位名称", length: 41, maxLength: 40)
        #expect(throws: error) { try template.validate(fields: Self.order(["unitName": forty + "司"])) }
        #expect(error.description == "单位名称 (unitName) is too long: 41 characters, at most 40 fit on the certificate")
    }

    @Test func lineBreakInASingleLineFieldIsRefused() throws {
        let template = try Self.template()
        #expect(throws: CertificateFieldError.lineBreak(key: "unitName", label: "单位名称")) {
            try template.validate(fields: Self.order(["unitName": "星光\n大酒店"]))
        }
        // The address wraps, so a line break is allowed there.
        try template.validate(fields: Self.order(["address": "重庆市九龙坡区\n杨家坪正街88号"]))
    }

    @Test func optionalFieldMayBeLeftOut() throws {
        let template = try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/food-business-license.toml")
        var order = [
            "operatorName": "重庆市九龙坡区老街小面馆", "creditCode": "92500107MA5U8XQ21K", "legalRepresentative": "李红",
            "residence": "重庆市九龙坡区黄桷坪正街12号", "businessPremises": "重庆市九龙坡区黄桷坪正街12号1楼",
            "mainBusiness": "餐饮服务经营者（小型餐馆）", "businessItems": "热食类食品制售", "validTo": "2030年5月31日",
            "licenseNumber": "JY25001070012345", "issueDate": "2025年6月1日",
        ]
        try template.validate(fields: order)
        order["supervisor"] = ""
        try template.validate(fields: order)
        order["creditCode"] = nil
        #expect(throws: CertificateFieldError.missing(key: "creditCode", label: "统一社会信用代码")) {
            try template.validate(fields: order)
        }
    }

    @Test func problemsListsEverythingInTemplateOrder() throws {
        let template = try Self.template()
        let problems = template.problems(
            in: Self.order([
                "zzz": "1", "validTo": nil, "unitName": String(repeating: "星", count: 41), "aaa": "2",
                "legalRepresentative": "",
            ]))
        #expect(problems.map(\.key) == ["unitName", "legalRepresentative", "validTo", "aaa", "zzz"])
    }
}
