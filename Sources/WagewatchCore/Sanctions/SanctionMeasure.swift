/// The restriction measures a department may record against a contractor (S1).
public enum SanctionMeasure: String, Sendable, CaseIterable, Codable {
    case restrictBidding = "restrict_bidding", blacklist, restrictCredit = "restrict_credit"
    case restrictTravel = "restrict_travel", publicExposure = "public_exposure", other
}
