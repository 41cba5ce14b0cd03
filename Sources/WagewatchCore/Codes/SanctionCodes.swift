// `SanctionMeasure` (`sanctions.measure`, SPEC S1) is declared in Sanctions/SanctionDesk.swift,
// which is being split; its declaration moves here once that lands.
extension SanctionMeasure: DatabaseCode {
    public static let field = "measure"
    public static let labelKind: Labels.Kind? = .sanctionMeasure
}
