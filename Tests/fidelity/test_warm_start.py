"""A warm start shows the cached table at once, before the API server has answered anything: a
slow exec credential plugin, a distant cluster or one that is down all look like this from
kubeluma's side. Every API response is delayed 5 s here; the table must not wait for them."""
import os
import tempfile
import time

from simulator import Serve, Simulator


def test_a_warm_start_shows_the_cached_table_before_the_api_server_answers():
    sim = Simulator("--pods", "60", "--churn", "0")
    db = os.path.join(tempfile.mkdtemp(prefix="kubeluma-warm-"), "cache.sqlite")
    serve = None
    try:
        serve = Serve(sim.kubeconfig, db=db)
        cached = serve.pods_until(lambda d: d["synced"] and d["pods"])["pods"]
        serve.stop()

        sim.control("POST", "/_sim/faults", {"latencyMilliseconds": 5000})
        started = time.monotonic()
        serve = Serve(sim.kubeconfig, db=db)
        table = serve.pods_until(lambda d: len(d["pods"]) == len(cached), timeout=30)
        elapsed = time.monotonic() - started
        assert elapsed < 3, f"the cached table took {elapsed:.1f} s: it waited for the API server"
        assert table["stale"], "a table not yet confirmed by the API server is marked stale"
        assert sorted(p["uid"] for p in table["pods"]) == sorted(p["uid"] for p in cached)
    finally:
        if serve:
            serve.stop()
        sim.stop()
