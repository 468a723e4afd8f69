/// One problem found in a user's files: where it is and what is wrong.
///
/// Every stage collects these instead of stopping at the first, so a single run reports all of them
/// (SPEC §6). `line` and `column` are 1-based and counted in the file itself; 0 means "unknown".
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var path: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(_ severity: Severity, _ message: String, path: String, line: Int = 0, column: Int = 0) {
        self.severity = severity
        self.message = message
        self.path = path
        self.line = line
        self.column = column
    }

    public static func error(_ message: String, path: String, line: Int = 0, column: Int = 0) -> Diagnostic {
        Diagnostic(.error, message, path: path, line: line, column: column)
    }

    public static func warning(_ message: String, path: String, line: Int = 0, column: Int = 0) -> Diagnostic {
        Diagnostic(.warning, message, path: path, line: line, column: column)
    }

    /// `path:line:column: error: message`, leaving out what is unknown.
    public var description: String {
        var location = path
        if line > 0 {
            location += ":\(line)"
            if column > 0 { location += ":\(column)" }
        }
        return "\(location): \(severity.rawValue): \(message)"
    }

    /// The GitHub Actions workflow-command form, so the message shows on the pull request's diff.
    public var githubAnnotation: String {
        var properties = ["file=\(Self.escapeProperty(path))"]
        if line > 0 { properties.append("line=\(line)") }
        if column > 0 { properties.append("col=\(column)") }
        return "::\(severity.rawValue) \(properties.joined(separator: ","))::\(Self.escapeData(message))"
    }

    private static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// Diagnostics in the order a reader wants them: by file, then by position.
public func sortedForDisplay(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.sorted {
        ($0.path, $0.line, $0.column, $0.message) < ($1.path, $1.line, $1.column, $1.message)
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { count { $0.severity == .error } }
    public var warningCount: Int { count { $0.severity == .warning } }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
