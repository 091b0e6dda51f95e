import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One kubeluma process per database file.
///
/// SQLite alone would keep two processes from corrupting the file, but two informers writing the
/// same cache would fight (two relists, two sequences of tombstones) and the doctrine is one
/// writer per file. So the store holds an exclusive `flock` on `<db>.lock` for as long as it is
/// open, with the holder's pid written inside for the error message. The kernel drops the lock
/// when the process exits, `kill -9` included, so a stale lock file never blocks a restart.
/// flock locks belong to an open file description, so a second open in the same process is
/// refused too (which is what the tests use, along with a real second process).
final class ExclusiveLock: Sendable {
    let path: String
    private let descriptor: Int32

    enum Failure: Error {
        /// Another process holds the lock; its pid if it wrote one.
        case held(pid: Int32?)
        case cannotOpen(errno: Int32)
    }

    init(path: String) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(fd)
            close(fd)
            throw .held(pid: holder)
        }
        descriptor = fd
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        // Closing releases the lock. The file stays: removing it would race with a process
        // that has just opened it and is about to lock it.
        close(descriptor)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}
