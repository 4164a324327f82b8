import Foundation
import Testing

@Suite("aurora audit", .serialized)
struct AuditCLITests {
    static let golden = CLI.root.appendingPathComponent("replay/golden-momentum.alog").path

    @Test("table, csv and json for a day; totals; a symbol filter")
    func formats() throws {
        let table = try CLI.run(["audit", Self.golden, "--day", "2020-03-02"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("trade         day  symbol  side"))
        #expect(CLI.field("trades", in: table.stdout) != nil && CLI.field("shortfall", in: table.stdout) != nil)
        let csv = try CLI.run(["audit", Self.golden, "--day", "2020-03-02", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv.first?.hasPrefix("trade,day,symbol,side,planned,filled") == true)
        #expect(csv.dropFirst().allSatisfy { $0.contains(",2020-03-02,") })
        let json = try CLI.run(["audit", Self.golden, "--symbol", "SYN003", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let trades = try #require(object["trades"] as? [[String: Any]])
        #expect(!trades.isEmpty && trades.allSatisfy { $0["symbol"] as? String == "SYN003" })
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["trades"] as? Int == trades.count)
    }

    @Test("a torn log is audited up to its intact prefix, with a warning")
    func torn() throws {
        // The default backtest writes several frames; cutting inside the last leaves the others intact.
        let dir = CLI.temporaryDirectory()
        #expect(try CLI.run(["backtest", "--out", dir + "/bt.alog"]).status == 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/bt.alog"))
        let path = dir + "/torn.alog"
        try whole.prefix(whole.count * 2 / 3).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["audit", path, "--format", "csv"])
        #expect(r.status == 0 && r.stderr.contains("torn tail"))
        #expect(r.stdout.split(separator: "\n").count > 1_000)
    }

    @Test("bad input: a bad day, an unknown symbol, a bad format")
    func badInput() throws {
        #expect(try CLI.run(["audit", Self.golden, "--day", "March"]).stderr.contains("--day must be a date"))
        #expect(try CLI.run(["audit", Self.golden, "--symbol", "NOPE"]).stderr.contains("no symbol \"NOPE\""))
        #expect(try CLI.run(["audit", Self.golden, "--format", "xml"]).status != 0)
    }
}
