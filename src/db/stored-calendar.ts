/**
 * The business calendar the platform admin sets (SPEC R-ROL-2 "configures calendars",
 * R-TIME-1), kept in `calendar_changes` (migration 0033): one row per change, the newest
 * in force. With no row the configuration's calendar (`CPOR_TIME_ZONE`, `CPOR_HOLIDAYS`)
 * is in force.
 *
 * Each process holds the calendar in force in its context (`ctx.calendar`, and
 * `ctx.deadlines` built on it). A change applies at once in the process that made it;
 * on PostgreSQL the other server and worker processes read the newest row every
 * {@link CALENDAR_POLL_MS} ({@link watchStoredCalendar}). Deadlines already stored on
 * claims keep the calendar they were set with (R-TIME-9 stores them); the new calendar
 * counts the deadlines set after the change.
 */
import { desc, eq } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import { parseHolidayCode } from "../config.ts";
import type { AppContext } from "../context.ts";
import { BusinessCalendar, CalendarConfigError } from "../domain/calendar.ts";
import { DeadlineCalculator } from "../domain/deadlines.ts";
import { DomainError } from "../domain/errors.ts";
import { calendarChanges, users } from "./schema.ts";

/** How often a PostgreSQL process looks for a calendar changed by another (ms). */
export const CALENDAR_POLL_MS = 5000;

/** A date-holidays code: a country, optionally a state and a region, dash-separated. */
const HOLIDAY_CODE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]+){0,2}$/;

/** A change of the calendar as stored: who set which calendar, when (UTC). */
export interface CalendarChange {
	id: number;
	at: Date;
	actorId: string | null;
	actorName: string;
	timeZone: string;
	/** date-holidays code in canonical case (`NL`, `DE-BY`), or null for none. */
	holidays: string | null;
}

/** The calendar's holiday code (`NL`, `DE-BY`, `DE-BY-A`), or null for none. */
export function holidayCodeOf(calendar: BusinessCalendar): string | null {
	const h = calendar.holidays;
	return h ? [h.country, h.state, h.region].filter(Boolean).join("-") : null;
}

/**
 * Builds the calendar of a time zone and holiday code as an admin gave them.
 * @throws DomainError `validation_failed` (422) naming `timeZone` or `holidays` when the
 *   zone is not an IANA zone or the code is unknown to date-holidays.
 */
export function calendarFromInput(input: {
	timeZone: string;
	holidays: string | null;
}): BusinessCalendar {
	const code = input.holidays?.trim() ?? "";
	if (code && !HOLIDAY_CODE.test(code)) {
		const message = `${JSON.stringify(input.holidays)} is not a public-holiday calendar code: give a country code such as "NL", optionally with a state ("DE-BY") and a region ("DE-BY-A"), or null for no holidays.`;
		throw new DomainError("validation_failed", message, [
			{ path: "holidays", code: "invalid_calendar", message },
		]);
	}
	try {
		return new BusinessCalendar({
			timeZone: input.timeZone.trim(),
			holidays: parseHolidayCode(input.holidays),
		});
	} catch (err) {
		if (!(err instanceof CalendarConfigError)) throw err;
		const path = err.field === "timeZone" ? "timeZone" : "holidays";
		const message =
			err.field === "timeZone"
				? `${JSON.stringify(input.timeZone)} is not a known IANA time zone: give one such as "UTC" or "Europe/Amsterdam".`
				: `${JSON.stringify(input.holidays)} is not a public-holiday calendar: give a country code such as "NL", optionally with a state ("DE-BY"), or null for no holidays (${err.message}).`;
		throw new DomainError("validation_failed", message, [
			{ path, code: "invalid_calendar", message },
		]);
	}
}

/** The newest stored change (the calendar in force), or null when none was made. */
export async function readCalendarChange(
	ctx: Pick<AppContext, "db">,
): Promise<CalendarChange | null> {
	const [row] = await ctx.db
		.select()
		.from(calendarChanges)
		.orderBy(desc(calendarChanges.id))
		.limit(1);
	return row ?? null;
}

/** The stored changes, newest first (at most `limit`). */
export async function listCalendarChanges(
	ctx: Pick<AppContext, "db">,
	limit = 20,
): Promise<CalendarChange[]> {
	return ctx.db
		.select()
		.from(calendarChanges)
		.orderBy(desc(calendarChanges.id))
		.limit(limit);
}

