-- GET /api-tokens and GET /webhooks list newest first, a page at a time (created_at, id
-- descending; src/db/newest-first.ts): the owner's index takes both columns, so a page
-- reads its rows in order instead of sorting the owner's every token or subscription.
DROP INDEX "api_tokens_user_idx";--> statement-breakpoint
DROP INDEX "webhooks_org_idx";--> statement-breakpoint
CREATE INDEX "api_tokens_user_created_idx" ON "api_tokens" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhooks_org_created_idx" ON "webhooks" USING btree ("organization_id","created_at","id");