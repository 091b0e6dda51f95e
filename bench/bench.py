#!/usr/bin/env python3
"""The performance budget of DESIGN.md, measured end to end: `kubeluma sim` and `kubeluma serve`
as separate processes on loopback, driven through the real HTTP and WebSocket interfaces, with
kubectl and the Python kubernetes client measured against the same simulator in the same run.

usage: bench.py [--quick] [--pods N] [--bin PATH] [--json OUT]
"""
import argparse
import json
import os
import select
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websocket  # python3-websocket (websocket-client)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(cmd, timeout=120):
    """Starts a process and returns (process, first stdout line, seconds until that line)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        proc.kill()
        raise RuntimeError(f"{cmd[1]} printed nothing within {timeout}s")
    line = proc.stdout.readline().strip()
    return proc, line, time.monotonic() - t0


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Client:
    """One WebSocket client that records when each `pods` message for a pattern arrives."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url.replace("http", "ws") + "ws", origin=url.rstrip("/"), timeout=120)
        self.ws.send(json.dumps({"action": "subscribe", "channel": "pod"}))

    def wait_pods(self, pattern=None, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = json.loads(self.ws.recv())
            if m.get("type") == "pods" and (pattern is None or m["data"]["pattern"] == pattern):
                return m
        raise RuntimeError("no pods message")


def post(url, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small scale, a few seconds (CI)")
    ap.add_argument("--pods", type=int)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "kubeluma"))
    ap.add_argument("--json", default=os.path.join(ROOT, "bench-results", "latest.json"))
    args = ap.parse_args()
    pods = args.pods or (300 if args.quick else 10_000)
    namespaces = 5 if args.quick else 50
    rounds = 20 if args.quick else 200
    many = 10 if args.quick else 100
    tmp = tempfile.mkdtemp(prefix="kubeluma-bench-")
    kubeconfig = os.path.join(tmp, "kubeconfig")
    results = {"pods": pods, "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M:%S")}

    sim, sim_url, _ = start([args.bin, "sim", "--pods", str(pods), "--namespaces", str(namespaces), "--churn", "0",
                             "--port", "0", "--kubeconfig-out", kubeconfig, "--log-level", "error"], timeout=600)
    procs = [sim]
    try:
        # Peers: what a poll-every-5-seconds tool pays on every refresh.
        t = time.monotonic()
        out = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "get", "pods", "-A", "-o", "name"],
                             capture_output=True, text=True, check=True).stdout
        results["kubectl_get_pods_s"] = time.monotonic() - t
        assert len(out.splitlines()) == pods, "kubectl saw a different number of pods"
        from kubernetes import client as kclient, config as kconfig
        api = kconfig.new_client_from_config(kubeconfig)
        t = time.monotonic()
        listed = kclient.CoreV1Api(api).list_pod_for_all_namespaces()
        results["python_client_list_s"] = time.monotonic() - t
        assert len(listed.items) == pods

        db = os.path.join(tmp, "cache.sqlite")
        serve = [args.bin, "serve", "--kubeconfig", kubeconfig, "--no-open", "--host", "127.0.0.1", "--port", "0",
                 "--db", db, "--pod", "-", "--log-level", "error"]
        for phase in ("cold", "warm"):
            t0 = time.monotonic()
            proc, url, _ = start(serve)
            c = Client(url)
            # The first complete pods message: for a cold start, all pods matched (synced).
            while True:
                m = c.wait_pods()
                if phase == "warm" or (m["data"]["synced"] and m["data"]["matched"] == pods):
                    break
            results[f"{phase}_start_to_pods_s"] = time.monotonic() - t0
            if phase == "cold":
                c.ws.close()
                time.sleep(0.5)
                results["rss_steady_mb"] = rss_mb(proc.pid)
                results["rss_peak_mb"] = hwm_mb(proc.pid)
                proc.terminate()
                proc.wait(timeout=30)
            else:
                procs.append(proc)
                serve_proc, serve_url, client = proc, url, c

        # Pattern change → pods message, one client, then `many` clients.
        patterns = ["^api-", "^web-", "worker", "(?i)REDIS", "^(checkout|cart)-", "-0$", "a", "^search-"]
        lat = []
        for i in range(rounds):
            p = patterns[i % len(patterns)] + ("" if i < len(patterns) else f"|x{i}")
            t = time.monotonic()
            post(serve_url, "api/set_pattern", {"pattern": p})
            client.wait_pods(p)
            lat.append((time.monotonic() - t) * 1000)
        results["pattern_1client_p50_ms"] = statistics.median(lat)
        results["pattern_1client_p99_ms"] = percentile(lat, 99)
        clients = [Client(serve_url) for _ in range(many)]
        for c in clients:
            c.wait_pods()
        lat = []
        for i in range(max(5, rounds // 10)):
            p = patterns[i % len(patterns)] + f"|y{i}"
            t = time.monotonic()
            post(serve_url, "api/set_pattern", {"pattern": p})
            arrivals = []
            lock = threading.Lock()

            def wait(c):
                c.wait_pods(p)
                with lock:
                    arrivals.append((time.monotonic() - t) * 1000)
            threads = [threading.Thread(target=wait, args=(c,)) for c in clients + [client]]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            lat += arrivals
        results[f"pattern_{many}clients_p50_ms"] = statistics.median(lat)
        results[f"pattern_{many}clients_p99_ms"] = percentile(lat, 99)
        results["rss_with_clients_mb"] = rss_mb(serve_proc.pid)
        results["db_size_mb"] = sum(os.path.getsize(db + suffix) for suffix in ("", "-wal") if os.path.exists(db + suffix)) / 1e6
        results["kubectl_vs_pattern_change_ratio"] = results["kubectl_get_pods_s"] * 1000 / results["pattern_1client_p50_ms"]
        results["python_vs_pattern_change_ratio"] = results["python_client_list_s"] * 1000 / results["pattern_1client_p50_ms"]
        for c in clients + [client]:
            c.ws.close()
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()

    budget = [
        ("pattern change → pods, 1 client, p50 (ms)", results["pattern_1client_p50_ms"], 5),
        ("pattern change → pods, 1 client, p99 (ms)", results["pattern_1client_p99_ms"], 25),
        (f"pattern change → pods, {many} clients, p99 (ms)", results[f"pattern_{many}clients_p99_ms"], 50),
        ("cold start → first complete pods (s)", results["cold_start_to_pods_s"], 1.0),
        ("warm start → first pods (s)", results["warm_start_to_pods_s"], 0.3),
        ("resident memory, steady (MB)", results["rss_steady_mb"], 200),
    ]
    print(f"kubeluma benchmark: {pods} pods, {namespaces} namespaces, {os.cpu_count()} cores, {results['date']}")
    print(f"{'what':50} {'measured':>10} {'budget':>8}  met")
    for name, value, limit in budget:
        print(f"{name:50} {value:10.2f} {limit:8}  {'yes' if value <= limit else 'NO'}")
    print(f"peers: kubectl get pods -A {results['kubectl_get_pods_s']:.2f} s, python list {results['python_client_list_s']:.2f} s; "
          f"a pattern change is {results['kubectl_vs_pattern_change_ratio']:.0f}x faster than kubectl's list, "
          f"{results['python_vs_pattern_change_ratio']:.0f}x faster than the Python client's")
    print(f"database {results['db_size_mb']:.1f} MB, peak RSS {results['rss_peak_mb']:.0f} MB")
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
    # Quick mode checks that the harness runs; it judges no budget.
    return 0


if __name__ == "__main__":
    sys.exit(main())
