/// Why a user's pod-name pattern was refused or could not be answered. The descriptions are
/// meant for the UI as they are.
public enum PatternError: Error, Equatable, CustomStringConvertible, Sendable {
    /// PCRE2 could not compile the pattern; `offset` is the character offset it stopped at.
    case invalid(message: String, offset: Int)
    /// One name needed more backtracking than the match limit allows (e.g. `(a+)+$`).
    case tooComplex
    /// The whole query ran past its time budget before checking every name.
    case timeBudgetExceeded(checked: Int, total: Int)
    /// Any other PCRE2 matching failure.
    case matchFailed(message: String)

    public var description: String {
        switch self {
        case let .invalid(message, offset):
            return "invalid pattern: \(message) at offset \(offset)"
        case .tooComplex:
            return "pattern is too complex: it backtracks too much (e.g. nested repeats like (a+)+); simplify it"
        case let .timeBudgetExceeded(checked, total):
            return "pattern is too slow: gave up after matching \(checked) of \(total) pod names; simplify it"
        case let .matchFailed(message):
            return "pattern matching failed: \(message)"
        }
    }
}
