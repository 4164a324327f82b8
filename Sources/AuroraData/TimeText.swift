import Foundation
import AuroraModel
import AuroraLog

/// Parses a time given on the command line; a bare date means its local midnight.
public enum TimeText {
    /// A time given as an inclusive end: a bare date means the whole day, through its last
    /// nanosecond (the last representable instant when that day ends after it).
    public static func parseEnd(_ text: String, timeZone: String = "UTC") throws -> Timestamp {
        let t = try parse(text, timeZone: timeZone)
        guard text.trimmingCharacters(in: .whitespaces).count == 10 else { return t }
        let (end, overflow) = t.rawValue.addingReportingOverflow(86_400 * Timestamp.nanosecondsPerSecond - 1)
        return Timestamp(rawValue: overflow ? .max : end)
    }

    public static func parse(_ text: String, timeZone: String = "UTC") throws -> Timestamp {
        let result: Result<TimeParser.Parsed, TimeParser.Failure> = {
            do throws(TimeParser.Failure) {
                var parser = try TimeParser(timeZone: timeZone, epochUnit: .nanoseconds, sessionCloseMinutes: 0)
                let utf8 = Array(text.utf8)
                var outcome: Result<TimeParser.Parsed, TimeParser.Failure> = .failure(.invalid("empty"))
                utf8.withUnsafeBytes { bytes in
                    do throws(TimeParser.Failure) { outcome = .success(try parser.parse(bytes)) } catch { outcome = .failure(error) }
                }
                return outcome
            } catch {
                return .failure(error)
            }
        }()
        switch result {
        case .success(let parsed): return Timestamp(rawValue: parsed.nanoseconds)
        case .failure(.invalid(let why)) where why.contains("out of range"):
            throw BarCSVError(path: "time", "\"\(text)\" is out of range: Aurora's times run from 1677-09-21 to 2262-04-11T23:47:16Z")
        case .failure(.unknownZone(let z)): throw BarCSVError(path: "time", "unknown time zone \"\(z)\"")
        case .failure(.invalid(let why)):
            throw BarCSVError(path: "time", "\"\(text)\" is not a time (\(why)); expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS[Z] or epoch nanoseconds")
        }
    }

    /// The local date (`YYYY-MM-DD`) of an instant in a time zone (UTC when the zone is unknown).
    public static func localDate(_ t: Timestamp, timeZone: String) -> String {
        let zone = TimeZone(identifier: timeZone) ?? .gmt
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.epochSeconds))))
        let (shifted, overflow) = t.rawValue.addingReportingOverflow(offset * Timestamp.nanosecondsPerSecond)
        return String(Timestamp(rawValue: overflow ? t.rawValue : shifted).iso8601.prefix(10))
    }
}
