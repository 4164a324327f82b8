// Regenerates the data under fixtures/ (run: swift scripts/make-fixtures.swift).
// Deterministic: a fixed-seed PCG-style generator and integer cents, so the files never change.

import Foundation

var state: UInt64 = 20_130_208
func uniform() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(UInt64(1) << 53)
}

func cents(_ v: Int) -> String { "\(v / 100).\(String(format: "%02d", v % 100))" }

let dayFormatter: DateFormatter = {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    return f
}()

func dateText(_ days: Int) -> String { dayFormatter.string(from: Date(timeIntervalSince1970: Double(days) * 86_400)) }

/// A bar around `close` in cents with a consistent open/high/low.
func bar(previous: Int, drift: Double, vol: Double) -> (Int, Int, Int, Int) {
    let open = max(100, previous + Int((uniform() - 0.5) * vol * Double(previous) * 0.3))
    let close = max(100, Int(Double(previous) * (1 + drift + (uniform() - 0.5) * vol)))
    let high = max(open, close) + Int(uniform() * vol * 0.5 * Double(close))
    let low = max(1, min(open, close) - Int(uniform() * vol * 0.5 * Double(close)))
    return (open, high, low, close)
}

// Daily bars, long format like the S&P file: 12 symbols × 260 weekdays from 2020-01-02.
var daily = ["date,open,high,low,close,volume,Name"]
let names = ["ALPHA", "BETA", "BRK.B", "DELTA", "ECHO", "FOXT", "GAMMA", "HOTEL", "INDIA", "JULI", "KILO", "LIMA"]
for (i, name) in names.enumerated() {
    var price = 2_000 + i * 1_750
    var day = 18_263  // 2020-01-02, a Thursday
    for _ in 0..<260 {
        while (day + 3) % 7 >= 5 { day += 1 }  // skip Saturday and Sunday
        let (o, h, l, c) = bar(previous: price, drift: 0.0002 * Double(i % 3 - 1), vol: 0.03)
        daily.append("\(dateText(day)),\(cents(o)),\(cents(h)),\(cents(l)),\(cents(c)),\(100_000 + Int(uniform() * 900_000)),\(name)")
        price = c
        day += 1
    }
}
try! (daily.joined(separator: "\n") + "\n").write(toFile: "fixtures/bars-daily.csv", atomically: true, encoding: .utf8)

// One symbol's 1-minute bars stamped at the bar end in US/Eastern, with pre-market (ETH) rows,
// like the SPY file: two sessions, 2021-03-12 (EST) and 2021-03-15 (after the switch to EDT).
var minute = ["timestamp_et,symbol,open,high,low,close,volume,session"]
var price = 39_000
for day in [18_698, 18_701] {
    for m in (8 * 60 + 1)...(16 * 60) {
        let session = m > 9 * 60 + 30 ? "RTH" : "ETH"
        if session == "ETH" && uniform() < 0.7 { continue }
        let (o, h, l, c) = bar(previous: price, drift: 0, vol: 0.002)
        minute.append("\(dateText(day)) \(String(format: "%02d:%02d", m / 60, m % 60)):00,SPY,\(cents(o)),\(cents(h)),\(cents(l)),\(cents(c)),\(Int(uniform() * 50_000) + 100),\(session)")
        price = c
    }
}
try! (minute.joined(separator: "\n") + "\n").write(toFile: "fixtures/bars-1min.csv", atomically: true, encoding: .utf8)
print("wrote fixtures/bars-daily.csv (\(daily.count - 1) rows) and fixtures/bars-1min.csv (\(minute.count - 1) rows)")
