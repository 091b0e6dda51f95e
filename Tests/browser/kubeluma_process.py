"""Starts `kubeluma demo` (simulated cluster + server) as a real process."""
import base64
import json
import os
import queue
import shutil
import ssl
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("KUBELUMA_BIN", os.path.join(ROOT, ".build", "debug", "kubeluma"))
START_TIMEOUT = 120


class Kubeluma:
    """`kubeluma demo --no-open --port P --churn 0 --db PATH …`; the first stdout line is the URL.
    Both pipes are drained on threads (so a full pipe can never block the server) and kept for
    failure messages."""

    def __init__(self, *args, port=0, db=None, pods=300):
        self.dir = tempfile.mkdtemp(prefix="kubeluma-browser-")
        self.db = db or os.path.join(self.dir, "cache.sqlite")
        # The simulated cluster's kubeconfig, for `simulator_post`.
        self.kubeconfig = os.path.join(self.dir, "sim.kubeconfig")
        self.args = ["demo", "--no-open", "--host", "127.0.0.1", "--port", str(port), "--pods", str(pods), "--churn", "0",
                     "--db", self.db, "--kubeconfig-out", self.kubeconfig, *args]
        self.output = []
        self.proc = subprocess.Popen([BIN, *self.args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()

        def pump(stream, into=None):
            for line in stream:
                self.output.append(line)
                if into is not None:
                    into.put(line)
            if into is not None:
                into.put(None)

        threading.Thread(target=pump, args=(self.proc.stdout, lines), daemon=True).start()
        threading.Thread(target=pump, args=(self.proc.stderr,), daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            raise RuntimeError(f"kubeluma {' '.join(self.args)} printed no URL within {START_TIMEOUT} s")
        if not first or not first.strip().startswith("http"):
            self.stop()
            raise RuntimeError(f"kubeluma {' '.join(self.args)} failed: {''.join(self.output)[-4000:]}")
        self.url = first.strip()
        parts = urllib.parse.urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.port = parts.port

    def simulator_post(self, path):
        """POST to the simulated cluster's control API (`/_sim/…`: faults, restarts, expiry) with
        the kubeconfig's server, CA and token."""
        import yaml  # python3-yaml, a dependency of python3-kubernetes
        with open(self.kubeconfig) as f:
            config = yaml.safe_load(f)
        cluster, user = config["clusters"][0]["cluster"], config["users"][0]["user"]
        context = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
        request = urllib.request.Request(cluster["server"] + path, method="POST",
                                         headers={"Authorization": f"Bearer {user['token']}"})
        with urllib.request.urlopen(request, context=context, timeout=30) as response:
            assert response.status == 200

    def page(self, query=""):
        """The UI's URL with an optional query (keeps a ?token= from the printed URL)."""
        parts = urllib.parse.urlsplit(self.url)
        params = urllib.parse.parse_qsl(parts.query)
        params += urllib.parse.parse_qsl(query.lstrip("?"))
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urllib.parse.urlencode(params), ""))

    def post(self, path, body=None):
        """A same-origin POST as the page would send it (the server checks Origin)."""
        data = json.dumps(body if body is not None else {}).encode()
        req = urllib.request.Request(self.origin + path, data=data, method="POST",
                                     headers={"Content-Type": "application/json", "Origin": self.origin})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
