/**
 * The business calendar as the platform admin sees it (SPEC R-ROL-2 "calendars",
 * R-TIME-1): the time zone and public-holiday calendar that deadlines are counted in,
 * whether today is a business day, when each SLA of SPEC section 5 started now would be
 * due (R-TIME-2 to R-TIME-8, with its configured length), and the public holidays of the
 * coming year. The calendar and the lengths are configuration (`CPOR_TIME_ZONE`,
 * `CPOR_HOLIDAYS`, `CPOR_*_DAYS`), so this is read-only.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { DeadlineCalculator } from "../../domain/deadlines.ts";
import { authorize } from "../auth-hooks.ts";

/** How far ahead the public holidays are listed, in days. */
export const CALENDAR_HORIZON_DAYS = 366;

/**
 * The deadlines of SPEC section 5 in the order a claim meets them: API.md's `deadlines`
 * field names, which are also the names of the calculator's methods that start them.
 */
const SLA_DEADLINES = [
	"reviewStartDue",
	"decisionDue",
	"partnerResponseDue",
	"consentEndsAt",
	"disputeUntil",
	"disputeDecisionDue",
] as const satisfies readonly (keyof DeadlineCalculator)[];

/**
 * Each deadline of SPEC section 5 as if its clock started at `now`: its configured
 * length (`days` in `unit` days) and the UTC instant it would fall due.
 */
function deadlinesFrom(ctx: AppContext, now: Date) {
	const p = ctx.config.deadlines;
	const lengths: Record<
		(typeof SLA_DEADLINES)[number],
		{ days: number; unit: "business" | "calendar" }
	> = {
		reviewStartDue: { days: p.reviewStartDays, unit: "business" },
		decisionDue: { days: p.decisionDays, unit: "business" },
		partnerResponseDue: { days: p.partnerResponseDays, unit: "business" },
		consentEndsAt: p.consentWindow,
		disputeUntil: { days: p.disputeWindowDays, unit: "calendar" },
		disputeDecisionDue: { days: p.disputeDecisionDays, unit: "business" },
	};
	return SLA_DEADLINES.map((deadline) => ({
		deadline,
		...lengths[deadline],
		dueAt: ctx.deadlines[deadline](now).toISOString(),
	}));
}

/** Registers GET /admin/calendar. */
export function adminCalendarRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/admin/calendar",
			{
				schema: {
					tags: ["admin"],
					summary:
						"The business calendar (R-TIME-1): time zone, holiday calendar, today, each SLA's length and when it would be due if it started now, and the public holidays of the next year",
					querystring: z.object({
						lang: z
							.enum(["en", "nl", "sv", "de"])
							.optional()
							.describe("Language of the holidays' names"),
					}),
				},
			},
			async (req) => {
				authorize(req, "administer");
				const { calendar } = ctx;
				const now = ctx.clock.now();
				const h = calendar.holidays;
				return {
					timeZone: calendar.timeZone,
					holidays: h
						? [h.country, h.state, h.region].filter(Boolean).join("-")
						: null,
					now: now.toISOString(),
					today: new Intl.DateTimeFormat("en-CA", {
						timeZone: calendar.timeZone,
					}).format(now),
					todayIsBusinessDay: calendar.isBusinessDay(now),
					deadlinesFromNow: deadlinesFrom(ctx, now),
					publicHolidays: calendar.publicHolidaysFrom(
						now,
						CALENDAR_HORIZON_DAYS,
						req.query.lang,
					),
				};
			},
		);
	};
}
