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

/**
 * A delivery is given up (`outcome = failed`) after this many failed attempts, and only
 * once it is {@link MAX_DELIVERY_AGE_MS} old: a mail server or receiver down for days
 * loses nothing (R-NTF-1), as a mail server's own queue keeps a message for days.
 */
export const MAX_ATTEMPTS = 20;

/** How long a failing delivery is retried at least (5 days, as postfix's queue lifetime). */
export const MAX_DELIVERY_AGE_MS = 5 * 86_400_000;

/** True when a delivery that failed `attempts` times, created at `createdAt`, is given up at `now`. */
export function givesUp(attempts: number, createdAt: Date, now: Date): boolean {
	return (
		attempts >= MAX_ATTEMPTS &&
		now.getTime() - createdAt.getTime() >= MAX_DELIVERY_AGE_MS
	);
}

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
 * How long a pass reserves the deliveries it takes, in real time (not the sandbox clock,
 * which can jump ahead while a call is under way): longer than any pass can send (a
 * webhook call times out after 10 s, an SMTP session after 30 s, ten at a time). A
 * process that dies while sending leaves its batch, and the later deliveries of those
 * claims to those targets, waiting this long; then another pass takes it again.
 */
export const DELIVERY_LEASE_MS = 10 * 60_000;

/** Why a delivery was given up when its last attempts left no outcome. */
export const LOST_ATTEMPTS_ERROR =
	"given up: its last attempts ended without an outcome (the sending process stopped)";

/**
 * Takes up to `batchSize` due deliveries for sending in ONE statement, so that no
 * transaction stays open while they are sent: each the oldest undelivered one of its
 * target and claim, not reserved by another pass, locked with SKIP LOCKED (several
 * processes share the work) in a MATERIALIZED CTE (an `IN (… LIMIT n FOR UPDATE SKIP
 * LOCKED)` subquery may run more than once and take more than n), then reserved for
 * {@link DELIVERY_LEASE_MS} (`reserved_until`) with its `attempts` counted (so an
 * attempt whose process died counts, and a late outcome of it is recognised). One that
 * already had {@link MAX_ATTEMPTS} attempts and is {@link MAX_DELIVERY_AGE_MS} old (the
 * outcomes of the last ones lost with their process) is given up as `failed` instead, so it stops holding back the later
 * deliveries of its claim and target. Returns the taken deliveries (read by id in a
 * second query, mapped by Drizzle) in id order and how many were given up.
 */
async function takeDue(
	ctx: AppContext,
	batchSize: number,
): Promise<{ taken: Delivery[]; givenUp: number }> {
	const now = ctx.clock.now();
	const oldEnough = new Date(now.getTime() - MAX_DELIVERY_AGE_MS);
	// Due deliveries in deliveries_due_idx order, each only when no earlier one to the
	// same target for the same claim is undelivered (deliveries_undelivered_queue_idx).
	const result = (await ctx.db.execute(sql`
    with due as materialized (
      select id, attempts,
        -- Given up here only when the outcomes of its last attempts were lost (its
        -- reservation ran out, never cleared); one whose last attempt failed and was
        -- written is tried once more, and given up after that try (deliverDue).
        created_at <= ${oldEnough} and reserved_until is not null as lost_and_old
      from deliveries
      where delivered_at is null and next_attempt_at <= ${now}
        and (reserved_until is null or reserved_until < clock_timestamp())
        and not exists (select 1 from deliveries d2 where d2.target = deliveries.target
          and coalesce(d2.claim_id, '') = coalesce(deliveries.claim_id, '')
          and d2.id < deliveries.id and d2.delivered_at is null)
      order by next_attempt_at, id
      limit ${batchSize}
      for update skip locked),
    given_up as (
      update deliveries d
      set delivered_at = ${now}, outcome = 'failed', last_error = ${LOST_ATTEMPTS_ERROR},
        reserved_until = null
      from due where d.id = due.id and due.attempts >= ${MAX_ATTEMPTS} and due.lost_and_old
      returning d.id),
    taken as (
      update deliveries d
      set reserved_until = clock_timestamp() + ${`${DELIVERY_LEASE_MS} milliseconds`}::interval,
        attempts = d.attempts + 1
      from due where d.id = due.id and not (due.attempts >= ${MAX_ATTEMPTS} and due.lost_and_old)
      returning d.id)
    select id, false as given_up from taken
    union all select id, true from given_up`)) as unknown as {
		rows: { id: number | string; given_up: boolean }[];
	};
	const ids = result.rows.filter((r) => !r.given_up).map((r) => Number(r.id));
	const givenUp = result.rows.length - ids.length;
	if (ids.length === 0) return { taken: [], givenUp };
	const taken = await ctx.db
		.select()
		.from(deliveries)
		.where(inArray(deliveries.id, ids))
		.orderBy(asc(deliveries.id));
	return { taken, givenUp };
}

