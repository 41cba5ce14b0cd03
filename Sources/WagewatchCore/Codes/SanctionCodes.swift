/// The restriction measures a department may record against a contractor (`sanctions.measure`, S1).
public enum SanctionMeasure: String, DatabaseCode {
    case restrictBidding = "restrict_bidding", blacklist, restrictCredit = "restrict_credit"
    case restrictTravel = "restrict_travel", publicExposure = "public_exposure", other

    public static let field = "measure"
    public static let labelKind: Labels.Kind? = .sanctionMeasure
}
