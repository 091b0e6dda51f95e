import CPCRE2
import Foundation
import Testing
@testable import Store

@Suite struct RegexPatternTests {
    @Test func searchIsUnanchoredLikePythonReSearch() throws {
        let pattern = try RegexPattern("api")
        #expect(try pattern.search("web-api-7d9f"))
        #expect(try !pattern.search("web-7d9f"))
        #expect(try RegexPattern("^api-").search("api-1"))
        #expect(try !RegexPattern("^api-").search("web-api-1"))
    }

    @Test func pythonSyntaxWorks() throws {
        #expect(try RegexPattern("(?i)API").search("web-api-1"))
        #expect(try RegexPattern(#"-\d+$"#).search("worker-12"))
        #expect(try RegexPattern("(?P<app>web)-(?!canary)").search("web-stable"))
        #expect(try !RegexPattern("(?P<app>web)-(?!canary)").search("web-canary"))
    }

    @Test func anInvalidPatternReportsPCRE2sMessageAndOffset() {
        #expect {
            _ = try RegexPattern("web-(api")
        } throws: { error in
            guard case let PatternError.invalid(message, offset) = error else { return false }
            return message.contains("missing closing parenthesis") && offset == 8
        }
    }

    @Test func theJITIsUsedWhereverPCRE2HasOne() throws {
        var available: UInt32 = 0
        _ = pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &available)
        #expect(try RegexPattern("^api-").isJIT == (available == 1))
    }

    @Test func catastrophicBacktrackingOnOneNameIsRefusedQuickly() throws {
        let pattern = try RegexPattern("(a+)+$")
        let name = String(repeating: "a", count: 40) + "!"
        #expect(throws: PatternError.tooComplex) { try pattern.search(name) }
    }
}
