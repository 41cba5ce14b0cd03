/// Every problem found in one record given as text fields (a CSV row or command-line options),
/// each naming its field and value: parsers collect them all rather than stopping at the first.
public final class FieldProblems {
    public private(set) var errors: [ValidationError] = []

    public init() {}

    public var isEmpty: Bool { errors.isEmpty }

    public func add(_ error: ValidationError) { errors.append(error) }

    /// The field's text, or nil with "is required" recorded when it is empty or absent.
    public func required(_ field: String, _ text: String?) -> String? {
        guard let text else {
            add(ValidationError(field: field, value: "", problem: "is required"))
            return nil
        }
        return text
    }

    /// The value `body` parses, or nil with its problem recorded.
    public func attempt<T>(_ body: () throws(ValidationError) -> T) -> T? {
        do { return try body() } catch {
            add(error)
            return nil
        }
    }
}
