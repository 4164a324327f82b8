import Foundation
import Testing
@testable import AuroraLog
import AuroraModel
#if canImport(Glibc)
import Glibc
#endif

/// A log written where one already is: a large one of ours is replaced by a new file renamed
/// over it (its blocks freed off the writing thread); anything else is truncated in place as
/// before. Either way the path then holds exactly the new log.
@Suite("Writing a log over an existing file")
struct ReplacingTests {
    private func inode(_ path: String) -> (ino: UInt64, mode: UInt32, isLink: Bool)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_ino), UInt32(info.st_mode & 0o7777), (info.st_mode & S_IFMT) == S_IFLNK)
    }

    /// A file of `bytes` junk bytes (no log), so a reader of what replaced it sees none of it.
    private func junk(_ path: String, bytes: Int) throws {
        try Data(repeating: 0xA5, count: bytes).write(to: URL(fileURLWithPath: path))
    }

    private func expectOnlyTheNewLog(_ path: String, _ events: [Event]) throws {
        let reader = try LogReader(path: path)
        #expect(reader.tail == .closed)
        #expect(reader.eventCount == UInt64(events.count))
        #expect(try LogInspector.inspect(path: path).isSound)
        // The junk was 1000 bytes or 3 MiB; a log of a few hundred events is far from either.
        let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
        #expect(size == Int(reader.fileSize) && size < 1 << 20 && size != 1000)
    }

    @Test("a large file of ours is replaced by a new one: a new inode, its mode kept, no file left beside it")
    func replacesLargeFile() throws {
        let dir = temporaryDirectory()
        let path = dir + "/run.alog"
        try junk(path, bytes: 3 << 20)
        #expect(chmod(path, 0o640) == 0)
        let before = try #require(inode(path))
        let events = try writeSampleLog(path, count: 400)
        let after = try #require(inode(path))
        #expect(after.ino != before.ino)
        #expect(after.mode == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["run.alog"])
        try expectOnlyTheNewLog(path, events)
        // Written over again, the same bytes as a log written where nothing was.
        try writeSampleLog(path, count: 400)
        try writeSampleLog(dir + "/fresh.alog", count: 400)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: dir + "/fresh.alog")))
    }

    /// A second name for the file: a symlink to it, or a hard link beside it.
    enum SecondName: String, CaseIterable, Sendable { case symlink, hardLink }

    @Test("a file with a second name is truncated in place: a symlink stays one, a hard link sees the new log",
          arguments: SecondName.allCases)
    func secondNameKept(_ name: SecondName) throws {
        let dir = temporaryDirectory()
        let file = dir + "/file.alog", other = dir + "/other.alog"
        try junk(file, bytes: 3 << 20)
        let before = try #require(inode(file))
        let events: [Event]
        switch name {
        case .symlink:
            #expect(symlink(file, other) == 0)
            events = try writeSampleLog(other, count: 300)
            #expect(inode(other)?.isLink == true)
        case .hardLink:
            #expect(link(file, other) == 0)
            events = try writeSampleLog(file, count: 300)
            #expect(inode(other)?.ino == before.ino)
        }
        #expect(inode(file)?.ino == before.ino)
        try expectOnlyTheNewLog(file, events)
        try expectOnlyTheNewLog(other, events)
    }

    @Test("a small file is truncated in place (nothing to gain from a thread)")
    func smallFileTruncated() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        try junk(path, bytes: 1000)
        let before = try #require(inode(path))
        let events = try writeSampleLog(path, count: 300)
        #expect(inode(path)?.ino == before.ino)
        try expectOnlyTheNewLog(path, events)
    }
}
