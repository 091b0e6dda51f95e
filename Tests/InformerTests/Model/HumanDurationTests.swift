import Foundation
import Testing
import Informer

@Suite struct HumanDurationTests {
    /// KUBERNETES-API.md §9 item 53.
    static let table: [(Double, String)] = [
        (119.0, "119s"), (120, "2m"), (570, "9m30s"), (3 * 3600, "3h"), (7 * 3600 + 59 * 60, "7h59m"),
        (47 * 3600, "47h"), (50 * 3600, "2d2h"), (9 * 86400, "9d"), (800 * 86400, "2y70d"),
        (-1, "0s"), (-5, "<invalid>"), (0, "0s"), (599, "9m59s"), (600, "10m"), (179 * 60, "179m"),
        (8 * 3600, "8h"), (192 * 3600, "8d"), (3 * 365 * 86400, "3y"), (9 * 365 * 86400, "9y"),
    ]

    @Test(arguments: table)
    func formatsBoundariesLikeKubectl(seconds: Double, expected: String) {
        #expect(HumanDuration.string(seconds) == expected)
    }

    @Test func missingTimeIsUnknown() {
        #expect(HumanDuration.since(nil, now: Date()) == "<unknown>")
    }
}
