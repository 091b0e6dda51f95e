import Foundation
import Synchronization

/// The simulated cluster's storage: pods and events with resourceVersions, a bounded change
/// history that watches resume from, list snapshots that continue tokens point into, and the
/// registry of open watches. All state sits behind one lock; every write goes through
/// `commit`, which stamps the next resourceVersion, encodes the object once, records the
/// change and fans it out to the watches.
final class Cluster: Sendable {
    struct State {
        var resourceVersion = 1000
        var pods: [ObjectKey: StoredObject] = [:]
        var events: [ObjectKey: StoredObject] = [:]
        /// Changes in resourceVersion order, oldest first; at most `historyLimit` entries.
        var history: [Change] = []
        /// A watch may resume from any resourceVersion ≥ this; older ones get 410.
        var historyFloor = 1000
        var watchers: [Int: WatchRegistration] = [:]
        var nextWatcherID = 1
        var snapshots: [SnapshotKey: ListSnapshot] = [:]
        /// The keys of the events about each object (its namespace and name): a churn step
        /// finds a pod's events without reading all 50,000.
        var eventsAbout: [ObjectKey: Set<ObjectKey>] = [:]

        func objects(_ resource: Resource) -> [ObjectKey: StoredObject] {
            resource == .pods ? pods : events
        }
    }

    struct SnapshotKey: Hashable { var resource: Resource; var resourceVersion: Int }
    struct ListSnapshot {
        var sorted: [StoredObject]
        var createdAt: Date
    }

    let state: Mutex<State>
    let now: @Sendable () -> Date
    let historyLimit: Int
    let continueTokenTTL: TimeInterval
    let eventTTL: TimeInterval
    let bookmarkInterval: TimeInterval
    /// How many frames a watcher may fall behind before it is dropped, as kube-apiserver drops
    /// watchers that cannot keep up.
    let watcherBuffer: Int

    init(now: @escaping @Sendable () -> Date, historyLimit: Int, continueTokenTTL: TimeInterval,
         eventTTL: TimeInterval, bookmarkInterval: TimeInterval, watcherBuffer: Int) {
        self.watcherBuffer = watcherBuffer
        self.state = Mutex(State())
        self.now = now
        self.historyLimit = historyLimit
        self.continueTokenTTL = continueTokenTTL
        self.eventTTL = eventTTL
        self.bookmarkInterval = bookmarkInterval
    }

    var currentResourceVersion: Int { state.withLock { $0.resourceVersion } }

    // MARK: Writes

    enum Write {
        case upsertPod(Pod)
        case deletePod(ObjectKey)
        case upsertEvent(Event)
        case deleteEvent(ObjectKey)
    }

    /// Applies writes in order, each with its own resourceVersion, and notifies watches.
    /// Returns the stored objects as written.
    @discardableResult
    func commit(_ writes: [Write]) -> [StoredObject] {
        let date = now()
        return state.withLock { s in
            var written: [StoredObject] = []
            for write in writes {
                s.resourceVersion += 1
                let rv = s.resourceVersion
                let change: Change?
                switch write {
                case .upsertPod(let pod): change = Self.upsert(.pod(pod), key: pod.key, in: \.pods, resource: .pods, rv: rv, at: date, &s)
                case .upsertEvent(let event):
                    s.eventsAbout[event.regardingKey, default: []].insert(event.key)
                    change = Self.upsert(.event(event), key: event.key, in: \.events, resource: .events, rv: rv, at: date, &s)
                case .deletePod(let key): change = Self.delete(key, in: \.pods, resource: .pods, rv: rv, at: date, &s)
                case .deleteEvent(let key):
                    if case .event(let event)? = s.events[key]?.body {
                        s.eventsAbout[event.regardingKey]?.remove(key)
                        if s.eventsAbout[event.regardingKey]?.isEmpty == true { s.eventsAbout[event.regardingKey] = nil }
                    }
                    change = Self.delete(key, in: \.events, resource: .events, rv: rv, at: date, &s)
                }
                guard let change else {
                    s.resourceVersion -= 1  // deleting what is not there changes nothing
                    continue
                }
                written.append(change.object)
                record(change, in: &s)
            }
            return written
        }
    }

    private typealias Table = WritableKeyPath<State, [ObjectKey: StoredObject]>

    private static func upsert(_ body: StoredObject.Body, key: ObjectKey, in table: Table, resource: Resource,
                               rv: Int, at date: Date, _ s: inout State) -> Change {
        let previous = s[keyPath: table][key]
        let stored = StoredObject(body, resourceVersion: rv, at: date)
        s[keyPath: table][key] = stored
        return Change(kind: previous == nil ? .added : .modified, resource: resource, resourceVersion: rv,
                      object: stored, previous: previous)
    }

