/**
 * The one way a claim changes: lock the row, check visibility, version (R-EDIT-2) and
 * the state machine (SPEC section 4), apply the change, and write the claim, its history
 * row (R-HIS-1), comments and outbox events in ONE transaction. Actions that only build
 * statements can instead run `optimistic`: read without a lock, then one statement that
 * writes everything only if the claim's version is still the one read.
 */

import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { pgErrorCode, type Queryable, type Tx } from "../db/client.ts";
import { preparedOnce } from "../db/prepared.ts";
import { claimComments, claims } from "../db/schema.ts";
import {
	type ShapedPart,
	shapeConstant,
	shapedInsert,
	shapedUpdate,
} from "../db/shaped-statement.ts";
import {
	assertTransition,
	type ClaimAction,
	type TransitionFacts,
} from "../domain/claim-lifecycle.ts";
import { currentDueAt } from "../domain/deadlines.ts";
import { DomainError, notFound } from "../domain/errors.ts";
import {
	type ClaimDocumentRow,
	type ClaimProductRow,
	type ClaimRow,
	type ClaimRowWithParts,
	type ClaimView,
	carryPartsVersion,
	claimColumns,
	claimPartsJson,
	claimResourceJson,
	claimWithPartsColumns,
	loadClaimParts,
	splitClaimParts,
	toClaimView,
} from "./claim-view.ts";
import { type CommentTemplate, commentBody } from "./comment-template.ts";
import {
	claimDirectoryFacts,
	claimDirectoryFactsColumn,
	type DirectoryFacts,
} from "./directory-facts.ts";
import {
	commentRows,
	diff,
	type EventType,
	historySnapshot,
	type NewComment,
	recordHistoryAndEvents,
	type WriteGuard,
} from "./history.ts";

/** True when the actor may see this claim at all (partners: own organization; customers: own tenant; reviewers: past draft). */
export function canSeeClaim(
	actor: Actor,
	row: Pick<ClaimRow, "partnerOrganizationId" | "tenantId" | "status">,
): boolean {
	switch (actor.kind) {
		case "partner":
			return (
				!!actor.organizationId &&
				actor.organizationId === row.partnerOrganizationId
			);
		case "customer":
			return (
				!!actor.tenantId &&
				actor.tenantId.toLowerCase() === row.tenantId.toLowerCase() &&
				row.status !== "draft"
			);
		case "reviewer":
			// A draft is the partner's own until submitted (reviewers get 404, as in lists).
			return row.status !== "draft";
		case "system":
			return true;
		default:
			return false;
	}
}

/** The state-machine facts of a claim row at `now`. */
export function factsOf(
	row: Pick<
		ClaimRow,
		| "status"
		| "dispute"
		| "association"
		| "consentEndsAt"
		| "rejection"
		| "disputeUntil"
		| "partnerResponseDue"
	>,
	now: Date,
): TransitionFacts {
	const dispute = row.dispute as { status?: string } | null;
	const association = row.association as { status?: string } | null;
	const rejection = row.rejection as { reason?: string } | null;
	return {
		partnerResponseOpen:
			!row.partnerResponseDue ||
			now.getTime() < row.partnerResponseDue.getTime(),
		disputeWindowOpen:
			!!rejection &&
			rejection.reason !== "partner_request" &&
			!!row.disputeUntil &&
			now.getTime() < row.disputeUntil.getTime(),
		status: row.status as TransitionFacts["status"],
		disputeOpen: dispute?.status === "open",
		consentWindowOpen:
			!!row.consentEndsAt && now.getTime() < row.consentEndsAt.getTime(),
		associationPending: association?.status === "pending_consent",
	};
}

/** Parses an If-Match value (`"4"`, `W/"4"`, `4`) into a version number, or throws 412. */
export function parseIfMatch(
	ifMatch: string | undefined | null,
): number | undefined {
	if (ifMatch == null || ifMatch === "" || ifMatch === "*") return undefined;
	const m = /^(?:W\/)?"?(\d+)"?$/.exec(ifMatch.trim());
	if (!m)
		throw new DomainError(
			"version_conflict",
			`If-Match "${ifMatch}" is not a claim version; send the ETag you read.`,
		);
	return Number(m[1]);
}

