import Foundation
import Testing
import AuroraFuzzTargets

/// Every committed seed and every input a fuzzer once crashed on (`Fuzz/regressions/TARGET/`),
/// through the fuzz targets themselves: none may trap again.
@Suite("Fuzz seeds and regressions")
struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static let targets: [(String, @convention(c) (UnsafePointer<UInt8>, Int) -> CInt)] = [
        ("LogReader", fuzzLogReader), ("BarCSV", fuzzBarCSV), ("Config", fuzzConfig), ("OrderRequest", fuzzOrderRequest),
    ]

    static func inputs(_ target: String) -> [URL] {
        ["corpus", "regressions"].flatMap { folder -> [URL] in
            let dir = fuzz.appendingPathComponent("\(folder)/\(target)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
        }
    }

    @Test("each target takes its seeds and its recorded crash inputs without trapping", arguments: ["LogReader", "BarCSV", "Config", "OrderRequest"])
    func replay(_ name: String) throws {
        let target = try #require(Self.targets.first { $0.0 == name }?.1)
        let files = Self.inputs(name)
        #expect(!files.isEmpty, "Fuzz/corpus/\(name) has seeds")
        for file in files {
            var bytes = [UInt8](try Data(contentsOf: file))
            if bytes.isEmpty { bytes = [0] }
            #expect(bytes.withUnsafeBufferPointer { target($0.baseAddress!, $0.count) } == 0, "\(file.lastPathComponent)")
        }
    }
}
