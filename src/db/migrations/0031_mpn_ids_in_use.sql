-- R-ROL-1: an organization's Global and Incentives admins manage which of its MPN IDs
-- are used for claims. A new column (a constant default: no table rewrite), and the
-- directory facts of migration 0006 read it with the MPN ID's programs (one more
-- lookup by the same key), so that creating and submitting a claim check it in the same
-- call. Its result type changes, so the function is dropped and created again.
ALTER TABLE "mpn_ids" ADD COLUMN "in_use" boolean DEFAULT true NOT NULL;--> statement-breakpoint
DROP FUNCTION cpor_directory_facts(text, text, text, text[], text[], text, text[], text, text);--> statement-breakpoint
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
RETURNS TABLE (programs text[], mpn_in_use boolean, tenant json, catalog json, subscriptions json, taken json, competitors json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
	RETURN QUERY SELECT
		(SELECT m.programs FROM mpn_ids m
			WHERE m.mpn_id = mpn_id_in AND m.organization_id = organization_id_in),
		(SELECT m.in_use FROM mpn_ids m
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