/** What an action's `apply` can use. */
export interface ActionScope {
	tx: Tx;
	ctx: AppContext;
	/** The locked claim row as it was before the action. */
	claim: ClaimRow;
	actor: Actor;
	now: Date;
	/** The claim's product lines (with catalog names) before the action, position order. */
	lines: (ClaimProductRow & { name: string })[];
	/** The claim's documents before the action, upload order. */
	docs: ClaimDocumentRow[];
	/**
	 * The claim's directory facts for submitting it, read in the same statement as the
	 * claim (`withDirectoryFacts`, optimistic tries only; undefined under the row lock).
	 */
	directoryFacts?: DirectoryFacts | undefined;
	/**
	 * Post a comment to the thread (R-REV-3), written with the claim (see `defer`): a
	 * person's words, or a comment CPOR writes as a {@link CommentTemplate} (its English
	 * body in the business calendar's time zone).
	 */
	comment(body: string | CommentTemplate, kind?: string): Promise<string>;
	/**
	 * Writes `statement` (a shaped part: src/db/shaped-statement.ts, e.g. `shapedInsert`)
	 * in the same statement as the claim's update, its history row and
	 * its events (one round trip). It runs after `apply` returns, so nothing in this action
	 * may read what it writes, and the order among deferred statements is not defined
	 * (PostgreSQL runs the parts of one statement in an order of its own): defer at most
	 * one write per table. Not with `writesParts` (the parts are read before it runs).
	 */
	defer(statement: ShapedPart): void;
	/**
	 * Tells the action the claim's documents after `apply` (upload order) when `apply`
	 * changed them and knows the result, so they are not read again.
	 */
	setDocs(docs: ClaimDocumentRow[]): void;
	/**
	 * True when the action runs `optimistic` (no transaction, no row lock): `apply` must
	 * then write nothing itself; when it finds it has to (e.g. marking competitors), it
	 * calls {@link ActionScope.needLock}.
	 */
	optimistic: boolean;
	/**
	 * Stops an `optimistic` try (nothing is written) and runs the action again, from the
	 * read, in a transaction under the row lock. Never returns.
	 */
	needLock(): never;
	/**
	 * With `optimistic` only: wraps the write's final check (the claim's version guard,
	 * an SQL expression) in a further check that raises `serialization_failure` when it
	 * fails, so that the try is undone and the action read and applied again (e.g.
	 * submit's `cpor_expect_no_competitors`, migration 0007). See {@link WriteGuard}.
	 */
	guard(guard: WriteGuard): void;
}

/** `version + 1`, the SET of every claim write (a constant of its shapes). */
const nextVersion = shapeConstant("version + 1", sql`${claims.version} + 1`);

/** Thrown by {@link ActionScope.needLock}: the action is run again under the row lock. */
class NeedLock extends Error {}

/**
 * Whether an action's new directory snapshot (R-DIR-6; undefined: not rewritten) says
 * something the stored one does not, apart from when it was taken: an edit to the values
 * a claim has that finds the directory changed (an MPN ID's programs, a subscription) is
 * a change, written with its new snapshot.
 */
function snapshotChanged(stored: unknown, next: unknown): boolean {
	if (next === undefined) return false;
	// As stored (jsonb: no undefined members; key order does not matter below).
	const plain = (v: unknown) => {
		const { validatedAt: _at, ...rest } = (JSON.parse(
			JSON.stringify(v ?? {}),
		) ?? {}) as Record<string, unknown>;
		return rest;
	};
	return !isDeepStrictEqual(plain(stored), plain(next));
}

/** Thrown out of the transaction when an `unchangedIsNoop` action changed nothing. */
class Unchanged extends Error {
	constructor(readonly view: ClaimView) {
		super("unchanged");
	}
}

