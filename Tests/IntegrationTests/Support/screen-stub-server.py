#!/usr/bin/env python3
"""A stand-in for kioskd's HTTP listener, to develop and test the hall screen page alone.

Serves the page's assets from Sources/KioskDaemon/Screens/Assets and, for one screen, the
/state, /events (Server-Sent Events) and /announcements/{seq}.wav routes with the shapes of
DESIGN.md ("Contract: the HTTP listener"). A test drives the hall through POST /_stub/... and can
cut the event stream. Python standard library only.

  screen-stub-server.py [--port 0] [--screen hall] [--assets DIR] [--heartbeat 15]

Prints `listening http://127.0.0.1:PORT` as its first line. Control (JSON bodies, JSON answers):
  POST /_stub/setup   {hall, screen, calls, voice, notice, categories: [{id, name}], windows: [{id, name}]}
  POST /_stub/take    {category}                        -> the ticket (event ticket.issued)
  POST /_stub/call    {window, category}                -> the ticket (event ticket.called)
  POST /_stub/burst   {calls: [{window, category}, ...]} -> the tickets, all called at once
  POST /_stub/recall  {window}                          -> event ticket.recalled
  POST /_stub/cut     {down: false}  closes every open event stream; with down, /events answers
                                     503 until POST /_stub/up (the page must start one itself)
  POST /_stub/up
  GET  /_stub/log     what was asked of /events (since, Last-Event-ID) and /announcements
"""
import argparse, io, json, math, os, re, struct, sys, threading, time, wave
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

HALL_TZ = timezone(timedelta(hours=8))
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8"}


def now_text():
    return datetime.now(HALL_TZ).isoformat(timespec="milliseconds")


def tone_wav(seconds=0.4, rate=22050, freq=660.0):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate)))
                               for i in range(n)))
    return buf.getvalue()


class Hall:
    """The hall's events and tickets; one lock, one condition that wakes the streams."""

    def __init__(self, screen_id):
        self.cond = threading.Condition()
        self.screen = {"id": screen_id, "name": "大厅主屏", "calls": 6, "voice": False, "notice": ""}
        self.hall = {"code": "500107", "name": "九龙坡区政务服务中心"}
        self.categories = [{"id": "A", "name": "企业开办"}, {"id": "B", "name": "不动产登记"},
                           {"id": "C", "name": "社保医保"}]
        self.windows = [{"id": str(i), "name": f"{i}号窗口", "state": "open"} for i in range(1, 7)]
        self.events = []            # {seq, topic, data}
        self.seq = 0
        self.numbers = {}           # category -> last number
        self.tickets = {}           # id -> ticket
        self.current = {}           # window -> ticket id
        self.generation = 0         # bumped by a cut: open streams end
        self.down = False
        self.log = []

    def emit(self, topic, data):
        self.seq += 1
        self.events.append({"seq": self.seq, "topic": topic, "data": data, "at": now_text()})
        self.cond.notify_all()

    def window_name(self, wid):
        return next((w["name"] for w in self.windows if w["id"] == wid), f"{wid}号窗口")

    def take(self, category):
        n = self.numbers.get(category, 0) + 1
        self.numbers[category] = n
        name = next((c["name"] for c in self.categories if c["id"] == category), category)
        t = {"id": len(self.tickets) + 1, "number": f"{category}{n:03d}", "category": category,
             "categoryName": name, "state": "waiting", "priority": "normal", "issuedAt": now_text(),
             "recalls": 0, "requeues": 0, "transfers": 0, "day": now_text()[:10]}
        self.tickets[t["id"]] = t
        self.emit("ticket.issued", {"ticket": dict(t)})
        return t

    def call(self, wid, category):
        waiting = [t for t in self.tickets.values() if t["state"] == "waiting" and t["category"] == category]
        t = waiting[0] if waiting else self.take(category)
        t.update(state="called", window=wid, calledAt=now_text(), recalls=0)
        self.current[wid] = t["id"]
        self.emit("ticket.called", {"ticket": dict(t), "window": wid, "windowName": self.window_name(wid)})
        return t

    def recall(self, wid):
        t = self.tickets[self.current[wid]]
        t["recalls"] += 1
        self.emit("ticket.recalled", {"ticket": dict(t), "window": wid, "windowName": self.window_name(wid)})
        return t

    def state(self):
        calls = []
        for e in reversed(self.events):
            if e["topic"] in ("ticket.called", "ticket.recalled"):
                t, wid = e["data"]["ticket"], e["data"]["window"]
                calls.append({"seq": e["seq"], "at": e["at"], "recall": e["topic"] == "ticket.recalled",
                              "ticket": {k: t[k] for k in ("id", "number", "category", "priority")},
                              "window": {"id": wid, "name": self.window_name(wid)}})
                if len(calls) == self.screen["calls"]:
                    break
        waiting = {c["id"]: 0 for c in self.categories}
        for t in self.tickets.values():
            if t["state"] == "waiting" and t["category"] in waiting:
                waiting[t["category"]] += 1
        return {"hall": self.hall, "screen": self.screen, "seq": self.seq, "at": now_text(), "calls": calls,
                "waiting": waiting, "windows": self.windows, "categories": self.categories}


