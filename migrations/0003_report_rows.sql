-- Each conversation's row for the metrics reports (worker/src/reports.rs, `PackedFacts` in reports/packed.rs): a
-- JSON array of only what the figures read, later times in milliseconds after the start, the handoff and the close
-- as arrays. SQLite makes it from the facts whenever they are written, and an index keeps a copy, so a report reads
-- these short rows from the index alone and parses no facts (before, every report parsed a month of facts' JSON).
-- Triggers, not a generated column: SQLite reads a generated column from the table, never from an index.
ALTER TABLE conversation_facts ADD COLUMN report_row TEXT;

-- Every write of the facts (the ledger's upsert, erasure, retention, the benchmarks' seeding) makes the row again.
CREATE TRIGGER IF NOT EXISTS facts_report_row AFTER UPDATE OF facts, started_ms ON conversation_facts
BEGIN
    UPDATE conversation_facts SET report_row = json_array(
        json_extract(NEW.facts, '$.conversation_id'), NEW.started_ms,
        json_extract(NEW.facts, '$.visitor_id'), json_extract(NEW.facts, '$.email'),
        json_extract(NEW.facts, '$.page_url'), json_extract(NEW.facts, '$.campaign'),
        json_extract(NEW.facts, '$.variant'), json_extract(NEW.facts, '$.visitor_messages'),
        json_extract(NEW.facts, '$.last_visitor_message_ms') - NEW.started_ms,
        json_extract(NEW.facts, '$.last_answer'), json_extract(NEW.facts, '$.unanswered'),
        CASE WHEN json_type(NEW.facts, '$.handoff') = 'object' THEN json_array(
        json_extract(NEW.facts, '$.handoff.at_ms') - NEW.started_ms, json_extract(NEW.facts, '$.handoff.reason'),
        json_extract(NEW.facts, '$.handoff.team'), json_extract(NEW.facts, '$.handoff.intent'),
        json_extract(NEW.facts, '$.handoff.queued'), json_extract(NEW.facts, '$.handoff.after_hours'),
        json_extract(NEW.facts, '$.handoff.clock_from_ms') - NEW.started_ms) END,
        json_extract(NEW.facts, '$.team'), json_extract(NEW.facts, '$.agent'),
        json_extract(NEW.facts, '$.first_agent_reply_ms') - NEW.started_ms, json_extract(NEW.facts, '$.agent_replies'),
        CASE WHEN json_type(NEW.facts, '$.closed') = 'object' THEN json_array(
        json_extract(NEW.facts, '$.closed.at_ms') - NEW.started_ms, json_extract(NEW.facts, '$.closed.outcome'),
        json_extract(NEW.facts, '$.closed.by')) END,
        json_extract(NEW.facts, '$.rating'), json_extract(NEW.facts, '$.last_event_ms') - NEW.started_ms)
    WHERE site_id = NEW.site_id AND conversation_id = NEW.conversation_id;
END;
-- A new conversation's facts: written again as they are, which makes the row above.
CREATE TRIGGER IF NOT EXISTS facts_report_row_on_insert AFTER INSERT ON conversation_facts
BEGIN
    UPDATE conversation_facts SET facts = NEW.facts
    WHERE site_id = NEW.site_id AND conversation_id = NEW.conversation_id;
END;

-- The rows of the conversations already in the ledger.
UPDATE conversation_facts SET facts = facts;

CREATE INDEX IF NOT EXISTS facts_report_rows ON conversation_facts (site_id, started_ms, report_row);

-- Every index is written at every write of the facts (a room's ledger send), so only the indexes queries use stay:
-- - the index of whole facts that reports read before: nothing reads it now;
-- - `(site_id, started_ms)`: `facts_report_rows` starts with the same columns;
-- - `(site_id, visitor_id)`: no query looks a visitor up;
-- - `(site_id, email)`: erasure looks an address up whatever its case, `lower(email)`, which needs its own index.
DROP INDEX IF EXISTS facts_for_reports;
DROP INDEX IF EXISTS facts_by_start;
DROP INDEX IF EXISTS facts_by_visitor;
DROP INDEX IF EXISTS facts_by_email;
CREATE INDEX IF NOT EXISTS facts_by_lower_email ON conversation_facts (site_id, lower(email));
