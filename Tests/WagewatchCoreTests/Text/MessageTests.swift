import Testing
@testable import WagewatchCore

@Suite("Core's messages: one table, zh and en")
struct MessageTests {
    @Test("every message's English, filled in, reads back as its Chinese; a message the table does not know stays as it was")
    func roundTrip() throws {
        let table = try #require(Labels.table[.message])
        for (key, label) in table {
            let holes = label.en.components(separatedBy: "{").count - 1
            let values = (0..<holes).map { "V\($0 + 1)" }
            let english = Messages.text(key, values, .en)
            #expect(Messages.translate(english, to: .en) == english)
            #expect(Messages.translate(english, to: .zh) == Messages.text(key, values, .zh), "\(key): \(english)")
            #expect(label.zh.components(separatedBy: "{").count - 1 == holes, "\(key) has the same values in both languages")
        }
        #expect(Messages.translate("something else entirely", to: .zh) == "something else entirely")
    }

    @Test("the CLI's words for a bad phone and USCC come from the table, unchanged; a field's problem keeps its field and value")
    func validation() throws {
        #expect(throws: ValidationError.self) { try PhoneNumber(parsing: "1381234567") }
        do { _ = try PhoneNumber(parsing: "1381234567") } catch {
            #expect(error.description == #"phone: "1381234567" is not a valid phone number (a mobile number has 11 digits)"#)
            #expect(error.text(.zh) == #"phone："1381234567" 不是有效的电话号码（手机号码为 11 位）"#)
        }
        do { _ = try USCC(parsing: "91410100MA44XXXXX9") } catch {
            #expect(error.description.hasPrefix(#"uscc: "91410100MA44XXXXX9" is not a valid unified social credit code ("#))
            #expect(error.text(.zh).hasPrefix(#"uscc："91410100MA44XXXXX9" 不是有效的统一社会信用代码（"#), "\(error.text(.zh))")
            #expect(!error.text(.zh).contains("digit"), "\(error.text(.zh))")
        }
        #expect(WagewatchError.conflict("case 12 is closed").text(.zh) == "案件 12 已结案")
        #expect(WagewatchError.notFound("no case 12").text(.en) == "no case 12")
    }
}
