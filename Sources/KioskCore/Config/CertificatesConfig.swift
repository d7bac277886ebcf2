/// `[certificates]` and `[[departments]]`: the centralized certificate printing (集中制证) of
/// this hall. One value on `HallConfig`, so the pipeline gets everything it needs in one place.
public struct CertificatesConfig: Sendable, Equatable {
    public var settings: CertificateSettings
    /// The approving departments whose seals this hall applies, in file order.
    public var departments: [Department]

    public init(settings: CertificateSettings = CertificateSettings(), departments: [Department] = []) {
        self.settings = settings
        self.departments = departments
    }

    public func department(_ id: String) -> Department? { departments.first { $0.id == id } }
}

/// `[certificates]`: where templates live, which printers print certificates, and the pipeline's
/// knobs. Defaults are the issue's.
public struct CertificateSettings: Sendable, Equatable {
    /// Folder of the certificate templates; the loader resolves it against the config file's
    /// folder (default `certificates` next to the file).
    public var templates: String
    /// Ids of `certificate-printer` devices in `[[devices]]`, in the order they are tried. The
    /// loader fills in every certificate printer when the key is absent.
    public var printers: [String]
    /// A third person must release a printed certificate (`cert.release`) before it is ready; when
    /// false, the daemon releases it by itself.
    public var requireRelease: Bool
    /// A held job (paper out, queue stopped) resumes by itself once the printer is ready again.
    public var autoResume: Bool
    /// A job that has not completed after this long is marked failed.
    public var printerTimeoutSeconds: Int

    public init(
        templates: String = "certificates", printers: [String] = [], requireRelease: Bool = true,
        autoResume: Bool = true, printerTimeoutSeconds: Int = 60
    ) {
        self.templates = templates
        self.printers = printers
        self.requireRelease = requireRelease
        self.autoResume = autoResume
        self.printerTimeoutSeconds = printerTimeoutSeconds
    }
}

/// An approving department (审批部门) and the certificate types its seal (印章) may be put on.
public struct Department: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// The seal image, an absolute path (resolved against the config file's folder).
    public var seal: String
    /// Template ids this department may seal; the template loader checks that they exist.
    public var types: [String]

    public init(id: String, name: String, seal: String, types: [String]) {
        self.id = id
        self.name = name
        self.seal = seal
        self.types = types
    }

    public func maySeal(_ type: String) -> Bool { types.contains(type) }
}
