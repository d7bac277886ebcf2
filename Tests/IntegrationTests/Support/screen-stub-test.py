#!/usr/bin/env python3
"""The hall screen page against screen-stub-server.py, in headless Chromium (cdp.py).

  screen-stub-test.py [--shots DIR]     (needs chromium and fonts-noto-cjk; ~1 minute)

Checks: calls made after load appear; five calls in one second all appear and each is
highlighted in turn; a cut stream shows the reconnecting mark and every call made meanwhile
appears after the reconnect, in order (both a closed connection, resumed by the browser with
Last-Event-ID, and a refused one, restarted by the page with ?since=); a reload shows the same
recent calls; recalls are marked; with voice, the announcements play one at a time in call order.
With --shots, takes the 1920×1080 and 1080×1920 pictures for docs/screens/. Ends with the line
`N passed, N failed`.
"""
import argparse, json, os, subprocess, sys, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cdp import Browser, CDPError  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  -- {detail}"), flush=True)


class Stub:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "screen-stub-server.py"), "--heartbeat", "2"],
                                     stdout=subprocess.PIPE, text=True)
        self.base = self.proc.stdout.readline().split()[1]

    def post(self, path, body=None):
        req = urllib.request.Request(self.base + "/_stub/" + path, data=json.dumps(body or {}).encode(), method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def log(self):
        with urllib.request.urlopen(self.base + "/_stub/log", timeout=10) as r:
            return json.load(r)

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


def numbers(b, fn="calls"):
    return [c["number"] + ("*" if c["recall"] else "") for c in b.eval(f"kioskScreen.{fn}()")]


def highlight_walk(b, seqs, timeout):
    """Polls kioskScreen.highlighted and returns the distinct seqs seen lit, in order."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        h = b.eval("kioskScreen.highlighted")
        if h and (not seen or seen[-1] != h["seq"]):
            seen.append(h["seq"])
        if seen[-len(seqs):] == seqs and h is None:
            break
        time.sleep(0.03)
    return seen


def run(stub, shots):
    stub.post("setup", {"notice": "请携带本人身份证原件，依次排队，听到叫号后到对应窗口办理。"})
    for cat in "AAABBC":
        stub.post("take", {"category": cat})
    stub.post("call", {"window": "1", "category": "A"})
    stub.post("call", {"window": "2", "category": "B"})
    url = stub.base + "/screens/hall?hl=700"
    with Browser(url, 1920, 1080) as b:
        b.wait_for("window.kioskScreen && kioskScreen.connected", 20)
        check("loads the recent calls from /state", numbers(b) == ["B001", "A001"], numbers(b))
        check("waiting counts from /state", b.eval("kioskScreen.waiting()") == {"A": 2, "B": 1, "C": 1},
              b.eval("kioskScreen.waiting()"))
        text = b.eval("document.body.innerText")
        check("shows hall name and notice", "九龙坡区政务服务中心" in text and "请携带本人身份证原件" in text, text)

        # A call after load.
        t = stub.post("call", {"window": "3", "category": "C"})
        b.wait_for(f"kioskScreen.calls()[0] && kioskScreen.calls()[0].number === '{t['number']}'", 5)
        check("a call after load is shown", t["number"] in b.eval("document.body.innerText"))
        check("and highlighted", (b.eval("kioskScreen.highlighted") or {}).get("number") == t["number"])
        check("and waiting counts follow", b.eval("kioskScreen.waiting()") == {"A": 2, "B": 1, "C": 0},
              b.eval("kioskScreen.waiting()"))
        b.wait_for("kioskScreen.highlighted === null", 5)

        # Five calls in one second.
        burst = stub.post("burst", {"calls": [{"window": str(w), "category": c}
                                              for w, c in zip(range(1, 6), "ABABA")]})
        want = [x["number"] for x in burst]
        b.wait_for(f"kioskScreen.calls().length >= {2 + 1 + 5}", 5)
        check("five calls in one second: all in the list at once",
              numbers(b, "shown")[:5] == list(reversed(want)), numbers(b, "shown"))
        seqs = [c["seq"] for c in reversed(b.eval("kioskScreen.calls()")[:5])]
        walk = highlight_walk(b, seqs, 15)
        check("each of the five highlighted in turn, in order", walk[-5:] == seqs, (walk, seqs))
        check("no call highlighted twice or skipped", b.eval("kioskScreen.highlights()")[-5:] == seqs)
        text = b.eval("document.body.innerText")
        check("all five in the page text", all(n in text for n in want), text)

        # A recall is marked.
        stub.post("recall", {"window": "5"})
        b.wait_for("kioskScreen.calls()[0].recall === true", 5)
        check("a recall is marked 重呼", "重呼" in b.eval("document.body.innerText"))
        b.wait_for("kioskScreen.highlighted === null", 5)

        # Cut 1: the connection closes; the browser resumes with Last-Event-ID.
        stub.post("cut")
        b.wait_for("kioskScreen.connected === false", 5)
        t1 = stub.post("call", {"window": "6", "category": "C"})
        t2 = stub.post("call", {"window": "1", "category": "A"})
        b.wait_for("kioskScreen.connected", 15)
        b.wait_for(f"kioskScreen.calls()[0].number === '{t2['number']}'", 5)
        check("closed stream: calls made meanwhile appear in order",
              numbers(b)[:2] == [t2["number"], t1["number"]], numbers(b))
        resumed = [e for e in stub.log() if e["kind"] == "events"][-1]
        check("closed stream: resumed with Last-Event-ID", resumed["lastEventId"] is not None, resumed)

        # Cut 2: the stream is refused (503): the page shows the mark and starts a new one.
        before = b.eval("kioskScreen.lastSeq")
        stub.post("cut", {"down": True})
        b.wait_for("kioskScreen.connected === false", 5)
        missed = [stub.post("call", {"window": str(w), "category": c})["number"] for w, c in ((2, "B"), (3, "A"), (4, "B"))]
        b.wait_for("!document.getElementById('link').hidden", 5)
        shown = b.eval("document.body.innerText")
        check("refused stream: the reconnecting mark shows", "正在重新连接" in shown, shown)
        time.sleep(2.5)
        stub.post("up")
        b.wait_for("kioskScreen.connected", 20)
        b.wait_for(f"kioskScreen.calls()[0].number === '{missed[-1]}'", 5)
        check("refused stream: every missed call appears, in order", numbers(b)[:3] == list(reversed(missed)), numbers(b))
        check("refused stream: the mark goes away", b.eval("document.getElementById('link').hidden") is True)
        restarted = [e for e in stub.log() if e["kind"] == "events" and not e["down"]][-1]
        check("refused stream: restarted from the last seq seen", restarted["since"] == before, (restarted, before))
        walk = highlight_walk(b, b.eval("kioskScreen.highlights()")[-3:], 10)
        check("missed calls highlighted in order", [c for c in b.eval("kioskScreen.highlights()")[-3:]] ==
              [c["seq"] for c in reversed(b.eval("kioskScreen.calls()")[:3])])

        # Reload: the same recent calls.
        before = numbers(b, "shown")
        b.reload()
        b.wait_for("window.kioskScreen && kioskScreen.connected", 10)
        after = numbers(b, "shown")
        check("a reload shows the same recent calls", before == after, (before, after))
        check("after a reload nothing is highlighted again", b.eval("kioskScreen.highlights()") == [])

        # Voice: announcements one at a time, in call order.
        stub.post("setup", {"voice": True})
        b.reload()
        b.wait_for("window.kioskScreen && kioskScreen.connected && kioskScreen.voice", 10)
        called = stub.post("burst", {"calls": [{"window": "1", "category": "A"}, {"window": "2", "category": "B"},
                                               {"window": "3", "category": "C"}]})
        b.wait_for("kioskScreen.audio().log.length >= 3", 20)
        log = b.eval("kioskScreen.audio()")["log"]
        check("voice: every call announced, in call order", [x["number"] for x in log] == [c["number"] for c in called], log)
        check("voice: each announcement played", all(x["result"] == "played" for x in log), log)
        asked = [e for e in stub.log() if e["kind"] == "announcement"][-3:]
        check("voice: asked for one at a time, in seq order", [e["seq"] for e in asked] == sorted(e["seq"] for e in asked)
              and all(b2["t"] - a["t"] > 0.3 for a, b2 in zip(asked, asked[1:])), asked)
        stub.post("setup", {"voice": False})

        if shots:
            take_shots(stub, b, shots)


def take_shots(stub, b, folder):
    os.makedirs(folder, exist_ok=True)
    stub.post("setup", {
        "hall": "重庆市九龙坡区政务服务中心", "screen": "一楼大厅主屏", "calls": 6,
        "notice": "温馨提示：请携带本人身份证原件及相关材料，按号依次办理；听到叫号后请在三分钟内到对应窗口，过号请到咨询台重新取号。"
                  "办理不动产登记、企业开办等业务可先到预审窗口核对材料。本大厅全天免费提供复印、打印服务。",
        "categories": [{"id": "A", "name": "企业开办"}, {"id": "B", "name": "不动产登记"}, {"id": "C", "name": "社保医保"},
                       {"id": "D", "name": "公积金"}, {"id": "E", "name": "出入境"}, {"id": "F", "name": "税务综合"},
                       {"id": "G", "name": "交通车驾管"}, {"id": "H", "name": "综合咨询"}],
        "windows": [{"id": str(i), "name": f"{i}号窗口"} for i in range(1, 12)] +
                   [{"id": "12", "name": "不动产登记综合受理12号窗口（二楼东侧）"}],
    })
    for cat, n in zip("ABCDEFGH", (12, 7, 23, 4, 9, 15, 31, 2)):
        for _ in range(n):
            stub.post("take", {"category": cat})
    for w, c in ((7, "D"), (8, "E"), (12, "B"), (9, "F"), (3, "C"), (11, "G")):
        stub.post("call", {"window": str(w), "category": c})
    stub.post("recall", {"window": "9"})
    stub.post("call", {"window": "2", "category": "A"})
    b.navigate(stub.base + "/screens/hall")  # the default moment of highlight (5 s)
    b.wait_for("window.kioskScreen && kioskScreen.connected", 10)
    # The newest call lit, as a person sees it during its moment.
    stub.post("call", {"window": "12", "category": "B"})
    b.wait_for("kioskScreen.highlighted", 5)
    for width, height, name in ((1920, 1080, "screen-1920x1080.png"), (1080, 1920, "screen-1080x1920.png")):
        b.size(width, height)
        time.sleep(1.0)
        b.screenshot(os.path.join(folder, name))
        over = b.eval("[...document.querySelectorAll('.app > :not(.notice), .now, .recent, .call, .cat')]"
                      ".filter(e => e.scrollHeight > e.clientHeight + 2 || e.scrollWidth > e.clientWidth + 2)"
                      ".map(e => `${e.className} ${e.scrollWidth}x${e.scrollHeight} > ${e.clientWidth}x${e.clientHeight}`)")
        check(f"no overflow at {width}x{height}", over == [], over)
        print("screenshot", os.path.join(folder, name))
    b.wait_for("kioskScreen.highlighted === null", 10)
    b.size(1920, 1080)
    time.sleep(0.5)
    b.screenshot(os.path.join(folder, "screen-1920x1080-calm.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shots", help="folder for the screenshots (docs/screens)")
    a = ap.parse_args()
    stub = Stub()
    try:
        run(stub, a.shots)
    except CDPError as e:
        check("the run finished", False, str(e))
    finally:
        stub.close()
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
