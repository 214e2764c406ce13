/**
 * The business calendar as the platform admin sees it (SPEC R-ROL-2 "calendars",
 * R-TIME-1): the time zone and public-holiday calendar that deadlines are counted in,
 * whether today is a business day, and the public holidays of the coming year. The
 * calendar is configuration (`CPOR_TIME_ZONE`, `CPOR_HOLIDAYS`), so this is read-only.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { authorize } from "../auth-hooks.ts";

/** How far ahead the public holidays are listed, in days. */
export const CALENDAR_HORIZON_DAYS = 366;

/** Registers GET /admin/calendar. */
export function adminCalendarRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/admin/calendar",
			{
				schema: {
					tags: ["admin"],
					summary:
						"The business calendar (R-TIME-1): time zone, holiday calendar, today, and the public holidays of the next year",
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
					fiveBusinessDaysFromNow: calendar
						.addBusinessDays(now, 5)
						.toISOString(),
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
