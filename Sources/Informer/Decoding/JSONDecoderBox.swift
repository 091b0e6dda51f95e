import Foundation

/// Small helpers that use Foundation's JSON decoder for the rare pieces the scanner leaves
/// alone (escaped strings).
enum JSONDecoderBox {
    static func decodeString(_ bytes: [UInt8]) throws -> String {
        try JSONDecoder().decode(String.self, from: Data(bytes))
    }
}
