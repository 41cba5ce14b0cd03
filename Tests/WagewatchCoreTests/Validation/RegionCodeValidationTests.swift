import Foundation
import Testing
@testable import WagewatchCore

@Suite("Region codes (GB/T 2260)")
struct RegionCodeValidationTests {
    @Test("codes at each level parse and report their level", arguments: [
        ("410000", RegionCode.Level.province),
        ("410100", .prefecture),
        ("410102", .county),
        ("110101", .county),
        ("419001", .county),
        ("469001", .county),
        ("650000", .province),
        ("810000", .province),
        ("820000", .province),
        ("710000", .province),
    ])
    func levels(text: String, level: RegionCode.Level) throws {
        let code = try RegionCode(parsing: text)
        #expect(code.value == text)
        #expect(code.level == level)
    }

    @Test("every listed province code is accepted and every other two-digit prefix refused")
    func provinces() throws {
        var accepted = Set<String>()
        for prefix in 0...99 {
            let two = prefix < 10 ? "0\(prefix)" : "\(prefix)"
            if (try? RegionCode(parsing: two + "0000")) != nil { accepted.insert(two) }
        }
        #expect(accepted == [
            "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
            "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
            "71", "81", "82",
        ])
        #expect(accepted.count == 34)
    }

    @Test("an unknown province is named in the error")
    func unknownProvince() {
        #expect(throws: ValidationError(
            field: "region_code", value: "160100", problem: "is not a valid region code (unknown province 16)")) {
            try RegionCode(parsing: "160100")
        }
        #expect(throws: ValidationError.self) { try RegionCode(parsing: "000000") }
    }

    @Test("a county part without a prefecture part is refused", arguments: ["410001", "110099", "650010"])
    func countyWithoutPrefecture(text: String) {
        #expect(throws: ValidationError(
            field: "region_code", value: text, problem: "is not a valid region code (a county needs a prefecture)")) {
            try RegionCode(parsing: text)
        }
    }

    @Test("anything but six digits is refused", arguments: ["", "41010", "4101020", "41O102", "4101-2", "41 0102", "+41010"])
    func wrongShape(text: String) {
        #expect(throws: ValidationError(field: "region_code", value: text, problem: "is not a valid region code (6 digits expected)")) {
            try RegionCode(parsing: text)
        }
    }

    @Test("full-width digits and surrounding whitespace are accepted")
    func normalises() throws {
        #expect(try RegionCode(parsing: " ４１０１０２\u{3000}").value == "410102")
    }

    @Test("a county lies in its prefecture and its province")
    func hierarchy() throws {
        let county = try RegionCode(parsing: "410102")
        #expect(county.provinceCode == "41")
        #expect(county.province == (try RegionCode(parsing: "410000")))
        #expect(county.prefecture == (try RegionCode(parsing: "410100")))
        #expect(try RegionCode(parsing: "410000").prefecture == nil)
        #expect(try RegionCode(parsing: "410100").prefecture == (try RegionCode(parsing: "410100")))
    }

    @Test("containment follows the levels")
    func containment() throws {
        let henan = try RegionCode(parsing: "410000")
        let zhengzhou = try RegionCode(parsing: "410100")
        let zhongyuan = try RegionCode(parsing: "410102")
        let luoyang = try RegionCode(parsing: "410300")
        #expect(henan.contains(zhongyuan))
        #expect(henan.contains(zhengzhou))
        #expect(henan.contains(henan))
        #expect(zhengzhou.contains(zhongyuan))
        #expect(!zhengzhou.contains(luoyang))
        #expect(!zhongyuan.contains(zhengzhou))
        #expect(zhongyuan.contains(zhongyuan))
        #expect(!henan.contains(try RegionCode(parsing: "420100")))
    }

    @Test("a custom field name is used and codes sort as text")
    func fieldAndOrder() throws {
        let error = #expect(throws: ValidationError.self) { try RegionCode(parsing: "99", field: "worker_region") }
        #expect(error?.field == "worker_region")
        let sorted = try ["410300", "110101", "410102"].map { try RegionCode(parsing: $0) }.sorted()
        #expect(sorted.map(\.description) == ["110101", "410102", "410300"])
    }

    @Test("JSON round-trips as a string")
    func codable() throws {
        let code = try RegionCode(parsing: "410102")
        let data = try JSONEncoder().encode([code])
        #expect(String(decoding: data, as: UTF8.self) == #"["410102"]"#)
        #expect(try JSONDecoder().decode([RegionCode].self, from: data) == [code])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([RegionCode].self, from: Data(#"["410001"]"#.utf8)) }
    }
}

