/// A structural JSON scanner over bytes: finds where values start and end without building
/// any tree. It is what lets the decoder split a 60 MB list into items (to decode them in
/// parallel and keep each item's raw bytes for the store) and read a watch envelope's `type`
/// before choosing how to decode its `object`.
///
/// It validates only structure (balanced brackets, terminated strings); the real decode of
/// each piece validates the rest.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>

    enum ScanError: Error, Equatable {
        case unexpectedEnd
        case unexpected(byte: UInt8, at: Int)
    }

    /// A member of an object: the key's raw bytes (between the quotes, escapes left as they
    /// are) and the value's byte range. `memberRange` runs from the key's opening quote to the
    /// value's end.
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
        var memberRange: Range<Int>
    }

    func skipWhitespace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return i
            }
        }
        return i
    }

    /// The end (exclusive) of the value starting at `i` (which must not be whitespace).
    func skipValue(_ i: Int) throws(ScanError) -> Int {
        guard i < bytes.count else { throw .unexpectedEnd }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            return try skipString(i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Depth counting is enough here: strings are skipped whole, so brackets inside
            // them never count.
            var depth = 0
            var j = i
            while j < bytes.count {
                let c = bytes[j]
                if c == UInt8(ascii: "\"") {
                    j = try skipString(j)
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return j + 1 }
                }
                j += 1
            }
            throw .unexpectedEnd
        default:
            // number, true, false, null
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
                    guard j > i else { throw .unexpected(byte: bytes[j], at: j) }
                    return j
                default: j += 1
                }
            }
            return j
        }
    }

    func skipString(_ i: Int) throws(ScanError) -> Int {
        var j = i + 1
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\\"): j += 2
            case UInt8(ascii: "\""): return j + 1
            default: j += 1
            }
        }
        throw .unexpectedEnd
    }

    /// The members of the object whose `{` is at `start`.
    func members(ofObjectAt start: Int) throws(ScanError) -> [Member] {
        guard start < bytes.count else { throw .unexpectedEnd }
        guard bytes[start] == UInt8(ascii: "{") else { throw .unexpected(byte: bytes[start], at: start) }
        var result: [Member] = []
        var i = skipWhitespace(start + 1)
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { return result }
        while true {
            guard i < bytes.count else { throw .unexpectedEnd }
            guard bytes[i] == UInt8(ascii: "\"") else { throw .unexpected(byte: bytes[i], at: i) }
            let keyStart = i
            let keyEnd = try skipString(i)
            i = skipWhitespace(keyEnd)
            guard i < bytes.count else { throw .unexpectedEnd }
            guard bytes[i] == UInt8(ascii: ":") else { throw .unexpected(byte: bytes[i], at: i) }
            let valueStart = skipWhitespace(i + 1)
            let valueEnd = try skipValue(valueStart)
            result.append(Member(key: (keyStart + 1)..<(keyEnd - 1), value: valueStart..<valueEnd,
                                 memberRange: keyStart..<valueEnd))
            i = skipWhitespace(valueEnd)
            guard i < bytes.count else { throw .unexpectedEnd }
            if bytes[i] == UInt8(ascii: ",") {
                i = skipWhitespace(i + 1)
            } else if bytes[i] == UInt8(ascii: "}") {
                return result
            } else {
                throw .unexpected(byte: bytes[i], at: i)
            }
        }
    }

    /// The element ranges of the array whose `[` is at `start`.
    func elements(ofArrayAt start: Int) throws(ScanError) -> [Range<Int>] {
        guard start < bytes.count else { throw .unexpectedEnd }
        guard bytes[start] == UInt8(ascii: "[") else { throw .unexpected(byte: bytes[start], at: start) }
        var result: [Range<Int>] = []
        var i = skipWhitespace(start + 1)
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { return result }
        while true {
            let end = try skipValue(i)
            result.append(i..<end)
            i = skipWhitespace(end)
            guard i < bytes.count else { throw .unexpectedEnd }
            if bytes[i] == UInt8(ascii: ",") {
                i = skipWhitespace(i + 1)
            } else if bytes[i] == UInt8(ascii: "]") {
                return result
            } else {
                throw .unexpected(byte: bytes[i], at: i)
            }
        }
    }

    /// True when the member's raw key equals `name` (keys the API uses are never escaped).
    func key(_ member: Member, is name: StaticString) -> Bool {
        guard member.key.count == name.utf8CodeUnitCount else { return false }
        let n = name.utf8Start
        var j = 0
        for i in member.key {
            if bytes[i] != n[j] { return false }
            j += 1
        }
        return true
    }

    /// The member called `name`, if the object has one.
    func member(_ name: StaticString, in members: [Member]) -> Member? {
        members.first { key($0, is: name) }
    }

    /// The content of a string value without its quotes, with JSON escapes resolved.
    func string(at range: Range<Int>) -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        // Rare: let Foundation resolve the escapes.
        return try? JSONDecoderBox.decodeString(Array(UnsafeBufferPointer(rebasing: bytes[range])))
    }
}
