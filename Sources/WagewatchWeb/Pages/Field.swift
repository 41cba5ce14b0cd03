import WagewatchCore

/// One input of a form, as the `field` partial draws it: its label (`for` its id, which is its
/// name, the CSV column where there is one), the value typed, a hint, and the problem beside it.
struct Field {
    enum Kind {
        case text, date, number, password, textarea, checkbox
        case select([(value: String, label: String)])
    }

    var name: String
    var label: String
    var kind: Kind = .text
    var value: String = ""
    var hint: String?
    var problem: String?
    var required = false
    var inputMode: String?
    var autocomplete = "off"

    var view: [String: Any] {
        var isInput = false, isSelect = false, isTextarea = false, isCheckbox = false
        var type = "text"
        var options: [[String: Any]] = []
        switch kind {
        case .text: isInput = true
        case .date: isInput = true; type = "date"
        case .number: isInput = true; type = "text"
        case .password: isInput = true; type = "password"
        case .textarea: isTextarea = true
        case .checkbox: isCheckbox = true
        case .select(let choices):
            isSelect = true
            options = choices.map { ["optionValue": $0.value, "optionLabel": $0.label, "selected": $0.value == value] }
        }
        // Every key is present, so a lookup never falls through to an outer context's value.
        return [
            "name": name, "label": label, "type": type, "value": value,
            "hasHint": hint != nil, "hint": hint ?? "",
            "hasProblem": problem != nil, "problem": problem ?? "",
            "required": required, "inputMode": inputMode ?? "", "hasInputMode": inputMode != nil,
            "autocomplete": autocomplete,
            "isInput": isInput, "isSelect": isSelect, "isTextarea": isTextarea, "isCheckbox": isCheckbox,
            "checked": value == "true", "options": options,
        ]
    }
}

extension Array where Element == Field {
    /// Puts each problem beside its field, in `language` (Core's message table); returns the
    /// problems no field of this form has.
    mutating func place(_ problems: [ValidationError], _ language: ReportLanguage = .en) -> [String] {
        var unplaced: [String] = []
        for problem in problems {
            if let i = firstIndex(where: { $0.name == problem.field }) {
                self[i].problem = [self[i].problem, problem.text(language)].compactMap { $0 }.joined(separator: "; ")
            } else {
                unplaced.append(problem.text(language))
            }
        }
        return unplaced
    }

    var views: [[String: Any]] { map(\.view) }
}

extension ValidationError {
    /// A desk's refusal about one of `fields` — its message starts `field: "value" problem`, as
    /// every desk names the field — as that field's problem, to show beside it; nil otherwise.
    static func beside(_ refusal: WagewatchError, fields: [String], typed: Form) -> ValidationError? {
        guard let field = fields.first(where: { refusal.message.hasPrefix($0 + ":") }) else { return nil }
        var rest = refusal.message.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
        // The value is the one typed, shown by the error itself: drop the message's copy.
        if let quoted = rest.range(of: #"^"([^"\\]|\\.)*"\s*"#, options: .regularExpression) { rest.removeSubrange(quoted) }
        return ValidationError(field: field, value: typed.typed(field), problem: rest)
    }
}