/** Options of {@link performClaimAction}. */
export interface PerformClaimActionOptions {
	claimId: string;
	actor: Actor;
	action: ClaimAction;
	/** History action name (defaults to `action`). */
	historyAction?: string;
	/** The version the caller read (If-Match); stale → 412 `version_conflict`. */
	expectedVersion?: number | undefined;
	/** Returns the claim columns to change; products/documents may be written directly. */
	apply: (scope: ActionScope) => Promise<Partial<ClaimRow>>;
	/** Outbox events to emit with the new claim resource. */
	events?: EventType[];
	/** Skip the state machine (used by `performClaimAction` callers that check themselves). */
	skipTransitionCheck?: boolean;
	/**
	 * Run without a transaction or row lock. Only for actions whose `apply` writes nothing
	 * itself (it may read, `defer`, `comment` and `setDocs`, or call `needLock`; not with
	 * `writesParts`). The claim and its parts are read in one statement (no lock);
	 * the action's one statement updates the claim only where its version is still the
	 * one read and otherwise raises `serialization_failure` (migration 0005), writing
	 * nothing; the action is then read, checked and applied again, at most
	 * {@link OPTIMISTIC_ATTEMPTS} times, then under the row lock. A `DomainError` from
	 * `apply` is final only while the claim is still at the version read (one more read).
	 * Two statements instead of four (BEGIN, locking read, write, COMMIT).
	 */
	optimistic?: boolean;
	/**
	 * With `optimistic`: runs once, after the first read's visibility, version and
	 * transition checks passed and before `apply` (e.g. storing an upload's file, so a
	 * forbidden upload stores nothing). Not inside any transaction.
	 */
	prepare?: () => Promise<void>;
	/**
	 * True when `apply` adds, removes or reorders product lines or documents: the result
	 * is then built from a reload of them. Otherwise the lines and documents read before
	 * `apply` are reused (two fewer queries per action).
	 */
	writesParts?: boolean;
	/**
	 * With `optimistic`: each optimistic try reads the claim's directory facts
	 * ({@link claimDirectoryFactsColumn}) in the same statement as the claim, for `apply`
	 * as {@link ActionScope.directoryFacts} (one round trip fewer than reading them in
	 * `apply`). Under the row lock `apply` reads them itself.
	 */
	withDirectoryFacts?: boolean;
	/**
	 * When the action leaves the claim as it was (no field of its history snapshot, no
	 * comment, no deferred write, the same directory snapshot), nothing is written, not even by `apply` (its
	 * transaction is rolled back), and the claim is returned at its version: no new
	 * version, no history entry of nothing (an edit to the values the claim has).
	 * Not with a caller's `tx`, where it is ignored.
	 */
	unchangedIsNoop?: boolean;
}

/**
 * Runs one claim action in its own transaction (or in `tx` when given; or without one
 * when `optimistic`) and returns the new claim resource. Throws `not_found` (invisible
 * or missing), `version_conflict`, `invalid_transition`/`claim_not_editable`, or
 * whatever `apply` throws; on any throw nothing is written.
 */
