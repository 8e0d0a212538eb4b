import Foundation
import TOMLKit
import TerminalUI

/// Themes are TOML files: a `name` and one `[roles.NAME]` table per style role, each with
/// optional `fg`, `bg` (`#rrggbb`, `#rgb`, 0–255, an ANSI name or `default`) and `attrs`
/// (a list of bold, dim, italic, underline, reverse).
public enum ThemeLoader {
    public static let builtIn = ["dark", "light", "high-contrast", "monochrome"]

    /// Finds a theme by name: the user's `themes/` folder first, then the shipped themes.
    public static func load(name: String, userDirectory: URL?, shipped: ShippedResources) throws(ConfigError) -> Theme {
        let user = userDirectory?.appendingPathComponent("\(name).toml")
        let found: (data: Data, name: String)? =
            user.flatMap { u in FileManager.default.contents(atPath: u.path).map { ($0, u.path) } }
            ?? shipped.file("Themes/\(name).toml")
        guard let found else {
            throw ConfigError(
                file: user?.path ?? "Themes/\(name).toml", line: nil,
                message: "no theme named '\(name)' (shipped: \(builtIn.joined(separator: ", ")))")
        }
        guard let text = String(data: found.data, encoding: .utf8) else {
            throw ConfigError(file: found.name, line: nil, message: "cannot be read as UTF-8 text")
        }
        return try parse(text, file: found.name, fallbackName: name)
    }

    public static func parse(_ text: String, file: String, fallbackName: String) throws(ConfigError) -> Theme {
        let (root, lines) = try SourceLines.parse(text, file: file)
        for key in root.keys where key != "name" && key != "roles" {
            throw ConfigError(
                file: file, line: lines.line(ofKey: key, in: nil) ?? lines.line(ofTable: key), message: "unknown key '\(key)' (a theme has name and [roles.*])")
        }
        guard let roles = root["roles"]?.table else {
            throw ConfigError(file: file, line: nil, message: "a theme needs [roles.base] and the other [roles.*] tables")
        }
        var styles: [String: Style] = [:]
        for role in roles.keys {
            let section = "roles.\(role)"
            guard Theme.roles.contains(role) else {
                throw ConfigError(
                    file: file, line: lines.line(ofTable: section), message: "unknown role '\(role)' (known: \(Theme.roles.joined(separator: ", ")))")
            }
            guard let t = roles[role]?.table else {
                throw ConfigError(file: file, line: lines.line(ofKey: role, in: "roles"), message: "roles.\(role) must be a table")
            }
            var style = Style()
            for key in t.keys {
                let line = lines.line(ofKey: key, in: section)
                switch key {
                case "fg", "bg":
                    guard let s = t[key]?.string ?? t[key]?.int.map(String.init), let color = Color(parsing: s) else {
                        throw ConfigError(file: file, line: line, message: "\(section).\(key) is not a colour (use #rrggbb, 0–255, an ANSI name or default)")
                    }
                    if key == "fg" { style.fg = color } else { style.bg = color }
                case "attrs":
                    guard let arr = t[key]?.array else {
                        throw ConfigError(file: file, line: line, message: "\(section).attrs must be a list such as [\"bold\"]")
                    }
                    for item in arr {
                        switch item.string {
                        case "bold": style.attributes.insert(.bold)
                        case "dim": style.attributes.insert(.dim)
                        case "italic": style.attributes.insert(.italic)
                        case "underline": style.attributes.insert(.underline)
                        case "reverse": style.attributes.insert(.reverse)
                        default:
                            throw ConfigError(
                                file: file, line: line, message: "\(section).attrs: '\(item.string ?? "?")' is not one of bold, dim, italic, underline, reverse"
                            )
                        }
                    }
                default:
                    throw ConfigError(file: file, line: line, message: "unknown key '\(key)' in [\(section)] (known: fg, bg, attrs)")
                }
            }
            styles[role] = style
        }
        guard styles["base"] != nil else { throw ConfigError(file: file, line: nil, message: "the theme has no [roles.base]") }
        return Theme(name: root["name"]?.string ?? fallbackName, roles: styles)
    }
}
