import ArgumentParser
import Aurora

/// Times and time zones given as options are checked in `validate()`, so that a bad one is a
/// misuse of that option — exit 64 with the command's usage, the option named — rather than a
/// failure of the work found once it has started.
enum TimeOptions {
    static func check(_ text: String?, _ option: String) throws {
        guard let text else { return }
        do { _ = try TimeText.parse(text) } catch let error as BarCSVError { throw ValidationError("\(option): \(error.message)") }
    }

    static func checkZone(_ zone: String, _ option: String) throws {
        do { _ = try TimeText.parse("2000-01-01T00:00:00", timeZone: zone) } catch let error as BarCSVError {
            throw ValidationError("\(option): \(error.message)")
        }
    }
}
