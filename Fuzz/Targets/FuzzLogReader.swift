import AuroraData
import AuroraKernel
import AuroraLog
import AuroraModel
import Foundation

/// Any bytes as a log file: opening, streaming every event, the recorded inputs, the checkpoint
/// check and reopening for append must each end in a value or a thrown error, never a trap.
/// The same bytes also go to the canonical record decoder directly.
public func fuzzLogReader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? EventCodec.decodeCanonical(bytes)
    let path = FileManager.default.temporaryDirectory.path + "/aurora-fuzz-\(getpid()).alog"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
    defer { unlink(path) }
    if let reader = try? LogReader(path: path) {
        let cursor = reader.events()
        var events = 0
        while events < 1_000_000, let e = try? cursor.next() {
            _ = EventCodec.canonicalBytes(e)
            events += 1
        }
        _ = try? RecordedInputs.read(reader)
        _ = try? CheckpointVerifier.verify(reader)
        _ = try? LogInspector.inspect(path: path)
    }
    if let (writer, _) = try? LogWriter.openForAppend(path: path) { _ = try? writer.close() }
    return 0
}
