/// Why one target did not take a row, as stored in `last_error`.
struct DeliveryError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