@Suite("Employer names for merging complaints (SPEC C4)")
struct EmployerNameValidationTests {
    @Test("spellings of one employer normalise to the same name", arguments: [
        ["河南建工集团有限公司", "河南建工集团有限责任公司", " 河南建工集团（有限公司）", "河南建工集团(有限责任公司)", "河南 建工\u{3000}集团有限公司"],
        ["郑州ABC建筑劳务有限公司", "郑州ａｂｃ建筑劳务有限公司", "郑州 abc 建筑劳务有限责任公司", "郑州Abc建筑劳务(有限公司)"],
        ["中建七局（河南）有限公司", "中建七局(河南)有限公司", "中建七局 ( 河南 ) 有限责任公司"],
        ["洛阳１号工程股份有限公司", "洛阳1号工程股份有限公司", "洛阳1号工程(股份有限公司)", "洛阳1号工程股份有限责任公司"],
    ])
    func sameEmployer(spellings: [String]) {
        let forms = Set(spellings.map(EmployerName.normalise))
        #expect(forms.count == 1)
        for spelling in spellings.dropFirst() {
            #expect(EmployerName.same(spellings[0], spelling))
        }
    }

    @Test("the canonical forms are what the examples expect")
    func canonicalForms() {
        #expect(EmployerName.normalise(" 郑州ａｂｃ建筑劳务（有限责任公司） ") == "郑州ABC建筑劳务有限公司")
        #expect(EmployerName.normalise("中建七局（河南）有限公司") == "中建七局(河南)有限公司")
        #expect(EmployerName.normalise("洛阳1号工程(股份有限公司)") == "洛阳1号工程股份有限公司")
        #expect(EmployerName.normalise("河南建工集团有限责任公司郑州分公司") == "河南建工集团有限公司郑州分公司")
    }

    @Test("a joint-stock company is not the same as a limited company of the same name")
    func jointStockDistinct() {
        #expect(!EmployerName.same("洛阳工程股份有限公司", "洛阳工程有限公司"))
        #expect(!EmployerName.same("洛阳工程股份有限公司", "洛阳工程有限责任公司"))
        #expect(!EmployerName.same("洛阳工程(股份有限公司)", "洛阳工程(有限公司)"))
    }

    @Test("different employers stay different")
    func differentEmployers() {
        #expect(!EmployerName.same("河南建工集团有限公司", "河南建工有限公司"))
        #expect(!EmployerName.same("郑州建筑公司", "郑州建筑有限公司"))
        #expect(!EmployerName.same("张三来料加工点", "李四来料加工点"))
    }

    @Test("only Latin letters are uppercased; Chinese and digits are kept")
    func casing() {
        #expect(EmployerName.normalise("abc建筑123") == "ABC建筑123")
        #expect(EmployerName.normalise("ＸＹＺ劳务") == "XYZ劳务")
    }

    @Test("normalising is idempotent")
    func idempotent() {
        for name in ["河南建工集团（有限责任公司）", "郑州 abc 劳务股份有限责任公司", " 个体户 王五 "] {
            let once = EmployerName.normalise(name)
            #expect(EmployerName.normalise(once) == once)
        }
    }
}
