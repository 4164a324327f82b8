import AuroraLog
import AuroraModel
import Foundation

extension BarCSVReader {
    /// Reads several bar files (or every `.csv` file of a folder, in name order) as one table.
    /// A file without a symbol column, when no fixed `symbol` is given, holds one symbol named
    /// after the file (`AAPL.csv` → AAPL). All files must have the same bar length, and a
    /// (symbol, time) may appear in only one of them.
    public static func read(paths: [String], options: BarCSVOptions) throws -> (BarTable, BarCSVReport) {
        let files = try expand(paths)
        guard let firstFile = files.first else { throw BarCSVError(path: paths.first ?? "", "no .csv files to read") }
        // With chosen symbols a file may hold none of them: that is the selection's to judge, over all files.
        let selecting = options.onlySymbols != nil
        if files.count == 1 && paths == files {
            let (table, report) = try read(path: firstFile, options: options, keepsEmpty: selecting)
            try checkSelection(table, files: files, options: options)
            guard table.count > 0 else { throw noBars(path: firstFile, report) }
            return (table, report)
        }
        var merged = BarTable()
        var report = BarCSVReport()
        var index: [String: Int32] = [:]
        var seenBySymbol: [Set<Int64>] = []
        for (n, path) in files.enumerated() {
            var fileOptions = options
            let (table, r): (BarTable, BarCSVReport)
            do {
                (table, r) = try read(path: path, options: fileOptions, keepsEmpty: selecting)
            } catch let error as BarCSVError where options.symbol == nil && error.message.hasPrefix("missing column for symbol") {
                // No symbol column: the file is one symbol's, named after it.
                fileOptions.symbol = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                (table, r) = try read(path: path, options: fileOptions, keepsEmpty: selecting)
            }
            if n > 0 && table.timeframe != merged.timeframe && table.count > 0 && merged.count > 0 {
                throw BarCSVError(path: path, "has \(table.timeframe) bars; \(files[0]) has \(merged.timeframe) bars (Aurora does not resample)")
            }
            if table.count > 0 { merged.timeframe = table.timeframe }
            var remap: [Int32] = []
            for name in table.symbols {
                if let id = index[name] { remap.append(id); continue }
                let id = Int32(merged.symbols.count)
                index[name] = id
                merged.symbols.append(name)
                seenBySymbol.append([])
                remap.append(id)
            }
            for i in 0..<table.count {
                let s = remap[Int(table.symbol[i])]
                guard seenBySymbol[Int(s)].insert(table.end[i]).inserted else {
                    throw BarCSVError(path: path, line: Int(table.line[i]),
                                      "\(merged.symbols[Int(s)]) has a bar at \(Timestamp(rawValue: table.end[i]).iso8601) in an earlier file too")
                }
                merged.symbol.append(s); merged.end.append(table.end[i])
                merged.open.append(table.open[i]); merged.high.append(table.high[i]); merged.low.append(table.low[i])
                merged.close.append(table.close[i]); merged.volume.append(table.volume[i]); merged.line.append(table.line[i])
            }
            merged.actions += table.actions
            report.dataRows += r.dataRows; report.barsKept += r.barsKept; report.filteredOut += r.filteredOut
            for k in report.invalidCounts.indices { report.invalidCounts[k] += r.invalidCounts[k] }
            let name = URL(fileURLWithPath: path).lastPathComponent
            for e in r.examples where report.examples.count < BarCSVReport.maxExamples {
                report.examples.append(.init(line: e.line, reason: e.reason, text: "\(name): \(e.text)"))
            }
            report.newestFirstSymbols += r.newestFirstSymbols
            report.zeroVolume += r.zeroVolume
            report.inputBytes += r.inputBytes
            report.inputDigest = sha256(report.inputDigest + r.inputDigest)
        }
        try checkSelection(merged, files: files, options: options)
        if merged.count == 0 { throw noBars(path: paths.joined(separator: ", "), report) }
        return (merged, report)
    }

    /// Names every chosen symbol the data does not have, or has no valid row of: the table holds
    /// only the chosen symbols' bars, so the names it lacks are looked for in reads of their own
    /// rows and of everything (the error's path only), the latter giving the names the data has.
    static func checkSelection(_ table: BarTable, files: [String], options: BarCSVOptions) throws {
        guard let wanted = options.onlySymbols else { return }
        let missing = wanted.subtracting(table.symbols).sorted()
        guard !missing.isEmpty else { return }
        // A chosen name whose rows are all invalid (left out as invalid rows are) is in the data:
        // its rows are read again on their own, and the first one named.
        for name in missing.prefix(8) {
            var only = options
            only.onlySymbols = [name]
            var invalid = 0
            var first: (file: String, row: BarCSVReport.Example)?
            for file in files {
                guard let (_, r) = try? read(path: file, options: only, keepsEmpty: true) else { continue }
                invalid += r.invalidCounts.reduce(0, +)
                if first == nil, let row = r.examples.first { first = (file, row) }
            }
            if let first {
                throw DataError("symbol \"\(name)\" has no valid row (\(invalid) invalid, left out); the first: \(first.file) line "
                                + "\(first.row.line): \(first.row.reason.rawValue): \(first.row.text)")
            }
        }
        var everything = options
        everything.onlySymbols = nil
        guard let all = try? read(paths: files, options: everything).0.symbols.sorted() else {
            throw DataError("\(DataError.naming(missing)): no valid rows of \(missing.count > 1 ? "them" : "it") in \(files.joined(separator: ", "))")
        }
        throw DataError.unknown(missing, among: all)
    }

    /// Files as given, a folder replaced by its `.csv` files in name order.
    static func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw BarCSVError(path: path, "no such file") }
            guard isDirectory.boolValue else { out.append(path); continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let csv = names.filter { $0.lowercased().hasSuffix(".csv") }.sorted()
            guard !csv.isEmpty else { throw BarCSVError(path: path, "the folder holds no .csv files") }
            out += csv.map { (path as NSString).appendingPathComponent($0) }
        }
        return out
    }
}
