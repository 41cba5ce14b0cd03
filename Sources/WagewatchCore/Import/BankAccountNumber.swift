/// A bank card or account number: 8 to 30 digits, spaces and hyphens as typed dropped.
enum BankAccountNumber {
    static func parse(_ text: String, field: String) throws(ValidationError) -> String {
        let digits = String(FullWidth.cleaned(text).filter { $0 != " " && $0 != "-" })
        guard (8...30).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ValidationError(field: field, value: text, problem: "is not a bank account number (8 to 30 digits)")
        }
        return digits
    }
}
