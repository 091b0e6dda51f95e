import Testing
@testable import Informer

/// The buffer between libcurl's thread and the async reader, fed through the same entry
/// points libcurl's callbacks use.
@Suite struct CurlTransferBufferTests {
    func feed(_ transfer: CurlTransfer, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { transfer.receiveBody($0, status: 200) }
    }

    @Test func readerThatFellBehindGetsTheWholeBacklogAsOneChunkInOrder() async throws {
        let transfer = CurlTransfer(transport: sharedTransport, highWater: 1 << 20)
        for i in 0..<50 { #expect(feed(transfer, "line \(i)\n")) }
        let backlog = try #require(try await transfer.nextChunk())
        #expect(String(decoding: backlog, as: UTF8.self) == (0..<50).map { "line \($0)\n" }.joined())
        // Nothing buffered: the next read waits for the next network read.
        #expect(feed(transfer, "later\n"))
        #expect(try await transfer.nextChunk() == Array("later\n".utf8))
    }

    @Test func backlogIsHandedOverInPiecesNoLargerThanTheHighWaterMark() async throws {
        let transfer = CurlTransfer(transport: sharedTransport, highWater: 100)
        let piece = String(repeating: "x", count: 39) + "\n"  // 40 bytes
        #expect(feed(transfer, piece) && feed(transfer, piece) && feed(transfer, piece))
        // 120 bytes buffered ≥ 100: libcurl is told to pause and hand these bytes again later.
        #expect(!feed(transfer, piece))
        let first = try #require(try await transfer.nextChunk())
        #expect(first.count == 80)
        #expect(try await transfer.nextChunk()?.count == 40)
    }
}
