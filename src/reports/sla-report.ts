/**
 * The SLA report of API.md `GET /reports/sla` and the `cpor_sla_open` gauges: the
 * reviewer-side service levels of SPEC section 5.
 *
 * - `review_start` (R-TIME-2): a submitted claim's review should start by `reviewStartDue`.
 * - `decision` (R-TIME-3): an under-review claim should be decided by `decisionDue`
 *   (extended by the partner's time answering requests; an information request pauses it).
 * - `dispute_decision` (R-TIME-8): an open dispute should be answered by `disputeDecisionDue`.
 *
 * Open work is `due` (deadline still ahead) or `overdue` (deadline reached: the same
 * boundary as the review queue, `deadline <= now`). `breached` and `met` are historic:
 * each time a claim left the SLA's state (a row of the append-only history, R-HIS-1,
 * kept in `claim_sla_exits` by a trigger), at or after the deadline in effect then
 * (breached) or before it (met).
 * "Now" is the injected clock (the sandbox clock in the sandbox), never the database's.
 */
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import type { Queryable } from "../db/client.ts";
import { REVIEW_QUEUE_PREDICATE } from "../db/schema.ts";
import type { ClaimStatus } from "../domain/claim-lifecycle.ts";
import {
	REVIEWER_SLA_OF_STATUS,
	REVIEWER_SLAS,
	type ReviewerSla,
} from "../domain/deadlines.ts";

/** The SLAs of SPEC section 5 that reviewers own, in the report's order. */
export const SLAS = REVIEWER_SLAS;
export type Sla = ReviewerSla;

/** The rule each SLA implements. */
export const SLA_RULES: Readonly<Record<Sla, string>> = {
	review_start: "R-TIME-2",
	decision: "R-TIME-3",
	dispute_decision: "R-TIME-8",
};

/** Open work per SLA at an instant. */
export type OpenSlaCounts = Record<Sla, { due: number; overdue: number }>;

/** Duration statistics in hours over the report window. */
export interface DurationStats {
	/** How many durations were measured. */
	count: number;
	medianHours: number | null;
	p90Hours: number | null;
}

/** One SLA's counts in the report. */
export interface SlaCounts {
	rule: string;
	/** Open, deadline still ahead (as of `now`). */
	due: number;
	/** Open, deadline reached (as of `now`). */
	overdue: number;
	/** Closed within the window at or after the deadline. */
	breached: number;
	/** Closed within the window before the deadline. */
	met: number;
}

/** The body of `GET /reports/sla`. */
export interface SlaReport {
	now: string;
	/** The window of the historic figures (`breached`, `met`, `times`), inclusive. */
	from: string;
	to: string;
	slas: Record<Sla, SlaCounts>;
	times: {
		/** Submission → review start (R-TIME-2). */
		reviewStart: DurationStats;
		/** Review start → approval or rejection (R-TIME-3), partner's time included. */
		decision: DurationStats;
		/** Dispute filed → dispute decided (R-TIME-8). */
		disputeDecision: DurationStats;
	};
}

/** The default window of the historic figures: the last 90 days. */
export const DEFAULT_WINDOW_DAYS = 90;

type Row = Record<string, unknown>;

function rowsOf(result: unknown): Row[] {
	return (result as { rows?: Row[] }).rows ?? [];
}

function int(v: unknown): number {
	const n = Number(v ?? 0);
	return Number.isFinite(n) ? n : 0;
}

function hours(v: unknown): number | null {
	if (v === null || v === undefined) return null;
	const n = Number(v);
	return Number.isFinite(n) ? Math.round(n * 100) / 100 : null;
}

/**
 * Open work per SLA at `now` (UTC), in ONE query (the `/metrics` scrape runs it): the
 * review queue's claims (submitted, under review, rejected with an open dispute) by
 * status, due while their `due_at` is after `now`, else overdue. A claim's `due_at` in
 * those states is the deadline of its SLA (R-TIME-9), so the counts come from the
 * partial index claims_review_queue_idx alone (migration 0013 gave it the status):
 * ~14 ms at 1,000,000 claims, where reading each deadline column from the rows took
 * 0.3-0.9 s.
 */
