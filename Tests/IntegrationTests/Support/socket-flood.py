#!/usr/bin/env python3
"""Opens many connections to kioskd's socket and holds them, as an abusive client would.

Run by the integration tests, usually as an unprivileged user (setpriv), so that kioskd sees a
peer without the admin role. Prints one JSON object: what was opened and what kioskd answered.

  socket-flood.py SOCKET COUNT [--partial BYTES] [--subscribe] [--hold SECONDS]
"""
import argparse, json, select, socket, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("socket")
ap.add_argument("count", type=int)
ap.add_argument("--partial", type=int, default=0, help="send this many bytes of an unfinished line")
ap.add_argument("--subscribe", action="store_true", help="subscribe to every event and never read")
ap.add_argument("--hold", type=float, default=0.0, help="seconds to hold the connections open")
a = ap.parse_args()

conns, connect_errors = [], {}
for _ in range(a.count):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(a.socket)
    except OSError as e:
        connect_errors[e.strerror] = connect_errors.get(e.strerror, 0) + 1
        s.close()
        continue
    conns.append(s)
    s.settimeout(5)
    try:
        if a.subscribe:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"since":0}}\n')
        if a.partial:
            s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"daemon.status","params":{"pad":"' + b"x" * a.partial)
    except OSError:
        pass  # refused and closed by kioskd: its answer is read below
    s.setblocking(False)

print(json.dumps({"phase": "opened", "opened": len(conns)}), flush=True)
time.sleep(a.hold)

reasons, closed = {}, 0
for s in conns:
    if a.subscribe:
        continue  # a subscriber that never reads: whatever came is left unread
    data = b""
    while True:
        r, _, _ = select.select([s], [], [], 0.05)
        if not r:
            break
        try:
            chunk = s.recv(65536)
        except OSError:
            closed += 1
            break
        if not chunk:
            closed += 1
            break
        data += chunk
    for line in data.splitlines():
        try:
            reason = (json.loads(line).get("error") or {}).get("data", {}).get("reason")
        except ValueError:
            reason = "garbage"
        if reason:
            reasons[reason] = reasons.get(reason, 0) + 1
for s in conns:
    s.close()
print(json.dumps({"phase": "done", "opened": len(conns), "connectErrors": connect_errors, "reasons": reasons,
                  "closedByServer": closed}), flush=True)
