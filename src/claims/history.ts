/**
 * R-HIS-1 history rows and R-REV-3 comments, written inside the caller's transaction,
 * and the outbox events (R-NTF-1) that leave after commit.
 */
import { randomUUID } from "node:crypto";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { stringify as canonicalJson } from "safe-stable-stringify";
import { type Actor, primaryRole } from "../auth/actor.ts";
import type { Queryable, Tx } from "../db/client.ts";
import { claimComments, claimHistory, outbox } from "../db/schema.ts";
import type { ClaimView } from "./claim-view.ts";

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

function historyInsert(tx: Queryable, entry: HistoryEntry) {
	return tx.insert(claimHistory).values({
		claimId: entry.claimId,
		at: entry.at,
		actorId: entry.actor.userId,
		actorName: entry.actor.name,
		actorRole: primaryRole(entry.actor),
		action: entry.action,
		before: entry.before,
		after: entry.after,
		internal: entry.internal ?? false,
	});
}

/** Appends a history row (R-HIS-1): actor, role, time, action and before/after values. */
export async function recordHistory(
	tx: Tx,
	entry: HistoryEntry,
): Promise<void> {
	await historyInsert(tx, entry);
}

/**
 * Appends a history row (R-HIS-1) and the outbox events (R-NTF-1) of one change, each
 * carrying the claim resource, in ONE statement (a data-modifying CTE: one round trip
 * instead of one per row). Same rows as {@link recordHistory} then {@link emitEvent}.
 * `changes` are the statements that write the change itself (the claim's INSERT or
 * UPDATE, its product lines), run as parts of the same statement: all parts see one
 * snapshot, so none may read what another writes (foreign keys are checked at the end of
 * the statement, so a claim and its lines can be inserted together).
 * `guarded`: `changes[0]` is the claim's UPDATE with `RETURNING` and a version condition;
 * when it updates no row the statement raises `serialization_failure` (40001, migration
 * 0005's `cpor_expect_claim_updated`) and nothing of it is written. A function instead
 * of `true` wraps that check (an SQL expression) in further checks that raise the same
 * way (e.g. submit's `cpor_expect_no_competitors`).
 */
export async function recordHistoryAndEvents(
	tx: Queryable,
	entry: HistoryEntry,
	events: readonly EventType[],
	claim: ClaimView,
	changes: readonly SQLWrapper[] = [],
	guarded: boolean | ((check: SQL) => SQL) = false,
): Promise<void> {
	if (guarded && changes.length === 0)
		throw new Error("a guarded write needs the claim's UPDATE as changes[0]");
	const history = historyInsert(tx, entry).getSQL();
	const prefix = sql.join(
		changes.map((c, i) => sql`${sql.raw(`change_${i}`)} as (${c.getSQL()}), `),
	);
	const outboxInsert =
		events.length > 0
			? tx
					.insert(outbox)
					.values(events.map((type) => outboxRow(type, entry.at, claim)))
					.getSQL()
			: undefined;
	if (guarded) {
		const wrap =
			typeof guarded === "function" ? guarded : (check: SQL) => check;
		await tx.execute(
			sql`with ${prefix}history_row as (${history})${
				outboxInsert ? sql`, outbox_rows as (${outboxInsert})` : sql``
			} select ${wrap(sql`cpor_expect_claim_updated((select count(*) from change_0))`)}`,
		);
		return;
	}
	if (!outboxInsert) {
		await tx.execute(
			changes.length
				? sql`with ${prefix}history_row as (${history}) select 1`
				: history,
		);
		return;
	}
	await tx.execute(
		sql`with ${prefix}history_row as (${history}) ${outboxInsert}`,
	);
}

/** A comment of the claim's thread (R-REV-3). */
export interface NewComment {
	id: string;
	claimId: string;
	actor: Actor;
	at: Date;
	body: string;
	kind?: string;
	internal?: boolean;
}

/** Posts to the claim's comment thread (R-REV-3). Returns the comment ID. */
export async function postComment(
	tx: Tx,
	c: Omit<NewComment, "id">,
): Promise<string> {
	const id = randomUUID();
	await commentsInsert(tx, [{ ...c, id }]);
	return id;
}

/**
 * The INSERT of comments (not yet run), in one multi-row statement so their order in the
 * thread (`seq`) is the order given.
 */
export function commentsInsert(tx: Tx, comments: NewComment[]) {
	return tx.insert(claimComments).values(
		comments.map((c) => ({
			id: c.id,
			claimId: c.claimId,
			authorId: c.actor.userId,
			authorName: c.actor.name,
			authorRole: primaryRole(c.actor),
			kind: c.kind ?? "comment",
			body: c.body,
			internal: c.internal ?? false,
			createdAt: c.at,
		})),
	);
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
