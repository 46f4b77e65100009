-- +goose Up
-- Failed sign-ins, in the database so that every instance behind a load
-- balancer sees the same counts. One row per counter: 'a:' account,
-- 'c:' client address (IPv6 by /64), 'p:' account|address pair. Rows
-- unchanged for longer than the throttle's window are deleted.
CREATE TABLE login_throttle (
    key       text PRIMARY KEY,
    failures  integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_throttle_last_at_idx ON login_throttle (last_at);

-- +goose Down
DROP TABLE login_throttle;
