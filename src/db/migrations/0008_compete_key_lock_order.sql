-- cpor_lock_compete_keys (migration 0007) took its locks in the order of the compete
-- keys' text, but each lock is on a hash of the key: two keys of different claims with
-- the same hash could then be locked in opposite orders, and the two submits deadlock.
-- The locks are now taken in the order of the hashes themselves.
CREATE OR REPLACE FUNCTION cpor_lock_compete_keys(target_claim_id text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	h integer;
BEGIN
	FOR h IN
		SELECT DISTINCT hashtext(cp.compete_key || ' ' || cp.activity)
		FROM claim_products cp WHERE cp.claim_id = target_claim_id ORDER BY 1
	LOOP
		PERFORM pg_advisory_xact_lock(1380142416, h);
	END LOOP;
END
$$;
