/// The dashboard page: the session's figures, an equity line, positions, recent fills and
/// notices, updated from `/events` without a reload. Its one script only reads that stream and
/// writes text into the page (no HTML from the stream is ever inserted as markup).
enum DashboardPage {
    static let html = """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Aurora live session</title>
    <style>
    body{font:14px/1.4 system-ui,sans-serif;color:#1d2330;margin:0}main{max-width:900px;margin:0 auto;padding:16px 20px}
    h1{font-size:20px}h2{font-size:15px;margin:20px 0 6px;border-bottom:1px solid #d8dce4}
    .figures{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}.figures div{background:#f5f6f8;padding:8px;border-radius:4px}
    .figures span{display:block;font-size:18px;font-variant-numeric:tabular-nums}
    table{border-collapse:collapse;font-variant-numeric:tabular-nums}td,th{padding:2px 10px;border-bottom:1px solid #eceef2;text-align:left}
    td.num{text-align:right}#state{color:#5a6270}svg{display:block;max-width:100%}
    </style></head><body><main>
    <h1>Aurora live session</h1>
    <p><span id="state">waiting for the session…</span> · updates received <span id="updates">0</span>, the first at event <span id="first">-</span></p>
    <div class="figures">
    <div>Time<span id="time">-</span></div><div>Events<span id="events">0</span></div>
    <div>Equity<span id="equity">-</span></div><div>P&amp;L<span id="pnl">-</span></div>
    <div>Positions<span id="positions">0</span></div><div>Fills<span id="fills">0</span></div>
    <div>Rejects<span id="rejects">0</span></div><div>Notices<span id="notices">0</span></div>
    </div>
    <h2>Equity</h2>
    <svg id="curve" viewBox="0 0 860 200" width="860" height="200"><path id="line" fill="none" stroke="#2563eb" stroke-width="1.6" d=""/></svg>
    <h2>Positions</h2><table><thead><tr><th>symbol</th><th>shares</th><th>value</th></tr></thead><tbody id="holdings"></tbody></table>
    <h2>Recent fills</h2><table><thead><tr><th>time</th><th>symbol</th><th>side</th><th>quantity</th><th>price</th></tr></thead><tbody id="fillrows"></tbody></table>
    <h2>Notices</h2><ul id="noticelist"></ul>
    </main>
    <script>
    const text = (id, v) => { document.getElementById(id).textContent = v; };
    const fmt = v => v === null ? "-" : Number(v).toLocaleString("en-US", {maximumFractionDigits: 2});
    function rows(id, list, cells) {
      const body = document.getElementById(id); body.replaceChildren();
      for (const item of list) { const tr = document.createElement("tr");
        for (const [v, num] of cells(item)) { const td = document.createElement("td"); td.textContent = v; if (num) td.className = "num"; tr.appendChild(td); }
        body.appendChild(tr); }
    }
    function curve(points) {
      if (points.length < 2) return;
      const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
      const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
      const sx = x => 10 + (x - x0) / Math.max(x1 - x0, 1) * 840, sy = y => 190 - (y - y0) / Math.max(y1 - y0, 1e-9) * 180;
      document.getElementById("line").setAttribute("d", points.map((p, i) => (i ? "L" : "M") + sx(p[0]).toFixed(1) + "," + sy(p[1]).toFixed(1)).join(""));
    }
    const source = new EventSource("/events");
    let updates = 0;
    source.onmessage = e => {
      const s = JSON.parse(e.data);
      if (s.ended !== undefined) { text("state", "session ended: " + s.ended); source.close(); return; }
      if (s.events === undefined) return;
      updates += 1; text("updates", updates); if (updates === 1) text("first", s.events);
      text("state", s.resuming ? "resuming…" : "running"); text("time", s.time); text("events", s.events);
      text("equity", fmt(s.equity)); text("pnl", fmt(s.pnl)); text("positions", s.positions); text("fills", s.fills);
      text("rejects", s.rejects); text("notices", s.notices);
      rows("holdings", s.holdings, h => [[h[0]], [fmt(h[1]), true], [fmt(h[2]), true]]);
      rows("fillrows", s.recent_fills, f => [[f[0]], [f[1]], [f[2]], [fmt(f[3]), true], [fmt(f[4]), true]]);
      const ul = document.getElementById("noticelist"); ul.replaceChildren();
      for (const n of s.recent_notices) { const li = document.createElement("li"); li.textContent = n; ul.appendChild(li); }
      curve(s.equity_curve);
    };
    source.onerror = () => text("state", "disconnected (the session may have ended)");
    </script></body></html>
    """
}
