#!/usr/bin/python3
"""Plugs a fake USB device in, out and in again through the umockdev Testbed while
`kiosk-devtool monitor` watches, and prints what the monitor saw with the delay of each report.

Run with Debian's python3 (it has gi and the UMockdev typelib) under umockdev-wrapper, which
preloads the library that routes udev, sysfs and uevents into the testbed:

    umockdev-wrapper /usr/bin/python3 hotplug.py <kiosk-devtool> <device.umockdev> [rounds
        [<device.ioctl> <usb:VVVV:PPPP>]]

With an ioctl script and a match, the devtool also opens the device with USBTransport as soon
as it is reported (`monitor --open`), and the time to "opened" is the time to a usable device.

Output, one JSON object per line: every line of the devtool, then
{"step": "add"|"usable"|"remove", "round": n, "sent": ms, "seen": ms, "latencyMs": ...} for
each uevent, and finally {"done": true, "ok": ...}. Exit status 0 when every uevent was
reported in time.
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

TIMEOUT_S = 5.0


def now_ms():
    return time.time() * 1000.0


def report(step, n, sent, seen):
    print(json.dumps({"step": step, "round": n, "sent": round(sent, 3), "seen": seen and seen["t"],
                      "latencyMs": seen and round(seen["t"] - sent, 3)}), flush=True)


def main():
    devtool, description = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    ioctl, match = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else (None, None)
    with open(description) as f:
        text = f.read()
    syspath = "/sys" + next(l[3:].strip() for l in text.splitlines() if l.startswith("P:"))
    devnode = "/dev/" + next(l[3:].strip() for l in text.splitlines() if l.startswith("N:"))

    testbed = UMockdev.Testbed.new()
    env = dict(os.environ)
    # Testbed.new() sets UMOCKDEV_DIR with g_setenv, which os.environ does not see.
    env["UMOCKDEV_DIR"] = testbed.get_root_dir()
    command = [devtool, "monitor", "--max", str(2 * rounds)] + (["--open", match] if match else [])
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)
    reader = LineReader(proc.stdout.fileno())

    def expect(event):
        deadline = time.time() + TIMEOUT_S
        while True:
            line = reader.line(max(0, deadline - time.time()))
            if line is None:
                return None
            print(line, flush=True)
            obj = json.loads(line)
            if obj.get("event") == event:
                return obj

    ok = expect("ready") is not None
    for n in range(1, rounds + 1):
        if not ok:
            break
        if ioctl and n == 1:
            # Loaded before the device appears, so the devtool's immediate open finds it; it
            # stays attached to the node across remove/re-add.
            testbed.load_ioctl(devnode, ioctl)
        sent = now_ms()
        testbed.add_from_string(text)  # sends the "add" uevent
        seen = expect("added")
        ok = seen is not None
        report("add", n, sent, seen)
        if ok and ioctl:
            seen = expect("opened")
            ok = seen is not None
            report("usable", n, sent, seen)
        if not ok:
            break
        sent = now_ms()
        testbed.uevent(syspath, "remove")
        testbed.remove_device(syspath)
        seen = expect("removed")
        ok = seen is not None
        report("remove", n, sent, seen)
    try:
        proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        ok = False
    print(json.dumps({"done": True, "ok": ok}), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
