/**
 * The business calendar the platform admin configures (SPEC R-ROL-2 "configures
 * calendars", R-TIME-1): the time zone and public-holiday calendar that deadlines are
 * counted in, whether today is a business day, when each SLA of SPEC section 5 started
 * now would be due (R-TIME-2 to R-TIME-8, with its configured length), the public
 * holidays of the coming year, and who changed the calendar when. `PUT` sets the zone
 * and the holiday calendar (db/stored-calendar.ts); the SLAs' lengths stay configuration
 * (`CPOR_*_DAYS`).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import {
	holidayCodeOf,
	listCalendarChanges,
	setCalendar,
} from "../../db/stored-calendar.ts";
import { holidaysClass } from "../../domain/calendar.ts";
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

/** The languages the holidays' names can be given in. */
const langQuery = z.object({
	lang: z
		.enum(["en", "nl", "sv", "de"])
		.optional()
		.describe("Language of the holidays' names (default en)"),
});

/** GET /admin/calendar's answer (docs/api.md). */
async function calendarView(ctx: AppContext, lang: string | undefined) {
	const { calendar } = ctx;
	const now = ctx.clock.now();
	const changes = await listCalendarChanges(ctx, CALENDAR_CHANGES_SHOWN);
	return {
		timeZone: calendar.timeZone,
		holidays: holidayCodeOf(calendar),
		holidaysName: calendar.holidays
			? holidayCalendarName(calendar.holidays, lang ?? "en")
			: null,
		source: ctx.calendarVersion > 0 ? "admin" : "configuration",
		now: now.toISOString(),
		today: new Intl.DateTimeFormat("en-CA", {
			timeZone: calendar.timeZone,
		}).format(now),
		todayIsBusinessDay: calendar.isBusinessDay(now),
		deadlinesFromNow: deadlinesFrom(ctx, now),
		publicHolidays: calendar.publicHolidaysFrom(
			now,
			CALENDAR_HORIZON_DAYS,
			lang,
		),
		changes: changes.map((c) => ({
			at: c.at.toISOString(),
			by: c.actorName,
			timeZone: c.timeZone,
			holidays: c.holidays,
		})),
	};
}

/**
 * A holiday calendar's name in `lang` where date-holidays has it (else in the country's
 * own language): "Germany", "Bayern, Germany".
 */
function holidayCalendarName(
	h: { country: string; state?: string; region?: string },
	lang: string,
): string {
	const catalog = new (holidaysClass())();
	const names = [
		h.region && h.state
			? catalog.getRegions(h.country, h.state, lang)?.[h.region]
			: undefined,
		h.state ? catalog.getStates(h.country, lang)?.[h.state] : undefined,
		catalog.getCountries(lang)?.[h.country],
	];
	return names.filter(Boolean).join(", ");
}

/** How many of the calendar's changes GET /admin/calendar lists, newest first. */
export const CALENDAR_CHANGES_SHOWN = 20;

/**
 * The time zones and holiday calendars an admin can choose from: every IANA zone this
 * server knows ("UTC" first), and every date-holidays country with its states, named in
 * `lang` where date-holidays has the name (else in the country's own language), sorted by
 * name.
 */
function calendarChoices(lang: string) {
	const Holidays = holidaysClass();
	const catalog = new Holidays();
	const byName = (a: { name: string }, b: { name: string }) =>
		a.name.localeCompare(b.name, lang);
	const countries = Object.entries(catalog.getCountries(lang) ?? {}).map(
		([code, name]) => ({
			code,
			name,
			states: Object.entries(catalog.getStates(code, lang) ?? {})
				.map(([s, n]) => ({ code: `${code}-${s}`, name: n }))
				.sort(byName),
		}),
	);
	return {
		timeZones: [
			"UTC",
			...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC"),
		],
		holidayCalendars: countries.sort(byName),
	};
}

/** Registers GET and PUT /admin/calendar and GET /admin/calendar/choices. */
export function adminCalendarRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/admin/calendar",
			{
				schema: {
					tags: ["admin"],
					summary:
						"The business calendar (R-TIME-1): time zone, holiday calendar, today, each SLA's length and when it would be due if it started now, the public holidays of the next year, and its changes",
					querystring: langQuery,
				},
			},
			async (req) => {
				authorize(req, "administer");
				return calendarView(ctx, req.query.lang);
			},
		);
		app.put(
			"/admin/calendar",
			{
				schema: {
					tags: ["admin"],
					summary:
						"Set the business calendar (R-ROL-2, R-TIME-1): the time zone and public-holiday calendar of every deadline set from now on",
					querystring: langQuery,
					body: z.object({
						timeZone: z
							.string()
							.min(1)
							.max(64)
							.describe('IANA time zone, e.g. "Europe/Amsterdam"'),
						holidays: z
							.string()
							.max(32)
							.nullable()
							.describe(
								'date-holidays code: a country ("NL"), optionally with a state ("DE-BY") and region; null or "" for none',
							),
					}),
				},
			},
			async (req) => {
				const actor = authorize(req, "administer");
				const { changed } = await setCalendar(ctx, actor, req.body);
				return { changed, ...(await calendarView(ctx, req.query.lang)) };
			},
		);
		app.get(
			"/admin/calendar/choices",
			{
				schema: {
					tags: ["admin"],
					summary:
						"The time zones and public-holiday calendars (countries and their states) the business calendar can be set to",
					querystring: langQuery,
				},
			},
			async (req) => {
				authorize(req, "administer");
				return calendarChoices(req.query.lang ?? "en");
			},
		);
	};
}
