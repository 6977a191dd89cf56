-- The shell and exec sessions of every node, kept by the node that runs them (a row from start to end). Rows of a node
-- whose heartbeat (termlet_nodes.seen) is older than the session timeout are ignored, then deleted.
CREATE TABLE termlet_sessions (
    node          text        NOT NULL,
    id            text        NOT NULL,
    connection_id text        NOT NULL,
    username      text        NOT NULL,
    remote_host   text,
    remote_port   integer,
    started       timestamptz NOT NULL,
    pty           boolean     NOT NULL,
    terminal      text        NOT NULL,
    PRIMARY KEY (node, id)
);
