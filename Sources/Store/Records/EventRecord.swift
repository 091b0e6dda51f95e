import Foundation
import Informer

/// The columns stored for one event version, with kubectl's display rules already applied
/// (KUBERNETES-API.md §3.2) so queries never decode JSON.
struct EventRecord: Sendable {
    var uid: String
    var namespace: String
    var name: String
    var involvedKind: String?
    var involvedNamespace: String?
    var involvedName: String?
    var involvedUID: String?
    var fieldPath: String?
    var type: String?
    var reason: String?
    var message: String
    var count: Int
    var firstSeen: Date?
    var lastSeen: Date?
    var source: String?
    var resourceVersion: String
    var json: [UInt8]

    init?(event: Event, json: [UInt8]) {
        guard let uid = event.metadata.uid, !uid.isEmpty else { return nil }
        self.uid = uid
        namespace = event.metadata.namespace ?? ""
        name = event.metadata.name ?? ""
        let regarding = event.regarding
        involvedKind = regarding?.kind
        // An event about a namespaced object lives in that object's namespace; fall back to it.
        involvedNamespace = regarding?.namespace ?? event.metadata.namespace
        involvedName = regarding?.name
        involvedUID = regarding?.uid.flatMap { $0.isEmpty ? nil : $0 }
        fieldPath = regarding?.fieldPath.flatMap { $0.isEmpty ? nil : $0 }
        type = event.type
        reason = event.reason
        message = event.trimmedMessage
        count = event.displayCount
        firstSeen = event.firstSeen
        lastSeen = event.sortTime ?? event.lastSeen
        source = event.from
        resourceVersion = event.metadata.resourceVersion ?? ""
        self.json = json
    }
}
