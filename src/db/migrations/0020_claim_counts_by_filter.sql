-- The dashboard's counters (R-DSH-1) per partner organization and status become per
-- organization, status, solution area, activity, MPN ID and competing flag, so that
-- the counts for those filters are read from them too, as the unfiltered ones are. Read
-- from the claims, a large partner's counts for one solution area took 0.7-1.5 s at
-- 1,000,000 claims, and a reviewer's 0.9-6.6 s (every matching claim's row for its
-- status), while the list page beside them took ~20 ms.
-- The claims' writes wait while the counters are counted again (a few seconds at
-- 1,000,000 claims); their reads do not.
LOCK TABLE claims IN SHARE MODE;--> statement-breakpoint
DELETE FROM claim_status_deltas;--> statement-breakpoint
DELETE FROM claim_status_counts;--> statement-breakpoint
ALTER TABLE "claim_status_counts" DROP CONSTRAINT "claim_status_counts_partner_organization_id_status_pk";--> statement-breakpoint
ALTER TABLE "claim_status_counts" ADD COLUMN "solution_area" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_counts" ADD COLUMN "activity" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_counts" ADD COLUMN "mpn_id" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_counts" ADD COLUMN "competing" boolean NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_counts" ADD CONSTRAINT "claim_status_counts_pk" PRIMARY KEY("partner_organization_id","status","solution_area","activity","mpn_id","competing");--> statement-breakpoint
ALTER TABLE "claim_status_deltas" ADD COLUMN "solution_area" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_deltas" ADD COLUMN "activity" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_deltas" ADD COLUMN "mpn_id" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_status_deltas" ADD COLUMN "competing" boolean NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION claim_status_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
		INSERT INTO claim_status_deltas (partner_organization_id, status, solution_area, activity, mpn_id, competing, delta)
		VALUES (OLD.partner_organization_id, OLD.status, OLD.solution_area, OLD.activity, OLD.mpn_id, OLD.competing, -1);
	END IF;
	IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
		INSERT INTO claim_status_deltas (partner_organization_id, status, solution_area, activity, mpn_id, competing, delta)
		VALUES (NEW.partner_organization_id, NEW.status, NEW.solution_area, NEW.activity, NEW.mpn_id, NEW.competing, 1);
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER claims_status_update ON claims;--> statement-breakpoint
CREATE TRIGGER claims_status_update
	AFTER UPDATE OF status, partner_organization_id, solution_area, activity, mpn_id, competing ON claims
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
		OR OLD.partner_organization_id IS DISTINCT FROM NEW.partner_organization_id
		OR OLD.solution_area IS DISTINCT FROM NEW.solution_area
		OR OLD.activity IS DISTINCT FROM NEW.activity
		OR OLD.mpn_id IS DISTINCT FROM NEW.mpn_id
		OR OLD.competing IS DISTINCT FROM NEW.competing)
	EXECUTE FUNCTION claim_status_delta();--> statement-breakpoint
INSERT INTO claim_status_counts (partner_organization_id, status, solution_area, activity, mpn_id, competing, n)
	SELECT partner_organization_id, status, solution_area, activity, mpn_id, competing, count(*)
	FROM claims GROUP BY 1, 2, 3, 4, 5, 6;
