/**
 * Reminders before deadlines (R-TIME-9, R-NTF-1), planned by the background work:
 * - partners: 2 and 1 business days before `partnerResponseDue` (R-TIME-4), to the
 *   claim's partner contact;
 * - reviewers: 1 business day before the review-start (R-TIME-2), decision (R-TIME-3)
 *   and dispute-decision (R-TIME-8) SLAs, to the claim's reviewer, or to every reviewer
 *   while no one has started the review.
 * "N business days before D" is the latest business-day instant T with
 * addBusinessDays(T, N) = D (same time of day). A reminder goes out once that instant
 * has passed and before the next one is due (a clock that jumps past both sends only the
 * later), exactly once: each has a dedupe key.
 */
import { and, gt, gte, inArray, lte, or, sql } from "drizzle-orm";
import type { ClaimRow, ClaimView } from "../claims/claim-view.ts";
import { claimColumns, toClaimViews } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import { claims, deliveries, users } from "../db/schema.ts";
import type { BusinessCalendar } from "../domain/calendar.ts";
import type { ClaimStatus } from "../domain/claim-lifecycle.ts";
import { REVIEWER_SLA_OF_STATUS } from "../domain/deadlines.ts";
import { insertDeliveries } from "../jobs/dispatcher.ts";
import { type PlannedGroup, toDeliveries } from "./email-channel.ts";
import type { MessageSpec } from "./messages.ts";

/** Business days before a partner-response deadline at which partners are reminded. */
export const PARTNER_REMINDER_DAYS = [2, 1] as const;
/** Business days before a reviewer SLA at which reviewers are reminded. */
export const REVIEWER_REMINDER_DAYS = 1;
/** How far back the first run of a process looks for reminder instants it missed. */
const HORIZON_MS = 14 * 86_400_000;

interface Candidate {
	claimId: string;
	/** The claim's status and deadline when it was examined (re-checked before planning). */
	status: string;
	due: number;
	key: string;
	to: { email: string; name: string | null };
	spec: MessageSpec;
}

/** When each context last planned reminders (its clock's time), for {@link dueWindows}. */
const lastPlanned = new WeakMap<AppContext, Date>();
/** When each context last read every claim due within {@link HORIZON_MS}. */
const lastFullPass = new WeakMap<AppContext, Date>();
/** The calendar each context last planned with: a new one (db/stored-calendar.ts) makes a full pass. */
const lastCalendar = new WeakMap<AppContext, AppContext["calendar"]>();
/** How often a full pass runs (clock time). */
const FULL_PASS_EVERY_MS = 3_600_000;
/** How far the next sweep looks back before the last one (covers commits that raced it). */
const OVERLAP_MS = 5 * 60_000;
/** Reminder offsets in business days: every kind's. */
const ALL_REMINDER_DAYS = [
	...new Set<number>([...PARTNER_REMINDER_DAYS, REVIEWER_REMINDER_DAYS]),
];

/**
 * The due-date ranges of the claims whose reminder instant ("n business days before
 * due") fell in (from, now], one per reminder offset n; or none when no business-day
 * instant lies in between (a weekend or holiday stretch: reminders fall on business
 * days only). On business days addBusinessDays is monotone, so the range is exact:
 * [addBusinessDays(from, n), addBusinessDays(now, n)]; an end on a non-business day is
 * widened by a day to stay on the safe side (dedupe keys absorb any overlap). Assumes
 * deadlines on business days, as CPOR sets them; `planReminders`' hourly full pass covers
 * the others.
 */
export function dueWindows(
	cal: BusinessCalendar,
	from: Date,
	now: Date,
	offsets: readonly number[] = ALL_REMINDER_DAYS,
): { from: Date; to: Date }[] {
	const fromBusiness = cal.isBusinessDay(from);
	const nowBusiness = cal.isBusinessDay(now);
	if (!fromBusiness && !nowBusiness && cal.businessDaysBetween(from, now) === 0)
		return [];
	const DAY = 86_400_000;
	return offsets.map((n) => ({
		from: new Date(
			cal.addBusinessDays(from, n).getTime() - (fromBusiness ? 0 : DAY),
		),
		to: new Date(
			cal.addBusinessDays(now, n).getTime() + (nowBusiness ? 0 : DAY),
		),
	}));
}

/**
 * The latest deadline whose reminder can be due at `now`: a reminder n business days
 * ahead is due only for deadlines up to about addBusinessDays(now, n); one more business
 * day and a calendar day cover deadlines that are not on a business day.
 */
export function fullPassEnd(cal: BusinessCalendar, now: Date): Date {
	return new Date(
		cal.addBusinessDays(now, Math.max(...ALL_REMINDER_DAYS) + 1).getTime() +
			86_400_000,
	);
}

