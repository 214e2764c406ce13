-- The comments CPOR writes (decisions, information requests, disputes, activations,
-- arbitration) as data, for the web app to word in the reader's language; null for a
-- person's comment and for comments written before this migration (their English body
-- shows). A nullable column without a default: no table rewrite.
ALTER TABLE "claim_comments" ADD COLUMN "template" jsonb;
