import Foundation

/// A decoded LIST page: its objects (each with its slimmed JSON) and its list metadata
/// (the snapshot resourceVersion and the continue token).
public struct DecodedList: Sendable {
    public var objects: [KubeObject]
    public var metadata: ListMeta
    /// The list's `kind` (`PodList`, `EventList`), for diagnostics.
    public var kind: String?
}

/// Splits a list body into its items without a full parse, then decodes the items on all
/// cores. Each item keeps its own raw JSON (slimmed) for the store, and items without
/// `kind`/`apiVersion` are fine: the resource says what they are.
public struct ListDecoder: Sendable {
    public let engine: any DecodingEngine
    /// Items decoded per parallel batch; small enough to balance, large enough to amortise.
    let batchSize = 64

    public init(engine: any DecodingEngine = SimdDecodingEngine.shared) {
        self.engine = engine
    }

    public func decode(_ body: [UInt8], resource: InformerID.Resource) throws -> DecodedList {
        let page = try splitPage(body)
        return DecodedList(objects: try decodeItems(page.items, resource: resource), metadata: page.metadata, kind: page.kind)
    }

    /// A list page cut into its (slimmed) items, not yet decoded, and its decoded metadata:
    /// enough to ask for the next page while this one's items are decoded.
    public struct SplitPage: Sendable {
        public var items: [[UInt8]]
        public var metadata: ListMeta
        public var kind: String?
    }

    public func splitPage(_ body: [UInt8]) throws -> SplitPage {
        let (slices, metadataJSON, kind) = try split(body)
        let metadata: ListMeta
        if let metadataJSON {
            metadata = try JSONDecoder().decode(ListMeta.self, from: Data(metadataJSON))
        } else {
            metadata = ListMeta()
        }
        return SplitPage(items: slices, metadata: metadata, kind: kind)
    }

    /// The slimmed JSON of each item, the raw `metadata` object and the list `kind`.
    func split(_ body: [UInt8]) throws -> ([[UInt8]], [UInt8]?, String?) {
        let list = try ObjectSlimmer.parsers.splitList(body)
        return (list.items, list.metadata, list.kind)
    }

    public func decodeItems(_ slices: [[UInt8]], resource: InformerID.Resource) throws -> [KubeObject] {
        if slices.count <= batchSize {
            return try decodeBatch(slices, 0..<slices.count, resource: resource)
        }
        let batches = (slices.count + batchSize - 1) / batchSize
        let results = ResultSlots(count: batches)
        DispatchQueue.concurrentPerform(iterations: batches) { batch in
            let range = (batch * batchSize)..<min(slices.count, (batch + 1) * batchSize)
            do {
                results.set(batch, .success(try decodeBatch(slices, range, resource: resource)))
            } catch {
                results.set(batch, .failure(error))
            }
        }
        var objects: [KubeObject] = []
        objects.reserveCapacity(slices.count)
        for batch in 0..<batches { objects.append(contentsOf: try results.get(batch).get()) }
        return objects
    }

    private func decodeBatch(_ slices: [[UInt8]], _ range: Range<Int>, resource: InformerID.Resource) throws -> [KubeObject] {
        var out: [KubeObject] = []
        out.reserveCapacity(range.count)
        for i in range { out.append(try engine.decodeObject(slices[i], resource: resource)) }
        return out
    }
}

/// One slot per parallel batch; each slot is written by exactly one worker, and read only
/// after `concurrentPerform` returns, which orders the writes before the reads.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[KubeObject], any Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<[KubeObject], any Error>) {
        slots.withUnsafeMutableBufferPointer { $0[i] = r }
    }
    func get(_ i: Int) -> Result<[KubeObject], any Error> { slots[i]! }
}
