import { eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { preparedOnce } from "../db/prepared.ts";
import { claimComments, claims } from "../db/schema.ts";
import { notFound } from "../domain/errors.ts";
import { canSeeClaim } from "./claim-action.ts";
import { claimColumns, isoText } from "./claim-view.ts";
import type { CommentTemplate } from "./comment-template.ts";
import { postComment, recordHistory } from "./history.ts";
import {
	claimVisibilityColumns,
	type EntryPage,
	type EntryPageQuery,
	readVisibleClaimEntries,
} from "./list-claims.ts";

/** A comment as the API returns it (R-REV-3). */
export interface CommentView {
	id: string;
	authorName: string;
	authorRole: string;
	kind: string;
	/** The text; for a comment CPOR wrote, in English (`template` words it otherwise). */
	body: string;
	/**
	 * A comment CPOR wrote, as data (comment-template.ts), for a client to word in its
	 * reader's language; null for a person's comment and for comments written before
	 * migration 0028.
	 */
	template: CommentTemplate | null;
	createdAt: string;
}

/** Options of {@link addComment}. */
export interface AddCommentOptions {
	actor: Actor;
	claimId: string;
	body: string;
}

/**
 * Posts a comment to a claim's thread (R-REV-3) with its history row (R-HIS-1).
 * Does not change the claim's version. @throws `not_found`.
 */
export async function addComment(
	ctx: AppContext,
	opts: AddCommentOptions,
): Promise<CommentView> {
	return ctx.db.transaction(async (tx) => {
		const now = ctx.clock.now();
		const [row] = await tx
			.select(claimColumns)
			.from(claims)
			.where(eq(claims.id, opts.claimId))
			.for("share");
		if (!row || !canSeeClaim(opts.actor, row)) throw notFound();
		const id = await postComment(tx, {
			claimId: row.id,
			actor: opts.actor,
			at: now,
			body: opts.body,
		});
		await recordHistory(tx, {
			claimId: row.id,
			actor: opts.actor,
			at: now,
			action: "comment",
			before: null,
			after: { commentId: id, body: opts.body },
		});
		const [c] = await tx
			.select()
			.from(claimComments)
			.where(eq(claimComments.id, id));
		return toCommentView(c as typeof claimComments.$inferSelect);
	});
}

/** A comment row as the API returns it (what the thread's statement builds in SQL). */
export function toCommentView(
	c: typeof claimComments.$inferSelect,
): CommentView {
	return {
		id: c.id,
		authorName: c.authorName,
		authorRole: c.authorRole,
		kind: c.kind,
		body: c.body,
		template: c.template ?? null,
		createdAt: c.createdAt.toISOString(),
	};
}

/**
 * A page of the thread, oldest first; partners never see internal notes (R-HIS-1). One
 * named statement: the claim's visibility columns and the page's comments.
 * @throws `not_found`; `validation_failed` (`invalid_cursor`) for a cursor this API did
 * not issue.
 */
export async function listComments(
	ctx: AppContext,
	opts: { actor: Actor; claimId: string } & EntryPageQuery,
): Promise<EntryPage<CommentView>> {
	const page = await readVisibleClaimEntries(
		runComments,
		ctx,
		opts.actor,
		opts.claimId,
		opts,
		(c) => c.seq,
	);
	return {
		items: page.items.map(({ seq: _, ...comment }) => comment),
		nextCursor: page.nextCursor,
	};
}

/**
 * The thread's statement (R-REV-3), built once and named ({@link preparedOnce}). Each
 * comment carries its place in the thread (`seq`, the cursor's position), which the
 * answer leaves out.
 */
const runComments = preparedOnce("cpor_claim_comments", (db, name) =>
	db
		.select({
			...claimVisibilityColumns,
			items: sql<
				(CommentView & { seq: number })[]
			>`coalesce((select json_agg(json_build_object(
					'id', c.id, 'authorName', c.author_name, 'authorRole', c.author_role,
					'kind', c.kind, 'body', c.body, 'template', c.template,
					'createdAt', ${isoText(sql`c.created_at`)},
					'seq', c.seq)
					order by c.seq)
				from (select * from claim_comments c
					where c.claim_id = "claims"."id" and (not c.internal or ${sql.placeholder("internal")})
						and c.seq > ${sql.placeholder("after")}
					order by c.seq
					limit ${sql.placeholder("take")}) c), '[]'::json)`,
		})
		.from(claims)
		.where(eq(claims.id, sql.placeholder("id")))
		.prepare(name),
);
