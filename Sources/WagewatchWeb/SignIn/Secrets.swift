import Crypto
import Foundation
import HummingbirdBcrypt

/// The random tokens, hashes and comparisons of signing in, in one place.
enum Secrets {
    /// 256 random bits from the system's CSPRNG (getrandom), base64url without padding: the
    /// session cookie's token and the CSRF token.
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a cookie's token: its SHA-256.
    static func hash(token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// Whether two tokens are equal, in time that depends only on their lengths.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// bcrypt's cost for new passwords (SPEC §8: at least 10).
    static let bcryptCost: UInt8 = 12

    /// The bcrypt hash of a new password.
    static func hash(password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }

    /// A hash no password matches, checked when the name has none, so an unknown name takes
    /// as long to refuse as a wrong password.
    static let dummyHash = Bcrypt.hash(token(), cost: bcryptCost)

    /// Checks `password` against `hash` (or the dummy hash when there is none): bcrypt's own
    /// comparison, always one full bcrypt computation.
    static func verify(_ password: String, hash: String?) -> Bool {
        let matched = Bcrypt.verify(password, hash: hash ?? dummyHash)
        return matched && hash != nil
    }
}

/// Passwords for the web desk, as `user passwd` and `user add --password-stdin` set them.
public enum Passwords {
    /// The shortest password accepted.
    public static let minimumLength = 8

    /// Checks a new password and returns its bcrypt hash (cost ``Secrets/bcryptCost``).
    public static func hash(_ password: String) throws -> String {
        guard password.count >= minimumLength else {
            throw PasswordTooShort(minimum: minimumLength)
        }
        return Secrets.hash(password: password)
    }

    public struct PasswordTooShort: Error, CustomStringConvertible {
        public let minimum: Int
        public var description: String { "password: is shorter than \(minimum) characters" }
    }
}
