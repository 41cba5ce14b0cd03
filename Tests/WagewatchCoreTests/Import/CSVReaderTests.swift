import Foundation
import Testing
@testable import WagewatchCore

/// Calls `body` with the path of a temporary file holding `bytes`, removed afterwards.
private func withCSV<T>(_ bytes: [UInt8], _ body: (String) throws -> T) rethrows -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("csvreader-\(UUID().uuidString).csv").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

private func withCSV<T>(_ text: String, _ body: (String) throws -> T) rethrows -> T {
    try withCSV(Array(text.utf8), body)
}

/// Everything one read of a file produced, in order.
private struct ReadOutcome {
    var header: [String] = []
    var records: [CSVRecord] = []
    var errors: [CSVError] = []
    var fatal: CSVError?
    var bytesRead = 0
    var fileSize = 0
}

private let employers = CSVSchema(
    required: ["uscc", "name", "kind", "region_code"], optional: ["legal_rep", "phone"])
private let employerHeader = "uscc,name,kind,region_code,legal_rep,phone"

private func read(_ bytes: [UInt8], schema: CSVSchema = employers, chunkSize: Int = 1 << 20) throws -> ReadOutcome {
    try withCSV(bytes) { path in
        var reader = try CSVReader(path: path, schema: schema, chunkSize: chunkSize)
        var outcome = ReadOutcome(header: reader.header)
        do {
            while let row = try reader.next() {
                switch row {
                case .success(let record): outcome.records.append(record)
                case .failure(let error): outcome.errors.append(error)
                }
            }
        } catch let error as CSVError {
            outcome.fatal = error
        }
        outcome.bytesRead = reader.bytesRead
        outcome.fileSize = reader.fileSize
        return outcome
    }
}

private func read(_ text: String, schema: CSVSchema = employers, chunkSize: Int = 1 << 20) throws -> ReadOutcome {
    try read(Array(text.utf8), schema: schema, chunkSize: chunkSize)
}

/// The header error `CSVReader.init` throws for `text`, or nil if it opens.
private func headerError(_ text: String, schema: CSVSchema = employers) -> CSVError? {
    withCSV(text) { path -> CSVError? in
        do {
            _ = try CSVReader(path: path, schema: schema)
            return nil
        } catch let error as CSVError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }
}

private let pair = CSVSchema(required: ["a", "b"])

