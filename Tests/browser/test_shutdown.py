"""Ctrl-C with streams open: `kubeluma demo` (server, informers, log streams, metrics polling)
must end promptly and cleanly, closing its WebSockets instead of leaving clients hanging."""
import json
import signal
import time

import websocket  # python3-websocket

from kubeluma_process import Kubeluma


def receive(ws, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        message = json.loads(ws.recv())
        if predicate(message):
            return message
    raise AssertionError("no matching message")


def test_ctrl_c_with_logs_and_metrics_streaming_exits_cleanly_and_closes_sockets():
    server = Kubeluma("--pod", "-", pods=40)
    try:
        ws = websocket.create_connection(server.origin.replace("http", "ws") + "/ws", origin=server.origin, timeout=30)
        ws.send(json.dumps({"action": "subscribe", "channel": "pod"}))
        table = receive(ws, lambda m: m["type"] == "pods" and m["data"]["synced"] and m["data"]["pods"])
        pod = next(p for p in table["data"]["pods"] if p["status"] == "Running")
        ws.send(json.dumps({"action": "focus", "pod": pod["name"], "namespace": pod["namespace"]}))
        view = receive(ws, lambda m: m["type"] == "pod")
        container = view["data"]["containers"][0]["name"]
        ws.send(json.dumps({"action": "subscribe", "channel": "logs", "pod": pod["name"],
                            "namespace": pod["namespace"], "container": container}))
        receive(ws, lambda m: m["type"] == "log")  # a followed log stream is open upstream

        started = time.monotonic()
        server.proc.send_signal(signal.SIGINT)
        code = server.proc.wait(timeout=20)
        assert code == 0, "".join(server.output)[-3000:]
        assert time.monotonic() - started < 10, "shutdown took too long"
        # The client was told with a close frame, not left with a half-open socket. The frames
        # are still in this socket's receive buffer after the process has gone.
        ws.settimeout(5)
        while True:
            opcode, frame = ws.recv_data_frame(True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                break
        assert int.from_bytes(frame.data[:2], "big") in (1000, 1001), frame.data
    finally:
        server.stop()
