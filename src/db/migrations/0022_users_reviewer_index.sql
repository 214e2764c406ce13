-- The deadline reminders read the reviewers among all users ('reviewer' = any(roles)):
-- with 200,000 partners' users that was a scan of every user (48 ms) in each sweep that
-- had a reviewer's reminder due. A partial index of the reviewers alone.
CREATE INDEX "users_reviewer_idx" ON "users" USING btree ("id") WHERE 'reviewer' = any("users"."roles");
