import Foundation
import Testing
@testable import KubeSim

/// The simulator's server-side printer must print what kube-apiserver printed for the same pods.
@Suite struct PodPrinterGoldenTests {
    struct PodList: Decodable { var items: [Pod] }

    @Test(arguments: ["v1.36", "v1.28"])
    func statusReadyRestartsAndAgeEqualTheRealServersCells(version: String) throws {
        let pods = try JSONDecoder().decode(PodList.self, from: Fixtures.data(version, "pods/pods-list.json")).items
        let now = try Fixtures.responseDate(version, "pods/pods-table.headers.txt")
        let golden = try Fixtures.tsv(version, "pods/pod-status-golden.tsv")
        #expect(golden.count == pods.count)
        for row in golden {
            let pod = try #require(pods.first { $0.metadata.name == row[0] }, "no pod \(row[0])")
            let printed = PodPrinter.row(pod, now: now)
            #expect(printed.status == row[1], "STATUS of \(row[0])")
            #expect(printed.ready == row[2], "READY of \(row[0])")
            #expect(printed.restarts == row[3], "RESTARTS of \(row[0])")
            #expect(printed.age == row[4], "AGE of \(row[0])")
        }
    }

    @Test func humanDurationBoundaries() {
        let cases: [(TimeInterval, String)] = [
            (119, "119s"), (120, "2m"), (570, "9m30s"), (3 * 3600, "3h"), (7 * 3600 + 59 * 60, "7h59m"),
            (47 * 3600, "47h"), (50 * 3600, "2d2h"), (9 * 86_400, "9d"), (800 * 86_400, "2y70d"), (-1, "0s"), (-5, "<invalid>"),
        ]
        for (seconds, text) in cases { #expect(PodPrinter.humanDuration(seconds) == text, "\(seconds)s") }
    }
}
