"""A kubeconfig's `proxy-url`: kubectl and kubeluma both reach the simulated cluster through an
HTTP CONNECT proxy (what corporate networks and bastions put in front of API servers), and a
proxy that refuses the tunnel is reported as such instead of leaving an empty table."""
import os
import select
import socket
import socketserver
import subprocess
import tempfile
import threading
import urllib.parse

from simulator import Serve


class ConnectProxy:
    """A forward proxy on loopback that only speaks CONNECT and records each tunnel's target."""

    def __init__(self, refuse=False):
        self.tunnels = []
        proxy = self

        class Tunnel(socketserver.BaseRequestHandler):
            def handle(self):
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
                proxy.tunnels.append((method, target))
                if method != "CONNECT" or refuse:
                    self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    return
                host, port = target.rsplit(":", 1)
                upstream = socket.create_connection((host.strip("[]"), int(port)))
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                rest = head.split(b"\r\n\r\n", 1)[1]
                if rest:
                    upstream.sendall(rest)
                ends = [self.request, upstream]
                try:
                    while True:
                        readable, _, _ = select.select(ends, [], [])
                        for end in readable:
                            data = end.recv(65536)
                            if not data:
                                return
                            (upstream if end is self.request else self.request).sendall(data)
                except OSError:
                    return
                finally:
                    upstream.close()

        socketserver.ThreadingTCPServer.daemon_threads = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Tunnel)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def proxied_kubeconfig(sim, proxy):
    """The simulator's kubeconfig with `proxy-url` added to its cluster (kubectl's own field)."""
    with open(sim.kubeconfig) as f:
        text = f.read()
    assert "    server: " in text
    text = text.replace("    server: ", f"    proxy-url: {proxy.url}\n    server: ", 1)
    path = os.path.join(tempfile.mkdtemp(prefix="kubeluma-proxy-"), "kubeconfig")
    with open(path, "w") as f:
        f.write(text)
    return path


def test_kubectl_and_kubeluma_reach_the_cluster_through_the_kubeconfigs_proxy(sim):
    proxy = ConnectProxy()
    serve = None
    try:
        kubeconfig = proxied_kubeconfig(sim, proxy)
        target = urllib.parse.urlsplit(sim.url).netloc
        names = kubectl_lines(kubeconfig, "get", "pods", "-A", "-o", "name")
        assert ("CONNECT", target) in proxy.tunnels, "kubectl did not use the proxy"

        before = len(proxy.tunnels)
        serve = Serve(kubeconfig)
        table = serve.pods_until(lambda d: d["synced"] and d["pods"])
        assert len(table["pods"]) == len(names)
        assert proxy.tunnels[before:] and all(t == ("CONNECT", target) for t in proxy.tunnels[before:])
    finally:
        if serve:
            serve.stop()
        proxy.stop()


def test_a_proxy_that_refuses_the_tunnel_is_named_in_the_error_and_the_table_is_stale(sim):
    proxy = ConnectProxy(refuse=True)
    serve = None
    try:
        serve = Serve(proxied_kubeconfig(sim, proxy))
        # The page shows scope.message in its banner above the (empty, stale) table.
        table = serve.pods_until(lambda d: d["stale"] and (d["scope"] or {}).get("message"))
        message = table["scope"]["message"]
        assert "proxy" in message.lower() and "403" in message, message
        assert not table["pods"]
    finally:
        if serve:
            serve.stop()
        proxy.stop()


def kubectl_lines(kubeconfig, *args):
    result = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()
