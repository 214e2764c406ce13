-- A user's API tokens (GET /api-tokens) were found by reading every token: 24 ms with
-- 200,000 tokens. Tokens are few writes, so the index costs nothing measurable.
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");