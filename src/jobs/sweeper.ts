/**
 * The deadline sweeper: selects due claims in batches with `FOR UPDATE SKIP LOCKED`, so
 * several workers never take the same claim, and applies each batch with the batched
 * timer use cases of batch-timers.ts (which re-check each row's state and deadline under
 * the lock, in a fixed number of statements per batch). Each timer fires exactly once.
 */
import { and, asc, eq, lte, type SQL, sql } from "drizzle-orm";
import {
	claimColumns,
	loadClaimParts,
	refreshStaleClaimParts,
	refreshStaleClaimResources,
} from "../claims/claim-view.ts";
import { foldClaimStatusDeltas } from "../claims/status-counts.ts";
import type { AppContext } from "../context.ts";
import { analyzeGrownTables } from "../db/planner-statistics.ts";
import { claims } from "../db/schema.ts";
import { type TableVacuum, vacuumDueTables } from "../db/vacuum.ts";
import { planReminders } from "../notifications/reminders.ts";
import {
	activateAssociations,
	expirePartnerResponses,
} from "./batch-timers.ts";
import { defaultChannels } from "./channels.ts";
import { deliverDue, fanOutEvents } from "./dispatcher.ts";

/** Counts of one sweep. */
export interface SweepResult {
	expired: number;
	activated: number;
}

const BATCH = 500;

/**
 * Runs every due timer until none is left (or `maxBatches` is reached). Safe to run in
 * several processes at once against one PostgreSQL.
 */
