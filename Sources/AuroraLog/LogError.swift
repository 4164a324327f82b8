/// Everything that can go wrong reading or writing a log, with the file and byte offset.
public struct LogError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        case io(String)
        case emptyFile
        case notAnAuroraLog(String)
        case newerFormat(found: UInt16, supported: UInt16)
        /// The file ends inside a frame: what a crash mid-write leaves. Recoverable by truncation.
        case tornTail(String)
        /// A complete frame fails its checks: the bytes were damaged.
        case corrupt(String)
        /// The caller broke a writer rule (time going backwards, an undefined symbol, …).
        case invalidAppend(String)
    }

    public var path: String
    public var offset: Int64?
    public var problem: Problem

    public init(path: String, offset: Int64? = nil, _ problem: Problem) {
        self.path = path
        self.offset = offset
        self.problem = problem
    }

    public var description: String {
        let place = offset.map { "\(path): at byte \($0)" } ?? path
        switch problem {
        case .io(let why): return "\(place): \(why)"
        case .emptyFile: return "\(place): empty file, not an Aurora log"
        case .notAnAuroraLog(let why): return "\(place): not an Aurora log (\(why))"
        case .newerFormat(let found, let supported):
            return "\(place): log format version \(found) is newer than this aurora reads (up to \(supported)); upgrade aurora"
        case .tornTail(let why): return "\(place): torn tail: \(why)"
        case .corrupt(let why): return "\(place): corrupt: \(why)"
        case .invalidAppend(let why): return "\(place): cannot append: \(why)"
        }
    }
}
