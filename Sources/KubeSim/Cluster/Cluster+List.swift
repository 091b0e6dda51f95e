import Foundation

struct ListRequest: Sendable {
    var resource: Resource
    var namespace: String?
    var fieldSelector: FieldSelector?
    var labelSelector: LabelSelector?
    var limit: Int?
    var continueToken: String?
    var resourceVersion: String?
    var resourceVersionMatch: String?

    func matches(_ object: StoredObject) -> Bool {
        ObjectFilter(namespace: namespace, fieldSelector: fieldSelector, labelSelector: labelSelector).matches(object)
    }
}

struct ListPage: Sendable {
    var resourceVersion: Int
    var items: [StoredObject]
    var continueToken: String?
    var remainingItemCount: Int?
}

/// The continue token: base64url JSON like kube-apiserver's (`{"v":…,"rv":N,"start":"key\u0000"}`).
struct ContinueToken: Codable {
    var v = "meta.k8s.io/v1"
    var rv: Int
    var start: String

    func encoded() -> String {
        Data(WireEncoding.encode(self)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ raw: String) -> ContinueToken? {
        var b64 = raw.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64) else { return nil }
        return try? JSONDecoder().decode(ContinueToken.self, from: data)
    }
}

extension Cluster {
    /// LIST with the resourceVersion / resourceVersionMatch / limit / continue semantics of
    /// KUBERNETES-API.md §1.2–1.3. Every page of one list comes from the same snapshot.
    func list(_ request: ListRequest) throws(Status) -> ListPage {
        let rv = request.resourceVersion
        let match = request.resourceVersionMatch
        if let match {
            guard match == "Exact" || match == "NotOlderThan" else {
                throw Status.invalidListOptions("Unsupported value: \"\(match)\": supported values: \"Exact\", \"NotOlderThan\"", field: "resourceVersionMatch")
            }
            if rv == nil || rv == "" {
                throw Status.invalidListOptions("Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided", field: "resourceVersionMatch")
            }
            if request.continueToken != nil {
                throw Status.invalidListOptions("Forbidden: resourceVersionMatch is forbidden when continue is provided", field: "resourceVersionMatch")
            }
            if match == "Exact" && rv == "0" {
                throw Status.invalidListOptions("Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"", field: "resourceVersionMatch")
            }
        }
        let date = now()
        return try state.withLock { s throws(Status) -> ListPage in
            let snapshotRV: Int
            var startAfter: ObjectKey?
            if let token = request.continueToken {
                if let rv, !rv.isEmpty, rv != "0" {
                    throw Status.badRequest("specifying resource version is not allowed when using continue")
                }
                guard let decoded = ContinueToken.decode(token) else {
                    throw Status.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
                }
                let key = Self.key(fromStart: decoded.start)
                guard s.snapshots[SnapshotKey(resource: request.resource, resourceVersion: decoded.rv)] != nil else {
                    // Like etcd after compaction: no consistent continuation, but a token for
                    // an inconsistent one from the latest state.
                    let fresh = ContinueToken(rv: -1, start: decoded.start).encoded()
                    throw Status.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.", continueToken: fresh)
                }
                snapshotRV = decoded.rv
                startAfter = key
            } else if let rvText = rv, !rvText.isEmpty, rvText != "0" {
                guard let requested = Int(rvText) else {
                    throw Status.badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be a valid resource version")
                }
                let exact = match == "Exact" || (match == nil && request.limit != nil)
                if requested > s.resourceVersion {
                    throw Status(message: "Too large resource version: \(requested), current: \(s.resourceVersion)",
                                 reason: "Timeout",
                                 details: .init(causes: [.init(reason: "ResourceVersionTooLarge", message: "Too large resource version")], retryAfterSeconds: 1),
                                 code: 504)
                }
                if exact {
                    if requested < s.historyFloor {
                        throw Status.expired("The resourceVersion for the provided list is too old.")
                    }
                    snapshotRV = requested
                } else {
                    snapshotRV = s.resourceVersion
                }
            } else {
                snapshotRV = s.resourceVersion
            }

            let snapshotKey = SnapshotKey(resource: request.resource, resourceVersion: snapshotRV)
            let sorted: [StoredObject]
            if let existing = s.snapshots[snapshotKey] {
                sorted = existing.sorted
            } else {
                sorted = Self.reconstruct(s, resource: request.resource, at: snapshotRV).sorted { $0.key < $1.key }
            }

            var index = 0
            if let startAfter {
                var lo = 0, hi = sorted.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if sorted[mid].key < startAfter || sorted[mid].key == startAfter { lo = mid + 1 } else { hi = mid }
                }
                index = lo
            }
            var items: [StoredObject] = []
            let limit = request.limit.flatMap { $0 > 0 ? $0 : nil }
            while index < sorted.count {
                if let limit, items.count == limit { break }
                if request.matches(sorted[index]) { items.append(sorted[index]) }
                index += 1
            }
            var page = ListPage(resourceVersion: snapshotRV, items: items)
            if limit != nil, index < sorted.count, let last = items.last {
                s.snapshots[snapshotKey] = ListSnapshot(sorted: sorted, createdAt: s.snapshots[snapshotKey]?.createdAt ?? date)
                page.continueToken = ContinueToken(rv: snapshotRV, start: "\(last.key.namespace)/\(last.key.name)\u{0}").encoded()
                // kube-apiserver counts the rest only for lists without selectors (it cannot
                // count selected items without reading them); counting per page here was also
                // quadratic over a 50,000-event list.
                if request.fieldSelector == nil && request.labelSelector == nil {
                    page.remainingItemCount = request.namespace == nil ? sorted.count - index
                        : sorted[index...].lazy.filter { $0.key.namespace == request.namespace }.count
                }
            }
            return page
        }
    }

    private static func key(fromStart start: String) -> ObjectKey {
        let trimmed = start.hasSuffix("\u{0}") ? String(start.dropLast()) : start
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? ObjectKey(namespace: String(parts[0]), name: String(parts[1]))
            : ObjectKey(namespace: "", name: trimmed)
    }

    /// The collection as it was at `resourceVersion`, by undoing newer changes (the history
    /// keeps each change's previous object).
    private static func reconstruct(_ s: State, resource: Resource, at resourceVersion: Int) -> [StoredObject] {
        var objects = s.objects(resource)
        if resourceVersion < s.resourceVersion {
            for change in s.history.reversed() where change.resourceVersion > resourceVersion {
                guard change.resource == resource else { continue }
                objects[change.object.key] = change.previous
            }
        }
        return Array(objects.values)
    }
}
