"""`kubeluma serve --db :memory:` for machines where cluster data must not be written to disk:
the table works as usual and no cache file appears anywhere."""
import os
import tempfile

from simulator import Serve, kubectl


def files_under(folder):
    return [os.path.join(d, f) for d, _, names in os.walk(folder) for f in names]


def test_an_in_memory_cache_serves_the_table_and_writes_no_file(sim):
    home = tempfile.mkdtemp(prefix="kubeluma-home-")
    work = tempfile.mkdtemp(prefix="kubeluma-cwd-")
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, ".cache"))
    cwd = os.getcwd()
    os.chdir(work)  # a ":memory:" file would land in the working directory
    try:
        serve = Serve(sim.kubeconfig, db=":memory:", env=env)
    finally:
        os.chdir(cwd)
    try:
        table = serve.pods_until(lambda d: d["synced"] and d["pods"])
        assert len(table["pods"]) == len(kubectl(sim, "get", "pods", "-A", "-o", "name").stdout.splitlines())
    finally:
        serve.stop()
    assert files_under(home) == [] and files_under(work) == []
