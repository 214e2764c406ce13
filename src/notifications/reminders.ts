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
import { and, gt, inArray, lte, sql } from "drizzle-orm";
import type { ClaimRow, ClaimView } from "../claims/claim-view.ts";
import { toClaimViews } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import { claims, deliveries, users } from "../db/schema.ts";
import type { BusinessCalendar } from "../domain/calendar.ts";
import { insertDeliveries } from "../jobs/dispatcher.ts";
import { type PlannedGroup, toDeliveries } from "./email-channel.ts";
import type { MessageSpec } from "./messages.ts";
import type { ReviewerDeadline } from "./texts.ts";

/** Business days before a partner-response deadline at which partners are reminded. */
export const PARTNER_REMINDER_DAYS = [2, 1] as const;
/** Business days before a reviewer SLA at which reviewers are reminded. */
export const REVIEWER_REMINDER_DAYS = 1;
/** Claims due further ahead than this are not looked at yet. */
const HORIZON_MS = 14 * 86_400_000;

/** The latest business-day instant T before `due` with addBusinessDays(T, n) = due. */
export function businessDaysBefore(
	calendar: BusinessCalendar,
	due: Date,
	n: number,
): Date {
	for (let k = 1; k <= n * 7 + 60; k++) {
		const t = calendar.addCalendarDays(due, -k);
		if (calendar.isBusinessDay(t) && calendar.businessDaysBetween(t, due) >= n)
			return t;
	}
	return calendar.addCalendarDays(due, -n);
}

interface Candidate {
	row: ClaimRow;
	key: string;
	to: { email: string; name: string | null };
	spec: MessageSpec;
}

const REVIEWER_DEADLINES: Record<string, ReviewerDeadline> = {
	submitted: "review_start",
	under_review: "decision",
	rejected: "dispute_decision",
};

/**
 * Inserts the reminder emails that are due now (idempotent: dedupe keys). Returns how
 * many were new. Safe to run often and in several workers at once.
 */
export async function planReminders(ctx: AppContext): Promise<number> {
	const now = ctx.clock.now();
	const horizon = new Date(now.getTime() + HORIZON_MS);
	return ctx.db.transaction(async (tx) => {
		const rows = await tx
			.select()
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
					lte(claims.dueAt, horizon),
				),
			);
		if (rows.length === 0) return 0;
		const cal = ctx.calendar;
		const candidates: Candidate[] = [];
		let reviewers: { email: string; name: string; id: string }[] | null = null;
		const allReviewers = async () => {
			reviewers ??= await tx
				.select({ email: users.email, name: users.name, id: users.id })
				.from(users)
				.where(sql`'reviewer' = any(${users.roles})`);
			return reviewers;
		};
		for (const row of rows) {
			const due = row.dueAt;
			if (!due) continue;
			const dueIso = due.toISOString();
			if (row.status === "partner_action_required") {
				const contact = (
					row.contacts as { partner?: { email?: string; name?: string } }
				)?.partner;
				if (!contact?.email) continue;
				const requestedAt = (
					row.informationRequest as { requestedAt?: string } | null
				)?.requestedAt;
				// The reminder for n days is due from its instant until the next one's.
				for (let i = 0; i < PARTNER_REMINDER_DAYS.length; i++) {
					const n = PARTNER_REMINDER_DAYS[i] as number;
					const from = businessDaysBefore(cal, due, n);
					const next = PARTNER_REMINDER_DAYS[i + 1];
					const until = next ? businessDaysBefore(cal, due, next) : due;
					if (now < from || now >= until) continue;
					if (requestedAt && from.getTime() < Date.parse(requestedAt)) continue;
					candidates.push({
						row,
						key: `reminder:${row.id}:${dueIso}:${n}`,
						to: { email: contact.email, name: contact.name ?? null },
						spec: {
							kind: "partner_reminder",
							due: dueIso,
							businessDaysLeft: n,
						},
					});
				}
				continue;
			}
			const deadline = REVIEWER_DEADLINES[row.status];
			if (!deadline) continue;
			if (
				deadline === "dispute_decision" &&
				(row.dispute as { status?: string } | null)?.status !== "open"
			)
				continue;
			const from = businessDaysBefore(cal, due, REVIEWER_REMINDER_DAYS);
			if (now < from) continue;
			const all = await allReviewers();
			const assigned =
				deadline === "decision" && row.reviewerId
					? all.filter((r) => r.id === row.reviewerId)
					: [];
			for (const r of assigned.length ? assigned : all) {
				candidates.push({
					row,
					key: `reminder:${row.id}:${deadline}:${dueIso}:${REVIEWER_REMINDER_DAYS}:${r.email.toLowerCase()}`,
					to: { email: r.email, name: r.name },
					spec: { kind: "reviewer_reminder", deadline, due: dueIso },
				});
			}
		}
		if (candidates.length === 0) return 0;
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
		const fresh = candidates.filter((c) => !existing.has(c.key));
		if (fresh.length === 0) return 0;
		const byClaim = new Map<string, Candidate[]>();
		for (const c of fresh) {
			const list = byClaim.get(c.row.id) ?? [];
			list.push(c);
			byClaim.set(c.row.id, list);
		}
		const views = await toClaimViews(
			tx,
			[...byClaim.values()].map((l) => (l[0] as Candidate).row),
		);
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
