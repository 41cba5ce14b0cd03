import PostgresClient

/// The formats `exposure export` writes.
public enum ExposureFormat: String, Sendable, CaseIterable {
    case csv, md, html
}

/// The public exposure list (S3) as a file for the bureau's website or notice board: contractor,
/// USCC, amount, workers and decision date only. The date is an input, so output is byte-stable.
public struct ExposureList: Sendable {
    public static let title = "拖欠农民工工资失信联合惩戒对象名单"

    public let rows: [ExposureRow]
    /// The day the list speaks for.
    public let asOf: LocalDate

    public init(rows: [ExposureRow], asOf: LocalDate) {
        self.rows = rows
        self.asOf = asOf
    }

    public func render(_ format: ExposureFormat) -> String {
        switch format {
        case .csv: csv()
        case .md: markdown()
        case .html: html()
        }
    }

    /// `contractor_name,uscc,amount_yuan,workers,decision_date`, amounts with two decimals.
    public func csv() -> String {
        var out = "contractor_name,uscc,amount_yuan,workers,decision_date\n"
        for row in rows {
            out += [row.contractorName, row.uscc ?? "", Money.yuan(row.amountFen), String(row.workers),
                    row.decisionDate.description].map(Self.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    public func markdown() -> String {
        var out = "# \(Self.title)\n\n截至 \(asOf)，共 \(rows.count) 家。\n\n"
        out += "| 单位名称 | 统一社会信用代码 | 拖欠金额 | 涉及人数 | 列入日期 |\n"
        out += "| --- | --- | ---: | ---: | --- |\n"
        for row in rows {
            let cells = [row.contractorName, row.uscc ?? "—", Money.forOfficials(row.amountFen), String(row.workers),
                         row.decisionDate.description].map(Self.markdownCell)
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    public func html() -> String {
        var body = ""
        for row in rows {
            body += "      <tr><td>\(Self.escape(row.contractorName))</td><td>\(Self.escape(row.uscc ?? "—"))</td>"
            body += "<td class=\"num\">\(Money.forOfficials(row.amountFen))</td><td class=\"num\">\(row.workers)</td>"
            body += "<td>\(row.decisionDate)</td></tr>\n"
        }
        if rows.isEmpty { body = "      <tr><td colspan=\"5\">无</td></tr>\n" }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(Self.title)</title>
            <style>
              body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
              h1 { font-size: 1.5em; text-align: center; }
              p.asof { text-align: center; color: #555; }
              table { border-collapse: collapse; width: 100%; }
              th, td { border: 1px solid #999; padding: 0.4em 0.6em; }
              th { background: #f2f2f2; }
              td.num { text-align: right; }
            </style>
            </head>
            <body>
            <h1>\(Self.title)</h1>
            <p class="asof">截至 \(asOf)，共 \(rows.count) 家</p>
            <table>
              <thead>
                <tr><th>单位名称</th><th>统一社会信用代码</th><th>拖欠金额</th><th>涉及人数</th><th>列入日期</th></tr>
              </thead>
              <tbody>
            \(body)  </tbody>
            </table>
            </body>
            </html>

            """
    }

    static func csvField(_ text: String) -> String { TextEscaping.csvField(text) }

    static func markdownCell(_ text: String) -> String { TextEscaping.markdownCell(text) }

    static func escape(_ text: String) -> String { TextEscaping.html(text) }
}
