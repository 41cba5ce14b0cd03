import Foundation

extension ReportRenderer {
    static func escape(_ s: String) -> String { TextEscaping.html(s) }

    /// A horizontal bar chart in inline SVG; bar lengths are integer arithmetic on the values.
    func barChart(_ title: String, _ items: [(label: String, value: Int64, text: String)]) -> String {
        let width: Int64 = 680, labelWidth: Int64 = 200, valueWidth: Int64 = 150, rowHeight: Int64 = 22
        let barSpace = width - labelWidth - valueWidth
        let maxValue = items.map(\.value).max() ?? 0
        let height = rowHeight * Int64(max(items.count, 1)) + 30
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        svg += "<text x=\"0\" y=\"16\" class=\"ct\">\(Self.escape(title))</text>"
        for (index, item) in items.enumerated() {
            let y = 26 + rowHeight * Int64(index)
            let length = maxValue > 0 ? max(item.value > 0 ? 1 : 0, item.value.multipliedReportingOverflow(by: barSpace).overflow
                ? item.value / max(maxValue / barSpace, 1) : item.value * barSpace / maxValue) : 0
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(Self.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(rowHeight - 6)\" class=\"bar\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\">\(Self.escape(item.text))</text>"
        }
        if items.isEmpty {
            svg += "<text x=\"0\" y=\"44\">\(Self.escape(t("无数据", "No data")))</text>"
        }
        return svg + "</svg></figure>\n"
    }

    func htmlTable(_ table: ReportTable, heading: String = "h2") -> String {
        var out = "<\(heading)>\(Self.escape(table.title))</\(heading)>\n"
        if table.rows.isEmpty && !table.empty.isEmpty { return out + "<p class=\"none\">\(Self.escape(table.empty))</p>\n" }
        out += "<table>\n<thead><tr>"
        for (i, h) in table.header.enumerated() {
            out += "<th\(table.numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(h))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (i, c) in row.enumerated() {
                out += "<td\(table.numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(c))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// The report's print stylesheet (A4; PDF goes through it). The web desk shows `htmlBody()`
    /// under its own stylesheet instead, whose Content-Security-Policy allows no inline style.
    public static let printCSS = """
        @page { size: A4; margin: 15mm 12mm 15mm 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; font-size: 10.5pt; line-height: 1.5;
               color: #111; margin: 0; }
        main { width: 100%; max-width: 186mm; margin: 0 auto; padding: 0 2mm; }
        h1 { font-size: 17pt; margin: 0 0 4mm; border-bottom: 2px solid #b00; padding-bottom: 2mm; }
        h2 { font-size: 13pt; margin: 5mm 0 2mm; color: #700; }
        h3 { font-size: 11pt; margin: 4mm 0 2mm; }
        section { break-before: page; page-break-before: always; }
        section.first { break-before: auto; page-break-before: auto; }
        .meta { color: #444; font-size: 9pt; margin: 0 0 3mm; padding: 0; list-style: none; }
        .zero { border: 2px solid #b00; color: #b00; font-weight: bold; padding: 3mm; margin: 3mm 0; }
        .lead { font-size: 11.5pt; font-weight: bold; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm;
                break-inside: auto; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 1px solid #888; padding: 1mm 1.5mm; text-align: left; vertical-align: top;
                 overflow-wrap: anywhere; word-break: break-word; }
        th { background: #eee; font-weight: bold; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        .none { color: #555; }
        figure { margin: 2mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
        svg { max-width: 100%; height: auto; font-family: inherit; font-size: 12px; }
        svg .ct { font-weight: bold; font-size: 13px; }
        svg .bar { fill: #b22; }
        footer { color: #666; font-size: 8pt; margin-top: 6mm; }
        """

    /// The report's sections: its title, facts, blocks and footer, without a page around them.
    public func htmlBody() -> String {
        var body = "<section class=\"first\">\n<h1>\(Self.escape(title))</h1>\n<ul class=\"meta\">"
        for (label, value) in metaLines { body += "<li>\(Self.escape(label)): \(Self.escape(value))</li>" }
        body += "</ul>\n"
        for block in blocks {
            switch block {
            case .notice(let text): body += "<p class=\"zero\">\(Self.escape(text))</p>\n"
            case .paragraph(let text, let lead): body += "<p\(lead ? " class=\"lead\"" : "")>\(Self.escape(text))</p>\n"
            case .heading(let text): body += "<h2>\(Self.escape(text))</h2>\n"
            case .table(let table, let level): body += htmlTable(table, heading: "h\(level)")
            case .chart(let title, let items): body += barChart(title, items)
            case .pageBreak: body += "</section>\n<section>\n"
            }
        }
        return body + "<footer>wagewatch \(Self.escape(version)) · \(Self.escape(generatedText))</footer>\n</section>\n"
    }

    /// The report as one self-contained HTML page, laid out for A4 print (PDF goes through it).
    public func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="\(zh ? "zh-CN" : "en")">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>
        \(Self.printCSS)
        </style>
        </head>
        <body>
        <main>
        \(htmlBody())</main>
        </body>
        </html>

        """
    }
}
