"""kubectl (a client nobody here wrote) against the simulated cluster."""
import json
import subprocess

from simulator import LineReader, kubectl


def pods_json(sim):
    return json.loads(kubectl(sim, "get", "pods", "-A", "-o", "json").stdout)["items"]


def pick(sim, predicate):
    for pod in pods_json(sim):
        if predicate(pod):
            return pod
    raise AssertionError("the scenario has no such pod")


def running_single_container(pod):
    statuses = pod["status"].get("containerStatuses", [])
    return len(pod["spec"]["containers"]) == 1 and statuses and "running" in statuses[0]["state"] \
        and not pod["metadata"].get("deletionTimestamp")


def test_get_pods_all_namespaces_lists_every_pod(sim):
    out = kubectl(sim, "get", "pods", "-A", "--no-headers").stdout.splitlines()
    assert len(out) == 300
    # Every row has the NAMESPACE NAME READY STATUS RESTARTS AGE shape kubectl prints.
    for line in out:
        cells = line.split()
        assert len(cells) >= 6, line
        assert "/" in cells[2], line


def test_chunked_list_pages_through_the_same_snapshot(sim):
    sim.clear_requests()
    whole = kubectl(sim, "get", "pods", "-A", "--no-headers", "-o", "name").stdout.splitlines()
    chunked = kubectl(sim, "get", "pods", "-A", "--no-headers", "-o", "name", "--chunk-size=50").stdout.splitlines()
    assert chunked == whole and len(whole) == 300
    pod_lists = [r for r in sim.requests() if r["path"] == "/api/v1/pods"]
    limits = [q["value"] for r in pod_lists for q in r["query"] if q["name"] == "limit"]
    continues = [r for r in pod_lists if any(q["name"] == "continue" for q in r["query"])]
    assert "50" in limits
    assert len(continues) >= 5, "300 pods in pages of 50 need at least 5 continuations"


def test_status_column_uses_the_servers_printer(sim):
    rows = kubectl(sim, "get", "pods", "-A", "--no-headers").stdout.splitlines()
    statuses = {line.split()[3] for line in rows}
    # The scenario covers the states users debug; each word is what kube-apiserver prints.
    for word in ["Running", "CrashLoopBackOff", "Completed"]:
        assert word in statuses, statuses
    assert statuses & {"ImagePullBackOff", "ContainerCreating", "Pending", "Init:0/2", "Terminating",
                       "Init:CrashLoopBackOff", "Evicted", "ContainerStatusUnknown"}


def test_watch_sees_a_restart_made_during_the_test(sim):
    pod = pick(sim, running_single_container)
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    proc = subprocess.Popen(["kubectl", "--kubeconfig", sim.kubeconfig, "get", "pods", "-n", ns, "-w",
                             "--output-watch-events", "--no-headers"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out = LineReader(proc)
        out.until(lambda l: name in l, timeout=30)   # the initial list
        sim.control("POST", f"/_sim/pods/{ns}/{name}/restart")
        lines = out.until(lambda l: name in l and "MODIFIED" in l, timeout=30)
        assert "CrashLoopBackOff" in lines[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_logs_tail_and_timestamps(sim):
    pod = pick(sim, running_single_container)
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    lines = kubectl(sim, "logs", "-n", ns, name, "--tail=5", "--timestamps").stdout.splitlines()
    assert len(lines) == 5
    for line in lines:
        stamp = line.split(" ", 1)[0]
        # RFC 3339 with exactly nine fractional digits.
        assert stamp.endswith("Z") and len(stamp.split(".")[1]) == 10, stamp


def test_logs_follow_streams_new_lines(sim):
    pod = pick(sim, running_single_container)
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    proc = subprocess.Popen(["kubectl", "--kubeconfig", sim.kubeconfig, "logs", "-f", "--tail=1", "-n", ns, name],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # --tail=1 gives one line; the rest can only arrive by following (2 lines/s).
        out = LineReader(proc)
        lines = out.until(lambda l: True, timeout=10)
        lines += out.until(lambda l: True, timeout=10)
        lines += out.until(lambda l: True, timeout=10)
        assert len(lines) == 3
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_logs_previous_reads_the_crashed_instance(sim):
    pod = pick(sim, lambda p: any("terminated" in cs.get("lastState", {})
                                  for cs in p["status"].get("containerStatuses", [])[:1]))
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    container = pod["spec"]["containers"][0]["name"]
    out = kubectl(sim, "logs", "-n", ns, name, "-c", container, "--previous", "--tail=3").stdout.splitlines()
    assert len(out) == 3


def test_logs_previous_without_a_previous_instance_is_refused(sim):
    pod = pick(sim, running_single_container)
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    result = kubectl(sim, "logs", "-n", ns, name, "--previous", check=False)
    assert result.returncode != 0
    assert f'previous terminated container "{pod["spec"]["containers"][0]["name"]}" in pod "{name}" not found' in result.stderr


def test_get_events_all_namespaces(sim):
    rows = kubectl(sim, "get", "events", "-A", "--no-headers").stdout.splitlines()
    assert len(rows) >= 2000  # other tests may add a few (restarts)
    reasons = {line.split()[3] for line in rows}
    assert {"Scheduled", "Started", "BackOff"} <= reasons


def test_top_pod_reads_metrics(sim):
    out = kubectl(sim, "top", "pod", "-A", "--no-headers").stdout.splitlines()
    assert len(out) > 100
    for line in out:
        _, _, cpu, memory = line.split()[:4]
        assert cpu.endswith("m") and memory.endswith("Mi"), line


def test_top_pod_without_metrics_api_says_so(no_metrics_sim):
    result = kubectl(no_metrics_sim, "top", "pod", "-A", check=False)
    assert result.returncode != 0
    assert "Metrics API not available" in result.stderr


def test_restricted_user_cannot_list_cluster_wide_but_can_read_its_namespace(restricted_sim):
    denied = kubectl(restricted_sim, "get", "pods", "-A", check=False)
    assert denied.returncode != 0
    assert 'pods is forbidden: User "kubeluma-sim-user" cannot list resource "pods" in API group "" at the cluster scope' in denied.stderr
    allowed = kubectl(restricted_sim, "get", "pods", "-n", "staging", "--no-headers").stdout.splitlines()
    assert len(allowed) == 40


def test_kubectl_only_reads(sim):
    # The tests' own /_sim/ control calls are the only writes the simulator saw.
    api_requests = [r for r in sim.requests() if not r["path"].startswith("/_sim/")]
    assert api_requests and {r["method"] for r in api_requests} == {"GET"}
