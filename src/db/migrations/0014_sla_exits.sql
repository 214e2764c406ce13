-- The SLA report's historic figures (R-TIME-2, R-TIME-3, R-TIME-8) read claim_sla_exits:
-- one narrow row per history row that took a claim out of a reviewer SLA's state, with
-- the deadline in effect then and when the SLA's clock started. Reading them from the
-- history's JSON and one claim row per exit took 1.9-2.6 s for 90 days at 1,000,000
-- claims. A trigger on claim_history writes the row in the statement that writes the
-- history row. Existing history is filled in twice: first while claims are still
-- written (the long part), then, once the trigger is in place (creating it waits for
-- the history's writers and holds new ones until this migration commits), the exits
-- written in between.
CREATE TABLE "claim_sla_exits" (
	"history_id" bigint PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"sla" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone,
	"started_at" timestamp with time zone
);
--> statement-breakpoint
-- The exit a history row records, if it is one. The deadline in effect is the one the
-- row's `before` snapshot shows, else the claim's column (a snapshot lists only what the
-- action changed). The clock started at the claim's submission (review start, when the
-- review did start), at its review start (decision by approval or rejection, not by the
-- partner's request) or when the dispute was filed. Those claim columns are not changed
-- by the exit itself, so reading the claim's row as it is when the trigger runs (at the
-- end of the statement that wrote the history row) or at this migration gives them.
CREATE FUNCTION claim_sla_exit_of(h claim_history)
RETURNS TABLE (history_id bigint, claim_id text, sla text, at timestamptz, deadline timestamptz, started_at timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT h.id, h.claim_id, x.sla, h.at,
		CASE x.sla
			WHEN 'dispute_decision' THEN coalesce((h.before->'deadlines'->>'disputeDecisionDue')::timestamptz, c.dispute_decision_due)
			WHEN 'review_start' THEN coalesce((h.before->'deadlines'->>'reviewStartDue')::timestamptz, c.review_start_due)
			ELSE coalesce((h.before->'deadlines'->>'decisionDue')::timestamptz, c.decision_due)
		END,
		CASE
			WHEN x.sla = 'dispute_decision' THEN (h.before->'dispute'->>'filedAt')::timestamptz
			WHEN x.sla = 'review_start' AND h.after->>'status' = 'under_review' THEN c.submitted_at
			WHEN x.sla = 'decision' AND h.action <> 'request_rejection' THEN c.review_started_at
		END
	FROM (SELECT CASE
			WHEN h.action IN ('dispute_approve', 'dispute_request_information', 'dispute_uphold') THEN 'dispute_decision'
			WHEN h.before->>'status' = 'submitted' AND h.after->>'status' IS NOT NULL THEN 'review_start'
			WHEN h.before->>'status' = 'under_review' AND h.after->>'status' IN ('approved', 'rejected') THEN 'decision'
		END AS sla) x
	JOIN claims c ON c.id = h.claim_id
	WHERE x.sla IS NOT NULL
$$;--> statement-breakpoint
-- Writes the exits of the history that claim_sla_exits does not hold yet; returns how
-- many. Also run after loads that bypass the trigger (bench/bulk-claims.ts).
CREATE FUNCTION claim_sla_exits_fill() RETURNS bigint LANGUAGE sql AS $$
	WITH written AS (
		INSERT INTO claim_sla_exits (history_id, claim_id, sla, at, deadline, started_at)
		SELECT x.* FROM claim_history h, claim_sla_exit_of(h) x
		WHERE (h.action IN ('dispute_approve', 'dispute_request_information', 'dispute_uphold')
			OR (h.before->>'status' IN ('submitted', 'under_review') AND h.after->>'status' IS NOT NULL))
			AND NOT EXISTS (SELECT 1 FROM claim_sla_exits e WHERE e.history_id = h.id)
		RETURNING 1
	)
	SELECT count(*) FROM written
$$;--> statement-breakpoint
SELECT claim_sla_exits_fill();--> statement-breakpoint
CREATE INDEX "claim_sla_exits_at_idx" ON "claim_sla_exits" USING btree ("at");--> statement-breakpoint
CREATE FUNCTION claim_history_sla_exit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO claim_sla_exits (history_id, claim_id, sla, at, deadline, started_at)
	SELECT * FROM claim_sla_exit_of(NEW);
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER claim_history_sla_exit AFTER INSERT ON claim_history
	FOR EACH ROW WHEN (NEW.action IN ('dispute_approve', 'dispute_request_information', 'dispute_uphold')
		OR (NEW.before->>'status' IN ('submitted', 'under_review') AND NEW.after->>'status' IS NOT NULL))
	EXECUTE FUNCTION claim_history_sla_exit();--> statement-breakpoint
SELECT claim_sla_exits_fill();