@Suite("CSVReader: records and fields")
struct CSVReaderRecordTests {
    @Test("a plain file gives one record per line, values by column name, lines counted from the header")
    func plainFile() throws {
        let outcome = try read("""
            \(employerHeader)
            91410100MA3X00001A,郑州建工集团有限公司,general_contractor,410100,张三,13800138000
            91410100MA3X00002B,河南某劳务有限公司,subcontractor,410102,李四,13900139000

            """)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.fatal == nil)
        #expect(outcome.header == ["uscc", "name", "kind", "region_code", "legal_rep", "phone"])
        #expect(outcome.records.count == 2)
        let first = try #require(outcome.records.first)
        #expect(first.line == 2)
        #expect(first["uscc"] == "91410100MA3X00001A")
        #expect(first["name"] == "郑州建工集团有限公司")
        #expect(first["legal_rep"] == "张三")
        #expect(first["phone"] == "13800138000")
        #expect(outcome.records[1].line == 3)
        #expect(outcome.records[1]["name"] == "河南某劳务有限公司")
        #expect(outcome.records[1]["region_code"] == "410102")
    }

    @Test("a UTF-8 byte order mark before the header is skipped")
    func byteOrderMark() throws {
        let outcome = try read([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), schema: pair)
        #expect(outcome.header == ["a", "b"])
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0]["a"] == "1")
        #expect(outcome.records[0]["b"] == "2")
        #expect(outcome.bytesRead == 11)
        #expect(outcome.fileSize == 11)
    }

    @Test("CRLF line ends are read like LF, and no CR is left in the last value")
    func crlf() throws {
        let outcome = try read("a,b\r\n1,2\r\n3,4\r\n", schema: pair)
        #expect(outcome.records.map { [$0["a"], $0["b"]] } == [["1", "2"], ["3", "4"]])
        #expect(outcome.records.map(\.line) == [2, 3])
        #expect(outcome.errors.isEmpty)
    }

    @Test("quoted values may hold commas, doubled quotes and line ends")
    func quotedValues() throws {
        let outcome = try read(
            "a,b\n"
                + "\"万达, 二期\",\"他说\"\"还钱\"\"\"\n"
                + "\"第一行\n第二行\r\n第三行\",x\n"
                + "after,multi\n",
            schema: pair)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.count == 3)
        #expect(outcome.records[0]["a"] == "万达, 二期")
        #expect(outcome.records[0]["b"] == "他说\"还钱\"")
        #expect(outcome.records[1]["a"] == "第一行\n第二行\r\n第三行")
        #expect(outcome.records[1]["b"] == "x")
        #expect(outcome.records.map(\.line) == [2, 3, 6])
        #expect(outcome.records[2]["a"] == "after")
    }

    @Test("an empty quoted value and an empty cell are both nil, and absent optional columns are nil")
    func emptyCells() throws {
        let outcome = try read("""
            uscc,name,kind,region_code
            91410100MA3X00001A,,"",410100
            91410100MA3X00002B,  ,"   ",410100

            """)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.count == 2)
        for record in outcome.records {
            #expect(record["name"] == nil)
            #expect(record["kind"] == nil)
            #expect(record["legal_rep"] == nil)
            #expect(record["phone"] == nil)
            #expect(record["region_code"] == "410100")
        }
    }

    @Test("values and header names are trimmed of surrounding ASCII whitespace, quoted or not")
    func trimming() throws {
        let outcome = try read(" a , b\t\n  x y  ,\t\" 郑州 \" \n", schema: pair)
        #expect(outcome.header == ["a", "b"])
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0]["a"] == "x y")
        #expect(outcome.records[0]["b"] == "郑州")
    }

    @Test("completely empty lines are skipped but still counted")
    func blankLines() throws {
        let outcome = try read("a,b\n\n1,2\n\r\n\n3,4\n\n", schema: pair)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.map(\.line) == [3, 6])
        #expect(outcome.records.map { $0["a"] } == ["1", "3"])
    }

    @Test("a last line without a line end is read")
    func lastLineWithoutNewline() throws {
        let outcome = try read("a,b\n1,2\n3,\"4\"", schema: pair)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.count == 2)
        #expect(outcome.records[1].line == 3)
        #expect(outcome.records[1]["a"] == "3")
        #expect(outcome.records[1]["b"] == "4")
        #expect(outcome.bytesRead == outcome.fileSize)
        #expect(outcome.fileSize == 13)
    }

    @Test("a trailing comma at the end of the file is one more empty field")
    func trailingCommaAtEnd() throws {
        let outcome = try read("a,b\n1,", schema: pair)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0]["a"] == "1")
        #expect(outcome.records[0]["b"] == nil)
    }

    @Test("Chinese text in every column survives unchanged")
    func chineseText() throws {
        let schema = CSVSchema(required: ["姓名", "工地"], optional: ["备注"])
        let outcome = try read("姓名,工地,备注\n王小明,郑东新区龙湖金融岛项目（二标段）,拖欠３个月工资😡\n", schema: schema)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0]["姓名"] == "王小明")
        #expect(outcome.records[0]["工地"] == "郑东新区龙湖金融岛项目（二标段）")
        #expect(outcome.records[0]["备注"] == "拖欠３个月工资😡")
    }

    @Test("only a header gives no records and no errors")
    func headerOnly() throws {
        let outcome = try read("a,b\n", schema: pair)
        #expect(outcome.records.isEmpty)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.fatal == nil)
    }
}

@Suite("CSVReader: header against the schema")
struct CSVReaderHeaderTests {
    @Test("columns may come in any order and optional ones may be left out")
    func orderIsFree() throws {
        let outcome = try read("region_code,kind,uscc,name,phone\n410100,owner,91410100MA3X00001A,某公司,13800138000\n")
        #expect(outcome.errors.isEmpty)
        #expect(outcome.records[0]["uscc"] == "91410100MA3X00001A")
        #expect(outcome.records[0]["kind"] == "owner")
        #expect(outcome.records[0]["phone"] == "13800138000")
        #expect(outcome.records[0]["legal_rep"] == nil)
    }

    @Test("an unknown column is an error naming it")
    func extraColumn() {
        let error = headerError("a,b,remarks\n1,2,3\n", schema: pair)
        #expect(error?.line == 1)
        #expect(error?.column == nil)
        #expect(error?.description == "line 1: header: unknown column \"remarks\" (the columns are a,b)")
    }

