#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol, to read what a page shows at any moment.
Python standard library only (its own small WebSocket client).

As a module:
    from cdp import Browser
    with Browser("http://127.0.0.1:8080/screens/hall", width=1920, height=1080) as b:
        b.wait_for("window.kioskScreen && kioskScreen.connected", timeout=10)
        b.eval("document.body.innerText")          # the value, as JSON turns it into Python
        b.screenshot("docs/screens/hall.png")
        b.size(1080, 1920); b.reload(); b.navigate(url)

As a command (one browser for the call):
    cdp.py eval URL EXPR [--wait EXPR] [--size 1920x1080]       prints the value as JSON
    cdp.py screenshot URL FILE [--wait EXPR] [--delay S] [--size WxH]
    cdp.py session URL [--size WxH]     then one command a line on stdin, one JSON answer a line
                                        on stdout, {"ok": true, "value": …} or {"ok": false, "error": …}:
        eval EXPR | wait SECONDS EXPR | screenshot FILE | size W H | navigate URL | reload | quit

Chromium runs as `chromium --headless --no-sandbox --disable-gpu --remote-debugging-port=0
--user-data-dir=<temp> --autoplay-policy=no-user-gesture-required URL` ($CHROMIUM overrides the
binary); the port it took is read from DevToolsActivePort, the page's webSocketDebuggerUrl from
/json/list. A failed expression raises CDPError (the page's exception text).
"""
import argparse, base64, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request


class CDPError(Exception):
    pass


class WebSocket:
    """Just enough of RFC 6455 for DevTools: text frames out (masked), text frames in."""

    def __init__(self, url):
        hostport, path = url[len("ws://"):].split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise CDPError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise CDPError("websocket handshake: " + head.decode(errors="replace").splitlines()[0])

    def _exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise CDPError("websocket closed")
            buf += chunk
        return buf

    def send(self, text):
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                struct.pack(">BH", 0x80 | 126, n) if n < 65536 else struct.pack(">BQ", 0x80 | 127, n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise CDPError("websocket closed by the browser")
            if opcode == 9:  # ping
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                continue
            message += payload
            if b0 & 0x80 and opcode in (0, 1, 2):
                return message.decode()


class Browser:
    def __init__(self, url, width=1920, height=1080, chromium=None, extra_args=()):
        self.profile = tempfile.mkdtemp(prefix="cdp-chromium-")
        binary = chromium or os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium-browser"
        self.proc = subprocess.Popen([binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                      "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
                                      f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                                      "--autoplay-policy=no-user-gesture-required", *extra_args, url],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.next_id = 0
        try:
            self.ws = WebSocket(self._page_ws(time.monotonic() + 30))
            self.call("Page.enable")
            self.call("Runtime.enable")
            self.size(width, height)
        except BaseException:
            self.close()
            raise

    def _page_ws(self, deadline):
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CDPError(f"chromium exited with {self.proc.returncode}")
            try:
                with open(port_file) as f:
                    port = int(f.readline())
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                    pages = [p for p in json.load(r) if p.get("type") == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise CDPError("chromium's DevTools did not come up")

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CDPError((d.get("exception") or {}).get("description") or d.get("text", "exception"))
        return r["result"].get("value")

    def wait_for(self, expr, timeout=10.0, interval=0.05):
        """Polls EXPR until it is truthy; returns its value, or raises CDPError at the timeout."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            try:
                value = self.eval(expr)
                if value:
                    return value
                last = value
            except CDPError as e:
                last = str(e)
            time.sleep(interval)
        raise CDPError(f"timed out after {timeout}s waiting for {expr!r} (last: {last!r})")

    def size(self, width, height):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def screenshot(self, path):
        data = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        with open(path, "wb") as f:
            f.write(data)
        return path

    def navigate(self, url):
        self.call("Page.navigate", url=url)

    def reload(self):
        self.call("Page.reload", ignoreCache=True)

    def close(self):
        if getattr(self, "proc", None) and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def session(b):
    for line in sys.stdin:
        cmd, _, rest = line.strip().partition(" ")
        try:
            if cmd == "quit":
                break
            elif cmd == "eval":
                value = b.eval(rest)
            elif cmd == "wait":
                seconds, _, expr = rest.partition(" ")
                value = b.wait_for(expr, float(seconds))
            elif cmd == "screenshot":
                value = b.screenshot(rest)
            elif cmd == "size":
                value = b.size(*map(int, rest.split()))
            elif cmd == "navigate":
                value = b.navigate(rest)
            elif cmd == "reload":
                value = b.reload()
            else:
                raise CDPError(f"unknown command {cmd!r}")
            print(json.dumps({"ok": True, "value": value}, ensure_ascii=False), flush=True)
        except CDPError as e:
            print(json.dumps({"ok": False, "error": str(e)}, ensure_ascii=False), flush=True)


def main():
    ap = argparse.ArgumentParser(description="headless Chromium over the DevTools protocol")
    ap.add_argument("command", choices=["eval", "screenshot", "session"])
    ap.add_argument("url")
    ap.add_argument("arg", nargs="?", help="eval: the expression; screenshot: the PNG file")
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--wait", help="an expression to wait for first (10 s)")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds to wait before acting")
    a = ap.parse_args()
    width, height = map(int, a.size.lower().split("x"))
    with Browser(a.url, width, height) as b:
        try:
            if a.wait:
                b.wait_for(a.wait)
            time.sleep(a.delay)
            if a.command == "session":
                return session(b)
            if a.command == "eval":
                print(json.dumps(b.eval(a.arg), ensure_ascii=False))
            else:
                print(b.screenshot(a.arg))
        except CDPError as e:
            sys.exit(f"cdp: {e}")


if __name__ == "__main__":
    main()