export async function performClaimAction(
	ctx: AppContext,
	opts: PerformClaimActionOptions,
	tx?: Tx,
): Promise<ClaimView> {
	if (opts.optimistic && (tx || opts.writesParts))
		throw new Error(
			`${opts.action}: an optimistic action runs in no caller's transaction and without writesParts`,
		);
	if ((opts.prepare || opts.withDirectoryFacts) && !opts.optimistic)
		throw new Error(
			`${opts.action}: prepare and withDirectoryFacts are for optimistic actions only`,
		);
	if (tx) return actInTx(ctx, { ...opts, unchangedIsNoop: false }, tx);
	if (opts.optimistic) {
		let prepared = !opts.prepare;
		for (let attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
			// Refusals of the read (visibility, version, transition) and of `prepare` are
			// final: they come from one consistent read, and `prepare` runs once at most.
			const now = ctx.clock.now();
			const { found, directoryFacts } = await readOptimistic(ctx.db, opts);
			const read = checkTransition(
				opts,
				splitClaimParts(
					checkVisibleVersion(found, opts.actor, opts.expectedVersion),
				),
				now,
				directoryFacts,
			);
			if (!prepared) {
				prepared = true;
				await opts.prepare?.();
			}
			try {
				return await applyAndWrite(ctx, opts, ctx.db, read, true);
			} catch (err) {
				if (err instanceof Unchanged) return err.view;
				if (err instanceof NeedLock) break;
				if (pgErrorCode(err) === "40001") continue;
				// `apply` may read after the claim was read (e.g. submit's directory facts): a
				// refusal it based on the claim as read stands only while that is current.
				if (
					err instanceof DomainError &&
					(await claimVersion(ctx.db, opts.claimId)) !== read.row.version
				)
					continue;
				throw err;
			}
		}
	}
	// Under the row lock. A deadlock (40P01) is retried: a line edit holds its claim's row
	// while it waits for the compete-key locks (markCompeting), which a submit under the
	// lock may hold while it waits for that row to mark it competing; PostgreSQL aborts
	// one of them, which then runs again once the other committed.
	for (let attempt = 1; ; attempt++) {
		try {
			return await ctx.db.transaction((t) => actInTx(ctx, opts, t));
		} catch (err) {
			if (err instanceof Unchanged) return err.view;
			if (pgErrorCode(err) !== "40P01" || attempt >= DEADLOCK_ATTEMPTS)
				throw err;
		}
	}
}

/** How often an action under the row lock is tried when it is a deadlock's victim. */
export const DEADLOCK_ATTEMPTS = 3;

/** The claim's current version, or undefined when it is gone. */
async function claimVersion(
	q: Queryable,
	claimId: string,
): Promise<number | undefined> {
	const [row] = await q
		.select({ version: claims.version })
		.from(claims)
		.where(eq(claims.id, claimId));
	return row?.version;
}

/**
 * How often an `optimistic` action is tried before it waits for the row lock instead
 * (each try fails only when another action changed the claim in between).
 */
export const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Locks a claim row (FOR UPDATE) that the actor may see and checks the version the
 * caller read (R-EDIT-2). @throws `not_found` (missing or invisible), `version_conflict`.
 */
export async function lockVisibleClaim(
	tx: Tx,
	actor: Actor,
	claimId: string,
	expectedVersion: number | undefined,
): Promise<ClaimRow> {
	const [row] = await tx
		.select(claimColumns)
		.from(claims)
		.where(eq(claims.id, claimId))
		.for("update");
	return checkVisibleVersion(row, actor, expectedVersion);
}

/**
 * {@link lockVisibleClaim} that also reads the claim's product lines and documents, in
 * the same statement. When the statement had to wait for the row lock and the row
 * changed meanwhile, PostgreSQL returns the newest row but the subqueries still see the
 * data as of the statement's start: the claim's version as of that start is read along,
 * and when it differs the parts are read again (now under the lock). @throws
 * `not_found`, `version_conflict`.
 */
export async function lockVisibleClaimWithParts(
	tx: Tx,
	actor: Actor,
	claimId: string,
	expectedVersion: number | undefined,
): Promise<ReturnType<typeof splitClaimParts>> {
	const [found] = await tx
		.select({
			...claimWithPartsColumns,
			versionAtStart: sql<number>`(select c.version from claims c where c.id = "claims"."id")`,
		})
		.from(claims)
		.where(eq(claims.id, claimId))
		.for("update", { of: claims });
	checkVisibleVersion(found, actor, expectedVersion);
	const { versionAtStart, ...row } = found as ClaimRowWithParts & {
		versionAtStart: number;
	};
	const parts = splitClaimParts(row);
	if (versionAtStart === row.version) return parts;
	const fresh = await loadClaimParts(tx, [claimId]);
	return {
		row: parts.row,
		lines: fresh.lines.get(claimId) ?? [],
		docs: fresh.docs.get(claimId) ?? [],
	};
}

function checkVisibleVersion<T extends ClaimRow>(
	row: T | undefined,
	actor: Actor,
	expectedVersion: number | undefined,
): T {
	if (!row || !canSeeClaim(actor, row)) throw notFound();
	if (expectedVersion !== undefined && expectedVersion !== row.version) {
		throw new DomainError(
			"version_conflict",
			`The claim changed since you read it (you sent version ${expectedVersion}, it is now ${row.version}). Reload it and apply your change again.`,
			[],
			{ currentVersion: row.version },
		);
	}
	return row;
}