    @Test("missing required columns are an error naming them")
    func missingRequired() {
        let error = headerError("uscc,kind,phone\n")
        #expect(error?.description
            == "line 1: header: missing required columns name, region_code (the columns are uscc,name,kind,region_code,legal_rep,phone)")
    }

    @Test("a column given twice is an error naming it")
    func duplicateColumn() {
        let error = headerError("a,b, a\n1,2,3\n", schema: pair)
        #expect(error?.description == "line 1: header: column a appears more than once (the columns are a,b)")
    }

    @Test("unknown and missing columns are reported together")
    func severalHeaderProblems() {
        let error = headerError("a,c\n", schema: pair)
        #expect(error?.description == "line 1: header: unknown column \"c\"; missing required column b (the columns are a,b)")
    }

    @Test("an empty header name is an error")
    func emptyHeaderName() {
        let error = headerError("a,b,\n1,2,\n", schema: pair)
        #expect(error?.description == "line 1: header column 3 has no name (the columns are a,b)")
    }

    @Test("an empty file is an error asking for a header")
    func emptyFile() {
        let error = headerError("", schema: pair)
        #expect(error?.description == "line 1: the file is empty: a header is expected (the columns are a,b)")
        #expect(headerError("\n\n", schema: pair)?.line == 1)
    }

    @Test("a file that does not exist cannot be opened")
    func missingFile() {
        do {
            _ = try CSVReader(path: "/nonexistent/wagewatch/employers.csv", schema: pair)
            Issue.record("opened a file that does not exist")
        } catch {
            #expect(error.line == 0)
            #expect(error.description == "cannot open /nonexistent/wagewatch/employers.csv: No such file or directory")
        }
    }
}

