-- R-CMP-2 under concurrency. Two organizations submitting claims on the same compete key
-- (tenant and product/workload) and activity at the same moment could each read the
-- other as still a draft, so that neither was marked competing. Whoever looks for a
-- claim's competitors before marking them, or writes a submit on finding none, first
-- takes a transaction-scoped advisory lock on each of the claim's compete keys (in key
-- order, so two claims with several keys cannot deadlock), and reads the competitors
-- after it: the second of two such submits waits for the first to commit, then sees it.
-- The lock's first key, 1380142416 ('RCMP'), keeps these locks apart from other
-- advisory locks (two int4 keys never equal a one-bigint key).
CREATE FUNCTION cpor_lock_compete_keys(target_claim_id text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	k text;
BEGIN
	FOR k IN
		SELECT DISTINCT cp.compete_key || ' ' || cp.activity
		FROM claim_products cp WHERE cp.claim_id = target_claim_id ORDER BY 1
	LOOP
		PERFORM pg_advisory_xact_lock(1380142416, hashtext(k));
	END LOOP;
END
$$;
--> statement-breakpoint
-- The end of a submit written without a transaction when its read found no competitors
-- (src/claims/submit-claim.ts): takes the compete-key locks, then looks again with a
-- fresh snapshot (a VOLATILE function's queries see what committed before them). When
-- a competitor appeared, raises serialization_failure (40001): the whole statement is
-- undone, and the submit is read and applied again, marking the competitors under the
-- row lock. `after` is the claim's version guard (cpor_expect_claim_updated), passed
-- through so that this runs after the claim's UPDATE.
CREATE FUNCTION cpor_expect_no_competitors(after integer, target_claim_id text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM cpor_lock_compete_keys(target_claim_id);
	IF EXISTS (SELECT 1 FROM cpor_competitors(target_claim_id)) THEN
		RAISE EXCEPTION 'a competing claim was submitted while this claim was being submitted'
			USING ERRCODE = 'serialization_failure';
	END IF;
	RETURN after;
END
$$;
