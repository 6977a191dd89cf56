-- The protector's state shared by every node: each client key's offences and ban, its strikes within the observation
-- window (scored here, so that strikes on several nodes add up), and the block-list entries added at run time.
CREATE TABLE termlet_protector_hosts (
    client_key   text        PRIMARY KEY,
    offences     integer     NOT NULL DEFAULT 0,
    banned_until timestamptz,
    reason       text,
    touched      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE termlet_protector_strikes (
    client_key text        NOT NULL REFERENCES termlet_protector_hosts (client_key) ON DELETE CASCADE,
    at         timestamptz NOT NULL,
    points     integer     NOT NULL
);
CREATE INDEX termlet_protector_strikes_key_at ON termlet_protector_strikes (client_key, at);

CREATE TABLE termlet_protector_blocks (
    entry text        PRIMARY KEY,
    added timestamptz NOT NULL DEFAULT now()
);