@Suite("CSVReader: bad records are reported and reading goes on")
struct CSVReaderBadRecordTests {
    @Test("a record with too many or too few fields names its line and both counts")
    func wrongFieldCount() throws {
        let outcome = try read("a,b\n1,2,3\n1\n5,6\n", schema: pair)
        #expect(outcome.errors.map(\.description) == [
            "line 2: has 3 fields, the header has 2",
            "line 3: has 1 field, the header has 2",
        ])
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0].line == 4)
        #expect(outcome.records[0]["a"] == "5")
    }

    @Test("invalid UTF-8 names the line and column, and the next record is still read")
    func invalidUTF8() throws {
        // "郑州" in GBK is D6 A3 D6 DD, which is not UTF-8.
        let bytes = Array("a,b\n1,".utf8) + [0xD6, 0xA3, 0xD6, 0xDD] + Array("\n2,ok\n".utf8)
            + [0x33, 0x2C, 0xE9, 0x83] + Array("\n".utf8)
        let outcome = try read(bytes, schema: pair)
        #expect(outcome.errors.count == 2)
        #expect(outcome.errors.map(\.line) == [2, 4])
        #expect(outcome.errors.map(\.column) == ["b", "b"])
        #expect(outcome.errors[0].description
            == "line 2: b: is not valid UTF-8 (if the file was saved as GBK, save it again as \"CSV UTF-8\")")
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0]["b"] == "ok")
    }

    @Test("overlong encodings and encoded surrogates are not valid UTF-8")
    func strictUTF8() throws {
        let bytes = Array("a,b\n".utf8) + [0xC0, 0xAF] + Array(",x\ny,".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8)
        let outcome = try read(bytes, schema: pair)
        #expect(outcome.errors.map(\.line) == [2, 3])
        #expect(outcome.errors.map(\.column) == ["a", "b"])
        #expect(outcome.records.isEmpty)
    }

    @Test("a NUL byte is an error for its record, quoted or not")
    func nulByte() throws {
        let bytes = Array("a,b\n1,x".utf8) + [0] + Array("y\n\"".utf8) + [0] + Array("\",2\n3,4\n".utf8)
        let outcome = try read(bytes, schema: pair)
        #expect(outcome.errors.map(\.description) == [
            "line 2: b: contains a NUL byte",
            "line 3: a: contains a NUL byte",
        ])
        #expect(outcome.records.map(\.line) == [4])
    }

    @Test("a quote inside an unquoted value is an error")
    func strayQuote() throws {
        let outcome = try read("a,b\n1,5\"3\n2,3\n", schema: pair)
        #expect(outcome.errors.map(\.description) == [
            "line 2: b: has a quote inside an unquoted value (quote the whole value and double the quote)",
        ])
        #expect(outcome.records.map { $0["a"] } == ["2"])
    }

    @Test("text after a closing quote is an error")
    func textAfterClosingQuote() throws {
        let outcome = try read("a,b\n\"x\"y,2\n\"ok\" ,3\n", schema: pair)
        #expect(outcome.errors.map(\.description) == ["line 2: a: has text after the closing quote"])
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0].line == 3)
        #expect(outcome.records[0]["a"] == "ok")
    }

    @Test("a quote never closed stops the read at the record where it opens")
    func unterminatedQuote() throws {
        let outcome = try read("a,b\n1,2\n3,\"unclosed\n4,5\n6,7\n", schema: pair)
        #expect(outcome.records.map(\.line) == [2])
        #expect(outcome.errors.isEmpty)
        #expect(outcome.fatal?.description
            == "line 3: b: opens a quote that is never closed (the rest of the file cannot be read)")
    }

    @Test("a record longer than the limit stops the read instead of filling memory")
    func overlongRecord() throws {
        try withCSV("a,b\n1,\"" + String(repeating: "x", count: 5000) + "\n") { path in
            var reader = try CSVReader(path: path, schema: pair, chunkSize: 256, maxRecordBytes: 1024)
            #expect(throws: CSVError(
                line: 2,
                problem: "the record is longer than 1024 bytes: is a quote left open? (the rest of the file cannot be read)"
            )) { _ = try reader.next() }
            #expect(try reader.next() == nil)
            #expect(reader.bytesRead == 4)
        }
    }

    @Test("forEach hands good records to the body and bad ones, with the body's own, to the problems")
    func forEachCollects() throws {
        var problems = ImportProblems()
        var seen: [String] = []
        try withCSV("a,b\n1,2\n1,2,3\n-5,4\n7,\"x") { path in
            var reader = try CSVReader(path: path, schema: pair)
            reader.forEach(collectingProblemsIn: &problems) { record, problems in
                if let a = record["a"], a.hasPrefix("-") {
                    problems.add(line: record.line, column: "a", problem: "is negative")
                } else {
                    seen.append(record["a"] ?? "")
                }
            }
        }
        #expect(seen == ["1"])
        #expect(problems.description == """
            line 3: has 3 fields, the header has 2
            line 4: a: is negative
            line 5: b: opens a quote that is never closed (the rest of the file cannot be read)
            """)
    }
}

@Suite("CSVReader: chunk boundaries")
struct CSVReaderChunkTests {
    static let tricky = [0xEF, 0xBB, 0xBF] + Array((
        "uscc,name,kind,region_code,legal_rep,phone\r\n"
            + "91410100MA3X00001A,\"郑州建工, \"\"集团\"\"\r\n有限公司\",owner,410100,张三,13800138000\r\n"
            + "\r\n"
            + "91410100MA3X00002B,河南劳务😀,subcontractor,410102,,\n"
            + "bad,\"x\"y,owner,410100,,\n"
            + "91410100MA3X00003C,\"\",enterprise,410103,\"李\n四\",\r"
            + "91410100MA3X00004D,最后一行,owner,410104,王五,13700137000"
    ).utf8)

    @Test("every chunk size gives the same records, lines and errors", arguments: Array(1...17) + [64, 100])
    func sameResultForEveryChunkSize(chunkSize: Int) throws {
        let outcome = try read(Self.tricky, chunkSize: chunkSize)
        #expect(outcome.fatal == nil)
        #expect(outcome.header == ["uscc", "name", "kind", "region_code", "legal_rep", "phone"])
        #expect(outcome.records.map(\.line) == [2, 5, 7, 9])
        #expect(outcome.records.map { $0["name"] } == ["郑州建工, \"集团\"\r\n有限公司", "河南劳务😀", nil, "最后一行"])
        #expect(outcome.records.map { $0["legal_rep"] } == ["张三", nil, "李\n四", "王五"])
        #expect(outcome.records.map { $0["phone"] } == ["13800138000", nil, nil, "13700137000"])
        #expect(outcome.errors.map(\.description) == ["line 6: name: has text after the closing quote"])
        #expect(outcome.bytesRead == Self.tricky.count)
        #expect(outcome.fileSize == Self.tricky.count)
    }

    @Test("a chunk boundary inside a multi-byte character still decodes it", arguments: [1, 2, 4, 5, 7])
    func boundaryInsideCharacter(chunkSize: Int) throws {
        // The header is 4 bytes, so "张" (3 bytes) and "😀" (4 bytes) straddle most chunk sizes.
        let outcome = try read("a,b\n张,😀三\n", schema: pair, chunkSize: chunkSize)
        #expect(outcome.records.count == 1)
        #expect(outcome.records[0]["a"] == "张")
        #expect(outcome.records[0]["b"] == "😀三")
    }

    @Test("a chunk boundary between CR and LF is one line end", arguments: [1, 2, 3, 4, 5, 6])
    func boundaryInsideCRLF(chunkSize: Int) throws {
        let outcome = try read("a,b\r\n1,2\r\n\r\n3,4\r\n", schema: pair, chunkSize: chunkSize)
        #expect(outcome.records.map(\.line) == [2, 4])
        #expect(outcome.records.map { $0["b"] } == ["2", "4"])
    }
}

@Suite("CSVReader: large files")
struct CSVReaderLargeFileTests {
    @Test("a 200,000-line file is read completely, quickly, with the right last line number")
    func twoHundredThousandLines() throws {
        let lines = 200_000
        var bytes = Array("id_number,name,phone,bank,bank_account,employer_uscc,project_code,joined,left\n".utf8)
        bytes.reserveCapacity(lines * 120)
        for index in 1..<lines {
            bytes += Array("41010219900101\(String(index % 10_000, radix: 10)),工人\(index),13800138000,中国工商银行,6222020200112233445,91410100MA3X00001A,\"ZZ-2026,\"\"001\"\"\",2026-01-05,\n".utf8)
        }
        let schema = CSVSchema(
            required: ["id_number", "name", "employer_uscc", "project_code", "joined"],
            optional: ["phone", "bank", "bank_account", "left"])
        var count = 0
        var last: CSVRecord?
        var errors = 0
        try withCSV(bytes) { path in
            var reader = try CSVReader(path: path, schema: schema)
            while let row = try reader.next() {
                switch row {
                case .success(let record):
                    count += 1
                    last = record
                case .failure:
                    errors += 1
                }
            }
            #expect(reader.bytesRead == bytes.count)
        }
        #expect(errors == 0)
        #expect(count == lines - 1)
        #expect(last?.line == lines)
        #expect(last?["name"] == "工人\(lines - 1)")
        #expect(last?["project_code"] == "ZZ-2026,\"001\"")
        #expect(last?["left"] == nil)
    }
}

@Suite("ImportProblems")
struct ImportProblemsTests {
    @Test("problems are listed one a line, sorted by line, in the order added within a line")
    func sortedByLine() {
        var problems = ImportProblems()
        problems.add(CSVError(line: 9, column: "phone", problem: "is not a phone number"))
        problems.add(line: 3, column: nil, problem: "has 5 fields, the header has 6")
        problems.add(line: 9, ValidationError(field: "uscc", value: "91410100MA3X", problem: "is not a valid unified social credit code (check digit)"))
        #expect(problems.count == 3)
        #expect(problems.description == """
            line 3: has 5 fields, the header has 6
            line 9: phone: is not a phone number
            line 9: uscc: "91410100MA3X" is not a valid unified social credit code (check digit)
            """)
    }

    @Test("no problems is empty")
    func empty() {
        let problems = ImportProblems()
        #expect(problems.isEmpty)
        #expect(problems.description == "")
    }

    @Test("only the first 200 lines are listed, then how many more there are")
    func capped() {
        var problems = ImportProblems()
        for line in (2...501).reversed() {
            problems.add(line: line, column: "name", problem: "is empty")
        }
        #expect(problems.count == 500)
        #expect(problems.errors.count == 200)
        #expect(problems.errors.first?.line == 2)
        #expect(problems.errors.last?.line == 201)
        let lines = problems.description.split(separator: "\n")
        #expect(lines.count == 201)
        #expect(lines.first == "line 2: name: is empty")
        #expect(lines[199] == "line 201: name: is empty")
        #expect(lines.last == "… and 300 more")
    }

    @Test("a problem on an early line added late still displaces a later one")
    func lateEarlyProblem() {
        var problems = ImportProblems(limit: 3)
        for line in [10, 11, 12, 13] { problems.add(line: line, column: nil, problem: "bad") }
        problems.add(line: 2, column: "uscc", problem: "is a duplicate")
        #expect(problems.errors.map(\.line) == [2, 10, 11])
        #expect(problems.description.hasSuffix("… and 2 more"))
    }
}
