-- R-ACC-1 / R-CMP-3: no other partner's claim is ever visible to a partner. An
-- arbitration loser's words named the winning claim's ID; they no longer do (session
-- 28), and this takes it out of the losses written before: the comment's English body
-- and its template, the claim's rejection (its comment and its generated words; the
-- claim's copy of its resource is marked stale, so the background work writes it again)
-- and the history entry of the loss. Only rows of arbitration losses are touched.
UPDATE "claim_comments"
SET "body" = regexp_replace("body", 'another partner''s claim \([^)]*\) for', 'another partner''s claim for'),
	"template" = "template" #- '{text,winnerClaimId}'
WHERE "template"->'text'->>'key' = 'arbitration_lost';
--> statement-breakpoint
UPDATE "claims"
SET "rejection" = jsonb_set(
		"rejection" #- '{generated,winnerClaimId}',
		'{comment}',
		to_jsonb(regexp_replace("rejection"->>'comment', 'another partner''s claim \([^)]*\) for', 'another partner''s claim for'))
	),
	"resource_version" = NULL
WHERE "rejection"->'generated'->>'key' = 'arbitration_lost';
--> statement-breakpoint
UPDATE "claim_history"
SET "after" = regexp_replace(
		regexp_replace("after"::text, ', "winnerClaimId": "[^"]*"', '', 'g'),
		'another partner''s claim \([^)]*\) for', 'another partner''s claim for', 'g'
	)::jsonb
WHERE "action" = 'reject_in_arbitration' AND "after"::text LIKE '%winnerClaimId%';
