import Foundation

/// Where the repository's fixtures and the shared real data are, relative to this file.
public enum Paths {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static func fixture(_ name: String) -> String { root.appendingPathComponent("fixtures/" + name).path }
    public static let sharedData = root.appendingPathComponent("../shared/data").standardized
    public static func shared(_ name: String) -> String { sharedData.appendingPathComponent(name).path }
    public static let hasSharedData = FileManager.default.fileExists(atPath: shared("sp500-daily-2013-2016.csv"))

    /// A path in a fresh folder of its own.
    public static func temporary(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "aurora-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }
}
