import Foundation
import Testing
@testable import Informer

/// Exec plugins and token files (KUBERNETES-API.md §7.3–7.4, §9 items 66–67).
@Suite struct CredentialProviderTests {
    let dir = TempDirectory()

    /// A plugin that counts its runs in a file and prints a credential.
    func plugin(apiVersion: String = "client.authentication.k8s.io/v1", status: String) -> String {
        dir.write("plugin.sh", """
        #!/bin/sh
        n=$(cat "\(dir.path)/runs" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo $n > "\(dir.path)/runs"
        echo '{"apiVersion":"\(apiVersion)","kind":"ExecCredential","status":\(status)}'
        """, executable: true)
    }

    var runs: Int { Int((try? String(contentsOfFile: "\(dir.path)/runs", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0 }

    func provider(_ command: String, apiVersion: String = "client.authentication.k8s.io/v1", mode: String = "Never",
                  now: @escaping @Sendable () -> Date = { Date() }) -> CredentialProvider {
        CredentialProvider(credentials: .exec(ExecConfig(apiVersion: apiVersion, command: command, interactiveMode: mode, installHint: "install it")),
                           contextName: "ctx", clusterInfo: [:], now: now)
    }

    @Test func execCredentialIsCachedUntilItExpires() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let p = provider(plugin(status: #"{"token":"t1","expirationTimestamp":"2027-01-15T08:05:00Z"}"#), now: { clock.now })
        #expect(try await p.material().authorization == "Bearer t1")
        _ = try await p.material()
        #expect(runs == 1)
        clock.now = Date(timeIntervalSince1970: 1_800_000_000 + 86_400 * 10)  // past the expiry
        _ = try await p.material()
        #expect(runs == 2)
    }

    @Test func unauthorizedRerunsThePluginOncePerGeneration() async throws {
        let p = provider(plugin(status: #"{"token":"t"}"#))
        let first = try await p.material()
        await p.unauthorized(generation: first.generation)
        await p.unauthorized(generation: first.generation)  // a second 401 of the same generation
        let second = try await p.material()
        #expect(second.generation == first.generation + 1)
        #expect(runs == 2)
    }

    @Test func wrongApiVersionOrEmptyStatusIsAClearError() async {
        let p = provider(plugin(apiVersion: "client.authentication.k8s.io/v1beta1", status: #"{"token":"t"}"#))
        await #expect(throws: KubeClientError.self) { try await p.material() }
        let empty = provider(plugin(status: "{}"))
        await #expect(throws: KubeClientError.self) { try await empty.material() }
    }

    @Test func missingBinaryNamesItAndShowsTheInstallHint() async {
        let p = provider("kubeluma-no-such-plugin")
        do {
            _ = try await p.material()
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("kubeluma-no-such-plugin not found"))
            #expect("\(error)".contains("install it"))
        }
    }

    @Test func interactiveAlwaysAsksForATerminalLogin() async {
        let p = provider(plugin(status: #"{"token":"t"}"#), mode: "Always")
        do {
            _ = try await p.material()
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("terminal"))
        }
        #expect(runs == 0)
    }

    @Test func tokenFileChangesAreUsedWithinAMinute() async throws {  // item 67
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let file = dir.write("token", "old\n")
        let p = CredentialProvider(credentials: .tokenFile(path: file, fallback: "inline"), contextName: "c", clusterInfo: [:], now: { clock.now })
        #expect(try await p.material().authorization == "Bearer old")
        dir.write("token", "new\n")
        clock.now = clock.now.addingTimeInterval(30)
        #expect(try await p.material().authorization == "Bearer old")
        clock.now = clock.now.addingTimeInterval(31)
        #expect(try await p.material().authorization == "Bearer new")
        try FileManager.default.removeItem(atPath: file)
        clock.now = clock.now.addingTimeInterval(61)
        #expect(try await p.material().authorization == "Bearer new")  // last good token stays
    }
}

/// A settable wall clock.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
