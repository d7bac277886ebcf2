/// What a rendering is for.
///
/// Halls print on security paper that already carries the form's background (guilloche, border,
/// national emblem); printing it again would spoil the sheet. The screen preview, on the other
/// hand, should look like the finished certificate.
public enum RenderMode: String, Sendable, Equatable, CaseIterable {
    /// For the certificate printer: the background is left out.
    case print
    /// For a screen or a proof: the template's background image is drawn under everything.
    case preview
}
