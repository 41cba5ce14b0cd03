extension ReportRenderer {
    /// The report as GitHub-flavoured Markdown (no charts).
    public func markdown() -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func table(_ table: ReportTable, level: Int) -> String {
            var out = "\(String(repeating: "#", count: level)) \(table.title)\n\n"
            if table.rows.isEmpty && !table.empty.isEmpty { return out + table.empty + "\n\n" }
            out += "| " + table.header.map(cell).joined(separator: " | ") + " |\n"
            out += "|" + table.header.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            return out + "\n"
        }
        var out = "# \(title)\n\n"
        for (label, value) in metaLines { out += "- \(label): \(value)\n" }
        out += "\n"
        for block in blocks {
            switch block {
            case .notice(let text): out += "> **\(text)**\n\n"
            case .paragraph(let text, _): out += text + "\n\n"
            case .heading(let text): out += "## \(text)\n\n"
            case .table(let t, let level): out += table(t, level: level)
            case .chart, .pageBreak: break
            }
        }
        return out
    }
}
