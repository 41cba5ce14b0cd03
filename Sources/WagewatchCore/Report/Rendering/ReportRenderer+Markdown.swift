extension ReportRenderer {
    /// The report as GitHub-flavoured Markdown (no charts).
    public func markdown() -> String {
        func cell(_ s: String) -> String { TextEscaping.markdownCell(s) }
        let text = TextEscaping.markdown
        func table(_ table: ReportTable, level: Int) -> String {
            var out = "\(String(repeating: "#", count: level)) \(text(table.title))\n\n"
            if table.rows.isEmpty && !table.empty.isEmpty { return out + text(table.empty) + "\n\n" }
            out += "| " + table.header.map(cell).joined(separator: " | ") + " |\n"
            out += "|" + table.header.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            return out + "\n"
        }
        var out = "# \(text(title))\n\n"
        for (label, value) in metaLines { out += "- \(text(label)): \(text(value))\n" }
        out += "\n"
        for block in blocks {
            switch block {
            case .notice(let notice): out += "> **\(text(notice))**\n\n"
            case .paragraph(let paragraph, _): out += text(paragraph) + "\n\n"
            case .heading(let heading): out += "## \(text(heading))\n\n"
            case .table(let t, let level): out += table(t, level: level)
            case .chart, .pageBreak: break
            }
        }
        return out
    }
}
