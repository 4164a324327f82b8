import Foundation

/// Where the repository's fixtures and the shared real data are, relative to this file.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("fixtures/" + name).path }
    static let sharedData = root.appendingPathComponent("../shared/data").standardized
    static func shared(_ name: String) -> String { sharedData.appendingPathComponent(name).path }
    static let hasSharedData = FileManager.default.fileExists(atPath: shared("sp500-daily-2013-2016.csv"))

    static func temporary(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "aurora-core-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }
}