/**
 * Sends due deliveries, pass after pass, until none is due, 1,000 passes or `budgetMs`.
 * Each pass takes up to `batchSize` deliveries ({@link takeDue}: one statement, each the
 * oldest undelivered one of its target and claim, so a claim's events reach a receiver
 * in order, R-NTF-1), sends them `concurrency` at a time with no transaction open (a
 * slow receiver holds no connection, and on PGlite does not hold the one connection
 * every request needs), then marks each delivered or schedules its retry with backoff
 * ({@link retryDelayMs}) in one statement; after {@link MAX_ATTEMPTS} attempts and
 * {@link MAX_DELIVERY_AGE_MS} ({@link givesUp}) it is given up as `failed` (also when the
 * outcomes of its last attempts were lost). An outcome does not reopen a delivery closed meanwhile (its webhook
 * subscription deleted), except that a call that went through records `sent`. Returns
 * the counts of the outcomes written; a channel's error never escapes (it is the
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
		const { taken: due, givenUp } = await takeDue(ctx, opts.batchSize ?? 50);
		result.failed += givenUp;
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
		const kinds = new Map<number, keyof DeliverResult>();
		const records = outcomes.map(({ d, outcome, error }) => {
			if (outcome) {
				kinds.set(d.id, outcome);
				return {
					id: d.id,
					attempts: d.attempts,
					delivered_at: at.toISOString(),
					outcome,
					last_error: null,
					next_attempt_at: at.toISOString(),
				};
			}
			// `attempts` already counts this one (takeDue).
			const giveUp = givesUp(d.attempts, d.createdAt, at);
			kinds.set(d.id, giveUp ? "failed" : "retried");
			return {
				id: d.id,
				attempts: d.attempts,
				delivered_at: giveUp ? at.toISOString() : null,
				outcome: giveUp ? "failed" : null,
				last_error: String((error as Error)?.message ?? error).slice(0, 1000),
				next_attempt_at: new Date(
					at.getTime() + retryDelayMs(d.attempts),
				).toISOString(),
			};
		});
		// Written only over this pass's own attempt (a pass that took the delivery again
		// after the reservation ran out counted another), and not over a delivery closed
		// meanwhile (its webhook subscription deleted) unless the call went through.
		const written = records.length
			? ((await ctx.db.execute(sql`
        update deliveries as d set delivered_at = v.delivered_at, outcome = v.outcome,
          last_error = v.last_error, next_attempt_at = v.next_attempt_at,
          reserved_until = null
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id bigint,
          attempts integer, delivered_at timestamptz, outcome text, last_error text,
          next_attempt_at timestamptz)
        where d.id = v.id and d.attempts = v.attempts
          and (d.delivered_at is null or v.outcome = 'sent')
        returning d.id`)) as unknown as { rows: { id: number | string }[] })
			: { rows: [] };
		for (const r of written.rows) {
			const kind = kinds.get(Number(r.id));
			if (kind) result[kind]++;
		}
		// A pass sends at most one delivery per target and claim (order), so keep passing
		// while there is progress; retries are scheduled in the future and drop out.
		if (due.length + givenUp === 0 || ++passes >= 1_000) return result;
		if (opts.budgetMs !== undefined && Date.now() - started >= opts.budgetMs)
			return result;
	}
}
