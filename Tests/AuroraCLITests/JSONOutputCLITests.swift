import Foundation
import Testing
import AuroraLog
import AuroraModel

/// Whatever a symbol name or a broker message holds, JSON output is JSON.
@Suite("JSON output")
struct JSONOutputCLITests {
    static let names = ["A\"B", "C\\D", "E\tF\u{1}", "Ü€💹"]

    static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    @Test("cat, audit, state, diff and info give valid JSON for symbols with quotes, backslashes, control characters and non-ASCII text")
    func oddNames() throws {
        let dir = CLI.temporaryDirectory()
        var csv = "date,open,high,low,close,volume,Name\n"
        for day in 2...20 {
            for (i, name) in Self.names.enumerated() {
                let close = 10 + Double(i) + Double((day * (i + 3)) % 7) / 10
                let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                csv += "2020-03-\(day < 10 ? "0" : "")\(day),\(close),\(close + 1),\(close - 1),\(close),1000,\(quoted)\n"
            }
        }
        try csv.write(toFile: dir + "/odd.csv", atomically: true, encoding: .utf8)
        try "strategy: {type: momentum, lookback: 1, threshold: 0}\n".write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        try "strategy: {type: momentum, lookback: 2, threshold: 0}\n".write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        for (config, out) in [("a.yaml", "a.alog"), ("b.yaml", "b.alog")] {
            let r = try CLI.run(["backtest", "--config", dir + "/" + config, "--data", dir + "/odd.csv", "--out", dir + "/" + out])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = dir + "/a.alog"
        let lines = try CLI.run(["cat", a]).stdout.split(separator: "\n")
        #expect(lines.count > 100)
        var seen = Set<String>()
        for line in lines {
            let object = try #require(try Self.parse(String(line)) as? [String: Any], "\(line)")
            if let s = object["symbol"] as? String { seen.insert(s) }
        }
        #expect(seen == Set(Self.names))
        let audit = try #require(try Self.parse(CLI.run(["audit", a, "--format", "json"]).stdout) as? [String: Any])
        #expect(Set(((audit["trades"] as? [[String: Any]]) ?? []).compactMap { $0["symbol"] as? String }).isSubset(of: Set(Self.names)))
        let state = try #require(try Self.parse(CLI.run(["state", a, "--format", "json"]).stdout) as? [String: Any])
        #expect(((state["positions"] as? [[String: Any]]) ?? []).allSatisfy { Self.names.contains($0["symbol"] as? String ?? "") })
        let diff = try CLI.run(["diff", a, dir + "/b.alog", "--format", "json"])
        let d = try #require(try Self.parse(diff.stdout) as? [String: Any], "\(diff.stdout.prefix(300))")
        #expect(d["identical"] as? Bool == false)
        #expect(((d["attribution"] as? [[String: Any]]) ?? []).allSatisfy { Self.names.contains($0["symbol"] as? String ?? "") })
        let info = try #require(try Self.parse(CLI.run(["info", a, "--format", "json"]).stdout) as? [String: Any])
        #expect(Set((info["symbols"] as? [String]) ?? []) == Set(Self.names))
    }

    @Test("a broker message with control characters and quotes is valid JSON in cat and info")
    func oddMessages() throws {
        let path = CLI.temporaryDirectory() + "/notices.alog"
        let manifest = Manifest(formatVersion: 1, engineVersion: "t", dataSource: "src \"q\" \\ \u{7}", properties: [KeyValue("k\n", "v\u{0}")])
        let writer = try LogWriter.create(path: path, manifest: manifest, timestamp: Timestamp(rawValue: 0))
        let detail = "broker said: \"rejected\"\n\tcode\\42 \u{1B}[31m ✗"
        try writer.append(.inputNotice(InputNotice(link: .broker, detail: detail)), at: Timestamp(rawValue: 1))
        try writer.close()
        let line = try CLI.run(["cat", path, "--kind", "input_notice"]).stdout
        let object = try #require(try Self.parse(line.trimmingCharacters(in: .newlines)) as? [String: Any])
        #expect(object["detail"] as? String == detail)
        let info = try #require(try Self.parse(CLI.run(["info", path, "--format", "json"]).stdout) as? [String: Any])
        #expect(info["source"] as? String == "src \"q\" \\ \u{7}")
        #expect((info["properties"] as? [String: String])?["k\n"] == "v\u{0}")
    }

    @Test("an extension record of a kind aurora has no codec for: cat shows its name, version and size; verify passes")
    func extensionWithoutCodec() throws {
        let path = CLI.temporaryDirectory() + "/ext.alog"
        let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0))
        try writer.append(.extension(ExtensionRecord(name: "acme.forecast", version: 3, payload: [1, 2, 3, 4, 5])), at: Timestamp(rawValue: 1))
        try writer.close()
        let line = try CLI.run(["cat", path, "--kind", "extension"]).stdout
        let object = try #require(try Self.parse(line.trimmingCharacters(in: .newlines)) as? [String: Any])
        #expect(object["name"] as? String == "acme.forecast" && object["version"] as? Int == 3 && object["bytes"] as? Int == 5)
        #expect(object["fields"] is NSNull)
        #expect(try CLI.run(["verify", path]).status == 0)
    }
}
