-- A claim action written without a transaction (src/claims/claim-action.ts, `optimistic`)
-- updates the claim only where its version is still the one it read, and ends its one
-- statement with cpor_expect_claim_updated(count of updated rows): when another action
-- changed the claim in between, this raises serialization_failure (40001), so the whole
-- statement (the document, history and event rows with it) is undone and the action is
-- read and applied again.
CREATE FUNCTION cpor_expect_claim_updated(updated bigint) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
	IF updated <> 1 THEN
		RAISE EXCEPTION 'the claim changed while this action was being applied'
			USING ERRCODE = 'serialization_failure';
	END IF;
	RETURN 1;
END
$$;
