/// Folds full-width ASCII forms (U+FF01–U+FF5E) to ASCII and the ideographic space to a space,
/// because IME input mixes `１２３` with `123` and both must mean the same thing.
public enum FullWidth {
    /// The text with every full-width ASCII character and U+3000 replaced by its half-width form.
    public static func fold(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            scalars.append(fold(scalar))
        }
        return String(scalars)
    }

    /// One scalar folded; anything outside the full-width block is returned unchanged.
    public static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0xFF01...0xFF5E:
            return Unicode.Scalar(scalar.value - 0xFEE0)!
        case 0x3000:
            return " "
        default:
            return scalar
        }
    }

    /// Folded and trimmed of leading and trailing whitespace: the first step of every parser here.
    static func cleaned(_ text: String) -> Substring {
        let folded = fold(text)
        var slice = Substring(folded)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}
