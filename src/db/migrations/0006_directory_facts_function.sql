-- R-CMP-2: the claims competing with a claim: other organizations' live claims, past
-- draft, on the same compete key (tenant and product/workload) and activity. A SQL
-- function that the planner inlines into the statement calling it (findCompetitors,
-- cpor_directory_facts), so the rule is written once. `live` is tested as a literal so
-- that a generic plan can use the partial index claim_products_compete_idx.
CREATE FUNCTION cpor_competitors(target_claim_id text) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
	SELECT DISTINCT other.claim_id
	FROM claim_products mine
	JOIN claim_products other
		ON other.compete_key = mine.compete_key
		AND other.activity = mine.activity
		AND other.live
		AND other.partner_organization_id <> mine.partner_organization_id
	JOIN claims c ON c.id = other.claim_id
	WHERE mine.claim_id = target_claim_id AND c.status <> 'draft'
$$;
--> statement-breakpoint
-- What the checks of creating and submitting a claim need from the directory, in one
-- call (src/claims/directory-facts.ts): the MPN ID's programs (R-CRT-2), the tenant and
-- its verified domains (R-CRT-3), the catalog entries and subscriptions of the lines
-- (R-CRT-5), the organization's other live claims on the lines' claim keys (R-CMP-1,
-- except `except_claim_id`'s own) and the competitors of `competitors_of` (R-CMP-2;
-- empty for null).
-- A function, so that its plan is made once per connection: planned per call, this
-- statement cost PostgreSQL ~0.5 ms of planning for ~0.15 ms of running
-- (docs/performance.md), and PostgreSQL's own choice between a custom and a generic plan
-- keeps planning it, because it cannot tell how long the arrays are. The generic plan
-- uses the same indexes as the custom one, on an empty database too (every lookup is by
-- key). A connection's plan is made again whenever ANALYZE runs on one of the tables,
-- as autovacuum does while they grow; PGlite never analyzes by itself, and its tables'
-- planner sizes then stay at the never-analyzed defaults, under which the plan is the
-- same.
CREATE FUNCTION cpor_directory_facts(
	mpn_id_in text,
	organization_id_in text,
	tenant_id_in text,
	product_ids text[],
	subscription_ids text[],
	activity_in text,
	claim_keys text[],
	except_claim_id text,
	competitors_of text
)
RETURNS TABLE (programs text[], tenant json, catalog json, subscriptions json, taken json, competitors json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
	RETURN QUERY SELECT
		(SELECT m.programs FROM mpn_ids m
			WHERE m.mpn_id = mpn_id_in AND m.organization_id = organization_id_in),
		(SELECT json_build_object('name', t.name, 'domains', coalesce(
				(SELECT json_agg(d.domain ORDER BY d.domain) FROM tenant_domains d
					WHERE d.tenant_id = tenant_id_in), '[]'::json))
			FROM tenants t WHERE t.tenant_id = tenant_id_in),
		(SELECT coalesce(json_agg(json_build_object('productId', p.product_id, 'name', p.name,
				'solutionArea', p.solution_area, 'dynamics', p.dynamics)), '[]'::json)
			FROM products p
			-- An array, not `OR product_id IN (subquery)`: a hashed subplan may scan all
			-- subscriptions.
			WHERE p.product_id = any(product_ids || ARRAY(SELECT s.product_id
				FROM subscriptions s WHERE s.subscription_id = any(subscription_ids)))),
		(SELECT coalesce(json_agg(json_build_object('subscriptionId', s.subscription_id,
				'tenantId', s.tenant_id, 'productId', s.product_id, 'channel', s.channel,
				'status', s.status, 'provisioned', s.provisioned)), '[]'::json)
			FROM subscriptions s WHERE s.subscription_id = any(subscription_ids)),
		(SELECT coalesce(json_agg(json_build_object('claimKey', cp.claim_key,
				'claimId', cp.claim_id)), '[]'::json)
			FROM claim_products cp
			WHERE cp.partner_organization_id = organization_id_in
				AND cp.activity = activity_in
				AND cp.live
				AND cp.claim_key = any(claim_keys)
				AND (except_claim_id IS NULL OR cp.claim_id <> except_claim_id)),
		(SELECT coalesce(json_agg(c.id ORDER BY c.id), '[]'::json)
			FROM cpor_competitors(competitors_of) AS c(id));
END
$$;
