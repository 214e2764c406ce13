/**
 * The outbox dispatcher (R-NTF-1): side effects leave only after commit.
 * 1. `fanOutEvents` turns new outbox events, a batch at a time, into delivery rows
 *    (emails, webhook calls), idempotently (`dedupe_key`), and marks them processed, in
 *    one transaction; one process at a time fans out, so each channel's deliveries are
 *    numbered in event order.
 * 2. `deliverDue` takes due deliveries (SKIP LOCKED, so several workers share the work;
 *    reserved while they are sent, with no transaction open), sends several at a time,
 *    and marks each delivered, or schedules a retry with exponential backoff.
 *    Deliveries to one target are sent in order per claim (an earlier undelivered one
 *    holds back the later ones), so a webhook receiver sees a claim's events in order;
 *    different claims and targets do not wait for each other.
 */
import { asc, inArray, isNull, sql } from "drizzle-orm";
import pMap from "p-map";
import type { AppContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { deliveries, outbox } from "../db/schema.ts";

export type OutboxEvent = typeof outbox.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
/** A delivery to create: the dispatcher fills in ids, times and attempts. */
export type NewDelivery = Omit<
	typeof deliveries.$inferInsert,
	| "id"
	| "attempts"
	| "nextAttemptAt"
	| "deliveredAt"
	| "outcome"
	| "lastError"
	| "createdAt"
> & { nextAttemptAt?: Date };

/** One delivery channel: how an event becomes deliveries, and how one is sent. */
export interface Channel {
	name: string;
	/**
	 * The deliveries a batch of events causes (may be none), in the events' order: the
	 * dispatcher numbers them in that order. Runs in the fan-out transaction, with a fixed
	 * number of queries per batch, not per event.
	 */
	plan(tx: Tx, events: OutboxEvent[], ctx: AppContext): Promise<NewDelivery[]>;
	/**
	 * Sends one delivery. Resolves with the outcome (`sent`, or `kept` when kept for the
	 * dev mailbox); throws to retry later.
	 */
	send(delivery: Delivery, ctx: AppContext): Promise<"sent" | "kept">;
}

/** Backoff after `attempts` failures: 5 s, 10 s, 20 s … capped at one hour. */
export function retryDelayMs(attempts: number): number {
	return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** After this many failed attempts a delivery is given up (`outcome = failed`). */
export const MAX_ATTEMPTS = 20;

/** Inserts deliveries, skipping any whose dedupe key exists. Returns how many were new. */
export async function insertDeliveries(
	tx: Tx,
	rows: NewDelivery[],
	now: Date,
): Promise<number> {
	let inserted = 0;
	// In chunks: one INSERT of tens of thousands of rows overflows the query builder's stack.
	for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
		const done = await tx
			.insert(deliveries)
			.values(
				rows.slice(i, i + INSERT_CHUNK).map((r) => ({
					...r,
					nextAttemptAt: r.nextAttemptAt ?? now,
					createdAt: now,
				})),
			)
			.onConflictDoNothing({ target: deliveries.dedupeKey })
			.returning({ id: deliveries.id });
		inserted += done.length;
	}
	return inserted;
}

/** Deliveries per INSERT statement. */
const INSERT_CHUNK = 500;

/** The advisory lock key that serializes fan-out across processes (any constant bigint). */
const FAN_OUT_LOCK = 4_711_000_001;

/** Fans out unprocessed outbox events in batches, one process at a time (PostgreSQL advisory lock). Returns the number of events processed. */
export async function fanOutEvents(
	ctx: AppContext,
	channels: Channel[],
	opts: { batchSize?: number } = {},
): Promise<number> {
	let total = 0;
	for (;;) {
		const n = await ctx.db.transaction(async (tx) => {
			// One fan-out at a time across processes: then a claim's deliveries get ids (and
			// commit) in its events' order, which `deliverDue`'s hold-back relies on. With
			// overlapping fan-outs a later event's delivery could commit, and be sent, first.
			// (A waiting process then fans out whatever is still unprocessed.)
			if (ctx.dbKind === "postgres")
				await tx.execute(sql`select pg_advisory_xact_lock(${FAN_OUT_LOCK})`);
			const events = await tx
				.select()
				.from(outbox)
				.where(isNull(outbox.processedAt))
				.orderBy(asc(outbox.id))
				.limit(opts.batchSize ?? 200)
				.for("update", { skipLocked: true });
			if (events.length) {
				const now = ctx.clock.now();
				// Per channel, the whole batch at once (a handful of statements per batch,
				// not per event): within a channel the rows come in event order, so each
				// target's deliveries of a claim are numbered in its events' order.
				for (const channel of channels)
					await insertDeliveries(tx, await channel.plan(tx, events, ctx), now);
				await tx
					.update(outbox)
					.set({ processedAt: now })
					.where(
						inArray(
							outbox.id,
							events.map((e) => e.id),
						),
					);
			}
			return events.length;
		});
		total += n;
		if (n < (opts.batchSize ?? 200)) return total;
	}
}

/** Counts of one delivery pass. */
export interface DeliverResult {
	sent: number;
	kept: number;
	retried: number;
	failed: number;
}

/** Options of {@link deliverDue}. */
export interface DeliverOptions {
	/** Deliveries taken per pass (one transaction), default 50. */
	batchSize?: number;
	/** Deliveries of one pass sent at the same time (HTTP calls, SMTP sessions), default 10. */
	concurrency?: number;
	/**
	 * Milliseconds after which no new pass starts (real time; the pass under way ends).
	 * The sweeper sets it so that a backlog of deliveries cannot hold back the timers of
	 * the same round; the rest is sent on the next round. Default: until none is due.
	 */
	budgetMs?: number | undefined;
}

/**
 * How long a pass reserves the deliveries it takes (application-clock time): longer than
 * any pass can send (a webhook call times out after 10 s, an SMTP session after 30 s,
 * ten at a time). A process that dies while sending leaves its deliveries reserved this
 * long; then another pass takes them again (at least once, as before).
 */
export const DELIVERY_LEASE_MS = 10 * 60_000;

/**
 * Takes up to `batchSize` due deliveries for sending, in ONE statement (so no transaction
 * stays open while they are sent): each the oldest undelivered one of its target and
 * claim, locked with SKIP LOCKED (several processes share the work) and reserved for
 * {@link DELIVERY_LEASE_MS} by moving its `next_attempt_at` (so no other pass takes it
 * while it is sent). Returns them in id order, `nextAttemptAt` the reservation's end.
 */
async function takeDue(
	ctx: AppContext,
	batchSize: number,
): Promise<Delivery[]> {
	const now = ctx.clock.now();
	// Due deliveries in deliveries_due_idx order, each only when no earlier one to the
	// same target for the same claim is undelivered (deliveries_undelivered_queue_idx).
	const due = ctx.db
		.select({ id: deliveries.id })
		.from(deliveries)
		.where(
			sql`${deliveries.deliveredAt} is null and ${deliveries.nextAttemptAt} <= ${now}
        and not exists (select 1 from deliveries d2 where d2.target = ${deliveries.target}
          and coalesce(d2.claim_id, '') = coalesce(${deliveries.claimId}, '')
          and d2.id < ${deliveries.id} and d2.delivered_at is null)`,
		)
		.orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
		.limit(batchSize)
		.for("update", { skipLocked: true });
	const taken = await ctx.db
		.update(deliveries)
		.set({ nextAttemptAt: new Date(now.getTime() + DELIVERY_LEASE_MS) })
		.where(inArray(deliveries.id, due))
		.returning();
	return taken.sort((a, b) => a.id - b.id);
}

/**
 * Sends due deliveries, pass after pass, until none is due, 1,000 passes or `budgetMs`.
 * Each pass takes up to `batchSize` deliveries ({@link takeDue}: one statement, each the
 * oldest undelivered one of its target and claim, so a claim's events reach a receiver
 * in order, R-NTF-1), sends them `concurrency` at a time with no transaction open (a
 * slow receiver holds no connection, and on PGlite does not hold the one connection
 * every request needs), then marks each delivered or schedules its retry with backoff
 * ({@link retryDelayMs}) in one statement; after {@link MAX_ATTEMPTS} it is given up as
 * `failed`. An outcome is not written over a delivery closed meanwhile (its webhook
 * subscription deleted). Returns the counts; a channel's error never escapes (it is the
 * retry's `lastError`).
 */
export async function deliverDue(
	ctx: AppContext,
	channels: Channel[],
	opts: DeliverOptions = {},
): Promise<DeliverResult> {
	const result: DeliverResult = { sent: 0, kept: 0, retried: 0, failed: 0 };
	const byName = new Map(channels.map((c) => [c.name, c]));
	const started = Date.now();
	let passes = 0;
	for (;;) {
		const due = await takeDue(ctx, opts.batchSize ?? 50);
		// Heads of distinct queues: sending them at the same time keeps each queue's order.
		const outcomes = await pMap(
			due,
			async (d) => {
				try {
					const channel = byName.get(d.channel);
					if (!channel) throw new Error(`no channel "${d.channel}"`);
					return { d, outcome: await channel.send(d, ctx) };
				} catch (err) {
					return { d, error: err };
				}
			},
			{ concurrency: opts.concurrency ?? 10 },
		);
		// Every outcome in one statement (one JSON parameter, as batch-timers.ts does).
		const at = ctx.clock.now();
		const records = outcomes.map(({ d, outcome, error }) => {
			if (outcome) {
				result[outcome]++;
				return {
					id: d.id,
					attempts: d.attempts + 1,
					delivered_at: at.toISOString(),
					outcome,
					last_error: null,
					next_attempt_at: at.toISOString(),
				};
			}
			const attempts = d.attempts + 1;
			const giveUp = attempts >= MAX_ATTEMPTS;
			if (giveUp) result.failed++;
			else result.retried++;
			return {
				id: d.id,
				attempts,
				delivered_at: giveUp ? at.toISOString() : null,
				outcome: giveUp ? "failed" : null,
				last_error: String((error as Error)?.message ?? error).slice(0, 1000),
				next_attempt_at: new Date(
					at.getTime() + retryDelayMs(attempts),
				).toISOString(),
			};
		});
		if (records.length)
			await ctx.db.execute(sql`
        update deliveries as d set attempts = v.attempts, delivered_at = v.delivered_at,
          outcome = v.outcome, last_error = v.last_error, next_attempt_at = v.next_attempt_at
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id bigint,
          attempts integer, delivered_at timestamptz, outcome text, last_error text,
          next_attempt_at timestamptz)
        where d.id = v.id and d.delivered_at is null`);
		// A pass sends at most one delivery per target and claim (order), so keep passing
		// while there is progress; retries are scheduled in the future and drop out.
		if (due.length === 0 || ++passes >= 1_000) return result;
		if (opts.budgetMs !== undefined && Date.now() - started >= opts.budgetMs)
			return result;
	}
}
