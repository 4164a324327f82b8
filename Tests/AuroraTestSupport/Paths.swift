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
    public static func temporary(_ name: String) -> String { temporaryDirectory() + "/" + name }

    /// A fresh folder of its own, inside this test process's scratch folder.
    public static func temporaryDirectory() -> String {
        let dir = scratch + "/" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// This process's folder for everything tests write (`aurora-tests-PID` in the temporary
    /// directory). Folders that earlier test processes left are removed when it is made, once
    /// their process is gone, so repeated runs do not pile logs up (a run leaves only its own,
    /// to look at afterwards; nothing is removed at exit, where a failure would fail the run).
    public static let scratch: String = {
        let base = NSTemporaryDirectory()
        let prefix = "aurora-tests-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: base + name)
        }
        let dir = base + prefix + "\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()
}
