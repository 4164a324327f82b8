import ArgumentParser
import Aurora
import Foundation

struct Research: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "research",
        abstract: "Signal research: a feature panel, IC analysis and a purged walk-forward.",
        discussion: """
        Every subcommand reads the same research.yaml (see fixtures/research-sp500.yaml and
        docs/RESEARCH.md); without --config it runs Alpha158 and momentum_20d on the embedded
        synthetic universe. --out DIR writes CSV and JSON files and a manifest.json with the
        digests of everything read and written.
        """,
        subcommands: [ResearchFeatures.self, ResearchEvaluate.self, ResearchWalkForward.self, ResearchTrain.self, ResearchModelsHistory.self])
}

/// The options every research subcommand takes.
struct ResearchOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Option(name: .long, help: "research.yaml (default: Alpha158 and momentum_20d on the synthetic universe).") var config: String?
    @Option(name: .long, help: "Bars: a CSV file or an Aurora log (replaces data.source).") var data: String?
    @Option(name: .long, help: "Only these symbols, comma-separated.") var symbols: String?
    @Option(name: .long, help: "First bar date (YYYY-MM-DD).") var start: String?
    @Option(name: .long, help: "Last bar date (inclusive).") var end: String?
    @Option(name: .long, help: "table, json or csv.") var format: Format = .table
    @Option(name: .long, help: "Write CSV and JSON files and manifest.json into this folder.") var out: String?
    @Option(name: .long, help: "Threads for the evaluation (the results do not depend on it).") var threads = 2

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 to 64") }
        if let symbols, symbols.split(separator: ",").isEmpty { throw ValidationError("--symbols is empty") }
        try TimeOptions.check(start, "--start")
        try TimeOptions.check(end, "--end")
    }

    func load() throws -> (config: ResearchConfig, text: String?) {
        var cfg = ResearchConfig()
        var text: String?
        if let config {
            (cfg, text) = try ResearchConfigReader.load(path: config)
        } else {
            cfg.features = [.alpha158(Alpha158Settings(), only: nil), .alpha("momentum_20d")]
        }
        if let data { cfg.data.source = data; cfg.data.moreSources = [] }
        if let symbols { cfg.data.symbols = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let start { cfg.data.start = start }
        if let end { cfg.data.end = end }
        return (cfg, text)
    }

    /// Builds the panel with a progress line on a terminal.
    func build(_ config: ResearchConfig) throws -> (ResearchData, Double) {
        let interactive = isatty(2) == 1
        let began = secondsNow()
        let data = try ResearchData.build(config, progress: interactive ? { done, total in printProgress("bar time \(done)/\(total)") } : nil)
        if interactive { printProgress("") }
        return (data, secondsNow() - began)
    }

    /// The manifest of a job on `data`.
    func manifest(_ command: String, _ config: ResearchConfig, _ text: String?, _ data: ResearchData) throws -> ResearchManifest {
        // A folder source stands for its files, each digested.
        var inputs = config.data.isSynthetic ? [] : config.data.paths.flatMap { path -> [String] in
            guard isDirectory(path) else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.lowercased().hasSuffix(".csv") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        if let a = config.data.actions { inputs.append(a) }
        if let s = config.sectors { inputs.append(s) }
        for f in config.features {
            switch f {
            case .etfResidual(let e): inputs.append(e.source)
            case .external(let path, _): inputs.append(path)
            default: break
            }
        }
        let p = data.panel
        return try ResearchManifest(command: command, config: self.config, configText: text, dataSource: data.sourceDescription,
                                    inputs: inputs, firstDate: p.dates.first.map(day) ?? "-", lastDate: p.dates.last.map(day) ?? "-",
                                    symbols: p.symbolCount, features: p.featureCount, panelSHA256: data.panelDigest, notes: data.notes)
    }

    func printHeader(_ data: ResearchData, seconds: Double) {
        let p = data.panel
        print("data         \(data.sourceDescription)")
        print("period       \(p.dates.first.map(day) ?? "-") .. \(p.dates.last.map(day) ?? "-"), \(grouped(p.dateCount)) dates")
        print("symbols      \(grouped(p.symbolCount))")
        print("features     \(grouped(p.featureCount)) (\(grouped(p.featureCount * p.cellCount)) values), computed in \(fixed(seconds, 3)) s")
        print("panel        \(data.panelDigest)")
        for note in data.notes { printError("note: \(note)") }
        if data.dataReport.skippedRows > 0 { printError("note: \(data.dataReport.skippedRows) data rows skipped as invalid") }
    }
}

private func isDirectory(_ path: String) -> Bool {
    var d: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
}

func day(_ t: Int64) -> String { String(Timestamp(rawValue: t).iso8601.prefix(10)) }

/// A table's text with columns padded to their widest cell (the first column left-aligned).
func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { c, cell in c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : cell.leftPadded(widths[c]) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}

func short(_ v: Double, _ decimals: Int = 4) -> String { ReportNumber.short(v, decimals) }
