/**
 * The deadline sweeper: selects due claims in batches with `FOR UPDATE SKIP LOCKED`, so
 * several workers never take the same claim, and applies each timer through its use case
 * (which re-checks the state under the lock). Each timer fires exactly once.
 */
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { defaultChannels } from "./channels.ts";
import { deliverDue, fanOutEvents } from "./dispatcher.ts";
import { claims } from "../db/schema.ts";
import { planReminders } from "../notifications/reminders.ts";
import {
	TimerNotDueError,
	activateAssociation,
	expirePartnerResponse,
} from "./timers.ts";

/** Counts of one sweep. */
export interface SweepResult {
	expired: number;
	activated: number;
}

const BATCH = 200;

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
			const due = await tx
				.select({ id: claims.id, status: claims.status })
				.from(claims)
				.where(
					sql`(${and(eq(claims.status, "partner_action_required"), lte(claims.partnerResponseDue, now))}) or (${and(
						eq(claims.status, "approved"),
						sql`${claims.association}->>'status' = 'pending_consent'`,
						lte(claims.consentEndsAt, now),
					)})`,
				)
				.orderBy(asc(claims.dueAt))
				.limit(batchSize)
				.for("update", { skipLocked: true });
			for (const c of due) {
				try {
					if (c.status === "partner_action_required") {
						await expirePartnerResponse(ctx, c.id, tx);
						result.expired++;
					} else {
						await activateAssociation(ctx, c.id, tx);
						result.activated++;
					}
				} catch (err) {
					if (!(err instanceof TimerNotDueError)) throw err;
				}
			}
			return due.length;
		});
		if (n < batchSize) break;
	}
	return result;
}

/**
 * One round of background work: due timers, deadline reminders (R-TIME-9), then the
 * outbox fan-out, then due deliveries (R-NTF-1). The sandbox clock endpoint and the
 * workers run this.
 */
export async function runBackgroundWork(ctx: AppContext) {
	const timers = await runDueTimers(ctx);
	const reminders = await planReminders(ctx);
	const channels = defaultChannels();
	const events = await fanOutEvents(ctx, channels);
	const deliveries = await deliverDue(ctx, channels);
	return { timers, reminders, events, deliveries };
}

/**
 * Runs the sweeper every `intervalMs` (real time) until stopped. Errors are logged and
 * the next tick tries again. Returns a stop function that waits for a running sweep.
 */
export function startSweeper(
	ctx: AppContext,
	opts: {
		intervalMs?: number;
		log?: (msg: string, err?: unknown) => void;
	} = {},
): () => Promise<void> {
	let running: Promise<unknown> = Promise.resolve();
	let stopped = false;
	const timer = setInterval(() => {
		if (stopped) return;
		running = running.then(() =>
			runBackgroundWork(ctx).catch((err) =>
				opts.log?.("sweep failed; retrying on the next tick", err),
			),
		);
	}, opts.intervalMs ?? 1_000);
	timer.unref();
	return async () => {
		stopped = true;
		clearInterval(timer);
		await running;
	};
}
