import Foundation
import Testing
@testable import Store

@Suite struct OpeningTests {
    @Test func aSecondOpenOfTheSameCacheIsRefusedWithTheHoldersPid() throws {
        let dir = try TemporaryDirectory()
        let first = try ClusterCache.openForTest(dir)
        #expect {
            _ = try ClusterCache.openForTest(dir)
        } throws: { error in
            guard case let StoreError.inUse(_, pid) = error else { return false }
            return pid == getpid() && "\(error)".contains("in use by another kubeluma (pid \(getpid()))")
        }
        _ = first
    }

    @Test func theCacheCanBeOpenedAgainOnceTheFirstIsClosed() throws {
        let dir = try TemporaryDirectory()
        do { _ = try ClusterCache.openForTest(dir) }
        _ = try ClusterCache.openForTest(dir)
    }

    @Test func anotherProcessHoldingTheLockMakesOpenFail() throws {
        let dir = try TemporaryDirectory()
        let lockPath = dir.path("cache.sqlite.lock")
        // flock(1) takes the same kind of lock kubeluma takes, prints, then waits for stdin.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-x", lockPath, "-c", "echo locked; read line"]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        let line = output.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).contains("locked"))
        #expect(throws: StoreError.self) { _ = try ClusterCache.openForTest(dir) }
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        _ = try ClusterCache.openForTest(dir)
    }

    @Test func anUnusableFileIsLeftUntouchedWhenTheCallerAsksForThat() throws {
        let dir = try TemporaryDirectory()
        let junk = Data("this is not a database, it is someone's notes".utf8) + Data(repeating: 1, count: 4096)
        try junk.write(to: URL(fileURLWithPath: dir.path("cache.sqlite")))
        #expect {
            _ = try ClusterCache.openForTest(dir) { $0.onCorruption = .fail }
        } throws: { error in
            guard case StoreError.notADatabase = error else { return false }
            return "\(error)".contains("left untouched")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("cache.sqlite"))) == junk)
    }

    @Test func anUnusableFileIsMovedAsideAndAFreshCacheStarts() async throws {
        let dir = try TemporaryDirectory()
        let junk = Data(repeating: 7, count: 8192)
        try junk.write(to: URL(fileURLWithPath: dir.path("cache.sqlite")))
        let cache = try ClusterCache.openForTest(dir)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a")], resourceVersion: "5")
        #expect(cache.names() == ["default/a"])
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".corrupt-") }
        #expect(aside.count == 1)
        #expect(try Data(contentsOf: dir.url.appendingPathComponent(aside[0])) == junk)
    }

    @Test func someoneElsesSQLiteDatabaseIsNeverMigrated() throws {
        let dir = try TemporaryDirectory()
        do {
            let db = try Connection(path: dir.path("cache.sqlite"), mode: .writer)
            try db.execute("CREATE TABLE recipes (name TEXT)")
        }
        #expect(throws: StoreError.self) { _ = try ClusterCache.openForTest(dir) }
        let db = try Connection(path: dir.path("cache.sqlite"), mode: .writer)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'") == 1)
    }

    @Test func databasePathsAreOnePerScopeUnderTheXDGCache() {
        let env = ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]
        let a = DatabaseLocation.databaseFile(server: "https://10.0.0.1:6443", context: "prod", namespace: nil, environment: env)
        let b = DatabaseLocation.databaseFile(server: "https://10.0.0.1:6443", context: "prod", namespace: "web", environment: env)
        #expect(a.path.hasPrefix("/x/cache/kubeluma/10.0.0.1_prod_all-namespaces-"))
        #expect(a != b)
        #expect(a == DatabaseLocation.databaseFile(server: "https://10.0.0.1:6443", context: "prod", namespace: nil, environment: env))
        let home = DatabaseLocation.databaseFile(server: "https://k", context: "c", namespace: nil, environment: ["HOME": "/home/u"])
        #expect(home.path.hasPrefix("/home/u/.cache/kubeluma/"))
        let relative = DatabaseLocation.cacheDirectory(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"])
        #expect(relative.path == "/h/.cache/kubeluma")
        #expect(DatabaseLocation.databaseFile(server: "s", context: "c", namespace: nil, override: "/tmp/mine.db", environment: env).path
            == "/tmp/mine.db")
    }
}
