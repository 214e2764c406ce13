ALTER TABLE "claims" ADD COLUMN "parts_products" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "parts_documents" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "parts_version" integer;--> statement-breakpoint
-- Existing claims get their copies of their parts once, as the reads' fallback computes
-- them (src/claims/claim-view.ts, claimPartsJsonFromTables): one rewrite of the claims
-- table, ~100 s per million claims on the benchmark machine (docs/operations.md).
UPDATE "claims" SET
	"parts_products" = coalesce((select json_agg(json_build_object(
		'productId', p.product_id, 'name', pr.name, 'subscriptionId', p.subscription_id)
		order by p.position)
		from claim_products p
		join lateral (select name from products where product_id = p.product_id limit 1) pr
			on true
		where p.claim_id = "claims"."id"), '[]'::json)::text,
	"parts_documents" = coalesce((select json_agg(json_build_object(
		'id', d.id, 'name', d.name, 'contentType', d.content_type, 'size', d.size,
		'sha256', d.sha256, 'uploadedAt', to_char(d.uploaded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'purpose', d.purpose)
		order by d.uploaded_at, d.id)
		from claim_documents d where d.claim_id = "claims"."id"), '[]'::json)::text,
	"parts_version" = "version";
