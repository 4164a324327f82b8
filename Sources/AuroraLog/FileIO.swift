#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that makes file system calls: a thin, throwing wrapper over a descriptor.
final class LogFile {
    let descriptor: Int32
    let path: String

    enum Mode { case read, create, update }

    init(path: String, mode: Mode) throws(LogError) {
        self.path = path
        let flags: Int32
        switch mode {
        case .read: flags = O_RDONLY
        case .create: flags = O_RDWR | O_CREAT | O_TRUNC
        case .update: flags = O_RDWR
        }
        let fd: Int32
        if mode == .create, let replaced = Self.replacing(path) {
            fd = replaced
        } else {
            fd = open(path, flags | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw LogError(path: path, .io("cannot open: \(Self.lastError())")) }
        // A directory opens read-only on Linux; reading it fails later with a less clear message.
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw LogError(path: path, .io("is a directory"))
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    func size() throws(LogError) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LogError(path: path, .io("cannot stat: \(Self.lastError())")) }
        return Int64(info.st_size)
    }

    /// Reads exactly `count` bytes at `offset` into `buffer` (replacing its contents); fewer only at end of file.
    @discardableResult
    func read(at offset: Int64, count: Int, into buffer: ByteBuffer) throws(LogError) -> Int {
        buffer.removeAll()
        let target = buffer.spareCapacity(count)
        var done = 0
        while done < count {
            let n = pread(descriptor, target + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw LogError(path: path, offset: offset, .io("read failed: \(Self.lastError())"))
            }
            if n == 0 { break }
            done += n
        }
        buffer.count = done
        return done
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError) {
        guard let start = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, start + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw LogError(path: path, offset: offset + Int64(done), .io("write failed: \(Self.lastError())"))
            }
            done += n
        }
    }

    func truncate(to size: Int64) throws(LogError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw LogError(path: path, offset: size, .io("truncate failed: \(Self.lastError())"))
        }
    }

    func sync() throws(LogError) {
        guard fsync(descriptor) == 0 else { throw LogError(path: path, .io("fsync failed: \(Self.lastError())")) }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    /// A new empty file put in place of an existing log of ours, or nil to truncate as usual.
    /// Truncating frees the old file's blocks inside `open` (7–8 ms for a 14 MB log on this
    /// machine's ext4, on the thread about to run a backtest); a new file renamed over the old one
    /// replaces it as atomically, and the old one's blocks are freed where its last descriptor is
    /// closed — here on a thread of its own. Only a regular file with one link that we own, may
    /// write and is worth it: anything else (a symlink, a hard link, another user's file, a
    /// read-only one) keeps what truncating does to it, and every failure falls back to that.
    static func replacing(_ path: String) -> Int32? {
        var before = stat()
        guard lstat(path, &before) == 0, (before.st_mode & S_IFMT) == S_IFREG, before.st_nlink == 1,
              before.st_uid == geteuid(), before.st_size >= 1 << 20, access(path, W_OK) == 0 else { return nil }
        let old = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard old >= 0 else { return nil }
        var opened = stat()
        guard fstat(old, &opened) == 0, opened.st_dev == before.st_dev, opened.st_ino == before.st_ino else {
            close(old)
            return nil
        }
        let temporary = "\(path).replacing-\(getpid())"
        let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            close(old)
            return nil
        }
        guard fchmod(fd, opened.st_mode & 0o7777) == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            close(fd)
            close(old)
            return nil
        }
        if !startThread({ close(old) }) { close(old) }
        return fd
    }

    /// Refuses now what creating `path` later would refuse: a directory, or a folder that does not
    /// exist or cannot be written. Nothing is created.
    static func checkCreatable(_ path: String) throws(LogError) {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw LogError(path: path, .io("is a directory")) }
            guard access(path, W_OK) == 0 else { throw LogError(path: path, .io("cannot open: \(lastError())")) }
            return
        }
        let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) : "."
        guard access(folder.isEmpty ? "/" : folder, W_OK | X_OK) == 0 else {
            throw LogError(path: path, .io("cannot create: \(lastError())"))
        }
    }
}

/// A monotonic millisecond clock for the flush policy; it never reaches event content.
func monotonicMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
