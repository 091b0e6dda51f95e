-- The informer cache. Times are REAL seconds since 1970 (UTC); resourceVersions are opaque TEXT.

-- Store-wide counters, such as the change sequence number ('seq').
CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta (key, value) VALUES ('seq', 0);

-- Where each informer resumes: the last resourceVersion committed with its data.
CREATE TABLE informer_state (
    informer TEXT PRIMARY KEY,            -- InformerID.description, e.g. 'pods@*'
    resource_version TEXT NOT NULL,
    last_sync_at REAL NOT NULL,           -- last replace or apply
    last_relist_at REAL                   -- last replace
) WITHOUT ROWID;

-- Pods by uid: a name re-created with a new uid is a new row. Live pods have deleted_at NULL;
-- tombstones keep the last known state for the history period.
CREATE TABLE pods (
    uid TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    status TEXT NOT NULL,                 -- kubectl STATUS word
    ready INTEGER NOT NULL,
    total INTEGER NOT NULL,
    restarts INTEGER NOT NULL,
    last_restart_at REAL,
    node TEXT,
    pod_ip TEXT,
    host_ip TEXT,
    created_at REAL,
    resource_version TEXT NOT NULL,
    json BLOB NOT NULL,                   -- stripped object JSON as received
    updated_at REAL NOT NULL,
    seq INTEGER NOT NULL,                 -- store seq of the last change to this row
    deleted_at REAL,
    -- 'watch': a DELETED event carried the final state; 'inferred': absent from a relist or
    -- replaced by a new uid of the same name, so the state is the last one seen
    -- (client-go's DeletedFinalStateUnknown).
    deleted_by TEXT CHECK (deleted_by IN ('watch', 'inferred'))
);
CREATE UNIQUE INDEX pods_live_by_name ON pods (namespace, name) WHERE deleted_at IS NULL;
CREATE INDEX pods_by_name ON pods (namespace, name, created_at DESC);
CREATE INDEX pods_tombstones ON pods (deleted_at) WHERE deleted_at IS NOT NULL;

-- What the store last saw of each container, to tell a new termination from one already
-- recorded and to notice restarts that happened while nobody was watching.
CREATE TABLE container_states (
    pod_uid TEXT NOT NULL REFERENCES pods (uid) ON DELETE CASCADE,
    container TEXT NOT NULL,
    restart_count INTEGER NOT NULL,
    terminated_seen INTEGER NOT NULL,     -- 1 if state.terminated was recorded at that count
    PRIMARY KEY (pod_uid, container)
) WITHOUT ROWID;

-- Every container termination observed, from state.terminated and lastState.terminated.
CREATE TABLE container_terminations (
    id INTEGER PRIMARY KEY,
    pod_uid TEXT NOT NULL REFERENCES pods (uid) ON DELETE CASCADE,
    container TEXT NOT NULL,
    -- containerID when known, else started/finished/exit code: the same run seen twice
    -- (first as state.terminated, then as lastState.terminated) is stored once.
    dedup_key TEXT NOT NULL,
    restart_count INTEGER NOT NULL,       -- the container's restartCount when observed
    reason TEXT,
    exit_code INTEGER,
    signal INTEGER,
    started_at REAL,
    finished_at REAL,
    observed_at REAL NOT NULL,
    -- restarts that happened before this one without being observed (restartCount jumped)
    unobserved_before INTEGER NOT NULL DEFAULT 0,
    UNIQUE (pod_uid, container, dedup_key)
);
CREATE INDEX terminations_by_time ON container_terminations (observed_at);

-- Events by uid, updated on every change; expired (DELETED by the cluster's TTL) rows stay.
CREATE TABLE events (
    uid TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    involved_kind TEXT,
    involved_namespace TEXT,
    involved_name TEXT,
    involved_uid TEXT,
    field_path TEXT,
    type TEXT,
    reason TEXT,
    message TEXT,
    count INTEGER NOT NULL,
    first_seen REAL,
    last_seen REAL,                       -- the sort key, newest first
    source TEXT,
    resource_version TEXT NOT NULL,
    json BLOB NOT NULL,
    updated_at REAL NOT NULL,
    seq INTEGER NOT NULL,
    expired_at REAL
);
CREATE INDEX events_by_involved_uid ON events (involved_uid, last_seen DESC);
CREATE INDEX events_by_involved_name ON events (involved_namespace, involved_name, last_seen DESC);
CREATE INDEX events_expired ON events (updated_at) WHERE expired_at IS NOT NULL;
