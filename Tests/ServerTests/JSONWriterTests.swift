import Foundation
import Testing
@testable import Server

/// The hand-written encoder behind every message: whatever the cluster's text holds, the output
/// is JSON that decodes back to the same values.
@Suite struct JSONWriterTests {
    @Test(arguments: ["api-7d9f8c6b5-x2k4p", "", "quote \" and backslash \\", "line\nbreak\ttab\rreturn",
                      "\u{01}\u{1F}\u{7F} controls", "<img src=x onerror=alert(1)>", "ünïcødé ✓ 日本", "emoji 🚀"])
    func stringsRoundTrip(text: String) throws {
        var w = JSONWriter()
        w.raw("{"); w.key("v"); w.string(text); w.raw("}")
        let decoded = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: String]
        #expect(decoded?["v"] == text)
    }

    @Test(arguments: [0, 7, 9, 10, 99, 100, 1_234_567, Int.max, -1, -250])
    func integersRoundTrip(value: Int) throws {
        var w = JSONWriter()
        w.raw("["); w.number(value); w.raw("]")
        #expect(w.text == "[\(value)]")
    }

    @Test func keysAreSeparatedByCommasOnly() {
        var w = JSONWriter()
        w.raw("{"); w.key("a"); w.number(1); w.key("b"); w.raw("["); w.raw("]"); w.key("c"); w.bool(true); w.raw("}")
        #expect(w.text == #"{"a":1,"b":[],"c":true}"#)
    }
}
