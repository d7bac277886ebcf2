#!/usr/bin/python3
"""Plugs a fake USB ticket printer in, out and in again through the umockdev Testbed while the
real kioskd runs, and reports the device events a hall screen subscribed to sees.

    umockdev-wrapper /usr/bin/python3 daemon_hotplug.py <kioskd> <config.toml> <socket> <device.umockdev>

Output: one JSON object per line, {"event": topic, "data": {...}} for each device.* event, then
{"done": true}. Exit status 0 when every step was seen within the time allowed.
"""
import json
import os
import socket
import subprocess
import sys
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

TIMEOUT_S = 10.0


def main():
    kioskd, config, sock_path, device_file = sys.argv[1:5]
    testbed = UMockdev.Testbed.new()
    env = dict(os.environ)
    env["UMOCKDEV_DIR"] = testbed.get_root_dir()  # set with g_setenv, invisible to os.environ
    daemon = subprocess.Popen([kioskd, "--config", config], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + TIMEOUT_S
        conn = None
        while conn is None:
            try:
                conn = socket.socket(socket.AF_UNIX)
                conn.connect(sock_path)
            except OSError:
                conn = None
                if time.time() > deadline:
                    raise SystemExit("kioskd did not start")
                time.sleep(0.05)
        stream = conn.makefile("rwb")
        request = {"jsonrpc": "2.0", "id": 1, "method": "events.subscribe", "params": {"topics": ["device.added", "device.removed"]}}
        stream.write((json.dumps(request) + "\n").encode())
        stream.flush()
        json.loads(stream.readline())  # the subscription's answer
        time.sleep(0.5)  # the daemon's monitor is up and its initial scan done

        text = open(device_file).read()
        syspath = "/sys" + next(l[3:].strip() for l in text.splitlines() if l.startswith("P:"))

        def expect(topic):
            conn.settimeout(TIMEOUT_S)
            line = json.loads(stream.readline())
            params = line.get("params", {})
            print(json.dumps({"event": params.get("topic"), "data": params.get("data")}), flush=True)
            if params.get("topic") != topic:
                raise SystemExit(f"expected {topic}, got {params.get('topic')}")

        testbed.add_from_string(text)
        expect("device.added")
        testbed.uevent(syspath, "remove")
        testbed.remove_device(syspath)
        expect("device.removed")
        testbed.add_from_string(text)
        expect("device.added")
        print(json.dumps({"done": True}), flush=True)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


if __name__ == "__main__":
    main()
