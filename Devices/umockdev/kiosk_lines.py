"""Reading a child's JSON lines with a timeout, for the umockdev test scripts.

`select` + `file.readline()` loses lines: readline may pull two lines into Python's buffer and
the next `select` then waits on an empty pipe. This reads the raw descriptor and keeps its own
buffer, so a line already received is always returned at once.
"""
import json
import os
import select
import time


class LineReader:
    def __init__(self, fd):
        self.fd = fd
        self.buffer = b""
        self.eof = False

    def line(self, timeout):
        """The next line (without newline) as a str, or None after `timeout` seconds or at EOF."""
        deadline = time.time() + timeout
        while b"\n" not in self.buffer:
            remaining = deadline - time.time()
            if self.eof or remaining <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.eof = True
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def event(self, timeout):
        """The next line parsed as JSON, or None."""
        line = self.line(timeout)
        return None if line is None else json.loads(line)
