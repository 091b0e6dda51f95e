import Foundation
import Testing
import Informer

/// KUBERNETES-API.md §6.2 and §9 item 60.
@Suite struct QuantityTests {
    @Test(arguments: [("250m", 250), ("1", 1000), ("12345n", 1), ("1u", 1), ("0", 0), ("-0", 0), ("0.5", 500), ("+1", 1000), ("1.", 1000), (".5", 500)])
    func millicoresRoundUp(text: String, milli: Int64) throws {
        #expect(try Quantity(parsing: text).milliValue == milli)
    }

    @Test(arguments: [
        ("123Ki", 125_952, 0), ("1Mi", 1_048_576, 1), ("1G", 1_000_000_000, 953), ("129e6", 129_000_000, 123),
        ("1.5Gi", 1_610_612_736, 1536), ("1E", 1_000_000_000_000_000_000, 953_674_316_406), ("1e3", 1000, 0), ("1E3", 1000, 0),
        ("1.G", 1_000_000_000, 953),
    ] as [(String, Int64, Int64)])
    func bytesAndMebibytes(text: String, bytes: Int64, mib: Int64) throws {
        let q = try Quantity(parsing: text)
        #expect(q.value == bytes)
        #expect(q.mebibytes == mib)
    }

    @Test(arguments: ["1K", "1e", "0.1mi", "1.2.3", " 1", "1 ", "1KB", "1ki", "1i", "-3.01e-", "1.1.M", "1 Gi", "", "Gi", "."])
    func rejectsMalformedText(text: String) {
        #expect(throws: Quantity.ParseError.self) { try Quantity(parsing: text) }
    }

    @Test func roundsNonZeroValuesUpToOneNano() throws {
        #expect(try Quantity(parsing: "0.1n").decimal == Decimal(string: "0.000000001")!)
        #expect(try Quantity(parsing: "3.001n").decimal == Decimal(string: "0.000000004")!)
        #expect(try Quantity(parsing: "-0.1n").decimal == Decimal(string: "-0.000000001")!)
    }

    @Test func capsMagnitudeAtInt64Max() throws {
        #expect(try Quantity(parsing: "9Ei").value == Int64.max)
        #expect(try Quantity(parsing: "1e100").value == Int64.max)
    }
}
