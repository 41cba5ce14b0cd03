/// Masks personal data for lists and reports (SPEC §6).
public enum Mask {
    /// `410102199003070061` → `4101**********0061`.
    public static func idNumber(_ value: String) -> String {
        guard value.count > 8 else { return String(repeating: "*", count: value.count) }
        return String(value.prefix(4)) + String(repeating: "*", count: value.count - 8) + String(value.suffix(4))
    }
}
