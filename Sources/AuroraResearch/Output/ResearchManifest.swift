import AuroraLog
import Foundation

/// What a research job read and wrote, next to its outputs (`manifest.json`): enough to run it
/// again and to check that a second run gave the same bytes. Nothing in it depends on the
/// clock, the host or the order files were written in.
public struct ResearchManifest: Codable, Sendable, Equatable {
    public struct Digest: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int
    }

    public var engine = AuroraVersion.engine
    public var command: String
    public var config: String?
    public var configText: String?
    public var configSHA256: String?
    public var dataSource: String
    /// Every file the job read (bars, sectors, ETFs, outside data).
    public var inputs: [Digest]
    public var firstDate: String
    public var lastDate: String
    public var symbols: Int
    public var features: Int
    /// SHA-256 over the feature panel (names, symbols, dates, values).
    public var panelSHA256: String
    public var outputs: [Digest] = []
    public var notes: [String]

    public init(command: String, config: String?, configText: String?, dataSource: String, inputs: [String], firstDate: String,
                lastDate: String, symbols: Int, features: Int, panelSHA256: String, notes: [String]) throws {
        self.command = command
        self.config = config
        self.configText = configText
        self.configSHA256 = configText.map { hexString(sha256(Array($0.utf8))) }
        self.dataSource = dataSource
        self.inputs = try inputs.map(ResearchOutput.digest(ofFile:))
        self.firstDate = firstDate
        self.lastDate = lastDate
        self.symbols = symbols
        self.features = features
        self.panelSHA256 = panelSHA256
        self.notes = notes
    }
}

/// Writes a research job's files into a folder: each by a temporary file and a rename, so a
/// reader never sees half a file, then the manifest with every output's digest.
public struct ResearchOutput {
    public let directory: String
    private(set) var written: [ResearchManifest.Digest] = []

    public init(directory: String) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ResearchError("\(directory): cannot create the output folder (\(error.localizedDescription))")
        }
    }

    /// Writes `name` from chunks of text (a panel CSV is too large to build as one string).
    public mutating func write(_ name: String, _ produce: (_ emit: (String) throws -> Void) throws -> Void) throws {
        try withoutActuallyEscaping(produce) { produce in
            try writeChunks(name) { emit in try withoutActuallyEscaping(emit) { emit in try produce { try emit(Array($0.utf8)) } } }
        }
    }

    /// Writes `name` holding exactly `bytes` (a model artifact).
    public mutating func writeBytes(_ name: String, _ bytes: [UInt8]) throws {
        try writeChunks(name) { try $0(bytes) }
    }

    private mutating func writeChunks(_ name: String, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        let temp = path + ".tmp"
        guard FileManager.default.createFile(atPath: temp, contents: nil), let handle = FileHandle(forWritingAtPath: temp) else {
            throw ResearchError("\(temp): cannot be written")
        }
        let hasher = SHA256Hasher()
        var bytes = 0
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws {
            buffer.withUnsafeBytes { hasher.update($0) }
            try handle.write(contentsOf: buffer)
            bytes += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            try produce { chunk in
                buffer.append(contentsOf: chunk)
                if buffer.count >= 1 << 20 { try flush() }
            }
            try flush()
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temp, toPath: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
        written.append(.init(path: name, sha256: hexString(hasher.digest()), bytes: bytes))
    }

    public mutating func write(_ name: String, text: String) throws { try write(name) { try $0(text) } }

    /// The manifest, listing what was written so far; returns it.
    @discardableResult
    public mutating func finish(_ manifest: ResearchManifest) throws -> ResearchManifest {
        var m = manifest
        m.outputs = written.sorted { $0.path < $1.path }
        try write("manifest.json", text: try ResearchJSON.text(m) + "\n")
        return m
    }

    static func digest(ofFile path: String) throws -> ResearchManifest.Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ResearchError("\(path): cannot be read") }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
            bytes += chunk.count
        }
        return .init(path: path, sha256: hexString(hasher.digest()), bytes: bytes)
    }
}

/// JSON as research files write it: sorted keys, indented, non-finite numbers as strings.
public enum ResearchJSON {
    public static func text(_ value: any Encodable, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

public struct ResearchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
