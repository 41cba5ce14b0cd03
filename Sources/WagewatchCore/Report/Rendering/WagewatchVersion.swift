/// The version printed in reports (an input of the renderer, so golden files can pin it).
public enum WagewatchVersion {
    public static let current = "0.1.0"
}
