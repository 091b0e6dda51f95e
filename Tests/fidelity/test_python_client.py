"""The Python kubernetes client, which validates required fields strictly."""
import threading

import pytest
from kubernetes import client, config, watch


@pytest.fixture(scope="module")
def api(sim):
    return config.new_client_from_config(sim.kubeconfig)


def test_list_pods_for_all_namespaces(api):
    pods = client.CoreV1Api(api).list_pod_for_all_namespaces()
    assert len(pods.items) == 300
    assert pods.metadata.resource_version
    # Strict models: every container status decoded with its required fields.
    assert all(cs.image_id is not None for p in pods.items for cs in (p.status.container_statuses or []))


def test_paginated_list_matches_the_whole_list(api):
    v1 = client.CoreV1Api(api)
    names, token = [], None
    while True:
        page = v1.list_pod_for_all_namespaces(limit=64, _continue=token)
        names += [f"{p.metadata.namespace}/{p.metadata.name}" for p in page.items]
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"{p.metadata.namespace}/{p.metadata.name}" for p in v1.list_pod_for_all_namespaces().items]


def test_watch_resumes_from_a_resource_version(sim, api):
    v1 = client.CoreV1Api(api)
    listed = v1.list_namespaced_pod("prod")
    target = next(p for p in listed.items
                  if p.status.container_statuses and p.status.container_statuses[0].state.running
                  and not p.metadata.deletion_timestamp)
    # The change happens before the watch opens: only resumption from the list's version
    # can deliver it.
    sim.control("POST", f"/_sim/pods/prod/{target.metadata.name}/restart")
    seen = []
    for event in watch.Watch().stream(v1.list_namespaced_pod, "prod",
                                      resource_version=listed.metadata.resource_version, timeout_seconds=5):
        seen.append((event["type"], event["object"].metadata.name))
        if event["object"].metadata.name == target.metadata.name:
            break
    assert ("MODIFIED", target.metadata.name) in seen
    assert all(kind != "ADDED" for kind, _ in seen), "resuming must not replay the initial state"


def test_events_k8s_io_list_decodes_new_style_events(api):
    # Old-style events carry eventTime: null in the events.k8s.io view (the real server does the
    # same; see fixtures/real-apiserver), which this client's strict model rejects. New-style
    # events, selected by their reporting controller, decode with every required field.
    events = client.EventsV1Api(api).list_event_for_all_namespaces(
        field_selector="reportingController=kubeluma.example.com/oom-watcher")
    assert events.items
    for e in events.items:
        assert e.event_time and e.series.count >= 1 and e.regarding.kind == "Pod"


def test_core_events_list_decodes_every_event(api):
    events = client.CoreV1Api(api).list_event_for_all_namespaces()
    assert len(events.items) >= 2000  # other tests may add a few (restarts)
    # The --events top-up includes init containers' lifecycle, addressed by their field path.
    assert any(e.involved_object.field_path.startswith("spec.initContainers{")
               for e in events.items if e.involved_object.field_path)
    assert {e.type for e in events.items} == {"Normal", "Warning"}
