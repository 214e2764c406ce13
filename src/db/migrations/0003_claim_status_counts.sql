CREATE TABLE "claim_status_counts" (
	"partner_organization_id" text NOT NULL,
	"status" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "claim_status_counts_partner_organization_id_status_pk" PRIMARY KEY("partner_organization_id","status")
);
--> statement-breakpoint
CREATE TABLE "claim_status_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partner_organization_id" text NOT NULL,
	"status" text NOT NULL,
	"delta" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "claim_status_deltas_org_idx" ON "claim_status_deltas" USING btree ("partner_organization_id");--> statement-breakpoint
CREATE FUNCTION claim_status_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
		INSERT INTO claim_status_deltas (partner_organization_id, status, delta)
		VALUES (OLD.partner_organization_id, OLD.status, -1);
	END IF;
	IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
		INSERT INTO claim_status_deltas (partner_organization_id, status, delta)
		VALUES (NEW.partner_organization_id, NEW.status, 1);
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER claims_status_insert AFTER INSERT ON claims
	FOR EACH ROW EXECUTE FUNCTION claim_status_delta();--> statement-breakpoint
CREATE TRIGGER claims_status_delete AFTER DELETE ON claims
	FOR EACH ROW EXECUTE FUNCTION claim_status_delta();--> statement-breakpoint
CREATE TRIGGER claims_status_update AFTER UPDATE OF status, partner_organization_id ON claims
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
		OR OLD.partner_organization_id IS DISTINCT FROM NEW.partner_organization_id)
	EXECUTE FUNCTION claim_status_delta();--> statement-breakpoint
INSERT INTO claim_status_counts (partner_organization_id, status, n)
	SELECT partner_organization_id, status, count(*) FROM claims GROUP BY 1, 2;