export async function openSlaCounts(
	db: Queryable,
	now: Date,
): Promise<OpenSlaCounts> {
	const result = await db.execute(sql`
		select status,
			count(*) filter (where due_at > ${now.toISOString()}::timestamptz)::int as due,
			count(*) filter (where due_at <= ${now.toISOString()}::timestamptz)::int as overdue
		from claims
		where ${REVIEW_QUEUE_PREDICATE}
		group by status
	`);
	const counts: OpenSlaCounts = {
		review_start: { due: 0, overdue: 0 },
		decision: { due: 0, overdue: 0 },
		dispute_decision: { due: 0, overdue: 0 },
	};
	for (const r of rowsOf(result)) {
		const sla = REVIEWER_SLA_OF_STATUS[r.status as ClaimStatus];
		if (sla) counts[sla] = { due: int(r.due), overdue: int(r.overdue) };
	}
	return counts;
}

/**
 * Historic figures per SLA for exits within [from, to] (UTC): the rows of
 * `claim_sla_exits` (migration 0014), one per history entry that took a claim out of the
 * SLA's state, with the deadline in effect then and when the SLA's clock started. One
 * range of its `at` index: ~0.15 s for 90 days at 1,000,000 claims, where reading the
 * history's JSON and each exit's claim row took 1.9-2.6 s.
 */
async function historicSlaFigures(db: Queryable, from: Date, to: Date) {
	const result = await db.execute(sql`
		select
			sla,
			count(*) filter (where deadline is not null and at >= deadline)::int as breached,
			count(*) filter (where deadline is not null and at < deadline)::int as met,
			count(started_at)::int as timed,
			(percentile_cont(0.5) within group (order by extract(epoch from (at - started_at)) / 3600.0))::float8 as median_hours,
			(percentile_cont(0.9) within group (order by extract(epoch from (at - started_at)) / 3600.0))::float8 as p90_hours
		from claim_sla_exits
		where at >= ${from.toISOString()}::timestamptz
			and at <= ${to.toISOString()}::timestamptz
		group by sla
	`);
	const bySla = new Map<string, Row>();
	for (const r of rowsOf(result)) bySla.set(String(r.sla), r);
	return bySla;
}

/**
 * Builds the SLA report at the clock's now. `from`/`to` bound the historic figures
 * (default: the last {@link DEFAULT_WINDOW_DAYS} days up to now); open counts are as of now.
 */
export async function slaReport(
	ctx: AppContext,
	window: { from?: Date | undefined; to?: Date | undefined } = {},
): Promise<SlaReport> {
	const now = ctx.clock.now();
	const to = window.to ?? now;
	const from =
		window.from ??
		new Date(to.getTime() - DEFAULT_WINDOW_DAYS * 24 * 3600 * 1000);
	const [open, historic] = await Promise.all([
		openSlaCounts(ctx.db, now),
		historicSlaFigures(ctx.db, from, to),
	]);
	const slas = {} as Record<Sla, SlaCounts>;
	for (const sla of SLAS) {
		const h = historic.get(sla) ?? {};
		slas[sla] = {
			rule: SLA_RULES[sla],
			due: open[sla].due,
			overdue: open[sla].overdue,
			breached: int(h.breached),
			met: int(h.met),
		};
	}
	const stats = (sla: Sla): DurationStats => {
		const h = historic.get(sla) ?? {};
		const count = int(h.timed);
		return {
			count,
			medianHours: count ? hours(h.median_hours) : null,
			p90Hours: count ? hours(h.p90_hours) : null,
		};
	};
	return {
		now: now.toISOString(),
		from: from.toISOString(),
		to: to.toISOString(),
		slas,
		times: {
			reviewStart: stats("review_start"),
			decision: stats("decision"),
			disputeDecision: stats("dispute_decision"),
		},
	};
}