async function actInTx(
	ctx: AppContext,
	opts: PerformClaimActionOptions,
	tx: Tx,
): Promise<ClaimView> {
	const now = ctx.clock.now();
	const parts = await lockVisibleClaimWithParts(
		tx,
		opts.actor,
		opts.claimId,
		opts.expectedVersion,
	);
	return applyAndWrite(ctx, opts, tx, checkTransition(opts, parts, now), false);
}

/** A claim and its parts as read by an action, with the time the checks used. */
interface ActionRead extends ReturnType<typeof splitClaimParts> {
	now: Date;
	/** Read with the claim (`withDirectoryFacts`), else undefined. */
	directoryFacts?: DirectoryFacts | undefined;
}

/**
 * An optimistic action's read: the claim with its parts by id, built once per database
 * handle and prepared on PostgreSQL ({@link preparedOnce}).
 */
const readClaimWithParts = preparedOnce("cpor_claim_with_parts", (db, name) =>
	db
		.select(claimWithPartsColumns)
		.from(claims)
		.where(eq(claims.id, sql.placeholder("id")))
		.prepare(name),
);

/** {@link readClaimWithParts} with the claim's {@link claimDirectoryFactsColumn}. */
const readClaimWithPartsAndFacts = preparedOnce(
	"cpor_claim_with_parts_facts",
	(db, name) =>
		db
			.select({
				...claimWithPartsColumns,
				directoryFacts: claimDirectoryFactsColumn,
			})
			.from(claims)
			.where(eq(claims.id, sql.placeholder("id")))
			.prepare(name),
);

/**
 * An optimistic try's read: the claim with its parts by id, and its directory facts
 * with `withDirectoryFacts`, in one statement. `found` is undefined when the claim is
 * missing.
 */
async function readOptimistic(
	db: Queryable,
	opts: PerformClaimActionOptions,
): Promise<{
	found: ClaimRowWithParts | undefined;
	directoryFacts?: DirectoryFacts;
}> {
	if (!opts.withDirectoryFacts) {
		const [found] = await readClaimWithParts(db, { id: opts.claimId });
		return { found };
	}
	const [read] = await readClaimWithPartsAndFacts(db, { id: opts.claimId });
	if (!read) return { found: undefined };
	const { directoryFacts, ...found } = read;
	return { found, directoryFacts: claimDirectoryFacts(directoryFacts) };
}

/**
 * Checks a claim read by an action against the state machine at `now` (unless
 * `skipTransitionCheck`) and returns it with `now`. @throws `invalid_transition`.
 */
function checkTransition(
	opts: PerformClaimActionOptions,
	parts: ReturnType<typeof splitClaimParts>,
	now: Date,
	directoryFacts?: DirectoryFacts,
): ActionRead {
	if (!opts.skipTransitionCheck)
		assertTransition(opts.action, opts.actor.kind, factsOf(parts.row, now));
	return { ...parts, now, directoryFacts };
}

/**
 * Applies the action to what was read and writes it in one statement. `guarded`: the
 * claim is updated only where its version is still the one read, else the statement
 * raises `serialization_failure` and writes nothing (`optimistic`).
 */
