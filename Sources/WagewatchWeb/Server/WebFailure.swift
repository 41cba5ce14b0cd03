import WagewatchCore

/// Why a request ends before its route's work: the answers of SPEC §8 that are not an error of
/// the work itself (those are ``WagewatchCore/WagewatchError``, mapped by its one table).
enum WebFailure: Error {
    /// No open session: HTML GETs go to /login?next=…, anything else answers 401.
    case signInRequired
    /// A POST whose `_csrf` is missing or not this session's: 403, nothing written.
    case badCSRFToken
}
