@testable import Informer

/// The byte-scanner slimmer kubeluma used before simdjson did the cutting: kept as an
/// independent oracle, so the tests can hold the simdjson cuts (lists and watch events alike)
/// byte for byte to what a different implementation produces.
enum ScannerSlimmer {
    static let lastApplied: StaticString = "kubectl.kubernetes.io/last-applied-configuration"

    /// The object at `range` without those fields. Returns the bytes unchanged (copied) when
    /// there is nothing to strip.
    static func slim(_ scanner: JSONScanner, object range: Range<Int>) throws(JSONScanner.ScanError) -> [UInt8] {
        let bytes = scanner.bytes
        let top = try scanner.members(ofObjectAt: range.lowerBound)
        guard let metadata = scanner.member("metadata", in: top),
              bytes[metadata.value.lowerBound] == UInt8(ascii: "{")
        else { return Array(bytes[range]) }
        let meta = try scanner.members(ofObjectAt: metadata.value.lowerBound)
        let hasManaged = scanner.member("managedFields", in: meta) != nil
        var annotationMembers: [JSONScanner.Member]? = nil
        if let ann = scanner.member("annotations", in: meta), bytes[ann.value.lowerBound] == UInt8(ascii: "{") {
            let members = try scanner.members(ofObjectAt: ann.value.lowerBound)
            if members.contains(where: { scanner.key($0, is: lastApplied) }) { annotationMembers = members }
        }
        guard hasManaged || annotationMembers != nil else { return Array(bytes[range]) }

        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        out.append(contentsOf: bytes[range.lowerBound..<metadata.value.lowerBound])
        out.append(UInt8(ascii: "{"))
        var first = true
        for m in meta {
            if scanner.key(m, is: "managedFields") { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if let annotationMembers, scanner.key(m, is: "annotations") {
                out.append(contentsOf: bytes[m.memberRange.lowerBound..<m.value.lowerBound])
                out.append(UInt8(ascii: "{"))
                var firstAnnotation = true
                for a in annotationMembers where !scanner.key(a, is: lastApplied) {
                    if !firstAnnotation { out.append(UInt8(ascii: ",")) }
                    firstAnnotation = false
                    out.append(contentsOf: bytes[a.memberRange])
                }
                out.append(UInt8(ascii: "}"))
            } else {
                out.append(contentsOf: bytes[m.memberRange])
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: bytes[metadata.value.upperBound..<range.upperBound])
        return out
    }
}
