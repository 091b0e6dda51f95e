import CPCRE2

/// A compiled user pattern with Python `re.search` semantics: unanchored, PCRE syntax
/// (`(?i)`, `\d`, lookaround, `(?P<name>…)`), Unicode text.
///
/// PCRE2 rather than Swift `Regex` or `NSRegularExpression`: it accepts the syntax users know
/// from Python, is the fastest of them here (JIT), and — what matters for a server that runs
/// patterns typed by anyone — lets every match be bounded (`match limit`, `depth limit`).
///
/// Sendable: compiled PCRE2 code (JIT included) is read-only after compilation and documented as
/// safe to share between threads; all per-match state lives in a `Matcher`.
public final class RegexPattern: @unchecked Sendable {
    public let source: String
    let code: OpaquePointer
    /// Whether the JIT compiled it (PCRE2 built without JIT falls back to the interpreter).
    public let isJIT: Bool

    /// Backtracking steps allowed per name. Ordinary patterns use a few dozen on a pod name;
    /// `(a+)+$` on a 60-character name would need billions. 100,000 costs well under a millisecond.
    static let matchLimit: UInt32 = 100_000
    /// Interpreter backtracking depth (the JIT is bounded by its stack instead).
    static let depthLimit: UInt32 = 1_000

    public init(_ pattern: String) throws(PatternError) {
        source = pattern
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count,
                            UInt32(PCRE2_UTF), &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw .invalid(message: Self.message(for: errorCode),
                           offset: String(decoding: bytes.prefix(errorOffset), as: UTF8.self).count)
        }
        code = compiled
        isJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit { pcre2_code_free_8(code) }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }

    /// Per-thread matching state. Create one per query; it is not Sendable.
    public func makeMatcher() -> Matcher { Matcher(pattern: self) }

    /// Whether the pattern is found anywhere in `subject` (one-off use; queries use a Matcher).
    public func search(_ subject: String) throws(PatternError) -> Bool {
        try makeMatcher().search(subject)
    }

    public final class Matcher {
        let pattern: RegexPattern
        private let matchData: OpaquePointer
        private let context: OpaquePointer

        init(pattern: RegexPattern) {
            self.pattern = pattern
            matchData = pcre2_match_data_create_from_pattern_8(pattern.code, nil)
            context = pcre2_match_context_create_8(nil)
            pcre2_set_match_limit_8(context, RegexPattern.matchLimit)
            pcre2_set_depth_limit_8(context, RegexPattern.depthLimit)
        }

        deinit {
            pcre2_match_data_free_8(matchData)
            pcre2_match_context_free_8(context)
        }

        public func search(_ subject: String) throws(PatternError) -> Bool {
            var subject = subject
            let result = subject.withUTF8 { buffer in
                // Swift strings are valid UTF-8, so PCRE2's per-match UTF check is skipped.
                pcre2_match_8(pattern.code, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count, 0,
                              UInt32(PCRE2_NO_UTF_CHECK), matchData, context)
            }
            if result >= 0 { return true }
            switch result {
            case PCRE2_ERROR_NOMATCH: return false
            case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
                throw .tooComplex
            default:
                throw .matchFailed(message: RegexPattern.message(for: result))
            }
        }
    }
}
