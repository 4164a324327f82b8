import ArgumentParser
import Aurora
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the deterministic benchmark workloads: events/s, and a check that each log's digest is unchanged.",
        discussion: "Workloads: \(BenchmarkWorkload.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). Exit 1 when a digest changed.")

    @Option(name: .long, help: "Only this workload.") var workload: String?
    @Option(name: .customLong("repeat"), help: "Runs per workload; the best time is reported.") var runs: Int = 3

    func validate() throws {
        if let workload, BenchmarkWorkload.named(workload) == nil {
            throw ValidationError("unknown workload \"\(workload)\"; workloads: \(BenchmarkWorkload.all.map(\.name).joined(separator: ", "))")
        }
        guard (1...100).contains(runs) else { throw ValidationError("--repeat must be 1...100") }
    }

    func run() throws {
        let chosen = workload.flatMap(BenchmarkWorkload.named).map { [$0] } ?? BenchmarkWorkload.all
        let path = NSTemporaryDirectory() + "aurora-bench-\(ProcessInfo.processInfo.processIdentifier).alog"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var changed = false
        for w in chosen {
            var best = Double.infinity
            var events: UInt64 = 0
            var digest = ""
            for _ in 0..<runs {
                let engine = BacktestEngine(config: w.config, logPath: path)
                
                let began = secondsNow()
                let result = try engine.runMulti()
                best = min(best, secondsNow() - began)
                events = result.log.eventCount
                digest = result.log.digestHex
            }
            let verdict = digest == w.expectedDigest ? "ok" : "CHANGED (expected \(w.expectedDigest.isEmpty ? "none recorded" : w.expectedDigest))"
            if digest != w.expectedDigest { changed = true }
            print("\(w.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(grouped(events).leftPadded(11)) events  \(fixed(best, 3).leftPadded(7)) s  \(grouped(Int(Double(events) / best)).leftPadded(11)) events/s  digest \(digest) \(verdict)")
        }
        if changed {
            printError("error: a workload's results changed; if intended, record the new digest in BenchmarkWorkloads.swift")
            throw ExitCode(1)
        }
    }
}
