import Foundation

/// A benchmark given as a file: a CSV with a header, dates (or times) in its first column and a
/// `close` column, one row per date, ascending. Aligned to a run's steps as the last close on or
/// before each step's day.
public enum BenchmarkFile {
    public static func closes(_ path: String, at steps: [Double]) throws -> [Double] {
        let table = try CSVTable.read(path: path)
        guard let closeColumn = table.header.firstIndex(where: { $0.lowercased() == "close" }) else {
            throw ResearchPage.Failure(description: "\(path): no close column (header: \(table.header.joined(separator: ",")))")
        }
        var series: [(Double, Double)] = []
        for (i, row) in table.rows.enumerated() {
            let day = DiffPage.daySeconds(row[0])
            guard day.isFinite else { throw ResearchPage.Failure(description: "\(path):\(i + 2): \"\(row[0].prefix(40))\" is not a date YYYY-MM-DD") }
            guard let close = Double(row[closeColumn]), close.isFinite, close > 0 else {
                throw ResearchPage.Failure(description: "\(path):\(i + 2) (column close): \"\(row[closeColumn].prefix(40))\" is not a positive number")
            }
            if let last = series.last, day <= last.0 {
                throw ResearchPage.Failure(description: "\(path):\(i + 2): dates must ascend (\(row[0].prefix(10)) after an equal or later one)")
            }
            series.append((day, close))
        }
        var k = -1
        return steps.map { t in
            let day = (t / 86_400).rounded(.down) * 86_400
            while k + 1 < series.count, series[k + 1].0 <= day { k += 1 }
            return k >= 0 ? series[k].1 : .nan
        }
    }
}
