-- The platform admin's directory pages (GET /admin/directory/partners and /tenants):
-- partners and customer tenants listed by name and found by a name's first letters,
-- case-insensitively, in byte order (collate "C", so that LIKE 'abc%' uses the index
-- whatever the database's collation).
CREATE INDEX "organizations_name_idx" ON "organizations" USING btree ((lower("name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "tenants_name_idx" ON "tenants" USING btree ((lower("name") collate "C"),"tenant_id");