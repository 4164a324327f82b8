import Foundation
import Testing

/// `aurora report` through the real binary, and its pages opened in Debian's headless Chromium
/// (installed by .ci/run; skipped with a message where it is missing).
@Suite("aurora report", .serialized)
struct ReportCLITests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A line of `aurora backtest`'s output, e.g. "risk" → "Sharpe -0.44, Sortino -0.63, max drawdown -25.86%".
    static func line(_ stdout: String, _ label: String) -> String {
        stdout.split(separator: "\n").first { $0.hasPrefix(label + " ") }.map { String($0.dropFirst(label.count)).trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// Everything a pipe gives until its end (POSIX reads: one interrupted by a signal, which
    /// other tests send, is retried; Foundation's readers trap or stop on it).
    static func readAll(_ handle: FileHandle) -> Data {
        var data = Data(), buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if n > 0 { data.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            return data
        }
    }

    /// The first line a pipe gives (or what came before its end).
    static func firstLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = [], byte: UInt8 = 0
        while true {
            let n = read(handle.fileDescriptor, &byte, 1)
            if n == 1 { if byte == 10 { break }; bytes.append(byte); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func value(_ html: String, _ key: String) -> String? {
        guard let r = html.range(of: "data-key=\"\(key)\">") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "<" })
    }

    /// Chromium, offline and sandboxed in a profile of its own: the rendered DOM and a screenshot.
    static func render(_ html: String, screenshot: String) throws -> String? {
        guard let chromium else { return nil }
        let profile = CLI.temporaryDirectory()
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)",
                      "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=900,2400"]
        let shot = Process()
        shot.executableURL = URL(fileURLWithPath: chromium)
        shot.arguments = common + ["--screenshot=\(screenshot)", "file://\(html)"]
        shot.standardError = FileHandle.nullDevice
        shot.standardOutput = FileHandle.nullDevice
        try shot.run()
        shot.waitUntilExit()
        let dom = Process()
        dom.executableURL = URL(fileURLWithPath: chromium)
        dom.arguments = common + ["--dump-dom", "file://\(html)"]
        let pipe = Pipe()
        dom.standardOutput = pipe
        dom.standardError = FileHandle.nullDevice
        try dom.run()
        let data = Self.readAll(pipe.fileHandleForReading)
        dom.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("a backtest, a TWAP run and a diff: reports whose headline equals aurora backtest's, rendered by Chromium with every plot's axes")
    func reports() throws {
        let dir = CLI.temporaryDirectory()
        let backtest = try CLI.run(["backtest", "--out", dir + "/a.alog"])
        #expect(backtest.status == 0, "\(backtest.stderr)")
        let twap = try CLI.run(["backtest", "--config", CLI.fixture("alpha-twap.yaml"), "--out", dir + "/twap.alog"])
        #expect(twap.status == 0, "\(twap.stderr)")
        _ = try CLI.run(["backtest", "--config", CLI.fixture("backtest-macd.yaml"), "--out", dir + "/b.alog"])

        for (log, printed) in [("a", backtest.stdout), ("twap", twap.stdout)] {
            let r = try CLI.run(["report", "\(dir)/\(log).alog", "--out", "\(dir)/\(log).html"])
            #expect(r.status == 0, "\(r.stderr)")
            let html = try String(contentsOfFile: "\(dir)/\(log).html", encoding: .utf8)
            #expect(html.utf8.count < 2_000_000)
            // "return       total -9.54%, CAGR -4.89%, volatility 10.30%" and the risk line.
            let ret = Self.line(printed, "return"), risk = Self.line(printed, "risk")
            #expect(ret == "total \(Self.value(html, "total_return") ?? "?"), CAGR \(Self.value(html, "cagr") ?? "?"), volatility \(Self.value(html, "volatility") ?? "?")")
            #expect(risk == "Sharpe \(Self.value(html, "sharpe") ?? "?"), Sortino \(Self.value(html, "sortino") ?? "?"), max drawdown \(Self.value(html, "max_drawdown") ?? "?")")
            #expect(Self.value(html, "digest") == Self.line(printed, "digest"))
        }
        let diff = try CLI.run(["report", dir + "/a.alog", dir + "/b.alog", "--out", dir + "/diff.html", "--force"])
        #expect(diff.status == 0, "\(diff.stderr)")

        guard Self.chromium != nil else {
            print("skipped: Chromium is not installed (apt-get install chromium); the reports were checked without a browser")
            return
        }
        for name in ["a", "twap", "diff"] {
            let dom = try #require(try Self.render("\(dir)/\(name).html", screenshot: "\(dir)/\(name).png"))
            let charts = dom.components(separatedBy: "<svg ").dropFirst()
            #expect(charts.count >= 5, "\(name): \(charts.count) plots in the rendered page")
            for chart in charts {
                let body = chart.components(separatedBy: "</svg>")[0]
                #expect(body.contains("class=\"axis x\"") && body.contains("class=\"axis y\"") && body.contains("<path"), "\(name): \(body.prefix(120))")
            }
            let png = try #require(FileManager.default.contents(atPath: "\(dir)/\(name).png"))
            #expect(png.count > 20_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test("bad input: no log, a torn log (its prefix, with a warning), an unknown benchmark, both logs and --research")
    func badInput() throws {
        let dir = CLI.temporaryDirectory()
        #expect(try CLI.run(["report", "--out", dir + "/x.html"]).status != 0)
        #expect(try CLI.run(["report", dir + "/missing.alog", "--out", dir + "/x.html"]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.html"))
        _ = try CLI.run(["backtest", "--out", dir + "/a.alog"])
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/a.alog"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir + "/torn.alog"))
        let torn = try CLI.run(["report", dir + "/torn.alog", "--out", dir + "/torn.html"])
        #expect(torn.status == 0 && torn.stderr.contains("intact prefix"), "\(torn.stderr)")
        #expect(try String(contentsOfFile: dir + "/torn.html", encoding: .utf8).contains("torn frame"))
        let bench = try CLI.run(["report", dir + "/a.alog", "--benchmark", "NOPE", "--out", dir + "/b.html"])
        #expect(bench.status != 0 && bench.stderr.contains("NOPE"))
        let both = try CLI.run(["report", dir + "/a.alog", "--research", dir, "--out", dir + "/c.html"])
        #expect(both.status != 0)
        let research = try CLI.run(["report", "--research", dir, "--out", dir + "/r.html"])
        #expect(research.status == 1 && research.stderr.contains("ic_summary.csv") && !research.stderr.contains("Usage:"), "\(research.stderr)")
    }

    @Test("aurora live --dashboard: a page on loopback that Chromium sees update over one connection (the event count grows without a reload)")
    func dashboard() throws {
        let dir = CLI.temporaryDirectory()
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "replay:" + CLI.fixture("bars-daily.csv") + "@1123200",
                             "--out", dir + "/session.alog", "--dashboard", "0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.interrupt() }; process.waitUntilExit() }
        // The bound address is the first line on stderr.
        let text = Self.firstLine(errors.fileHandleForReading)
        let url = try #require(text.split(separator: " ").last { $0.hasPrefix("http://127.0.0.1:") }).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        guard let chromium = Self.chromium else {
            print("skipped: Chromium is not installed (apt-get install chromium); the dashboard's address was checked")
            return
        }
        // Virtual time waits while the event stream is open: the dump comes after the session ends
        // (about 20 s of paced bars, so a slow browser start still finds it running).
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(CLI.temporaryDirectory())",
                             "--virtual-time-budget=4000", "--dump-dom", url]
        let out = Pipe()
        browser.standardOutput = out
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let dom = String(decoding: Self.readAll(out.fileHandleForReading), as: UTF8.self)
        browser.waitUntilExit()
        func number(_ id: String) -> Int? {
            guard let r = dom.range(of: "id=\"\(id)\">") else { return nil }
            return Int(dom[r.upperBound...].prefix { $0 != "<" }.filter(\.isNumber))
        }
        let updates = try #require(number("updates"), "the page: \(dom.prefix(600))")
        let first = try #require(number("first")), last = try #require(number("events"))
        #expect(updates >= 2, "updates \(updates)")
        #expect(last > first, "events \(first) → \(last)")
        #expect(!dom.contains("key_id") && !dom.contains("secret"))
    }
}
