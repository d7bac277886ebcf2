import Foundation
import KioskConfig
import KioskCore

/// The certificate set-up of a hall config, checked as a whole at start-up (and by
/// `kioskd --check-config`): the templates load, every department's `types` are templates, and
/// every seal image exists. So a typo stops the daemon with a clear error instead of refusing
/// the first print order of the day.
public enum CertificateSetup {
    /// The templates by id. No templates folder and no departments is a hall without
    /// certificate printing: an empty result, not an error.
    public static func templates(for config: HallConfig) throws(ConfigError) -> [String: CertificateTemplate] {
        let settings = config.certificates.settings
        let departments = config.certificates.departments
        var templates: [String: CertificateTemplate] = [:]
        if FileManager.default.fileExists(atPath: settings.templates) || !departments.isEmpty {
            for t in try TemplateLoader.loadFolder(settings.templates) { templates[t.id] = t }
        }
        for (index, d) in departments.enumerated() {
            if let unknown = d.types.first(where: { templates[$0] == nil }) {
                throw ConfigError(
                    file: settings.templates, line: nil, key: "departments[\(index)].types",
                    message: "department \(d.id) may seal \"\(unknown)\", but there is no \(unknown).toml; templates: "
                        + (templates.isEmpty ? "none" : templates.keys.sorted().joined(separator: ", ")))
            }
            guard FileManager.default.fileExists(atPath: d.seal) else {
                throw ConfigError(
                    file: d.seal, line: nil, key: "departments[\(index)].seal",
                    message: "the seal image of department \(d.id) does not exist")
            }
        }
        return templates
    }
}
