-- The metrics ledger (issue 16). Applied by `cargo xtask dev` and `cargo xtask test` with
-- `wrangler d1 migrations apply BATON_DB --local`, and for a deployment with `--remote`.

-- Every event, appended once: ids are deterministic (shared::metrics::Event::id), writes are INSERT OR IGNORE, so
-- delivery is at-least-once and a retried write stores nothing twice. `data` is the whole event as JSON; erasure
-- removes its personal fields (`email`, `text`) in place.
CREATE TABLE IF NOT EXISTS events (
    site_id TEXT NOT NULL,
    id TEXT NOT NULL,
    conversation_id TEXT,
    visitor_id TEXT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    team TEXT,
    agent TEXT,
    campaign TEXT,
    variant TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (site_id, id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS events_by_time ON events (site_id, at_ms);
CREATE INDEX IF NOT EXISTS events_by_kind ON events (site_id, kind, at_ms);
CREATE INDEX IF NOT EXISTS events_by_conversation ON events (site_id, conversation_id);

-- One row per conversation: shared::metrics::facts::ConversationFacts as JSON in `facts`, refolded from the
-- conversation's events after each write. The columns beside it are what queries filter on.
CREATE TABLE IF NOT EXISTS conversation_facts (
    site_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    visitor_id TEXT,
    email TEXT,
    team TEXT,
    agent TEXT,
    intent TEXT,
    campaign TEXT,
    facts TEXT NOT NULL,
    PRIMARY KEY (site_id, conversation_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS facts_by_start ON conversation_facts (site_id, started_ms);
CREATE INDEX IF NOT EXISTS facts_by_visitor ON conversation_facts (site_id, visitor_id);
CREATE INDEX IF NOT EXISTS facts_by_email ON conversation_facts (site_id, email);
