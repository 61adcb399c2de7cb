import Crypto
import Foundation
import _CryptoExtras

/// Passwords, sign-ins and API tokens over a store. Passwords are hashed with scrypt (memory
/// hard); session and API tokens are random, shown once, and kept only as SHA-256 hashes, so
/// a copy of the database signs nobody in.
public struct Accounts: Sendable {
    public let store: any ContributionStore
    /// scrypt's cost: N = 2^15, r = 8, p = 3 (32 MiB), one of OWASP's recommended settings.
    public var cost = PasswordHash.Cost(logN: 15, r: 8, p: 3)
    /// How long a sign-in lasts.
    public var sessionLifetime: TimeInterval = 14 * 24 * 3600

    public init(store: any ContributionStore) {
        self.store = store
    }

    /// Adds a person with a password (at least 10 characters).
    public func addUser(_ user: User, password: String) async throws {
        guard User.isValidName(user.name) else {
            throw StoreError.invalid(
                "'\(user.name)' is not a user name: use 1 to 40 letters, digits, '.', '-' or '_'")
        }
        guard password.count >= 10 else { throw StoreError.invalid("a password needs at least 10 characters") }
        try await store.addUser(user, passwordHash: try PasswordHash.make(password, cost: cost))
    }

    /// The person, when the password is theirs. A name nobody has costs the same time as a
    /// wrong password, so sign-in does not tell which names exist.
    public func verify(name: String, password: String) async throws -> User? {
        guard let (user, hash) = try await store.user(named: name) else {
            _ = PasswordHash.verify(password, against: Self.decoy)
            return nil
        }
        return PasswordHash.verify(password, against: hash) ? user : nil
    }

    private static let decoy = (try? PasswordHash.make("not a password", cost: .init(logN: 15, r: 8, p: 3))) ?? ""

    /// Signs a person in: the cookie's token (to give to the browser) and the session record.
    public func startSession(for user: User) async throws -> (token: String, session: SessionRecord) {
        let token = Tokens.random()
        let session = SessionRecord(
            tokenHash: Tokens.hash(token), user: user.name, csrf: Tokens.random(),
            expiresAt: Int(Date().timeIntervalSince1970 + sessionLifetime))
        try await store.addSession(session)
        return (token, session)
    }

    /// The session a cookie's token opens, unless it has expired.
    public func session(token: String) async throws -> SessionRecord? {
        guard Tokens.isWellFormed(token), let session = try await store.session(tokenHash: Tokens.hash(token)) else {
            return nil
        }
        return session.expiresAt > Int(Date().timeIntervalSince1970) ? session : nil
    }

    public func endSession(token: String) async throws {
        guard Tokens.isWellFormed(token) else { return }
        try await store.removeSession(tokenHash: Tokens.hash(token))
    }

    /// A new API token for a person, returned once (`fm_...`).
    public func issueToken(for user: String, label: String) async throws -> String {
        guard try await store.user(named: user) != nil else { throw StoreError.notFound("no user named '\(user)'") }
        let token = "fm_" + Tokens.random()
        try await store.addToken(tokenHash: Tokens.hash(token), user: user, label: label)
        return token
    }

    /// The person an API token belongs to.
    public func tokenUser(_ token: String) async throws -> User? {
        guard token.hasPrefix("fm_"), Tokens.isWellFormed(String(token.dropFirst(3))),
            let name = try await store.tokenUser(tokenHash: Tokens.hash(token))
        else { return nil }
        return try await store.user(named: name)?.user
    }
}

/// `scrypt$logN$r$p$salt$hash`, salt and hash in base64.
public enum PasswordHash {
    public struct Cost: Sendable, Equatable {
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }
    }

    public static func make(_ password: String, cost: Cost) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let key = try derive(password, salt: salt, cost: cost)
        return
            "scrypt$\(cost.logN)$\(cost.r)$\(cost.p)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    public static func verify(_ password: String, against stored: String) -> Bool {
        let fields = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "scrypt", let logN = Int(fields[1]), let r = Int(fields[2]),
            let p = Int(fields[3]), (10...20).contains(logN), (1...16).contains(r), (1...16).contains(p),
            let salt = Data(base64Encoded: String(fields[4])), let expected = Data(base64Encoded: String(fields[5])),
            let key = try? derive(password, salt: Array(salt), cost: Cost(logN: logN, r: r, p: p))
        else { return false }
        return Tokens.same(Array(key), Array(expected))
    }

    private static func derive(_ password: String, salt: [UInt8], cost: Cost) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << cost.logN, blockSize: cost.r,
            parallelism: cost.p)
        return key.withUnsafeBytes { Data($0) }
    }
}

/// Random tokens and their hashes.
public enum Tokens {
    /// 32 random bytes, base64url without padding (43 characters).
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// What `random` makes, so that junk is turned away before the database is asked.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    /// Equal strings, compared in time that does not depend on where they differ.
    public static func same(_ a: String, _ b: String) -> Bool { same(Array(a.utf8), Array(b.utf8)) }

    /// Equal bytes, every byte compared whatever the first difference.
    public static func same(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
