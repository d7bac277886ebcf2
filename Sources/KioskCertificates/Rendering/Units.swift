/// Millimetres (templates) to PDF points (cairo's PDF user space): 72 points per inch of 25.4 mm.
enum Units {
    static let pointsPerMillimetre = 72.0 / 25.4

    static func points(_ millimetres: Double) -> Double { millimetres * pointsPerMillimetre }
}
