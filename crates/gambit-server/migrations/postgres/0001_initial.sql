-- Gambit server schema, version 1 (PostgreSQL). Timestamps are RFC 3339 text in UTC,
-- as in the SQLite schema, so both backends return the same strings.
CREATE TABLE projects (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- Only the SHA-256 of a token is kept: the token itself is shown once, when created.
CREATE TABLE tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    project TEXT,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE model_versions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    version BIGINT NOT NULL,
    revision TEXT,
    source TEXT NOT NULL,
    report TEXT NOT NULL,
    open_critical BIGINT NOT NULL,
    open_high BIGINT NOT NULL,
    open_elevated BIGINT NOT NULL,
    open_medium BIGINT NOT NULL,
    open_low BIGINT NOT NULL,
    crown_jewels_exposed BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (project_id, version)
);

CREATE TABLE decisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    threat TEXT NOT NULL,
    status TEXT NOT NULL,
    justification TEXT,
    owner TEXT,
    ticket TEXT,
    expires TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX decisions_by_project ON decisions (project_id, id);

CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    project TEXT,
    detail TEXT NOT NULL
);

-- Decisions and the audit log are append-only: history is never rewritten.
CREATE FUNCTION gambit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION gambit_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION gambit_append_only();
