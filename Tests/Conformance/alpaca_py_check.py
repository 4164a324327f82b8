"""Drives a running `aurora paper-exchange` through Alpaca's own SDK (alpaca-py) the way a
user's rehearsal script would, and fails on the first answer the SDK cannot parse or that is
wrong. Usage: alpaca_py_check.py PORT OUT.json — OUT gets the fills seen, so two runs on the
same data can be compared."""
import asyncio
import json
import sys
import threading
import time

from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderSide, QueryOrderStatus, TimeInForce
from alpaca.trading.requests import GetCalendarRequest, GetOrdersRequest, LimitOrderRequest, MarketOrderRequest
from alpaca.trading.stream import TradingStream
from alpaca.data.live import StockDataStream

port, out_path = int(sys.argv[1]), sys.argv[2]
base = f"http://127.0.0.1:{port}"
key, secret = "rehearsal-key", "rehearsal-secret"
client = TradingClient(key, secret, paper=True, url_override=base)

fills, bars = [], []

async def on_update(update):
    if update.event in ("fill", "partial_fill"):
        fills.append({"event": str(update.event), "symbol": update.order.symbol, "qty": str(update.qty), "price": str(update.price)})

async def on_bar(bar):
    bars.append((bar.symbol, bar.timestamp.isoformat(), bar.close))

trading = TradingStream(key, secret, url_override=f"ws://127.0.0.1:{port}/stream")
trading.subscribe_trade_updates(on_update)
data = StockDataStream(key, secret, url_override=f"ws://127.0.0.1:{port}/v2/iex")

account = client.get_account()
assert str(account.status).endswith("ACTIVE"), account.status
assets = client.get_all_assets()
symbols = [a.symbol for a in assets]
assert symbols, "no assets"
first = symbols[0]
data.subscribe_daily_bars(on_bar, *symbols[:3])   # the default data is daily: Alpaca's "d" messages
clock = client.get_clock()
assert clock.next_close > clock.timestamp or not clock.is_open
calendar = client.get_calendar(GetCalendarRequest())
assert calendar and calendar[0].open < calendar[0].close

market = client.submit_order(MarketOrderRequest(symbol=first, qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                                client_order_id="rehearsal-1"))
assert client.get_order_by_id(market.id).id == market.id
assert client.get_order_by_client_id("rehearsal-1").id == market.id
limit = client.submit_order(LimitOrderRequest(symbol=symbols[1], qty=3, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                              limit_price=0.01))
assert any(o.id == limit.id for o in client.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN)))

# The exchange's clock starts once both streams are subscribed: orders sent before then fill at
# the first bar, so two runs on the same data give the same fills.
json_bars = []

def json_client():
    """A client that does not ask for MessagePack gets Alpaca's JSON text frames."""
    import websockets.sync.client as ws
    with ws.connect(f"ws://127.0.0.1:{port}/v2/iex") as conn:
        assert json.loads(conn.recv())[0]["msg"] == "connected"
        conn.send(json.dumps({"action": "auth", "key": key, "secret": secret}))
        assert json.loads(conn.recv())[0]["msg"] == "authenticated"
        conn.send(json.dumps({"action": "subscribe", "dailyBars": [first]}))
        assert json.loads(conn.recv())[0]["T"] == "subscription"
        while not json_bars:
            message = conn.recv()
            assert isinstance(message, str), "a JSON client got a binary frame"
            json_bars.extend(m for m in json.loads(message) if m["T"] == "d")

json_thread = threading.Thread(target=json_client, daemon=True)
json_thread.start()
threads = [threading.Thread(target=s.run, daemon=True) for s in (trading, data)]
for t in threads:
    t.start()

deadline = time.time() + 60
while time.time() < deadline and not any(f["symbol"] == first for f in fills):
    time.sleep(0.05)
assert any(f["symbol"] == first for f in fills), "no fill of the market order on the trade-updates stream"
assert bars, "no bars on the MessagePack market-data stream"
json_thread.join(30)
assert json_bars and json_bars[0]["S"] == first, "no bars on the JSON market-data stream"
positions = client.get_all_positions()
assert any(p.symbol == first and float(p.qty) == 5 for p in positions), positions
assert client.get_order_by_id(limit.id).status.value in ("accepted", "new")
client.cancel_order_by_id(limit.id)
assert client.get_order_by_id(limit.id).status.value == "canceled"
client.submit_order(LimitOrderRequest(symbol=symbols[1], qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY, limit_price=0.01))
cancelled = client.cancel_orders()
assert len(cancelled) == 1 and cancelled[0].status == 200, cancelled
closed = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.CLOSED))
assert any(o.id == market.id for o in closed)
try:
    client.get_order_by_id("00000000-0000-4000-8000-000000000000")
    raise AssertionError("an unknown order was found")
except Exception as error:  # the SDK's APIError carries Alpaca's code
    assert "40410000" in str(error) or "not found" in str(error), error

with open(out_path, "w") as f:
    json.dump({"fills": fills, "bars": len(bars) > 0}, f)
print(f"alpaca-py conformance: ok ({len(fills)} fills, {len(bars)} MessagePack bars, JSON bars too)")
trading.stop()
data.stop()
