-- Quota usage by user, shared by the nodes that write the same homes: counted once by walking the home (by the
-- first node that needs it), then kept by atomic additions of every node's uploads and deletions.
CREATE TABLE termlet_usage (
    name    text        PRIMARY KEY,
    bytes   bigint      NOT NULL,
    files   bigint      NOT NULL,
    counted timestamptz NOT NULL DEFAULT now()
);
