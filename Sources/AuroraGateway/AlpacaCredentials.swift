import Foundation

/// An Alpaca key pair. It is sent in request headers and the streams' auth messages only: its
/// description is redacted, and nothing writes it to a log, a manifest or the terminal.
public struct AlpacaCredentials: Sendable, CustomStringConvertible {
    public let keyID: String
    public let secretKey: String

    public init(keyID: String, secretKey: String) {
        self.keyID = keyID
        self.secretKey = secretKey
    }

    public var description: String { "AlpacaCredentials(key id ending …\(keyID.suffix(2)), secret redacted)" }

    /// Alpaca's own variable names.
    public static let keyVariable = "APCA_API_KEY_ID"
    public static let secretVariable = "APCA_API_SECRET_KEY"

    /// From a credentials file (YAML-like `key_id: …` and `secret_key: …` lines) when given,
    /// else from the environment. A local paper exchange accepts any non-empty pair, so
    /// `fallback` may supply one there.
    public static func resolve(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               fallback: AlpacaCredentials? = nil) throws -> AlpacaCredentials {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw GatewayError("\(file): cannot read the credentials file")
            }
            var values: [String: String] = [:]
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    throw GatewayError("\(file):\(n + 1): expected `key_id: …` or `secret_key: …`")
                }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.first == value.last, value.first == "\"" || value.first == "'" {
                    value = String(value.dropFirst().dropLast())
                }
                guard key == "key_id" || key == "secret_key" else {
                    throw GatewayError("\(file):\(n + 1): unknown key \"\(key)\"; expected key_id or secret_key")
                }
                values[key] = value
            }
            guard let id = values["key_id"], !id.isEmpty else { throw GatewayError("\(file): key_id is missing") }
            guard let secret = values["secret_key"], !secret.isEmpty else { throw GatewayError("\(file): secret_key is missing") }
            return AlpacaCredentials(keyID: id, secretKey: secret)
        }
        let id = environment[keyVariable] ?? "", secret = environment[secretVariable] ?? ""
        if !id.isEmpty && !secret.isEmpty { return AlpacaCredentials(keyID: id, secretKey: secret) }
        if let fallback { return fallback }
        let missing = [id.isEmpty ? keyVariable : nil, secret.isEmpty ? secretVariable : nil].compactMap { $0 }
        throw GatewayError("no Alpaca credentials: set \(missing.joined(separator: " and ")) or pass --credentials FILE")
    }
}
