/**
 * R-HIS-1 history rows and R-REV-3 comments, written inside the caller's transaction,
 * and the outbox events (R-NTF-1) that leave after commit.
 */

import { randomUUID } from "node:crypto";
import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { stringify as canonicalJson } from "safe-stable-stringify";
import { type Actor, primaryRole } from "../auth/actor.ts";
import type { Queryable, Tx } from "../db/client.ts";
import { claimComments, claimHistory, outbox } from "../db/schema.ts";
import {
	executeShaped,
	partPlaceholder,
	type ShapedPart,
	shapedInsert,
} from "../db/shaped-statement.ts";
import type { ClaimView } from "./claim-view.ts";
import type { CommentTemplate } from "./comment-template.ts";

/** Event types of API.md "Events". */
export const EVENT_TYPES = [
	"claim.submitted",
	"claim.review_started",
	"claim.information_requested",
	"claim.resubmitted",
	"claim.approved",
	"claim.rejected",
	"claim.disputed",
	"claim.dispute_decided",
	"claim.consent_declined",
	"association.activated",
	"eligibility.evaluated",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A history row (R-HIS-1): actor, role, time, action and before/after values. */
export interface HistoryEntry {
	claimId: string;
	actor: Actor;
	at: Date;
	action: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
	internal?: boolean;
}

/** The history row of `entry` (values of `claim_history`'s columns by key). */
function historyRow(entry: HistoryEntry) {
	return {
		claimId: entry.claimId,
		at: entry.at,
		actorId: entry.actor.userId,
		actorName: entry.actor.name,
		actorRole: primaryRole(entry.actor),
		action: entry.action,
		before: entry.before,
		after: entry.after,
		internal: entry.internal ?? false,
	};
}

/** Appends a history row (R-HIS-1): actor, role, time, action and before/after values. */
export async function recordHistory(
	tx: Tx,
	entry: HistoryEntry,
): Promise<void> {
	await tx.insert(claimHistory).values(historyRow(entry));
}

/**
 * A further check of a guarded write (see {@link recordHistoryAndEvents}): `wrap` puts
 * the check it is given (an SQL expression that raises `serialization_failure` when the
 * claim was not updated) inside its own, which must raise the same way. It writes its
 * values as `p(key)` placeholders from `values`, and depends on nothing but `key` (the
 * statement's text is kept per key: src/db/shaped-statement.ts).
 */
export interface WriteGuard {
	key: string;
	wrap(check: SQL, p: (key: string) => Placeholder): SQL;
	values: Readonly<Record<string, unknown>>;
}

/**
 * Appends a history row (R-HIS-1) and the outbox events (R-NTF-1) of one change, each
 * carrying the claim resource, in ONE statement with the writes of the change itself
 * (a data-modifying CTE: one round trip instead of one per row). `changes` are those
 * writes (the claim's INSERT or UPDATE first, then e.g. its product lines or a document),
 * as shaped parts, so the statement's text is rendered once per shape
 * (src/db/shaped-statement.ts). Same rows as {@link recordHistory} then {@link emitEvent}.
 * All parts see one snapshot, so none may read what another writes (foreign keys are
 * checked at the end of the statement, so a claim and its lines can be inserted
 * together).
 * `guards`: when given, `changes[0]` is the claim's UPDATE with `RETURNING` and a version
 * condition; when it updates no row the statement raises `serialization_failure` (40001,
 * migration 0005's `cpor_expect_claim_updated`) and nothing of it is written. Each guard
 * wraps that check in a further one that raises the same way (e.g. submit's
 * `cpor_expect_no_competitors`).
 * @throws the database's error; nothing of the statement is written then.
 */
export async function recordHistoryAndEvents(
	tx: Queryable,
	entry: HistoryEntry,
	events: readonly EventType[],
	claim: ClaimView,
	changes: readonly [ShapedPart, ...ShapedPart[]],
	guards?: readonly WriteGuard[],
): Promise<void> {
	const parts: ShapedPart[] = [
		...changes,
		shapedInsert(claimHistory, [historyRow(entry)]),
	];
	const outboxAt = events.length > 0 ? parts.length : undefined;
	if (outboxAt !== undefined)
		parts.push(
			shapedInsert(
				outbox,
				events.map((type) => outboxRow(type, entry.at, claim)),
			),
		);
	const guardsAt = parts.length;
	// What `compose` below depends on besides the parts.
	let key = `claim write ${changes.length} ${outboxAt ?? "-"} ${guards ? "guarded" : "-"}`;
	for (const guard of guards ?? []) {
		key += ` ${guard.key}`;
		parts.push({ key: guard.key, values: [guard.values], build: () => sql`` });
	}
	await executeShaped(tx, key, parts, (built) => {
		const ctes = built
			.slice(0, changes.length)
			.map((c, i) => sql`${sql.raw(`change_${i}`)} as (${c}), `);
		const history = built[changes.length];
		const outboxInsert = outboxAt === undefined ? undefined : built[outboxAt];
		const head = sql`with ${sql.join(ctes)}history_row as (${history})`;
		if (guards) {
			let check = sql`cpor_expect_claim_updated((select count(*) from change_0))`;
			guards.forEach((guard, i) => {
				const p = partPlaceholder(guardsAt + i);
				check = guard.wrap(check, (k) => p(0, k));
			});
			return sql`${head}${
				outboxInsert ? sql`, outbox_rows as (${outboxInsert})` : sql``
			} select ${check}`;
		}
		return outboxInsert ? sql`${head} ${outboxInsert}` : sql`${head} select 1`;
	});
}

/** A comment of the claim's thread (R-REV-3). */
export interface NewComment {
	id: string;
	claimId: string;
	actor: Actor;
	at: Date;
	body: string;
	/** A comment CPOR wrote, as data (its English is `body`). */
	template?: CommentTemplate;
	kind?: string;
	internal?: boolean;
}

/** Posts to the claim's comment thread (R-REV-3). Returns the comment ID. */
export async function postComment(
	tx: Tx,
	c: Omit<NewComment, "id">,
): Promise<string> {
	const id = randomUUID();
	await tx.insert(claimComments).values(commentRows([{ ...c, id }]));
	return id;
}

/**
 * The rows of `claim_comments` (values by column key) of comments, in their order: one
 * multi-row INSERT of them gives the thread (`seq`) that order.
 */
export function commentRows(comments: readonly NewComment[]) {
	return comments.map((c) => ({
		id: c.id,
		claimId: c.claimId,
		authorId: c.actor.userId,
		authorName: c.actor.name,
		authorRole: primaryRole(c.actor),
		kind: c.kind ?? "comment",
		body: c.body,
		template: c.template,
		internal: c.internal ?? false,
		createdAt: c.at,
	}));
}

function outboxRow(
	type: EventType,
	at: Date,
	claim: ClaimView,
	extra: Record<string, unknown> = {},
) {
	return {
		eventId: `evt_${randomUUID()}`,
		type,
		claimId: claim.id,
		organizationId: claim.partnerOrganizationId,
		payload: { type, timestamp: at.toISOString(), data: { claim, ...extra } },
		createdAt: at,
	};
}

/** Writes an outbox event carrying the claim resource (API.md "Events"). */
export async function emitEvent(
	tx: Tx,
	type: EventType,
	at: Date,
	claim: ClaimView,
	extra: Record<string, unknown> = {},
) {
	await tx.insert(outbox).values(outboxRow(type, at, claim, extra));
}

/**
 * The fields whose values differ between two snapshots: `{ before, after }` of only those.
 * Values compare as JSON with sorted keys: a JSON column read back from PostgreSQL has
 * its keys in jsonb order, a value an action just built has them in its own order, and
 * the same content is no change.
 */
export function diff(
	before: Record<string, unknown>,
	after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
	const b: Record<string, unknown> = {};
	const a: Record<string, unknown> = {};
	for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
		if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
			b[key] = before[key] ?? null;
			a[key] = after[key] ?? null;
		}
	}
	return Object.keys(a).length ? { before: b, after: a } : null;
}

/** The part of a claim view that history records (no timestamps of bookkeeping). */
export function historySnapshot(v: ClaimView): Record<string, unknown> {
	const { updatedAt: _u, version: _v, documents, ...rest } = v;
	return {
		...rest,
		documents: documents.map((d) => ({
			id: d.id,
			name: d.name,
			sha256: d.sha256,
		})),
	};
}
