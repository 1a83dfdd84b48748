-- What the metrics reports read (worker/src/reports.rs), indexed so that a report never goes back to the rows:
-- a month of a busy site's ledger is read in one pass over two indexes.

-- The facts of the conversations started in a range, with the JSON itself in the index (reports read nothing else).
CREATE INDEX IF NOT EXISTS facts_for_reports ON conversation_facts (site_id, started_ms, facts);

-- Campaign events counted per campaign, variant, holdout, what and visitor: what the browser reported and whether
-- the visitor was held out, from the event's JSON, as columns computed when read; indexed for campaign and lead
-- events only.
ALTER TABLE events ADD COLUMN campaign_what TEXT GENERATED ALWAYS AS (json_extract(data, '$.what')) VIRTUAL;
ALTER TABLE events ADD COLUMN campaign_held_out INTEGER
    GENERATED ALWAYS AS (coalesce(json_extract(data, '$.held_out'), 0)) VIRTUAL;
CREATE INDEX IF NOT EXISTS events_for_campaigns
    ON events (site_id, kind, at_ms, campaign, variant, campaign_held_out, campaign_what, visitor_id)
    WHERE kind IN ('campaign', 'lead');
