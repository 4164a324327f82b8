import AuroraModel

/// Parses a time given on the command line; a bare date means its local midnight.
public enum TimeText {
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
        case .failure(.unknownZone(let z)): throw BarCSVError(path: "time", "unknown time zone \"\(z)\"")
        case .failure(.invalid(let why)):
            throw BarCSVError(path: "time", "\"\(text)\" is not a time (\(why)); expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS[Z] or epoch nanoseconds")
        }
    }
}
