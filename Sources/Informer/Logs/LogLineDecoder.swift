/// Turns log bytes into lines, whatever the chunking: container output is not necessarily
/// UTF-8 (decoded lossily), lines end with `\n`, and a partial last line waits for its end
/// (or for `finish()` when the stream ends, as with `limitBytes`).
public struct LogLineDecoder: Sendable {
    private var framer = LineFramer(maxLineLength: 16 << 20)
    public let timestamps: Bool

    public init(timestamps: Bool) {
        self.timestamps = timestamps
    }

    public mutating func feed(_ chunk: some Collection<UInt8>) -> [LogLine] {
        // A single line over 16 MB is cut rather than failing the stream.
        let lines = (try? framer.append(chunk)) ?? [Array(chunk)]
        return lines.map(decode)
    }

    public mutating func finish() -> [LogLine] {
        framer.finish().map { [decode($0)] } ?? []
    }

    func decode(_ bytes: [UInt8]) -> LogLine {
        var body = bytes[...]
        if body.last == UInt8(ascii: "\r") { body = body.dropLast() }
        guard timestamps, let space = body.firstIndex(of: UInt8(ascii: " ")) else {
            return LogLine(text: String(decoding: body, as: UTF8.self))
        }
        let stamp = body[body.startIndex..<space]
        let date = stamp.withContiguousStorageIfAvailable { KubeTime.parse(bytes: $0) } ?? nil
        guard let date else { return LogLine(text: String(decoding: body, as: UTF8.self)) }
        return LogLine(text: String(decoding: body[(space + 1)...], as: UTF8.self), timestamp: date,
                       timestampText: String(decoding: stamp, as: UTF8.self))
    }
}
