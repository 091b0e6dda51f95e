import pytest

from simulator import Simulator


@pytest.fixture(scope="session")
def sim():
    # 2,000 events: the pods' own histories (~1,300) topped up by --events.
    s = Simulator("--pods", "300", "--churn", "0", "--seed", "7", "--events", "2000")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def restricted_sim():
    s = Simulator("--pods", "120", "--churn", "0", "--restricted", "staging")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def no_metrics_sim():
    s = Simulator("--pods", "30", "--churn", "0", "--no-metrics")
    yield s
    s.stop()
