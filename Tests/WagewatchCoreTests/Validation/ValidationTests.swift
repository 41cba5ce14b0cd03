import Testing
@testable import WagewatchCore

@Suite("Validation errors name the field and the value")
struct ValidationErrorTests {
    @Test("the description is the field, the quoted value and the problem")
    func describesFieldValueProblem() {
        let error = ValidationError(
            field: "uscc", value: "91410100MA3X",
            problem: "is not a valid unified social credit code (18 characters expected)")
        #expect(error.description == #"uscc: "91410100MA3X" is not a valid unified social credit code (18 characters expected)"#)
    }

    @Test("an empty value is shown as empty quotes")
    func emptyValue() {
        #expect(ValidationError(field: "amount", value: "", problem: "is empty").description == #"amount: "" is empty"#)
    }

    @Test("a value of exactly 64 characters is shown whole")
    func sixtyFourCharactersShownWhole() {
        let value = String(repeating: "a", count: 64)
        let error = ValidationError(field: "text", value: value, problem: "is wrong")
        #expect(error.description == "text: \"\(value)\" is wrong")
    }

    @Test("a value over 64 characters is cut to 64 and marked with an ellipsis")
    func longValueShortened() {
        let value = String(repeating: "欠", count: 64) + "薪薪薪"
        let error = ValidationError(field: "text", value: value, problem: "is wrong")
        #expect(error.description == "text: \"\(String(repeating: "欠", count: 64))…\" is wrong")
        #expect(error.value == value)
    }

    @Test("quotes, backslashes and line breaks in a value are escaped")
    func escapes() {
        let error = ValidationError(field: "name", value: "a\"b\\c\nd\te", problem: "is wrong")
        #expect(error.description == #"name: "a\"b\\c\nd\te" is wrong"#)
    }

    @Test("errors compare equal by field, value and problem")
    func equatable() {
        let a = ValidationError(field: "f", value: "v", problem: "p")
        #expect(a == ValidationError(field: "f", value: "v", problem: "p"))
        #expect(a != ValidationError(field: "g", value: "v", problem: "p"))
        #expect(a != ValidationError(field: "f", value: "w", problem: "p"))
        #expect(a != ValidationError(field: "f", value: "v", problem: "q"))
    }
}

@Suite("Full-width folding")
struct FullWidthTests {
    @Test("full-width digits, letters and punctuation fold to ASCII")
    func foldsFullWidthASCII() {
        #expect(FullWidth.fold("１２３ＡＢＣａｂｃ（）－，．！～") == "123ABCabc()-,.!~")
    }

    @Test("the ends of the full-width block fold to ! and ~")
    func blockEnds() {
        #expect(FullWidth.fold("\u{FF01}\u{FF5E}") == "!~")
        #expect(FullWidth.fold("\u{FF00}\u{FF5F}") == "\u{FF00}\u{FF5F}")
    }

    @Test("the ideographic space folds to an ASCII space")
    func ideographicSpace() {
        #expect(FullWidth.fold("河南\u{3000}建工") == "河南 建工")
    }

    @Test("Chinese characters and the full-width yen sign are left alone")
    func leavesOthers() {
        #expect(FullWidth.fold("欠薪￥¥、。") == "欠薪￥¥、。")
    }

    @Test("cleaning folds and trims every kind of whitespace at the ends")
    func cleaned() {
        #expect(FullWidth.cleaned("\u{3000} \t１２\u{3000}３\n") == "12 3")
    }
}
