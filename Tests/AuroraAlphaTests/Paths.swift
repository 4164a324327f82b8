import Foundation

enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("fixtures/" + name).path }
    static func shared(_ name: String) -> String { root.appendingPathComponent("../shared/data/" + name).standardized.path }
    static let hasSharedData = FileManager.default.fileExists(atPath: shared("sp500-daily-2013-2016.csv"))

    static func temporary(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "aurora-alpha-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }
}
