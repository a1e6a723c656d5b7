-- Gambit server schema, version 2 (PostgreSQL): models split over several files.
-- `source_kind` says how to read `source`: 'text' is one model file's text (every version
-- stored before this migration); 'bundle' is the canonical bundle document
-- {"entry": PATH, "files": {PATH: TEXT, ...}} of the model's files, which the server
-- loads from memory to analyse the version again, byte for byte as when it was pushed.
ALTER TABLE model_versions ADD COLUMN source_kind TEXT NOT NULL DEFAULT 'text'
    CHECK (source_kind IN ('text', 'bundle'));
