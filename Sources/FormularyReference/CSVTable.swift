import FormularyParsing

/// A CSV file (RFC 4180: commas, double quotes, `""` inside quotes, CRLF or LF) read into rows
/// of named fields, each with the line it starts on, so that every complaint says `path:line`.
///
/// Small on purpose: the reference lists are a few thousand rows of text, and no CSV package
/// is among the project's dependencies.
struct CSVTable: Sendable {
    struct Row: Sendable {
        /// The 1-based line the row starts on.
        var line: Int
        var fields: [String]
    }

    var header: [String]
    var rows: [Row]

    /// Parses `text`; `path` is only for messages. Throws on an unterminated quote, text after a
    /// closing quote, or a row whose field count differs from the header's.
    init(parsing text: String, path: String) throws(ReferenceListError) {
        var records: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var quoteLine = 1
        let bytes = Array(text.utf8)
        var index = 0
        // A leading byte order mark is not part of the first column's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !quotedField else {
                    throw ReferenceListError(path: path, line: line, message: "a double quote inside an unquoted field")
                }
                inQuotes = true
                quotedField = true
                quoteLine = line
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"):
                endField()
                if !(fields.count == 1 && fields[0].isEmpty) { records.append(Row(line: recordLine, fields: fields)) }
                fields.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            default:
                if quotedField {
                    throw ReferenceListError(
                        path: path, line: line, message: "text after a closing double quote; quote the whole field")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw ReferenceListError(
                path: path, line: quoteLine, message: "a quoted field is never closed (a missing double quote)")
        }
        if !field.isEmpty || !fields.isEmpty || quotedField {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Row(line: recordLine, fields: fields)) }
        }
        guard let first = records.first else {
            throw ReferenceListError(path: path, line: 1, message: "the file is empty; expected a header line")
        }
        header = first.fields.map { $0.trimmingWhitespace() }
        rows = Array(records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw ReferenceListError(
                path: path, line: row.line,
                message:
                    "\(row.fields.count) fields where the header has \(header.count) (\(header.joined(separator: ", ")))"
            )
        }
    }

    /// The position of each of `names` in the header; throws naming the first that is missing.
    func columns(_ names: [String], path: String) throws(ReferenceListError) -> [Int] {
        var positions: [Int] = []
        for name in names {
            guard let position = header.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                throw ReferenceListError(
                    path: path, line: 1,
                    message:
                        "no column '\(name)' in the header (\(header.joined(separator: ", "))); expected \(names.joined(separator: ", "))"
                )
            }
            positions.append(position)
        }
        return positions
    }
}

/// A reference list that cannot be used, with the file and line and what to do. Nothing of a
/// list is used when any of its rows is wrong.
public typealias ReferenceListError = LocatedError
