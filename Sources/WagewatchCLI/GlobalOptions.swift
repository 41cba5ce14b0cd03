import ArgumentParser

/// Options every command takes (SPEC §4).
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or conninfo (else DATABASE_URL, else the embedded local cluster).", valueName: "url"))
    public var db: String?

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Act as this wagewatch user (SET ROLE; else WAGEWATCH_USER): what they may see and change, and the name in the audit log.", valueName: "user"))
    public var actor: String?

    @Flag(name: .long, help: "Print machine-readable JSON on stdout; messages go to stderr.")
    public var json = false

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (else ./wagewatch.toml when present).", valueName: "file"))
    public var config: String?

    public init() {}
}
