import Foundation

/// The weekly report as PDF: its HTML printed by headless Chromium (the CLI's `--format pdf` and
/// the web desk's download both come here).
public enum ReportPDF {
    /// The Chromium on PATH, or an error that says how to install one. Looked for before the
    /// report is built, so a missing browser costs no query.
    public static func findBrowser() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw WagewatchError.failure(
            "pdf: no headless Chromium found on PATH (chromium, chromium-browser, google-chrome); "
                + "install it with: apt-get install chromium fonts-noto-cjk (or use --format html)")
    }

    /// Prints the HTML to PDF with headless Chromium, in a temporary folder removed afterwards.
    public static func print(html: String, browser: String) throws -> Data {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("wagewatch-report-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let htmlFile = folder.appendingPathComponent("report.html")
        let pdfFile = folder.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: htmlFile)
        let result = try ChildProcess.run([
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
            "--print-to-pdf=\(pdfFile.path)", htmlFile.absoluteString,
        ])
        guard result.status == 0, let data = FileManager.default.contents(atPath: pdfFile.path), !data.isEmpty else {
            throw WagewatchError.failure("pdf: \(browser) failed (status \(result.status)): \(result.stderr.suffix(500))")
        }
        return data
    }
}
