-- A reviewer's counts (R-DSH-1) summed every organization's counter rows: ~22 rows per
-- partner organization with claims, so 37-41 ms a request at 200,000 partners (285,127
-- rows), where a partner's own take ~2 ms. `claim_status_totals` holds the same counts summed over organizations
-- and MPN IDs (a few hundred rows), kept by statement triggers on `claim_status_counts`:
-- whatever writes the counters (the fold, a recount, the fold of a server not yet
-- upgraded) changes the totals in the same statement. A reviewer's counts for one MPN ID
-- read the counters by the new index on `mpn_id`.
-- The fold waits while the totals are summed (a table of ~22 rows per organization).
LOCK TABLE claim_status_counts IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
CREATE TABLE "claim_status_totals" (
	"status" text NOT NULL,
	"solution_area" text NOT NULL,
	"activity" text NOT NULL,
	"competing" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "claim_status_totals_pk" PRIMARY KEY("status","solution_area","activity","competing")
);
--> statement-breakpoint
CREATE INDEX "claim_status_counts_mpn_idx" ON "claim_status_counts" USING btree ("mpn_id");--> statement-breakpoint
-- Rows are upserted in key order, so two folds at once lock them in the same order.
CREATE FUNCTION claim_status_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO claim_status_totals AS t (status, solution_area, activity, competing, n)
			SELECT status, solution_area, activity, competing, sum(n) FROM new_rows
			GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
			ON CONFLICT (status, solution_area, activity, competing) DO UPDATE SET n = t.n + excluded.n;
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO claim_status_totals AS t (status, solution_area, activity, competing, n)
			SELECT status, solution_area, activity, competing, sum(d) FROM (
				SELECT status, solution_area, activity, competing, n AS d FROM new_rows
				UNION ALL
				SELECT status, solution_area, activity, competing, -n FROM old_rows
			) c
			GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
			ON CONFLICT (status, solution_area, activity, competing) DO UPDATE SET n = t.n + excluded.n;
	ELSE
		INSERT INTO claim_status_totals AS t (status, solution_area, activity, competing, n)
			SELECT status, solution_area, activity, competing, -sum(n) FROM old_rows
			GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
			ON CONFLICT (status, solution_area, activity, competing) DO UPDATE SET n = t.n + excluded.n;
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER claim_status_totals_insert AFTER INSERT ON claim_status_counts
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION claim_status_totals_apply();--> statement-breakpoint
CREATE TRIGGER claim_status_totals_update AFTER UPDATE ON claim_status_counts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION claim_status_totals_apply();--> statement-breakpoint
CREATE TRIGGER claim_status_totals_delete AFTER DELETE ON claim_status_counts
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION claim_status_totals_apply();--> statement-breakpoint
INSERT INTO claim_status_totals (status, solution_area, activity, competing, n)
	SELECT status, solution_area, activity, competing, sum(n) FROM claim_status_counts
	GROUP BY 1, 2, 3, 4;
