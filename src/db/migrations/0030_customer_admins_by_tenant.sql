-- R-CON-1 / R-ROL-3: the consent notice goes to the tenant's customer admins too; they are
-- found by tenant on this partial index (a few rows among every partner's users).
CREATE INDEX "users_customer_admin_idx" ON "users" USING btree ("tenant_id") WHERE 'customer_admin' = any("users"."roles");