#!/usr/bin/python3
"""Plugs a fake device in while `kiosk-devtool monitor` is still starting (before, during or
just after its initial scan) and checks that the device is reported exactly once: not lost
between the scan and the monitor, not reported twice by both.

    umockdev-wrapper /usr/bin/python3 scan_race.py <kiosk-devtool> <device.umockdev> [delays ms...]

Prints one JSON object per attempt {"delayMs": d, "added": n, "removed": n, "beforeReady": bool}
and {"done": true, "ok": ...}; exit status 0 when every attempt saw exactly one "added" and,
after the removal, one "removed".
"""
import json
import os
import subprocess
import sys
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the repository
from kiosk_lines import LineReader  # noqa: E402  (beside this script)


def attempt(devtool, text, syspath, delay_ms):
    testbed = UMockdev.Testbed.new()
    env = dict(os.environ)
    env["UMOCKDEV_DIR"] = testbed.get_root_dir()
    proc = subprocess.Popen([devtool, "monitor"], stdout=subprocess.PIPE, env=env)
    time.sleep(delay_ms / 1000.0)
    testbed.add_from_string(text)
    reader = LineReader(proc.stdout.fileno())
    counts = {"added": 0, "removed": 0}
    ready = False
    added_before_ready = False

    def drain(until, seconds):
        """Reads events until `until()` holds (at most 5 s, for a loaded machine), then `seconds`
        more to catch a duplicate."""
        nonlocal ready, added_before_ready
        deadline = time.time() + 5.0
        settled = None
        while True:
            if settled is None and until():
                settled = time.time() + seconds
            end = settled if settled is not None else deadline
            obj = reader.event(max(0, end - time.time()))
            if obj is None:
                return
            event = obj.get("event")
            if event == "ready":
                ready = True
            elif event in counts:
                counts[event] += 1
                if event == "added" and not ready:
                    added_before_ready = True

    drain(lambda: ready and counts["added"] >= 1, 0.2)
    testbed.uevent(syspath, "remove")
    testbed.remove_device(syspath)
    drain(lambda: counts["removed"] >= 1, 0.1)
    proc.kill()
    proc.wait()
    return {"delayMs": delay_ms, "added": counts["added"], "removed": counts["removed"],
            "beforeReady": added_before_ready, "ready": ready}


def main():
    devtool, description = sys.argv[1], sys.argv[2]
    delays = [float(d) for d in sys.argv[3:]] or [0, 1, 2, 5, 10, 20]
    with open(description) as f:
        text = f.read()
    syspath = "/sys" + next(l[3:].strip() for l in text.splitlines() if l.startswith("P:"))
    ok = True
    for delay in delays:
        result = attempt(devtool, text, syspath, delay)
        ok = ok and result["ready"] and result["added"] == 1 and result["removed"] == 1
        print(json.dumps(result), flush=True)
    print(json.dumps({"done": True, "ok": ok}), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