class Handler(BaseHTTPRequestHandler):
    hall: Hall = None
    assets = ""
    heartbeat = 15.0

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype="application/json; charset=utf-8", head=False):
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode() if not isinstance(body, str) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self):
        url = urlsplit(self.path)
        path, q = unquote(url.path), parse_qs(url.query)
        h = self.hall
        sid = re.escape(h.screen["id"])
        if path.startswith("/screens/assets/"):
            name = os.path.basename(path)
            file = os.path.join(self.assets, name)
            if os.path.splitext(name)[1] in CONTENT_TYPES and os.path.isfile(file):
                with open(file, "rb") as f:
                    return self.answer(200, f.read(), CONTENT_TYPES[os.path.splitext(name)[1]])
        elif re.fullmatch(f"/screens/{sid}/?", path):
            with open(os.path.join(self.assets, "screen.html"), "rb") as f:
                return self.answer(200, f.read(), CONTENT_TYPES[".html"])
        elif re.fullmatch(f"/screens/{sid}/state", path):
            with h.cond:
                return self.answer(200, h.state())
        elif re.fullmatch(f"/screens/{sid}/events", path):
            return self.stream(q)
        elif m := re.fullmatch(f"/screens/{sid}/announcements/(\\d+)\\.wav", path):
            with h.cond:
                h.log.append({"kind": "announcement", "seq": int(m[1]), "t": time.time()})
            return self.answer(200, tone_wav(), "audio/wav")
        elif path == "/_stub/log":
            with h.cond:
                return self.answer(200, h.log)
        self.answer(404, {"error": "not found"})

    def stream(self, q):
        h = self.hall
        last_id = self.headers.get("Last-Event-ID")
        since_text = last_id if last_id is not None else (q.get("since") or ["0"])[0]
        try:
            since = int(since_text)
        except ValueError:
            return self.answer(400, {"error": "bad Last-Event-ID or since"})
        with h.cond:
            h.log.append({"kind": "events", "since": since, "lastEventId": last_id,
                          "query": (q.get("since") or [None])[0], "down": h.down, "t": time.time()})
            if h.down:
                return self.answer(503, {"error": "stream down (stub)"})
            generation = h.generation
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        sent = since
        last_write = time.monotonic()
        try:
            while True:
                with h.cond:
                    pending = [e for e in h.events if e["seq"] > sent]
                    if not pending and h.generation == generation:
                        h.cond.wait(timeout=max(0.05, self.heartbeat - (time.monotonic() - last_write)))
                        pending = [e for e in h.events if e["seq"] > sent]
                    if h.generation != generation:
                        return  # cut: the connection closes without a final message
                out = []
                for e in pending:
                    data = json.dumps(e["data"], ensure_ascii=False, separators=(",", ":"))
                    out.append(f"id: {e['seq']}\nevent: {e['topic']}\ndata: {data}\n\n")
                    sent = e["seq"]
                if not out and time.monotonic() - last_write >= self.heartbeat:
                    out.append(": keep-alive\n\n")
                if out:
                    self.wfile.write("".join(out).encode())
                    self.wfile.flush()
                    last_write = time.monotonic()
        except (BrokenPipeError, ConnectionResetError):
            return

    def do_POST(self):
        h = self.hall
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        path = urlsplit(self.path).path
        with h.cond:
            if path == "/_stub/setup":
                for key in ("calls", "voice", "notice"):
                    if key in body:
                        h.screen[key] = body[key]
                if "screen" in body:
                    h.screen["name"] = body["screen"]
                if "hall" in body:
                    h.hall["name"] = body["hall"]
                if "categories" in body:
                    h.categories = body["categories"]
                if "windows" in body:
                    h.windows = [dict(w, state=w.get("state", "open")) for w in body["windows"]]
                return self.answer(200, h.state())
            if path == "/_stub/take":
                return self.answer(200, h.take(body["category"]))
            if path == "/_stub/call":
                return self.answer(200, h.call(str(body["window"]), body["category"]))
            if path == "/_stub/burst":
                return self.answer(200, [h.call(str(c["window"]), c["category"]) for c in body["calls"]])
            if path == "/_stub/recall":
                return self.answer(200, h.recall(str(body["window"])))
            if path == "/_stub/cut":
                h.generation += 1
                h.down = bool(body.get("down"))
                h.cond.notify_all()
                return self.answer(200, {"ok": True, "down": h.down})
            if path == "/_stub/up":
                h.down = False
                return self.answer(200, {"ok": True})
        self.answer(404, {"error": "not found"})


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--screen", default="hall")
    ap.add_argument("--assets", default=os.path.join(here, "..", "..", "..", "Sources", "KioskDaemon", "Screens", "Assets"))
    ap.add_argument("--heartbeat", type=float, default=15.0)
    a = ap.parse_args()
    Handler.hall = Hall(a.screen)
    Handler.assets = os.path.abspath(a.assets)
    Handler.heartbeat = a.heartbeat
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    print(f"listening http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
