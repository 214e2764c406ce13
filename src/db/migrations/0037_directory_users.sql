-- The platform admin's list of people (GET /admin/directory/users): by name, found by a name's
-- first letters in byte order (as migration 0034's partners and tenants), and an
-- organization's people or a tenant's customer admins in the same order, so that a page
-- reads its size however many people match.
CREATE INDEX "users_name_idx" ON "users" USING btree ((lower("name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "users_organization_name_idx" ON "users" USING btree ("organization_id",(lower("name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "users_tenant_admin_name_idx" ON "users" USING btree ("tenant_id",(lower("name") collate "C"),"id") WHERE 'customer_admin' = any("users"."roles");