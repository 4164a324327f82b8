/// A self-contained HTML page: inline CSS, inline SVG, no script, no font or image from
/// anywhere — it reads the same offline and in a mail attachment.
public struct Page: Sendable {
    public var title: String
    private var body = ""

    public init(title: String) { self.title = title }

    public mutating func heading(_ text: String, level: Int = 2) {
        body += "<h\(level)>\(SVGText.escape(text))</h\(level)>\n"
    }

    public mutating func paragraph(_ text: String, cssClass: String? = nil) {
        body += "<p\(cssClass.map { " class=\"\($0)\"" } ?? "")>\(SVGText.escape(text))</p>\n"
    }

    public mutating func raw(_ html: String) { body += html + "\n" }

    public mutating func chart(_ svg: String) { body += "<figure>\(svg)</figure>\n" }

    /// A table; columns after the first are right-aligned numbers unless `textColumns` says.
    public mutating func table(_ header: [String], _ rows: [[String]], id: String? = nil, textColumns: Set<Int> = [0]) {
        var t = "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>"
        for (i, h) in header.enumerated() { t += "<th\(textColumns.contains(i) ? "" : " class=\"num\"")>\(SVGText.escape(h))</th>" }
        t += "</tr></thead><tbody>"
        for r in rows {
            t += "<tr>"
            for (i, c) in r.enumerated() { t += "<td\(textColumns.contains(i) ? "" : " class=\"num\"")>\(SVGText.escape(c))</td>" }
            t += "</tr>"
        }
        body += t + "</tbody></table>\n"
    }

    /// Key/value pairs, each value with an id tests and scripts can find (`data-key`).
    public mutating func facts(_ pairs: [(key: String, label: String, value: String)], id: String) {
        var t = "<table class=\"facts\" id=\"\(id)\"><tbody>"
        for p in pairs { t += "<tr><th>\(SVGText.escape(p.label))</th><td data-key=\"\(p.key)\">\(SVGText.escape(p.value))</td></tr>" }
        body += t + "</tbody></table>\n"
    }

    public mutating func preformatted(_ text: String) { body += "<pre>\(SVGText.escape(text))</pre>\n" }

    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVGText.escape(title))</title>
        <style>\(Self.css)</style></head>
        <body><main>
        <h1>\(SVGText.escape(title))</h1>
        \(body)</main></body></html>

        """
    }

    static let css = """
    body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#fff;margin:0}
    main{max-width:900px;margin:0 auto;padding:16px 20px 40px}
    h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dce4;padding-bottom:4px}
    p.note{color:#8a4b00;background:#fff6e5;padding:6px 10px;border-radius:4px}
    table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
    th,td{padding:3px 10px;border-bottom:1px solid #eceef2;text-align:left}td.num,th.num{text-align:right}
    table.facts th{font-weight:500;color:#5a6270}
    figure{margin:10px 0}
    pre{background:#f5f6f8;padding:8px 10px;overflow-x:auto;font-size:12px}
    svg.chart{display:block;max-width:100%;height:auto}
    svg .title{font-size:13px;font-weight:600;fill:#1d2330}
    svg text{font-size:11px;fill:#5a6270}
    svg .frame{fill:none;stroke:#c9ced8}
    svg .grid{stroke:#eceef2}
    svg .tick{stroke:#9aa1ad}
    svg .baseline{stroke:#9aa1ad;stroke-dasharray:3 3}
    svg .line{fill:none;stroke-width:1.6}
    svg .area{opacity:.25;stroke:none}
    svg .columns{stroke:none}
    svg text.cell{fill:#1d2330;font-size:10px}
    svg text.empty{font-size:13px;fill:#8a4b00}
    """
}