    /// The DELETED object is the last state with the deletion's resourceVersion.
    private static func delete(_ key: ObjectKey, in table: Table, resource: Resource, rv: Int, at date: Date,
                               _ s: inout State) -> Change? {
        guard let previous = s[keyPath: table].removeValue(forKey: key) else { return nil }
        return Change(kind: .deleted, resource: resource, resourceVersion: rv,
                      object: StoredObject(previous.body, resourceVersion: rv, at: date), previous: previous)
    }

    private func record(_ change: Change, in s: inout State) {
        s.history.append(change)
        if s.history.count > historyLimit + historyLimit / 4 {
            // Trim in chunks so appends stay amortised O(1).
            let drop = s.history.count - historyLimit
            s.historyFloor = s.history[drop - 1].resourceVersion
            s.history.removeFirst(drop)
        }
        for (id, watcher) in s.watchers where watcher.request.resource == change.resource {
            if let frame = watcher.request.frame(for: change), !watcher.send(frame) {
                // The server drops watchers too slow to drain their buffer; they resume.
                watcher.continuation.finish()
                s.watchers[id] = nil
            }
        }
    }

    // MARK: Reads

    func pod(_ key: ObjectKey) -> Pod? {
        state.withLock { s in
            if case .pod(let p)? = s.pods[key]?.body { return p }
            return nil
        }
    }

    func allPods() -> [Pod] {
        state.withLock { s in
            s.pods.values.compactMap { if case .pod(let p) = $0.body { return p } else { return nil } }
        }
    }

    /// The events about one object, in key order.
    func events(about object: ObjectKey) -> [Event] {
        state.withLock { s in
            (s.eventsAbout[object] ?? []).sorted().compactMap { key in
                if case .event(let e)? = s.events[key]?.body { return e } else { return nil }
            }
        }
    }

    /// The key of the pod at `index` (modulo the pod count) in storage order, without copying
    /// the pods.
    func podKey(at index: Int) -> ObjectKey? {
        state.withLock { s in
            guard !s.pods.isEmpty else { return nil }
            return s.pods.keys.dropFirst(index % s.pods.count).first
        }
    }

    func storedObject(_ resource: Resource, _ key: ObjectKey) -> StoredObject? {
        state.withLock { $0.objects(resource)[key] }
    }

    // MARK: Maintenance

    /// Called periodically: ends watches past their deadline, sends due bookmarks, expires
    /// events past their TTL (watchers see DELETED, as with etcd lease expiry), and forgets
    /// list snapshots whose continue tokens have expired.
    func tick() {
        let date = now()
        let expired: [ObjectKey] = state.withLock { s in
            for (id, watcher) in s.watchers {
                if date >= watcher.deadline {
                    // Like the watch cache, a last bookmark just before the deadline lets the
                    // client resume from the newest resourceVersion.
                    if watcher.request.allowBookmarks {
                        _ = watcher.send(.bookmark(resourceVersion: s.resourceVersion, initialEventsEnd: false))
                    }
                    watcher.continuation.finish()
                    s.watchers[id] = nil
                } else if watcher.request.allowBookmarks, date >= watcher.nextBookmark {
                    s.watchers[id]?.nextBookmark = date.addingTimeInterval(bookmarkInterval)
                    _ = watcher.send(.bookmark(resourceVersion: s.resourceVersion, initialEventsEnd: false))
                }
            }
            s.snapshots = s.snapshots.filter { date.timeIntervalSince($0.value.createdAt) < continueTokenTTL }
            return s.events.values.filter { date.timeIntervalSince($0.lastWrite) >= eventTTL }.map(\.key)
        }
        if !expired.isEmpty { commit(expired.map { .deleteEvent($0) }) }
    }

    /// Fault injection: end every open watch as if connections were cut.
    func dropAllWatches() {
        state.withLock { s in
            for watcher in s.watchers.values { watcher.continuation.finish() }
            s.watchers.removeAll()
        }
    }

    /// Fault injection: forget the change history, as etcd compaction plus an apiserver restart
    /// would, so a watch resuming from an older resourceVersion gets 410 Expired.
    func compactHistory() {
        state.withLock { s in
            s.history.removeAll()
            s.historyFloor = s.resourceVersion
            s.snapshots.removeAll()
        }
    }

    /// Fault injection: the next list continuation fails with 410 Expired.
    func expireContinueTokens() {
        state.withLock { $0.snapshots.removeAll() }
    }

    var openWatchCount: Int { state.withLock { $0.watchers.count } }
}
