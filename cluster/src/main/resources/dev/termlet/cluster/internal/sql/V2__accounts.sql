-- The accounts shared by every node. name, enabled and the password hash are columns of their own; the other fields
-- of an account are one JSON object in the shape of users.json (see JsonAccountStore). version comes from one
-- sequence for all rows, so it only ever grows, even for an account removed and made again: a node compares it with
-- its copy to tell a newer change from one it already has.
CREATE SEQUENCE termlet_account_version;

CREATE TABLE termlet_accounts (
    name          text        PRIMARY KEY,
    enabled       boolean     NOT NULL DEFAULT true,
    password_hash text,
    data          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    version       bigint      NOT NULL DEFAULT nextval('termlet_account_version'),
    updated       timestamptz NOT NULL DEFAULT now()
);