async function applyAndWrite(
	ctx: AppContext,
	opts: PerformClaimActionOptions,
	q: Queryable,
	read: ActionRead,
	guarded: boolean,
): Promise<ClaimView> {
	// Optimistic actions build statements only (see `optimistic`); Drizzle's database and
	// transaction handles build the same statements.
	const tx = q as Tx;
	const {
		row,
		lines: beforeLines,
		docs: beforeDocs,
		now,
		directoryFacts,
	} = read;
	const beforeView = toClaimView(row, beforeLines, beforeDocs);
	let docsAfter: ClaimDocumentRow[] | undefined;
	const deferred: ShapedPart[] = [];
	// Comments go in one multi-row INSERT, so their order (seq) is the order of the calls.
	const comments: NewComment[] = [];
	// The optimistic write's further checks (`guard`), innermost first.
	const guards: WriteGuard[] = [];
	const scope: ActionScope = {
		tx,
		ctx,
		claim: row,
		actor: opts.actor,
		now,
		lines: beforeLines,
		docs: beforeDocs,
		directoryFacts,
		comment: async (body, kind) => {
			const id = randomUUID();
			comments.push({
				id,
				claimId: row.id,
				actor: opts.actor,
				at: now,
				...(typeof body === "string"
					? { body }
					: {
							body: commentBody(body, ctx.calendar.timeZone),
							template: body,
						}),
				kind,
			});
			return id;
		},
		defer: (statement) => {
			deferred.push(statement);
		},
		setDocs: (docs) => {
			docsAfter = docs;
		},
		optimistic: guarded,
		needLock: () => {
			if (!guarded)
				throw new Error(`${opts.action}: needLock under the row lock`);
			throw new NeedLock(`${opts.action}: run again under the row lock`);
		},
		guard: (guard) => {
			if (!guarded) throw new Error(`${opts.action}: guard under the row lock`);
			guards.push(guard);
		},
	};
	const changes = await opts.apply(scope);
	if (opts.writesParts && deferred.length > 0)
		throw new Error(
			`${opts.action}: a deferred write cannot be combined with writesParts (the parts are read before it runs)`,
		);
	if (comments.length > 0)
		deferred.push(shapedInsert(claimComments, commentRows(comments)));
	// Keys `apply` left undefined are not written (as Drizzle's `set` skips them).
	for (const key of Object.keys(changes) as (keyof ClaimRow)[])
		if (changes[key] === undefined) delete changes[key];
	const next = { ...row, ...changes };
	const dueAt = currentDueAt(
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
	// The row as written, built here rather than read back (RETURNING every column costs
	// more to build and parse than the rest of the statement): the row is locked, no
	// trigger changes it (claims has AFTER triggers only) and every value is explicit.
	const updated: ClaimRow = {
		...next,
		dueAt,
		version: row.version + 1,
		updatedAt: now,
	};
	// `apply` may have written products or documents: then reload the parts, not the row.
	const afterParts = opts.writesParts
		? await loadClaimParts(tx, [row.id])
		: undefined;
	const afterView = toClaimView(
		updated,
		afterParts ? (afterParts.lines.get(row.id) ?? []) : beforeLines,
		afterParts
			? (afterParts.docs.get(row.id) ?? [])
			: (docsAfter ?? beforeDocs),
	);
	// The row's copies of its parts: written from the view when the parts changed or the
	// copies were not current (then they are from now on), else carried to the new version.
	const partsChanged =
		afterParts !== undefined ||
		docsAfter !== undefined ||
		row.partsVersion !== row.version;
	// Written below with the history row and the events, in one statement.
	const set = {
		...changes,
		dueAt,
		version: nextVersion,
		updatedAt: now,
		...(partsChanged
			? claimPartsJson(afterView)
			: { partsVersion: carryPartsVersion }),
		// The whole resource as the write leaves it (lists read this text).
		...claimResourceJson(afterView),
	};
	const claimUpdate = guarded
		? shapedUpdate(claims, set, { id: row.id, version: row.version }, ["id"])
		: shapedUpdate(claims, set, { id: row.id });
	const d = diff(historySnapshot(beforeView), historySnapshot(afterView));
	if (
		opts.unchangedIsNoop &&
		!d &&
		comments.length === 0 &&
		deferred.length === 0 &&
		!snapshotChanged(row.snapshot, changes.snapshot)
	)
		throw new Unchanged(beforeView);
	await recordHistoryAndEvents(
		tx,
		{
			claimId: row.id,
			actor: opts.actor,
			at: now,
			action: opts.historyAction ?? opts.action,
			before: d?.before ?? null,
			after: d?.after ?? null,
		},
		opts.events ?? [],
		afterView,
		[claimUpdate, ...deferred],
		guarded ? guards : undefined,
	);
	return afterView;
}
