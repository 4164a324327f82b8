#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Aurora

/// Buffered standard output: `cat` writes millions of lines, one `print` each would be slow.
final class OutputStream {
    private var buffer: [UInt8] = []
    private let descriptor: Int32

    init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 { flush() }
    }

    /// A time as `Timestamp.iso8601` spells it, without making the string.
    func write(iso8601 t: Timestamp) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Timestamp.iso8601MaxBytes) { text in
            let n = t.writeISO8601(into: text)
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<n]))
        }
        if buffer.count >= 1 << 16 { flush() }
    }

    /// A number in decimal, without making the string.
    func write(decimal v: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20, rest = v
            repeat {
                n -= 1
                digits[n] = UInt8(48 + rest % 10)
                rest /= 10
            } while rest > 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n...]))
        }
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var done = 0
        buffer.withUnsafeBytes { raw in
            guard let start = raw.baseAddress else { return }
            while done < raw.count {
                let n = systemWrite(descriptor, start + done, raw.count - done)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    // The reader went away (e.g. `| head`): stop quietly.
                    exit(0)
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// `write(2)`, under a name the stream's own `write` does not shadow.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

func printError(_ text: String) { writeAll(2, text + "\n") }

/// A whole line to stdout at once, unbuffered: a script waiting for it (the paper exchange's
/// address) sees it immediately.
func printLine(_ text: String) { writeAll(1, text + "\n") }

private func writeAll(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { utf8 in
        guard let start = utf8.baseAddress else { return }
        _ = systemWrite(fd, start, utf8.count)
    }
}

func grouped<T: BinaryInteger>(_ value: T) -> String { ReportText.grouped(value) }
func fixed(_ value: Double, _ decimals: Int) -> String { ReportText.fixed(value, decimals) }

/// Wall-clock seconds for reporting throughput (never reaches a log).
func secondsNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes to standard error without a newline (progress lines).
func printErrorRaw(_ text: String) { writeAll(2, text) }
