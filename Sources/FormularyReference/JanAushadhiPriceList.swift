import FormularyParsing

/// One product of the Jan Aushadhi list with its price.
public struct JanAushadhiProduct: Sendable, Hashable {
    public var code: String
    /// As listed: `Aceclofenac 100mg and Paracetamol 325mg Tablets`.
    public var genericName: String
    /// The pack the price is for (`10's`, `100 ml`).
    public var unitSize: String
    /// Rupees for the pack; `0` where the list gives no price.
    public var mrp: Double
    public var group: String
    public var line: Int
}

/// The product list of the Pradhan Mantri Bhartiya Janaushadhi Pariyojana (PMBJP), the
/// government's generic medicines sold at Jan Aushadhi Kendras, with each product's maximum
/// retail price, as published by PMBI (Department of Pharmaceuticals). Read from CSV with the
/// columns `Sr No, Drug Code, Generic Name, Unit Size, MRP, Group Name`.
public struct JanAushadhiPriceList: Sendable {
    public static let name = "Jan Aushadhi product list (PMBI, Department of Pharmaceuticals, Government of India)"
    public static let columns = ["Drug Code", "Generic Name", "Unit Size", "MRP", "Group Name"]

    public var products: [JanAushadhiProduct]
    /// The date the prices are as of, `YYYY-MM-DD`.
    public var date: String
    public var origin: String
    /// A hash of the CSV text, for the build's fingerprint.
    public var textHash: String

    /// Reads the CSV text; `date` is the date its prices are as of. Nothing is kept when a row is wrong.
    public init(csv: String, path: String, date: String) throws(ReferenceListError) {
        guard let isoDate = ReferenceDate.iso(date) else {
            throw ReferenceListError(
                path: path, line: 1, message: "the price list's date '\(date)' is not a date written YYYY-MM-DD")
        }
        let table = try CSVTable(parsing: csv, path: path)
        let positions = try table.columns(Self.columns, path: path)
        var products: [JanAushadhiProduct] = []
        for row in table.rows {
            let field = { (column: Int) in row.fields[positions[column]].trimmingWhitespace() }
            func fail(_ message: String) -> ReferenceListError {
                ReferenceListError(path: path, line: row.line, message: message)
            }
            guard !field(0).isEmpty else { throw fail("the drug code (column 'Drug Code') is empty") }
            guard !field(1).isEmpty else { throw fail("the product name (column 'Generic Name') is empty") }
            guard let mrp = Double(field(3)), mrp >= 0, mrp.isFinite else {
                throw fail("MRP '\(field(3))' is not a price in rupees (a number such as 10.32)")
            }
            products.append(
                JanAushadhiProduct(
                    code: field(0), genericName: field(1), unitSize: field(2), mrp: mrp, group: field(4),
                    line: row.line))
        }
        guard !products.isEmpty else {
            throw ReferenceListError(path: path, line: 1, message: "the list has a header but no rows")
        }
        self.products = products
        self.date = isoDate
        origin = path
        var hasher = StableHasher()
        hasher.combine(csv)
        textHash = hasher.hexDigest
    }

    /// The date in a file name such as `jan-aushadhi-products-2026-09-30.csv`, if it has one.
    public static func date(inFileName path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let characters = Array(name)
        guard characters.count >= 10 else { return nil }
        for start in stride(from: characters.count - 10, through: 0, by: -1) {
            if let date = ReferenceDate.iso(String(characters[start..<start + 10])) { return date }
        }
        return nil
    }
}
