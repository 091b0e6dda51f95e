-- The pods table rebuilt with `json` as its last column. A row's columns are stored in order and
-- a pod's JSON (~6 KB) spills onto overflow pages, so every column after it (seq, deleted_at,
-- deleted_by) could only be read by walking the JSON's pages: the warm start's scan of the live
-- pods read the whole JSON of every pod, tombstones included. Same columns, same indexes; the
-- Migrator runs this with foreign keys off (so dropping the old table does not cascade into the
-- terminations) and checks them before it commits.
CREATE TABLE pods_rebuilt (
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
    updated_at REAL NOT NULL,
    seq INTEGER NOT NULL,                 -- store seq of the last change to this row
    deleted_at REAL,
    -- 'watch': a DELETED event carried the final state; 'inferred': absent from a relist or
    -- replaced by a new uid of the same name, so the state is the last one seen
    -- (client-go's DeletedFinalStateUnknown).
    deleted_by TEXT CHECK (deleted_by IN ('watch', 'inferred')),
    json BLOB NOT NULL                    -- stripped object JSON as received; last, see above
);
INSERT INTO pods_rebuilt (uid, namespace, name, phase, status, ready, total, restarts, last_restart_at, node,
                          pod_ip, host_ip, created_at, resource_version, updated_at, seq, deleted_at,
                          deleted_by, json)
    SELECT uid, namespace, name, phase, status, ready, total, restarts, last_restart_at, node, pod_ip, host_ip,
           created_at, resource_version, updated_at, seq, deleted_at, deleted_by, json
    FROM pods;
DROP TABLE pods;
ALTER TABLE pods_rebuilt RENAME TO pods;
CREATE UNIQUE INDEX pods_live_by_name ON pods (namespace, name) WHERE deleted_at IS NULL;
CREATE INDEX pods_by_name ON pods (namespace, name, created_at DESC);
CREATE INDEX pods_tombstones ON pods (deleted_at) WHERE deleted_at IS NOT NULL;
