import Foundation

/// Where a plan keeps things, and how files are written: a temporary file beside the target,
/// then a rename, so a reader (or a resubmitted task) never sees half a file.
public enum SweepFiles {
    public static func shardConfig(_ plan: String, _ index: Int) -> String { path(plan, "shards", index, "yaml") }
    public static func result(_ plan: String, _ index: Int) -> String { path(plan, "results", index, "json") }
    public static func log(_ plan: String, _ index: Int) -> String { path(plan, "logs", index, "alog") }
    public static func manifest(_ plan: String) -> String { (plan as NSString).appendingPathComponent("manifest.json") }

    static func path(_ plan: String, _ folder: String, _ index: Int, _ ext: String) -> String {
        let name = String(index)
        return (plan as NSString).appendingPathComponent("\(folder)/\(String(repeating: "0", count: max(0, 6 - name.count)))\(name).\(ext)")
    }

    public static func writeAtomically(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw SweepSpec.Failure("\(path): cannot write here")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SweepSpec.Failure("\(path): cannot replace it (\(String(cString: strerror(errno))))")
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw SweepSpec.Failure("\(path): missing") }
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try d.decode(type, from: data) } catch { throw SweepSpec.Failure("\(path): torn or not a \(type) file (\(error))") }
    }

    public static func loadManifest(_ plan: String) throws -> SweepManifest {
        guard FileManager.default.fileExists(atPath: manifest(plan)) else {
            throw SweepSpec.Failure("\(plan): no manifest.json (a folder written by `aurora sweep plan`)")
        }
        return try decode(SweepManifest.self, manifest(plan))
    }
}
