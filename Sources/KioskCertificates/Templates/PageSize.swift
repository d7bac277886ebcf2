/// The paper a template is printed on, in millimetres.
///
/// Certificates come on ISO paper (A4 for most licences, A3 for some business licences) in either
/// orientation; a named size keeps the templates short and free of typos in 210 × 297.
public struct PageSize: Sendable, Equatable, CustomStringConvertible {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public enum Orientation: String, Sendable, CaseIterable {
        case portrait, landscape
    }

    /// ISO 216 sizes, portrait (width × height in mm).
    public static let named: [String: PageSize] = [
        "A3": PageSize(width: 297, height: 420),
        "A4": PageSize(width: 210, height: 297),
        "A5": PageSize(width: 148, height: 210),
        "B4": PageSize(width: 250, height: 353),
        "B5": PageSize(width: 176, height: 250),
    ]

    public static let a4 = named["A4"]!

    /// The same paper turned: portrait has the long side vertical.
    public func oriented(_ orientation: Orientation) -> PageSize {
        let (short, long) = (min(width, height), max(width, height))
        switch orientation {
        case .portrait: return PageSize(width: short, height: long)
        case .landscape: return PageSize(width: long, height: short)
        }
    }

    public var description: String { "\(Self.format(width)) × \(Self.format(height)) mm" }

    /// 210 rather than 210.0; 12.5 as written.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
