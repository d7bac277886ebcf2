/// Why a certificate could not be rendered. `description` names the file or field to fix.
public enum CertificateRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The order's values do not fit the template (checked before drawing).
    case invalidOrder(CertificateFieldError)
    /// The department's seal image is not where the config says.
    case sealNotFound(path: String)
    /// The template's background image has gone since the template was loaded.
    case backgroundNotFound(path: String)
    /// A seal or background file exists but is not a PNG cairo can read.
    case imageUnreadable(path: String, reason: String)
    /// A template asks for a font family fontconfig does not have (it would print as tofu boxes
    /// or in a fallback face).
    case fontNotInstalled(family: String, template: String)
    /// libqrencode refused the payload (empty, or too long for a version-40 symbol at level M).
    case qrPayload(bytes: Int, reason: String)
    /// cairo reported an error while drawing or writing the PDF.
    case drawing(String)
    /// The PDF could not be written to the requested file.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOrder(let error):
            return "the order does not fit the template: \(error)"
        case .sealNotFound(let path):
            return "the seal image \(path) does not exist; check the department's seal in the config"
        case .backgroundNotFound(let path):
            return "the template's background image \(path) does not exist"
        case .imageUnreadable(let path, let reason):
            return "cannot read the image \(path): \(reason) (a PNG file is expected)"
        case .fontNotInstalled(let family, let template):
            return "the font \"\(family)\" used by the template \(template) is not installed (fc-list lists the installed fonts)"
        case .qrPayload(let bytes, let reason):
            return "cannot encode the \(bytes)-byte QR payload: \(reason)"
        case .drawing(let reason):
            return "rendering failed: \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
