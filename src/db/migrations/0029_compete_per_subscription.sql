-- R-CMP-0 / R-CRT-8: a Business Applications line competes per subscription, not per
-- product: one partner of record per subscription, so that a successor subscription's
-- claim can be approved beside the ended subscription's approved claim (the product key
-- made the approval lock, claim_products_r_cmp_2_uq, refuse it for good). The tenant part
-- of the key is kept as written. A finer key cannot break the unique index. Claims marked
-- competing under the product key keep their mark (an arbitration already under way).
UPDATE "claim_products"
SET "compete_key" = split_part("compete_key", ':', 1) || ':' || "subscription_id"
WHERE "subscription_id" IS NOT NULL
	AND "compete_key" <> split_part("compete_key", ':', 1) || ':' || "subscription_id";
