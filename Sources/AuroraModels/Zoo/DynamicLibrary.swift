import Foundation

/// A C library opened when a model first needs it (`dlopen`) instead of linked, so the commands
/// that fit no model neither load it nor need it installed (LAPACK, XGBoost). Errors name the
/// library and the Debian package that provides it.
struct DynamicLibrary {
    private let handle: UnsafeMutableRawPointer
    /// What the errors call it ("XGBoost") and the file asked for first.
    private let what: String, file: String

    /// Opens the first of `files` that loads: the runtime's name first, the development link as
    /// the fallback. The error carries the loader's reason for the first, the file a user installs.
    init(_ what: String, files: [String], global: Bool = false, install packages: String) throws(ModelError) {
        self.what = what
        file = files.first ?? ""
        var reason = ""
        for name in files {
            if let h = dlopen(name, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL)) {
                handle = h
                return
            }
            if reason.isEmpty { reason = Self.loaderError() }
        }
        throw ModelError("\(what): cannot open \(file) (\(reason)); install \(packages)")
    }

    /// The entry point `name` as the C function type `F` (the type its header gives it).
    func symbol<F>(_ name: String) throws(ModelError) -> F {
        guard let f: F = optionalSymbol(name) else {
            throw ModelError("\(what): \(file) lacks \(name) (\(Self.loaderError()))")
        }
        return f
    }

    /// The same for an entry point only some builds of the library have.
    func optionalSymbol<F>(_ name: String) -> F? {
        dlsym(handle, name).map { unsafeBitCast($0, to: F.self) }
    }

    private static func loaderError() -> String { dlerror().map { String(cString: $0) } ?? "no detail" }
}
