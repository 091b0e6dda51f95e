import CSQLite
import Foundation
import Logging

extension ClusterCache {
    /// Opens (creating if needed) the cache at `configuration.path`: takes the process lock,
    /// migrates the schema and loads the live pods into the index, all before any network call,
    /// so the UI can show the last known table at once (warm start).
    public static func open(_ configuration: CacheConfiguration) throws -> ClusterCache {
        let path = configuration.path
        let logger = configuration.logger
        if configuration.isInMemory { return try openLocked(configuration, lock: nil) }
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
        }
        let lock: ExclusiveLock
        do {
            lock = try ExclusiveLock(path: path + ".lock")
        } catch .held(let pid) {
            throw StoreError.inUse(path: path, pid: pid)
        } catch .cannotOpen(let code) {
            throw StoreError.cannotOpen(path: path + ".lock", reason: String(cString: strerror(code)))
        }
        do {
            return try openLocked(configuration, lock: lock)
        } catch StoreError.notADatabase(_, let underlying) where configuration.onCorruption == .moveAside {
            let aside = try moveAside(path)
            logger.warning("cache file unusable; moved aside, starting an empty cache", metadata: [
                "store.path": "\(path)", "store.movedTo": "\(aside)", "sqlite.code": "\(underlying.code)",
            ])
            return try openLocked(configuration, lock: lock)
        }
    }

    private static func openLocked(_ configuration: CacheConfiguration, lock: ExclusiveLock?) throws -> ClusterCache {
        let path = configuration.path
        do {
            let db = try Connection(path: path, mode: .writer)
            try refuseForeignDatabase(db)
            try Migrator(migrations: configuration.migrations, logger: configuration.logger)
                .migrate(db, now: configuration.now())
            let seq = UInt64(try db.scalarInt("SELECT value FROM store_meta WHERE key = 'seq'") ?? 0)
            let rows = try loadLivePods(db)
            var checkpointer: Checkpointer?
            if !configuration.isInMemory {
                let checkpoints = Checkpointer(thresholdPages: configuration.checkpointPages)
                db.onWALCommit { pages in checkpoints.committed(walPages: pages) }
                checkpointer = checkpoints
            }
            let index = PodIndex(rows: rows, seq: seq)
            let feed = ChangeFeed(seq: seq)
            let status = PersistenceStatus()
            let writer = CacheWriter(db: db, index: index, feed: feed, status: status, seq: seq,
                                     retention: configuration.retention,
                                     storageRetryInterval: configuration.storageRetryInterval,
                                     now: configuration.now, logger: configuration.logger)
            configuration.logger.info("opened cache", metadata: [
                "store.path": "\(path)", "store.seq": "\(seq)", "store.livePods": "\(rows.count)",
            ])
            let writerQueue = DatabaseQueue(label: "kubeluma.store.writer", context: writer)
            // In memory there is no second connection to the same data: reads take turns with
            // writes on the writer's queue and connection.
            let readerQueue = configuration.isInMemory
                ? DatabaseQueue(sharingQueueOf: writerQueue, context: db)
                : DatabaseQueue(label: "kubeluma.store.reader", context: try Connection(path: path, mode: .reader))
            return ClusterCache(path: path, index: index, writer: writerQueue, reader: readerQueue,
                                checkpointer: checkpointer, feed: feed, status: status, lock: lock)
        } catch let error as SQLiteError where error.isCorruption {
            throw StoreError.notADatabase(path: path, underlying: error)
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error)
        }
    }

    /// A valid SQLite file that kubeluma did not create (someone's own database given to
    /// `--db` by mistake) must not get our tables added to it.
    private static func refuseForeignDatabase(_ db: Connection) throws {
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) }
        if !tables.isEmpty && !tables.contains("schema_migrations") {
            throw StoreError.foreignDatabase(path: db.path)
        }
    }

    static func loadLivePods(_ db: Connection) throws(SQLiteError) -> [PodRow] {
        try db.query("""
            SELECT uid, namespace, name, phase, status, ready, total, restarts, last_restart_at, node, pod_ip,
                   host_ip, created_at, resource_version, seq
            FROM pods WHERE deleted_at IS NULL
            """) { row in
            PodRow(uid: row.text(0), namespace: row.text(1), name: row.text(2), phase: row.text(3),
                   status: row.text(4), ready: row.int(5), total: row.int(6), restarts: row.int(7),
                   lastRestart: row.optionalDate(8), node: row.optionalText(9), podIP: row.optionalText(10),
                   hostIP: row.optionalText(11), createdAt: row.optionalDate(12), resourceVersion: row.text(13),
                   seq: UInt64(row.int64(14)))
        }
    }

    /// Renames the file and its WAL companions to `<path>.corrupt-<unix time>`; never deletes.
    private static func moveAside(_ path: String) throws -> String {
        let aside = "\(path).corrupt-\(Int(Date().timeIntervalSince1970))"
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            do {
                try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "it is unusable and could not be moved aside: \(error.localizedDescription)")
            }
        }
        return aside
    }
}
