import Foundation

/// What a client asked to watch.
struct WatchRequest: Sendable {
    var resource: Resource
    var namespace: String?
    var fieldSelector: FieldSelector?
    var labelSelector: LabelSelector?
    /// Serve the events.k8s.io/v1 view of events.
    var eventsAPI = false
    /// nil = unset.
    var resourceVersion: String?
    var sendInitialEvents = false
    var allowBookmarks = false
    var timeout: TimeInterval

    func matches(_ object: StoredObject) -> Bool {
        ObjectFilter(namespace: namespace, fieldSelector: fieldSelector, labelSelector: labelSelector).matches(object)
    }

    /// The frame this watch sees for a change, if any. An object that starts matching arrives
    /// as ADDED and one that stops matching as DELETED (KUBERNETES-API.md §2.3); the DELETED
    /// carries the object as written, with the new resourceVersion.
    func frame(for change: Change) -> WatchFrame? {
        let now = matches(change.object)
        let before = change.previous.map(matches) ?? false
        switch change.kind {
        case .added: return now ? .change(.added, change.object) : nil
        case .deleted: return before ? .change(.deleted, change.object) : nil
        case .modified:
            switch (before, now) {
            case (true, true): return .change(.modified, change.object)
            case (false, true): return .change(.added, change.object)
            case (true, false): return .change(.deleted, change.object)
            case (false, false): return nil
            }
        }
    }
}

enum WatchFrame: Sendable {
    case change(Change.Kind, StoredObject)
    case bookmark(resourceVersion: Int, initialEventsEnd: Bool)
    case error(Status)
}

struct WatchRegistration: Sendable {
    var request: WatchRequest
    var continuation: AsyncStream<WatchFrame>.Continuation
    var deadline: Date
    var nextBookmark: Date

    /// false when the watcher's buffer is full or its client has gone. Registrations are
    /// removed by the cluster when this says false (not from `onTermination`, which runs inside
    /// `finish()` and so inside the cluster's lock).
    func send(_ frame: WatchFrame) -> Bool {
        switch continuation.yield(frame) {
        case .enqueued: return true
        case .dropped, .terminated: return false
        @unknown default: return false
        }
    }
}

extension Cluster {
    /// Opens a watch. Initial state (synthetic ADDEDs, or the history replay after the
    /// requested resourceVersion) and registration for live changes happen under one lock, so
    /// no change falls between them.
    func watch(_ request: WatchRequest) -> AsyncStream<WatchFrame> { openWatch(request).frames }

    /// `watch`, plus the stream's continuation: finishing it ends the watch from outside (its
    /// client has gone).
    func openWatch(_ request: WatchRequest) -> (frames: AsyncStream<WatchFrame>, continuation: AsyncStream<WatchFrame>.Continuation) {
        let (stream, continuation) = AsyncStream<WatchFrame>.makeStream(bufferingPolicy: .bufferingOldest(watcherBuffer))
        let date = now()
        state.withLock { s in
            let requested = request.resourceVersion.flatMap { $0.isEmpty || $0 == "0" ? nil : Int($0) }
            if request.sendInitialEvents || requested == nil {
                let objects = s.objects(request.resource).values.filter(request.matches)
                for object in objects { continuation.yield(.change(.added, object)) }
                if request.sendInitialEvents {
                    continuation.yield(.bookmark(resourceVersion: s.resourceVersion, initialEventsEnd: true))
                }
            } else if let from = requested {
                if from < s.historyFloor {
                    continuation.yield(.error(Status(
                        message: "too old resource version: \(from) (\(s.historyFloor))", reason: "Expired", code: 410)))
                    continuation.finish()
                    return
                }
                // History is in resourceVersion order: binary search for the first newer change.
                var lo = 0, hi = s.history.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if s.history[mid].resourceVersion <= from { lo = mid + 1 } else { hi = mid }
                }
                for change in s.history[lo...] where change.resource == request.resource {
                    if let frame = request.frame(for: change) { continuation.yield(frame) }
                }
            }
            let id = s.nextWatcherID
            s.nextWatcherID += 1
            s.watchers[id] = WatchRegistration(
                request: request, continuation: continuation,
                deadline: date.addingTimeInterval(request.timeout),
                nextBookmark: date.addingTimeInterval(bookmarkInterval))
        }
        return (stream, continuation)
    }
}
