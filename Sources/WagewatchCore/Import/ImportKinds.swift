/// Every kind of file an import loads (SPEC §5), in the order the CLI's help and the web desk's
/// import form name them; a new kind is one line here.
public enum ImportKinds {
    public static func all(_ session: Session) -> [any ImportKind] {
        [
            EmployerImport(),
            ProjectImport(configuration: session.configuration),
            WorkerImport(today: session.today),
            ComplaintImport(configuration: session.configuration),
            PayrollImport(today: session.today),
            AttendanceImport(today: session.today),
            TransferImport(defaultRegion: session.defaultRegion, today: session.today),
            CalendarImport(),
        ]
    }

    /// The kind named `name` (`workers`, `payroll` …), or a usage error naming every kind.
    public static func named(_ name: String, _ session: Session) throws -> any ImportKind {
        let kinds = all(session)
        guard let kind = kinds.first(where: { type(of: $0).kind == name }) else {
            throw WagewatchError(.usage, "kind: \"\(name)\" is not one of \(kinds.map { type(of: $0).kind }.joined(separator: ", "))")
        }
        return kind
    }
}
