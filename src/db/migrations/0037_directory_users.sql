-- The platform admin's list of people (GET /admin/directory/users): by name, found by a name's
-- first letters in byte order (as migration 0034's partners and tenants), or by their
-- organization.
CREATE INDEX "users_name_idx" ON "users" USING btree ((lower("name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "users_organization_idx" ON "users" USING btree ("organization_id");