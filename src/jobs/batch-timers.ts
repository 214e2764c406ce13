/**
 * Batched timer transitions for the sweeper (R-TIME-4, R-TIME-6): the same rules as
 * {@link expirePartnerResponse} and {@link activateAssociation} in timers.ts (re-check the
 * state and the deadline of each locked row, write the claim, one history row with the
 * same before/after, the comments and the outbox events in the caller's transaction), but
 * with a fixed number of statements per batch instead of ~10 per claim.
 */

import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { primaryRole, SYSTEM_ACTOR } from "../auth/actor.ts";
import { factsOf } from "../claims/claim-action.ts";
import {
	type Association,
	type ClaimRow,
	type ClaimView,
	carryPartsVersion,
	type loadClaimParts,
	type Rejection,
	toClaimView,
} from "../claims/claim-view.ts";
import {
	type CommentTemplate,
	type CommentText,
	commentBody,
	commentTextBody,
} from "../claims/comment-template.ts";
import { diff, type EventType, historySnapshot } from "../claims/history.ts";
import type { AppContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import {
	claimProducts,
	mpnIds,
	products,
	subscriptions,
} from "../db/schema.ts";
import {
	assertTransition,
	type TransitionFacts,
} from "../domain/claim-lifecycle.ts";
import type {
	Activity,
	SolutionArea,
	SubscriptionFacts,
} from "../domain/claim-validation.ts";
import { currentDueAt } from "../domain/deadlines.ts";
import { evaluateEligibility } from "../domain/eligibility.ts";
import { activationComment } from "./timers.ts";

/** The due-at of a claim row after its changes (as performClaimAction computes it). */
function dueAtOf(next: ClaimRow): Date | null {
	return currentDueAt(
		next.status as TransitionFacts["status"],
		{
			reviewStartDue: next.reviewStartDue,
			decisionDue: next.decisionDue,
			partnerResponseDue: next.partnerResponseDue,
			consentEndsAt: next.consentEndsAt,
			disputeUntil: next.disputeUntil,
			disputeDecisionDue: next.disputeDecisionDue,
		},
		{
			disputeOpen:
				(next.dispute as { status?: string } | null)?.status === "open",
			associationPending:
				(next.association as { status?: string } | null)?.status ===
				"pending_consent",
		},
	);
}

interface Planned {
	row: ClaimRow;
	next: ClaimRow;
	action: string;
	events: EventType[];
	/** The comment CPOR writes (as data, and its English body). */
	comment: { template: CommentTemplate; body: string; kind: string };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Writes planned transitions: one UPDATE of the claims, one INSERT of comments, of
 * history rows and of outbox events. `before` views are built from the locked rows.
 */
async function writePlanned(
	tx: Tx,
	planned: Planned[],
	now: Date,
	parts: Awaited<ReturnType<typeof loadClaimParts>>,
	columns: (next: ClaimRow) => Record<string, unknown>,
	columnTypes: string,
	setList: string,
): Promise<void> {
	if (planned.length === 0) return;
	const role = primaryRole(SYSTEM_ACTOR);
	const records = planned.map((p) => ({
		id: p.row.id,
		due_at: iso(p.next.dueAt),
		...columns(p.next),
	}));
	await tx.execute(sql`
    update claims as c set ${sql.raw(setList)}, due_at = v.due_at,
      version = c.version + 1, parts_version = ${carryPartsVersion}, updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id text, due_at timestamptz, ${sql.raw(columnTypes)})
    where c.id = v.id`);
	// Multi-row inserts as one JSON parameter each: building thousands of bound values
	// through the query builder costs more CPU than the database spends on them.
	await insertRecords(
		tx,
		"claim_comments",
		"id text, claim_id text, author_id text, author_name text, author_role text, kind text, body text, template jsonb, internal boolean, created_at timestamptz",
		planned.map((p) => ({
			id: randomUUID(),
			claim_id: p.row.id,
			author_id: SYSTEM_ACTOR.userId,
			author_name: SYSTEM_ACTOR.name,
			author_role: role,
			kind: p.comment.kind,
			body: p.comment.body,
			template: p.comment.template,
			internal: false,
			created_at: now.toISOString(),
		})),
	);
	const history: Record<string, unknown>[] = [];
	const events: Record<string, unknown>[] = [];
	for (const p of planned) {
		const lines = parts.lines.get(p.row.id) ?? [];
		const docs = parts.docs.get(p.row.id) ?? [];
		const before = toClaimView(p.row, lines, docs);
		const after: ClaimView = toClaimView(p.next, lines, docs);
		const d = diff(historySnapshot(before), historySnapshot(after));
		history.push({
			claim_id: p.row.id,
			at: now.toISOString(),
			actor_id: SYSTEM_ACTOR.userId,
			actor_name: SYSTEM_ACTOR.name,
			actor_role: role,
			action: p.action,
			before: d?.before ?? null,
			after: d?.after ?? null,
			internal: false,
		});
		for (const type of p.events)
			events.push({
				event_id: `evt_${randomUUID()}`,
				type,
				claim_id: after.id,
				organization_id: after.partnerOrganizationId,
				payload: {
					type,
					timestamp: now.toISOString(),
					data: { claim: after },
				},
				created_at: now.toISOString(),
			});
	}
	await insertRecords(
		tx,
		"claim_history",
		"claim_id text, at timestamptz, actor_id text, actor_name text, actor_role text, action text, before jsonb, after jsonb, internal boolean",
		history,
	);
	await insertRecords(
		tx,
		"outbox",
		"event_id text, type text, claim_id text, organization_id text, payload jsonb, created_at timestamptz",
		events,
	);
}

/** `insert into <table> (<columns>) select … from jsonb_to_recordset($1)`, rows in order. */
async function insertRecords(
	tx: Tx,
	table: string,
	columnTypes: string,
	records: Record<string, unknown>[],
): Promise<void> {
	if (records.length === 0) return;
	const columns = columnTypes
		.split(",")
		.map((c) => c.trim().split(" ")[0])
		.join(", ");
	await tx.execute(
		sql`insert into ${sql.raw(table)} (${sql.raw(columns)}) select ${sql.raw(columns)} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(${sql.raw(columnTypes)})`,
	);
}

/** The row after the bookkeeping columns performClaimAction sets. */
function advance(
	row: ClaimRow,
	changes: Partial<ClaimRow>,
	now: Date,
): ClaimRow {
	const next = { ...row, ...changes } as ClaimRow;
	next.dueAt = dueAtOf(next);
	next.version = row.version + 1;
	next.updatedAt = now;
	return next;
}

/**
 * R-TIME-4 for a batch of locked rows: each row whose status still allows the expiry
 * and whose response deadline passed at `now` is rejected with `no_partner_response`.
 * Returns how many were rejected.
 */
export async function expirePartnerResponses(
	ctx: AppContext,
	tx: Tx,
	rows: ClaimRow[],
	now: Date,
	parts: Awaited<ReturnType<typeof loadClaimParts>>,
): Promise<number> {
	const planned: Planned[] = [];
	const disputeUntil = ctx.deadlines.disputeUntil(now);
	for (const row of rows) {
		assertTransition("expire_partner_response", "system", factsOf(row, now));
		const due = row.partnerResponseDue;
		if (!due || due.getTime() > now.getTime()) continue;
		const text: CommentText = {
			key: "no_partner_response",
			due: due.toISOString(),
		};
		const template: CommentTemplate = {
			key: "rejected",
			reason: "no_partner_response",
			text,
			disputeUntil: disputeUntil.toISOString(),
		};
		const rejection: Rejection = {
			reason: "no_partner_response",
			comment: commentTextBody(text, ctx.calendar.timeZone),
			generated: text,
			rejectedAt: now.toISOString(),
			rejectedBy: SYSTEM_ACTOR.name,
			disputeUntil: disputeUntil.toISOString(),
		};
		planned.push({
			row,
			next: advance(
				row,
				{
					status: "rejected",
					rejection,
					decidedAt: now,
					disputeUntil,
					partnerResponseDue: null,
					dispute: null,
				},
				now,
			),
			action: "expire_partner_response",
			events: ["claim.rejected"],
			comment: {
				kind: "decision",
				template,
				body: commentBody(template, ctx.calendar.timeZone),
			},
		});
	}
	if (planned.length === 0) return 0;
	// R-CMP-1: a rejected claim stops being live (setLineFlags, for the whole batch).
	await tx
		.update(claimProducts)
		.set({ live: false, holdsAssociation: false })
		.where(
			inArray(
				claimProducts.claimId,
				planned.map((p) => p.row.id),
			),
		);
	await writePlanned(
		tx,
		planned,
		now,
		parts,
		(n) => ({
			status: n.status,
			rejection: n.rejection,
			decided_at: iso(n.decidedAt),
			dispute_until: iso(n.disputeUntil),
		}),
		"status text, rejection jsonb, decided_at timestamptz, dispute_until timestamptz",
		"status = v.status, rejection = v.rejection, decided_at = v.decided_at, dispute_until = v.dispute_until, partner_response_due = null, dispute = null",
	);
	return planned.length;
}

/**
 * R-TIME-6 and R-ELG-1 for a batch of locked rows: each approved claim whose consent
 * window ended at `now` gets an active association and its eligibility (directory
 * lookups batched: one query for subscriptions, one for MPN IDs). Returns the count.
 */
export async function activateAssociations(
	tx: Tx,
	rows: ClaimRow[],
	now: Date,
	parts: Awaited<ReturnType<typeof loadClaimParts>>,
): Promise<number> {
	const dueRows: ClaimRow[] = [];
	for (const row of rows) {
		assertTransition("activate_association", "system", factsOf(row, now));
		const ends = row.consentEndsAt;
		if (!ends || ends.getTime() > now.getTime()) continue;
		dueRows.push(row);
	}
	if (dueRows.length === 0) return 0;
	const subIds = [
		...new Set(
			dueRows.flatMap((r) =>
				(parts.lines.get(r.id) ?? [])
					.map((l) => l.subscriptionId)
					.filter((s): s is string => !!s),
			),
		),
	];
	const subs = subIds.length
		? await tx
				.select({ s: subscriptions, dynamics: products.dynamics })
				.from(subscriptions)
				.innerJoin(
					products,
					sql`${products.productId} = ${subscriptions.productId}`,
				)
				.where(inArray(subscriptions.subscriptionId, subIds))
		: [];
	const subById = new Map(
		subs.map((r) => [
			r.s.subscriptionId,
			{ ...r.s, dynamics: r.dynamics } as SubscriptionFacts,
		]),
	);
	const mpnRows = await tx
		.select()
		.from(mpnIds)
		.where(inArray(mpnIds.mpnId, [...new Set(dueRows.map((r) => r.mpnId))]));
	const mpnById = new Map(mpnRows.map((m) => [m.mpnId, m]));
	const planned: Planned[] = dueRows.map((row) => {
		const lineSubs = (parts.lines.get(row.id) ?? [])
			.map((l) => l.subscriptionId)
			.filter((s): s is string => !!s);
		const eligibility = evaluateEligibility(
			{
				solutionArea: row.solutionArea as SolutionArea,
				activity: row.activity as Activity,
				mpnPrograms: mpnById.get(row.mpnId)?.programs ?? [],
				subscriptions: lineSubs.map((id) => subById.get(id)),
			},
			now,
		);
		const association = row.association as Association;
		return {
			row,
			next: advance(
				row,
				{
					association: {
						...association,
						status: "active",
						// Active from the window's end (R-TIME-6), however late this runs.
						activatedAt: (row.consentEndsAt as Date).toISOString(),
					},
					eligibility,
				},
				now,
			),
			action: "activate_association",
			events: ["association.activated", "eligibility.evaluated"],
			comment: {
				kind: "system",
				template: activationComment(eligibility),
				// No instant in this comment: the calendar's zone does not matter.
				body: commentBody(activationComment(eligibility), "UTC"),
			},
		};
	});
	await writePlanned(
		tx,
		planned,
		now,
		parts,
		(n) => ({ association: n.association, eligibility: n.eligibility }),
		"association jsonb, eligibility jsonb",
		"association = v.association, eligibility = v.eligibility",
	);
	return planned.length;
}
