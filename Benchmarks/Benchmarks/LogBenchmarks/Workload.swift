import Aurora
import Foundation

/// The benchmark inputs, built once: bar events in memory, their CSV, a log of them, and a log
/// eight times as long (the same bars repeated later in time) for the memory comparison.
final class Workload: Sendable {
    static let shared = Workload()

    let csvPath: String
    let symbols: [String]
    let events: [Event]
    /// The same bars as (time, bar) pairs, as the kernel holds them.
    let bars: [(Timestamp, Bar)]
    let logPath: String
    let longLogPath: String
    private let directory: String

    private init() {
        directory = NSTemporaryDirectory() + "aurora-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Each benchmark runs in a process of its own: its scratch goes with it.
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "aurora-bench-\(getpid())") }
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../shared/data/sp500-daily-2013-2016.csv").standardized.path
        if FileManager.default.fileExists(atPath: shared) {
            csvPath = shared
        } else {
            print("../shared/data is absent: benchmarking a generated universe of the same shape")
            csvPath = directory + "/generated.csv"
            try? Self.generatedCSV().write(toFile: csvPath, atomically: true, encoding: .utf8)
        }
        do {
            let (table, report) = try BarCSVReader.read(path: csvPath, options: BarCSVOptions())
            logPath = directory + "/reference.alog"
            _ = try BarImporter.write(table, report: report, sourceName: "bench.csv", options: BarCSVOptions(), to: logPath)
            let reader = try LogReader(path: logPath)
            symbols = reader.symbols
            var all: [Event] = []
            let cursor = reader.events()
            while let e = try cursor.next() { if case .bar = e.payload { all.append(e) } }
            events = all
            bars = all.compactMap { e in if case .bar(let b) = e.payload { (e.timestamp, b) } else { nil } }
            longLogPath = directory + "/long.alog"
            try Self.writeRepeated(events: all, symbols: symbols, times: 8, to: longLogPath)
        } catch {
            fatalError("cannot build the benchmark workload: \(error)")
        }
    }

    func scratch(_ name: String) -> String { directory + "/" + name }

    private static func writeRepeated(events: [Event], symbols: [String], times: Int, to path: String) throws {
        guard let first = events.first, let last = events.last else { return }
        let span = last.timestamp.rawValue - first.timestamp.rawValue + 86_400_000_000_000
        let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine),
                                          timestamp: first.timestamp)
        for name in symbols { _ = try writer.symbol(name, at: first.timestamp) }
        for round in 0..<times {
            for e in events {
                try writer.append(e.payload, at: Timestamp(rawValue: e.timestamp.rawValue + Int64(round) * span))
            }
        }
        try writer.close()
    }

    /// 500 symbols × 960 days of random-walk bars with cent prices, like the S&P file.
    private static func generatedCSV() -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var lines = ["date,open,high,low,close,volume,Name"]
        for s in 0..<500 {
            var price = 20 + next() * 200
            for day in 0..<960 {
                let date = Date(timeIntervalSince1970: 1_360_281_600 + Double(day / 5 * 7 + day % 5) * 86_400)
                let open = price * (1 + (next() - 0.5) * 0.01)
                price *= 1 + (next() - 0.5) * 0.04
                let high = max(open, price) * (1 + next() * 0.01), low = min(open, price) * (1 - next() * 0.01)
                let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
                lines.append(String(format: "%@,%.2f,%.2f,%.2f,%.2f,%d,S%03d", day, open, high, low, price, Int(next() * 5e6), s))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
