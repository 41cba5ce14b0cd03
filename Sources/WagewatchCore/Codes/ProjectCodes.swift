/// Where a project stands (`projects.status`).
public enum ProjectStatus: String, DatabaseCode {
    case planned, started, finished
    public static let field = "status"
}