/**
 * Inserts the reminder emails that are due now (idempotent: dedupe keys). Returns how
 * many were new. Safe to run often and in several workers at once. Reads only the claims
 * whose reminder instant passed since this context's previous run (less a 5-minute
 * overlap) and the claims changed since then whose deadline is near enough for a
 * reminder ({@link fullPassEnd}), so a sweep costs what is due, not the number of open
 * claims nor that of the claims written in the last minutes. The first run, and one an
 * hour, reads every claim whose deadline is near enough for a reminder (up to 3
 * business days and a day ahead).
 */
export async function planReminders(
	ctx: AppContext,
	opts: ReminderBatching = {},
): Promise<number> {
	const now = ctx.clock.now();
	const previous = lastPlanned.get(ctx);
	const full = lastFullPass.get(ctx);
	// A full pass at the first run, hourly, and after the calendar changed: it also
	// catches deadlines that are not on a business day (set before the holiday calendar
	// changed), which the windows assume, and the windows' edges, which the new calendar
	// draws elsewhere than the old one did.
	const fullPass =
		!previous ||
		previous > now ||
		!full ||
		lastCalendar.get(ctx) !== ctx.calendar ||
		now.getTime() - full.getTime() >= FULL_PASS_EVERY_MS;
	const lookFrom = new Date(
		fullPass
			? now.getTime() - HORIZON_MS
			: (previous as Date).getTime() - OVERLAP_MS,
	);
	const windows = fullPass
		? [{ from: lookFrom, to: fullPassEnd(ctx.calendar, now) }]
		: dueWindows(ctx.calendar, lookFrom, now);
	const planned = await planRemindersIn(ctx, now, lookFrom, windows, opts);
	lastPlanned.set(ctx, now);
	lastCalendar.set(ctx, ctx.calendar);
	if (fullPass) lastFullPass.set(ctx, now);
	return planned;
}

/** What the planning reads of a claim (a light projection: no full rows, no claim JSON). */
interface ReminderRow {
	id: string;
	status: string;
	dueAt: Date | null;
	reviewerId: string | null;
	partnerEmail: string | null;
	partnerName: string | null;
	requestedAt: string | null;
	disputeStatus: string | null;
}

/** How {@link planReminders} slices its work (defaults suit production; tests use small ones). */
export interface ReminderBatching {
	/** Claims examined between two yields to the event loop (default 2,000; a full pass reads ~35,000 at 1M claims). */
	rowsPerSlice?: number;
	/** Reminders checked against the deliveries, rendered and inserted per transaction (default 500). */
	candidatesPerTransaction?: number;
}

const yieldToEventLoop = () =>
	new Promise<void>((resolve) => setImmediate(resolve));

