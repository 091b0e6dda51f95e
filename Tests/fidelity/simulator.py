"""Starts `kubeluma sim` (and `kubeluma serve` against it) as real processes."""
import json
import os
import queue
import threading
import select
import ssl
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import websocket  # python3-websocket

BIN = os.environ.get("KUBELUMA_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "kubeluma"))
TOKEN = "kubeluma-sim-token"


class Simulator:
    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="kubeluma-fidelity-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.proc = subprocess.Popen(
            [BIN, "sim", "--port", "0", "--kubeconfig-out", self.kubeconfig, "--log-level", "warning", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The first stdout line is the URL, printed once the server listens.
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        if not ready:
            self.stop()
            raise RuntimeError("kubeluma sim did not print its URL within 60 s")
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(f"kubeluma sim failed: {self.proc.stderr.read()}")
        self.ssl = ssl.create_default_context()
        self.ssl.check_hostname = False
        self.ssl.verify_mode = ssl.CERT_NONE

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, method=method, data=data,
                                     headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(req, context=self.ssl, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def requests(self):
        return self.control("GET", "/_sim/requests")

    def clear_requests(self):
        self.control("DELETE", "/_sim/requests")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def kubectl(sim, *args, check=True, timeout=60):
    result = subprocess.run(["kubectl", "--kubeconfig", sim.kubeconfig, *args],
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)} failed: {result.stderr}")
    return result


class LineReader:
    """Reads a child's stdout on a thread into a queue: `select` on a buffered pipe misses lines
    already read into Python's buffer, so waiting must be on the queue instead."""

    def __init__(self, proc):
        self.lines = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(proc.stdout,), daemon=True)
        self.thread.start()

    def _pump(self, stream):
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def until(self, predicate, timeout):
        """Lines up to and including the first one for which predicate holds."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"condition not met within {timeout}s; saw {len(seen)} lines: {seen[-5:]}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"output ended before the condition was met; last lines: {seen[-5:]}")
            seen.append(line)
            if predicate(line):
                return seen


class Serve:
    """`kubeluma serve` against a kubeconfig, showing every pod; the first stdout line is the URL."""

    def __init__(self, kubeconfig, db=None, env=None):
        db = db or os.path.join(tempfile.mkdtemp(prefix="kubeluma-serve-db-"), "cache.sqlite")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--kubeconfig", kubeconfig, "--no-open", "--host", "127.0.0.1", "--port", "0",
             "--db", db, "--pod", "."],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.url = LineReader(self.proc).until(lambda line: line.startswith("http"), timeout=60)[-1].strip()
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(self.url))
        self.ws = websocket.create_connection(origin.replace("http", "ws") + "/ws", origin=origin, timeout=60)
        self.ws.send(json.dumps({"action": "subscribe", "channel": "pod"}))

    def pods_until(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            message = json.loads(self.ws.recv())
            if message["type"] == "pods" and predicate(message["data"]):
                return message["data"]
        raise AssertionError("no pods message met the condition")

    def stop(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=20)
