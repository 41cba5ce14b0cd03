/// A department's names, so renderers can print either language.
public struct DepartmentName: Sendable, Encodable, Equatable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    enum CodingKeys: String, CodingKey { case code, nameZh = "name_zh", nameEn = "name_en" }
}
