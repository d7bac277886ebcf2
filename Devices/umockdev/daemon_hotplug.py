#!/usr/bin/python3
"""Plugs a fake USB device in, out and in again through the umockdev Testbed while the real
kioskd runs, and reports the device events a subscriber sees.

    umockdev-wrapper /usr/bin/python3 daemon_hotplug.py <kioskd> <config.toml> <socket> <device.umockdev>
        [--link PATH: PATH is a symlink to a real pty the test plays, and the device's first node (the
    tty) is announced with PATH among its udev links (DEVLINKS) instead of as a node umockdev
    makes — so the daemon's serial I/O runs on a real tty, unseen by umockdev, while udev's events
    come from the testbed. Each unplug removes the link, each plug puts it back.
--entries N] [--log FILE]

--link TARGET: the device's tty node (its `N:` line) is not made by umockdev but is a symlink to
    TARGET (a real pty the test plays), made before each plug and removed at each unplug — so the
    daemon's serial I/O runs on a real tty while udev's events come from the testbed.
--entries N: the device is N `[[devices]]` entries (an RS-485 bus): each step is N events, and
    after each step the script prints their states from `device.list`, once they settled
    (`ok` after a plug, and window displays showing something again; `absent` after an unplug).
--log FILE: kioskd's stderr goes there (a crash is then diagnosable).
KIOSKD_WRAPPER (environment): a command kioskd runs under, such as "valgrind --log-file=/tmp/vg"
    (the steps then wait ten times longer).

Output: one JSON object per line — {"event": topic, "data": {...}} for each device.* event,
{"states": {id: state}, "reasons": {id: reason}} after each step with --entries — then {"done": true}. Exit status 0
when every step was seen within the time allowed.
"""
import argparse
import json
import os
import socket
import subprocess
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

TIMEOUT_S = 10.0


def connect(sock_path, deadline):
    while True:
        try:
            conn = socket.socket(socket.AF_UNIX)
            conn.connect(sock_path)
            return conn
        except OSError:
            if time.time() > deadline:
                raise SystemExit("kioskd did not start")
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    for name in ("kioskd", "config", "socket", "device"):
        parser.add_argument(name)
    parser.add_argument("--link")
    parser.add_argument("--entries", type=int, default=1)
    parser.add_argument("--log")
    args = parser.parse_args()

    text = open(args.device).read()
    syspaths = ["/sys" + l[3:].strip() for l in text.splitlines() if l.startswith("P:")]
    target = None
    if args.link:
        target = os.readlink(args.link)
        node = next(l[3:].strip() for l in text.splitlines() if l.startswith("N:"))
        lines = [l for l in text.splitlines() if l.strip() != f"N: {node}"]
        first = next(i for i, l in enumerate(lines) if l.startswith("P:"))
        lines.insert(first + 1, f"E: DEVLINKS={args.link}")
        text = "\n".join(lines) + "\n"
        os.unlink(args.link)  # unplugged until the first plug

    testbed = UMockdev.Testbed.new()
    root = testbed.get_root_dir()
    env = dict(os.environ)
    env["UMOCKDEV_DIR"] = root  # set with g_setenv, invisible to os.environ
    log = open(args.log, "wb") if args.log else subprocess.DEVNULL
    global TIMEOUT_S
    wrapper = os.environ.get("KIOSKD_WRAPPER", "").split()
    if wrapper:
        TIMEOUT_S *= 10
    daemon = subprocess.Popen(wrapper + [args.kioskd, "--config", args.config], env=env, stderr=log)
    try:
        conn = connect(args.socket, time.time() + TIMEOUT_S)
        stream = conn.makefile("rwb")
        calls = connect(args.socket, time.time() + TIMEOUT_S).makefile("rwb")
        request = {"jsonrpc": "2.0", "id": 1, "method": "events.subscribe", "params": {"topics": ["device.added", "device.removed"]}}
        stream.write((json.dumps(request) + "\n").encode())
        stream.flush()
        json.loads(stream.readline())  # the subscription's answer
        time.sleep(0.5)  # the daemon's monitor is up and its initial scan done

        def expect(topic):
            conn.settimeout(TIMEOUT_S)
            seen = set()
            for _ in range(args.entries):
                line = json.loads(stream.readline())
                params = line.get("params", {})
                print(json.dumps({"event": params.get("topic"), "data": params.get("data")}), flush=True)
                if params.get("topic") != topic:
                    raise SystemExit(f"expected {topic}, got {params.get('topic')}")
                seen.add((params.get("data") or {}).get("device"))
            if args.entries > 1:
                settle(seen, "ok" if topic == "device.added" else "absent")

        def settle(ids, wanted):
            deadline = time.time() + TIMEOUT_S
            while True:
                calls.write((json.dumps({"jsonrpc": "2.0", "id": 2, "method": "device.list"}) + "\n").encode())
                calls.flush()
                listed = json.loads(calls.readline())["result"]
                mine = [d for d in listed if d["id"] in ids]
                states = {d["id"]: d["health"]["state"] for d in mine}
                # A window display is back when it shows something again (it answered), not
                # merely when its bus is open.
                shown = wanted != "ok" or all(d.get("showing") for d in mine if d["kind"] == "window-display")
                if (shown and all(s == wanted for s in states.values())) or time.time() > deadline:
                    reasons = {d["id"]: d["health"]["reason"] for d in listed if d["id"] in ids}
                    print(json.dumps({"states": states, "reasons": reasons}, ensure_ascii=False), flush=True)
                    return
                time.sleep(0.1)

        def plug():
            if target:
                os.symlink(target, args.link)
            testbed.add_from_string(text)

        def unplug():
            if target:
                os.unlink(args.link)
            # Every device of the description goes (the tty, then its parents), as when the
            # adapter is pulled out; a later plug adds them all again.
            for syspath in syspaths:
                testbed.uevent(syspath, "remove")
                testbed.remove_device(syspath)

        plug()
        expect("device.added")
        unplug()
        expect("device.removed")
        plug()
        expect("device.added")
        print(json.dumps({"done": True}), flush=True)
    finally:
        daemon.terminate()
        code = daemon.wait(timeout=10)
        if code not in (0, -15):
            print(json.dumps({"daemonExit": code}), flush=True)


if __name__ == "__main__":
    main()