/** Puts `calendar` in force in this process's context (and the deadlines built on it). */
function applyCalendar(
	ctx: AppContext,
	calendar: BusinessCalendar,
	version: number,
): void {
	ctx.calendar = calendar;
	ctx.deadlines = new DeadlineCalculator(calendar, ctx.config.deadlines);
	ctx.calendarVersion = version;
}

/**
 * Puts the newest stored calendar in force in `ctx` when it is not already (by its
 * change's ID). A stored calendar this process cannot build (a holiday code a later
 * date-holidays dropped) leaves the one in force and is reported through `warn`.
 * Returns the change in force, or null when the configuration's calendar is.
 */
export async function loadStoredCalendar(
	ctx: AppContext,
	opts: { warn?: (message: string) => void } = {},
): Promise<CalendarChange | null> {
	const change = await readCalendarChange(ctx);
	if (!change || change.id === ctx.calendarVersion) return change;
	try {
		applyCalendar(ctx, calendarFromInput(change), change.id);
	} catch (err) {
		opts.warn?.(
			`The business calendar set on ${change.at.toISOString()} by ${change.actorName} (${change.timeZone}, holidays ${change.holidays ?? "none"}) cannot be used: ${(err as Error).message} The calendar in force stays ${ctx.calendar.timeZone}, holidays ${holidayCodeOf(ctx.calendar) ?? "none"}; set it again as the platform admin.`,
		);
		ctx.calendarVersion = change.id;
	}
	return change;
}

/**
 * Sets the business calendar (SPEC R-ROL-2, R-TIME-1) as `actor` (a platform admin; the
 * route checks the role): validates it, stores the change with its author at the
 * clock's time, and puts it in force in this process. Setting the stored calendar in
 * force again stores nothing (the configuration's is stored: other hosts may have
 * another). Returns whether it changed.
 * @throws DomainError `validation_failed` for an unknown time zone or holiday code.
 */
export async function setCalendar(
	ctx: AppContext,
	actor: Actor,
	input: { timeZone: string; holidays: string | null },
): Promise<{ changed: boolean }> {
	const calendar = calendarFromInput(input);
	const holidays = holidayCodeOf(calendar);
	// Another process may have changed it since this one last looked.
	await loadStoredCalendar(ctx);
	// Only a stored calendar is known to be every process's: the configuration's may
	// differ between hosts, so setting it stores it all the same.
	if (
		ctx.calendarVersion > 0 &&
		calendar.timeZone === ctx.calendar.timeZone &&
		holidays === holidayCodeOf(ctx.calendar)
	)
		return { changed: false };
	let actorName = actor.name;
	if (actor.userId) {
		const [u] = await ctx.db
			.select({ name: users.name })
			.from(users)
			.where(eq(users.id, actor.userId));
		actorName = u?.name ?? actorName;
	}
	const [row] = await ctx.db
		.insert(calendarChanges)
		.values({
			at: ctx.clock.now(),
			actorId: actor.userId,
			actorName,
			timeZone: calendar.timeZone,
			holidays,
		})
		.returning({ id: calendarChanges.id });
	applyCalendar(ctx, calendar, row?.id ?? ctx.calendarVersion);
	return { changed: true };
}

/**
 * On PostgreSQL, where other server and worker processes share the database, reads the
 * newest stored calendar every {@link CALENDAR_POLL_MS} and puts it in force here. Returns
 * a function that stops it. Failures (a lost connection) are reported through `warn` and
 * retried at the next tick.
 */
export function watchStoredCalendar(
	ctx: AppContext,
	opts: { intervalMs?: number; warn?: (message: string) => void } = {},
): () => void {
	let busy = false;
	const timer = setInterval(() => {
		if (busy) return;
		busy = true;
		loadStoredCalendar(ctx, opts)
			.catch((err: Error) =>
				opts.warn?.(
					`Could not look for a changed business calendar: ${err.message}`,
				),
			)
			.finally(() => {
				busy = false;
			});
	}, opts.intervalMs ?? CALENDAR_POLL_MS);
	timer.unref();
	return () => clearInterval(timer);
}