async function planRemindersIn(
	ctx: AppContext,
	now: Date,
	lookFrom: Date,
	windows: { from: Date; to: Date }[],
	opts: ReminderBatching,
): Promise<number> {
	const rowsPerSlice = Math.max(1, opts.rowsPerSlice ?? 2_000);
	const perTransaction = Math.max(1, opts.candidatesPerTransaction ?? 500);
	// One statement (atomic without a transaction), so no connection is held (PGlite
	// has one) while the candidates are computed in slices between HTTP requests.
	const rows: ReminderRow[] = await ctx.db
		.select({
			id: claims.id,
			status: claims.status,
			dueAt: claims.dueAt,
			reviewerId: claims.reviewerId,
			partnerEmail: sql<
				string | null
			>`${claims.contacts} -> 'partner' ->> 'email'`,
			partnerName: sql<
				string | null
			>`${claims.contacts} -> 'partner' ->> 'name'`,
			requestedAt: sql<
				string | null
			>`${claims.informationRequest} ->> 'requestedAt'`,
			disputeStatus: sql<string | null>`${claims.dispute} ->> 'status'`,
		})
		.from(claims)
		.where(
			and(
				inArray(claims.status, [
					"partner_action_required",
					"submitted",
					"under_review",
					"rejected",
				]),
				gt(claims.dueAt, now),
				or(
					...windows.map((w) =>
						and(gte(claims.dueAt, w.from), lte(claims.dueAt, w.to)),
					),
					// A claim whose deadline changed since (a resubmission extends the
					// decision SLA) may have a reminder instant already behind it; not one
					// whose deadline is too far ahead for any reminder to be due yet (the
					// claims just submitted in a burst: their SLA is 5 business days away).
					and(
						gte(claims.updatedAt, lookFrom),
						lte(claims.dueAt, fullPassEnd(ctx.calendar, now)),
					),
				),
			),
		);
	if (rows.length === 0) return 0;
	const cal = ctx.calendar;
	const candidates: Candidate[] = [];
	let reviewers: { email: string; name: string; id: string }[] | null = null;
	const allReviewers = async () => {
		reviewers ??= await ctx.db
			.select({ email: users.email, name: users.name, id: users.id })
			.from(users)
			.where(sql`'reviewer' = any(${users.roles})`);
		return reviewers;
	};
	for (let index = 0; index < rows.length; index++) {
		if (index > 0 && index % rowsPerSlice === 0) await yieldToEventLoop();
		const row = rows[index] as ReminderRow;
		const due = row.dueAt;
		if (!due) continue;
		const dueIso = due.toISOString();
		if (row.status === "partner_action_required") {
			if (!row.partnerEmail) continue;
			// The reminder for n days is due from its instant until the next one's.
			for (let i = 0; i < PARTNER_REMINDER_DAYS.length; i++) {
				const n = PARTNER_REMINDER_DAYS[i] as number;
				const from = cal.businessDaysBefore(due, n);
				const next = PARTNER_REMINDER_DAYS[i + 1];
				const until = next ? cal.businessDaysBefore(due, next) : due;
				if (now < from || now >= until) continue;
				if (row.requestedAt && from.getTime() < Date.parse(row.requestedAt))
					continue;
				candidates.push({
					claimId: row.id,
					status: row.status,
					due: due.getTime(),
					key: `reminder:${row.id}:${dueIso}:${n}`,
					to: { email: row.partnerEmail, name: row.partnerName ?? null },
					spec: {
						kind: "partner_reminder",
						due: dueIso,
						businessDaysLeft: n,
					},
				});
			}
			continue;
		}
		const deadline = REVIEWER_SLA_OF_STATUS[row.status as ClaimStatus];
		if (!deadline) continue;
		if (deadline === "dispute_decision" && row.disputeStatus !== "open")
			continue;
		const from = cal.businessDaysBefore(due, REVIEWER_REMINDER_DAYS);
		if (now < from) continue;
		const all = await allReviewers();
		const assigned =
			deadline === "decision" && row.reviewerId
				? all.filter((r) => r.id === row.reviewerId)
				: [];
		for (const r of assigned.length ? assigned : all) {
			candidates.push({
				claimId: row.id,
				status: row.status,
				due: due.getTime(),
				key: `reminder:${row.id}:${deadline}:${dueIso}:${REVIEWER_REMINDER_DAYS}:${r.email.toLowerCase()}`,
				to: { email: r.email, name: r.name },
				spec: { kind: "reviewer_reminder", deadline, due: dueIso },
			});
		}
	}
	let planned = 0;
	for (let i = 0; i < candidates.length; i += perTransaction) {
		if (i > 0) await yieldToEventLoop();
		planned += await planCandidates(
			ctx,
			now,
			candidates.slice(i, i + perTransaction),
		);
	}
	return planned;
}

/**
 * Inserts the deliveries of `candidates` not planned before (by dedupe key), rendered
 * from each claim's resource, in one transaction. Returns how many were new.
 */
async function planCandidates(
	ctx: AppContext,
	now: Date,
	candidates: Candidate[],
): Promise<number> {
	return ctx.db.transaction(async (tx) => {
		// Skip the ones already planned before rendering anything.
		const existing = new Set(
			(
				await tx
					.select({ key: deliveries.dedupeKey })
					.from(deliveries)
					.where(
						inArray(
							deliveries.dedupeKey,
							candidates.map((c) => c.key),
						),
					)
			).map((r) => r.key),
		);
		const unplanned = candidates.filter((c) => !existing.has(c.key));
		if (unplanned.length === 0) return 0;
		const ids = [...new Set(unplanned.map((c) => c.claimId))];
		const current = new Map(
			(
				await tx
					.select(claimColumns)
					.from(claims)
					.where(inArray(claims.id, ids))
			).map((r) => [r.id, r]),
		);
		// The claims were examined before this transaction (with yields in between): a
		// claim that changed status or deadline since gets no reminder from this pass.
		const byClaim = new Map<string, Candidate[]>();
		for (const c of unplanned) {
			const row = current.get(c.claimId);
			if (row?.status !== c.status || row.dueAt?.getTime() !== c.due) continue;
			const list = byClaim.get(c.claimId) ?? [];
			list.push(c);
			byClaim.set(c.claimId, list);
		}
		if (byClaim.size === 0) return 0;
		const rows = [...byClaim.keys()].map((id) => current.get(id) as ClaimRow);
		const views = await toClaimViews(tx, rows);
		const groups: PlannedGroup[] = views.map((view: ClaimView) => {
			const list = byClaim.get(view.id) ?? [];
			const first = list[0]?.spec;
			return {
				view,
				planned: list.map((c) => ({
					to: c.to.email,
					name: c.to.name,
					spec: c.spec,
					key: c.key,
				})),
				eventId: null,
				eventType:
					first?.kind === "reviewer_reminder"
						? `reminder.${first.deadline}`
						: "reminder.partner_response",
			};
		});
		const newRows = await toDeliveries(tx, ctx, groups);
		return insertDeliveries(tx, newRows, now);
	});
}
