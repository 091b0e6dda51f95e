import ArgumentParser
import Foundation
import Informer
import Logging
import Store

/// `kubeluma bench-store` (hidden): the store's own budget (issue #4) measured on real list
/// bodies, through the same decoder and `ClusterCache` calls the informers and the server use,
/// on a real database file. `bench/bench.py` saves the simulator's lists and runs it; its lines
/// are printed with the product's.
struct StoreBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store",
        abstract: "Measure the cache on saved list bodies (used by bench/bench.py).",
        shouldDisplay: false)

    @Option(help: "A PodList body.") var pods: String
    @Option(help: "The same pods, each changed (new resourceVersion, a container restarted).") var changedPods: String
    @Option(help: "An EventList body (the benchmark puts all of it in one namespace).") var events: String
    @Option(help: "Database file to create (removed first).") var db: String
    @Option(help: "Write the figures here as JSON.") var json: String
    @Option(help: "Timed repetitions of each query.") var repetitions = 1_000
    @Option(help: "Log level of the store (debug shows each transaction's time).") var logLevel = "error"

    func run() async throws {
        let decoder = ListDecoder()
        var results: [String: Double] = [:]

        // Decoding alone, as the informer does it: the list cut into slimmed items (one pass of
        // simdjson over the body), then the items decoded on all cores, 500 at a time (a page).
        let podBody = try readBytes(pods)
        let changedBody = try readBytes(changedPods)
        let eventBody = try readBytes(events)
        func decode(_ body: [UInt8], _ resource: InformerID.Resource, _ name: String) throws -> [KubeObject] {
            var clock = Stopwatch()
            let items = try decoder.splitPage(body).items
            results["split_\(name)_mb_per_s"] = Double(body.count) / 1e6 / (clock.lap() / 1000)
            var objects: [KubeObject] = []
            for start in stride(from: 0, to: items.count, by: 500) {
                objects += try decoder.decodeItems(Array(items[start..<min(start + 500, items.count)]), resource: resource)
            }
            results["decode_\(name)_mb_per_s"] = Double(body.count) / 1e6 / (clock.lap() / 1000)
            return objects
        }
        let podList = try decode(podBody, .pods, "pods")
        let changedList = try decoder.decode(changedBody, resource: .pods).objects
        let eventList = try decode(eventBody, .events, "events")
        results["pods"] = Double(podList.count)
        results["events"] = Double(eventList.count)

        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        var configuration = CacheConfiguration(path: db)
        configuration.onCorruption = .fail
        configuration.logger = Logger(label: "kubeluma.bench") { StreamLogHandler.standardError(label: $0) }
        configuration.logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        let cache = try ClusterCache.open(configuration)
        let podsInformer = InformerID(resource: .pods, namespace: nil)
        let eventsInformer = InformerID(resource: .events, namespace: nil)

        // Replace: the table is shown when `replace` returns (the preview), written when settled.
        func replace(_ objects: [KubeObject], rv: String, prefix: String) async throws {
            var clock = Stopwatch()
            try await cache.replace(podsInformer, objects: objects, resourceVersion: rv)
            results["\(prefix)_shown_ms"] = clock.lap()
            try await cache.writesSettled()
            results["\(prefix)_written_ms"] = clock.total()
        }
        try await replace(podList, rv: "1", prefix: "replace_empty")
        try await replace(podList, rv: "2", prefix: "replace_unchanged")
        try await replace(changedList, rv: "3", prefix: "replace_all_changed")

        // Events: the whole list as one relist.
        var clock = Stopwatch()
        try await cache.replace(eventsInformer, objects: eventList, resourceVersion: "1")
        results["replace_events_ms"] = clock.lap()

        // Watch: every pod changed again, in batches as the informer hands them over (one per
        // network read; under load, what arrived while the previous batch was written).
        // Passes alternate between the two versions, so every change is a new resourceVersion.
        for (pass, size) in [1, 10, 100, 500].enumerated() {
            let changes = (pass % 2 == 0 ? podList : changedList).map { WatchChange(kind: .modified, object: $0) }
            let cpu0 = processCPUSeconds()
            var clock = Stopwatch()
            var start = 0
            while start < changes.count {
                let end = min(start + size, changes.count)
                try await cache.apply(podsInformer, changes: Array(changes[start..<end]), resourceVersion: "\(4 + start)")
                start = end
            }
            try await cache.writesSettled()
            let seconds = clock.total() / 1000
            results["watch_batch\(size)_events_per_s"] = Double(changes.count) / seconds
            results["watch_batch\(size)_cores"] = (processCPUSeconds() - cpu0) / seconds
        }

        // The queries below run on a settled cache: the writes, checkpoints and memory trim the
        // relists scheduled have finished during the watch passes.
        try await cache.writesSettled()

        // Regex over the index: ordinary patterns, each compiled once (the server caches them).
        var latencies: [Double] = []
        let patterns = ["^api-", "worker", "-0$", "(?i)WEB", "cache|queue", "^[a-z]+-[0-9a-f]{5}$"]
        for round in 0..<repetitions {
            let pattern = patterns[round % patterns.count]
            var clock = Stopwatch()
            _ = try cache.index.pods(matching: pattern)
            latencies.append(clock.lap())
        }
        results["regex_p50_ms"] = percentile(latencies, 50)
        results["regex_p99_ms"] = percentile(latencies, 99)

        // "Events of this pod", by uid and by namespace/name.
        let subjects = eventList.compactMap { object -> (uid: String?, namespace: String, name: String)? in
            guard case let .event(event, _) = object, let about = event.regarding else { return nil }
            return (about.uid, about.namespace ?? "", about.name ?? "")
        }
        var byUID: [Double] = [], byName: [Double] = []
        var found = 0
        for round in 0..<repetitions where !subjects.isEmpty {
            let subject = subjects[(round * 7919) % subjects.count]
            var clock = Stopwatch()
            found += try await cache.events(podUID: subject.uid ?? "").count
            byUID.append(clock.lap())
            found += try await cache.events(namespace: subject.namespace, podName: subject.name).count
            byName.append(clock.lap())
        }
        guard found > 0 || subjects.isEmpty else { throw CLIError("no event was found for the pods they are about") }
        results["events_of_pod_by_uid_p50_ms"] = percentile(byUID, 50)
        results["events_of_pod_by_uid_p99_ms"] = percentile(byUID, 99)
        results["events_of_pod_by_name_p50_ms"] = percentile(byName, 50)
        results["events_of_pod_by_name_p99_ms"] = percentile(byName, 99)

        // Warm load: a copy of the file opened as the next start would (index built from disk).
        try await cache.writesSettled()
        let copy = db + ".warm"
        for suffix in ["", "-wal"] {
            try? FileManager.default.removeItem(atPath: copy + suffix)
            if FileManager.default.fileExists(atPath: db + suffix) {
                try FileManager.default.copyItem(atPath: db + suffix, toPath: copy + suffix)
            }
        }
        configuration.path = copy
        clock.reset()
        let warm = try ClusterCache.open(configuration)
        results["warm_load_ms"] = clock.lap()
        guard warm.index.snapshot().allPods.count == podList.count else {
            throw CLIError("the warm cache holds \(warm.index.snapshot().allPods.count) pods, not \(podList.count)")
        }
        warm.close()
        cache.close()

        let data = try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: json))
    }

    private func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        return Array(data)
    }

    private func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p / 100).rounded(.up)) - 1)]
    }
}
