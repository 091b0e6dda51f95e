import Foundation

/// A fresh folder under the system temp directory, removed when the test is done.
final class TempDirectory: @unchecked Sendable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "kubeluma-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) -> String {
        let full = "\(path)/\(name)"
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try! FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
        return full
    }
}