export async function runDueTimers(
	ctx: AppContext,
	opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<SweepResult> {
	const result: SweepResult = { expired: 0, activated: 0 };
	const batchSize = opts.batchSize ?? BATCH;
	for (let i = 0; i < (opts.maxBatches ?? 1_000); i++) {
		const n = await ctx.db.transaction(async (tx) => {
			const now = ctx.clock.now();
			// One select per timer kind, each walking claims_status_due_idx in due order
			// (an OR of both kinds made every batch read and sort all due rows).
			const lockDue = (where: SQL | undefined, limit: number) =>
				tx
					.select(claimColumns)
					.from(claims)
					.where(where)
					.orderBy(asc(claims.dueAt), asc(claims.id))
					.limit(limit)
					.for("update", { skipLocked: true });
			const due = await lockDue(
				and(
					eq(claims.status, "partner_action_required"),
					lte(claims.partnerResponseDue, now),
				),
				batchSize,
			);
			if (due.length < batchSize)
				due.push(
					...(await lockDue(
						and(
							eq(claims.status, "approved"),
							sql`${claims.association}->>'status' = 'pending_consent'`,
							lte(claims.consentEndsAt, now),
						),
						batchSize - due.length,
					)),
				);
			if (due.length === 0) return 0;
			// The rows are locked: re-check each one and apply the batch (batch-timers.ts).
			const parts = await loadClaimParts(
				tx,
				due.map((c) => c.id),
			);
			result.expired += await expirePartnerResponses(
				ctx,
				tx,
				due.filter((c) => c.status === "partner_action_required"),
				now,
				parts,
			);
			result.activated += await activateAssociations(
				tx,
				due.filter((c) => c.status !== "partner_action_required"),
				now,
				parts,
			);
			return due.length;
		});
		if (n < batchSize) break;
	}
	return result;
}

/**
 * How long one round of the sweeper may spend sending deliveries (ms): no new pass of
 * deliveries starts after it. Under a backlog (a burst of events, a slow receiver) the
 * rest waits for the next round, so the timers of R-TIME-4 and R-TIME-6 wait for
 * deliveries at most this long plus one pass (50 deliveries, 10 at a time, each bounded
 * by its channel's timeout: 10 s for a webhook).
 */
export const SWEEP_DELIVERY_BUDGET_MS = 2_000;

/**
 * Claims per round of the background work whose copies of their parts, and then of their
 * resource, it writes again ({@link refreshStaleClaimParts},
 * {@link refreshStaleClaimResources}): on PostgreSQL 10 batches of 500 each; on the embedded
 * database, whose statements run on the server's one thread, one batch of 100 each (a
 * request waited up to 55 ms behind such a round, p99 32 ms; a batch of 500 of the
 * parts' copies alone held requests back ~0.1 s).
 */
export const COPIES_REFRESH = {
	postgres: { batchSize: 500, maxBatches: 10 },
	pglite: { batchSize: 100, maxBatches: 1 },
} as const;

/**
 * One round of background work: due timers, deadline reminders (R-TIME-9), then the
 * outbox fan-out, then due deliveries (R-NTF-1), then the status counters and claims'
 * stale copies of their parts and resource. The sandbox clock endpoint and the workers run this
 * ({@link startSweeper} also keeps the embedded database's planner statistics).
 * `deliveryBudgetMs` bounds the time spent on deliveries (default: all that are due).
 */
export async function runBackgroundWork(
	ctx: AppContext,
	opts: { deliveryBudgetMs?: number } = {},
) {
	const timers = await runDueTimers(ctx);
	const reminders = await planReminders(ctx);
	const channels = defaultChannels(ctx.config);
	const events = await fanOutEvents(ctx, channels);
	const deliveries = await deliverDue(ctx, channels, {
		budgetMs: opts.deliveryBudgetMs,
	});
	const countDeltas = await foldClaimStatusDeltas(ctx);
	await refreshStaleClaimParts(ctx.db, COPIES_REFRESH[ctx.dbKind]);
	await refreshStaleClaimResources(ctx.db, COPIES_REFRESH[ctx.dbKind]);
	return { timers, reminders, events, deliveries, countDeltas };
}

/**
 * How often, in real time (ms), the sweeper on the embedded database looks for
 * tables whose planner statistics are missing or out of date ({@link analyzeGrownTables}:
 * a catalog query, then ANALYZE of those tables only). PostgreSQL's autovacuum does this
 * by itself.
 */
export const STATISTICS_CHECK_INTERVAL_MS = 60_000;

/**
 * A check that says yes at most once every `intervalMs` (real time) per database handle,
 * the first time at once; a yes counts as a run.
 */
function atMostEvery(intervalMs: number): (db: object) => boolean {
	const last = new WeakMap<object, number>();
	return (db) => {
		const at = last.get(db);
		if (at !== undefined && Date.now() - at < intervalMs) return false;
		last.set(db, Date.now());
		return true;
	};
}

const statisticsCheckDue = atMostEvery(STATISTICS_CHECK_INTERVAL_MS);

/**
 * After a round of the sweeper on the embedded database: {@link analyzeGrownTables} at
 * most every {@link STATISTICS_CHECK_INTERVAL_MS}. Returns the tables analyzed.
 */
async function keepPlannerStatistics(ctx: AppContext): Promise<string[]> {
	if (!statisticsCheckDue(ctx.db)) return [];
	return analyzeGrownTables(ctx.db);
}

/**
 * How long (real time, ms) the embedded server must have had no request before the
 * sweeper vacuums ({@link vacuumDueTables}): VACUUM holds its one thread (the claims
 * table of a 100,000-claim directory with 30,000-60,000 dead rows: 1.3-1.7 s), so it
 * waits for a pause.
 */
export const VACUUM_IDLE_MS = 30_000;

/** How often (real time, ms) the sweeper on the embedded database looks for tables to vacuum. */
export const VACUUM_CHECK_INTERVAL_MS = 60_000;

const vacuumCheckDue = atMostEvery(VACUUM_CHECK_INTERVAL_MS);

/**
 * After a round of the sweeper on the embedded database: once the server has been idle
 * for {@link VACUUM_IDLE_MS} (`lastRequestAt`: epoch ms of its last request), at most
 * every {@link VACUUM_CHECK_INTERVAL_MS}, VACUUM of the tables that autovacuum would
 * vacuum, stopping before the next table once a request came. Returns what it did.
 */
async function keepTablesVacuumed(
	ctx: AppContext,
	lastRequestAt: () => number,
): Promise<TableVacuum[]> {
	const idle = () => Date.now() - lastRequestAt() >= VACUUM_IDLE_MS;
	if (!idle() || !vacuumCheckDue(ctx.db)) return [];
	return vacuumDueTables(ctx.db, idle);
}

/**
 * Runs the sweeper every `intervalMs` (real time) until stopped, one round at a time (a
 * tick during a round is skipped). Errors are logged and the next tick tries again. On
 * the embedded database a round then keeps the planner statistics (at most once a
 * minute, {@link analyzeGrownTables}) and, given `lastRequestAt` (epoch ms of the
 * server's last request), vacuums while the server is idle ({@link keepTablesVacuumed}):
 * what PostgreSQL's autovacuum does by itself. `info` hears of each round that
 * vacuumed, in one line naming its tables.
 * Returns a stop function that waits for a running sweep.
 */
export function startSweeper(
	ctx: AppContext,
	opts: {
		intervalMs?: number;
		log?: (msg: string, err?: unknown) => void;
		info?: (msg: string) => void;
		lastRequestAt?: () => number;
	} = {},
): () => Promise<void> {
	let running: Promise<unknown> = Promise.resolve();
	let busy = false;
	let stopped = false;
	const timer = setInterval(() => {
		// A tick that comes while a round is under way is skipped, not queued: queued rounds
		// would pile up behind a long one (a backlog) and then run back to back.
		if (stopped || busy) return;
		busy = true;
		running = runBackgroundWork(ctx, {
			deliveryBudgetMs: SWEEP_DELIVERY_BUDGET_MS,
		})
			.catch((err) =>
				opts.log?.("sweep failed; retrying on the next tick", err),
			)
			.then(async () => {
				if (ctx.dbKind !== "pglite") return;
				await keepPlannerStatistics(ctx).catch((err) =>
					opts.log?.(
						"ANALYZE of the embedded database failed; retrying in a minute",
						err,
					),
				);
				const { lastRequestAt } = opts;
				if (!lastRequestAt || stopped) return;
				const vacuumed = await keepTablesVacuumed(ctx, lastRequestAt).catch(
					(err) => {
						opts.log?.(
							"VACUUM of the embedded database failed; retrying in a minute",
							err,
						);
						return [];
					},
				);
				if (vacuumed.length > 0)
					opts.info?.(
						`vacuumed while idle: ${vacuumed
							.map(
								(t) =>
									`${t.table} in ${Math.round(t.ms)} ms (${(t.bytesBefore / 1e6).toFixed(1)} -> ${(t.bytesAfter / 1e6).toFixed(1)} MB)`,
							)
							.join(", ")}`,
					);
			})
			.finally(() => {
				busy = false;
			});
	}, opts.intervalMs ?? 1_000);
	timer.unref();
	return async () => {
		stopped = true;
		clearInterval(timer);
		await running;
	};
}
