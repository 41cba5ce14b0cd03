/// A user's SPEC §1 role (`users.role`), each a group role `wagewatch_<role>`.
public enum UserRole: String, DatabaseCode {
    case intake, inspector, sector, official, admin
    public static let field = "role"
}

/// A department, as the `departments` reference table names them (SPEC P0).
public enum Department: String, DatabaseCode {
    case labor, transport, land, water, construction, commerce, township, countyOffice = "county_office"
    public static let field = "department"
    public static let labelKind: Labels.Kind? = .department
}
