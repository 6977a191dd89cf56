-- The nodes of the cluster: each one's row is kept fresh by the node while it runs; a row not seen for a while is a
-- node that died, and what it held (sessions) is no longer shown.
CREATE TABLE termlet_nodes (
    name       text        PRIMARY KEY,
    started    timestamptz NOT NULL DEFAULT now(),
    seen       timestamptz NOT NULL DEFAULT now()
);
