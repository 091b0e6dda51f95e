import Foundation
import Testing
import Informer

@Suite struct LogLineDecoderTests {
    func decodeAll(_ chunks: [ArraySlice<UInt8>], timestamps: Bool) -> [LogLine] {
        var d = LogLineDecoder(timestamps: timestamps)
        var out: [LogLine] = []
        for c in chunks { out += d.feed(c) }
        return out + d.finish()
    }

    @Test func linesAreTheSameAtAnyChunkingIncludingInvalidUtf8AndAPartialLastLine() {  // item 59
        var bytes = Array("2026-07-01T10:00:00.123456789Z hello caf\u{E9}\n".utf8)
        bytes += Array("2026-07-01T10:00:01.000000001Z bad ".utf8) + [0xFF, 0xFE] + Array(" bytes\r\n".utf8)
        bytes += Array("2026-07-01T10:00:02.5Z cut off at limitBy".utf8)
        let whole = decodeAll([bytes[...]], timestamps: true)
        #expect(whole.count == 3)
        #expect(whole[0].text == "hello caf\u{E9}")
        #expect(whole[0].timestampText == "2026-07-01T10:00:00.123456789Z")
        #expect(whole[1].text == "bad \u{FFFD}\u{FFFD} bytes")
        #expect(whole[2].text == "cut off at limitBy")
        for seed in UInt64(1)...30 {
            var rng = SeededRandom(seed: seed)
            #expect(decodeAll(randomChunks(bytes, maxChunk: 9, rng: &rng), timestamps: true) == whole)
        }
    }

    @Test func withoutTimestampsTheWholeLineIsText() {
        let lines = decodeAll([Array("2026-07-01T10:00:00Z not a prefix here\nplain\n".utf8)[...]], timestamps: false)
        #expect(lines.map(\.text) == ["2026-07-01T10:00:00Z not a prefix here", "plain"])
        #expect(lines.allSatisfy { $0.timestamp == nil })
    }
}
