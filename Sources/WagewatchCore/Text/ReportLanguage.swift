/// The language officials read: Chinese by default, English on request (`--lang en`).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}
