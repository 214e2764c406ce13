import { createRequire } from "node:module";
import { TZDate } from "@date-fns/tz";
import type Holidays from "date-holidays";

/**
 * Which public holidays count as non-business days: a date-holidays country code
 * (ISO 3166-1 alpha-2, e.g. "NL"), optionally a state ("BY") and region ("A").
 * Codes are matched case-insensitively. SPEC R-TIME-1.
 */
export interface HolidayCalendarConfig {
	country: string;
	state?: string;
	region?: string;
}

/**
 * The business calendar configuration. SPEC R-TIME-1.
 *
 * - `timeZone`: IANA zone name (e.g. "Europe/Amsterdam") in which local dates, weekdays
 *   and wall-clock times are read. Default "UTC".
 * - `holidays`: the public-holiday calendar; `null`/absent means no holidays (default).
 */
export interface CalendarConfig {
	timeZone: string;
	holidays?: HolidayCalendarConfig | null;
}

/** The default calendar configuration: UTC, no holidays. SPEC R-TIME-1. */
export const DEFAULT_CALENDAR_CONFIG: CalendarConfig = Object.freeze({
	timeZone: "UTC",
	holidays: null,
});

/**
 * Thrown when a {@link CalendarConfig} names an unknown time zone, country, state or
 * region; the message and `value` name the bad value. SPEC R-TIME-1.
 */
export class CalendarConfigError extends Error {
	/** Stable machine-readable code. */
	readonly code = "invalid_calendar_config" as const;
	/** Which setting was bad. */
	readonly field: "timeZone" | "country" | "state" | "region";
	/** The rejected value, as given. */
	readonly value: unknown;

	constructor(
		field: CalendarConfigError["field"],
		value: unknown,
		detail: string,
	) {
		super(`Invalid calendar ${field} ${JSON.stringify(value)}: ${detail}`);
		this.name = "CalendarConfigError";
		this.field = field;
		this.value = value;
	}
}

const MS_PER_DAY = 86_400_000;

/** IANA names of UTC itself (no offset, no DST). */
const UTC_ZONES = new Set([
	"UTC",
	"Etc/UTC",
	"Etc/UCT",
	"UCT",
	"Etc/Universal",
	"Universal",
	"Etc/Zulu",
	"Zulu",
	"Etc/GMT",
	"GMT",
	"Etc/GMT0",
	"Etc/GMT+0",
	"Etc/GMT-0",
	"GMT0",
	"GMT+0",
	"GMT-0",
	"Etc/Greenwich",
	"Greenwich",
]);

/** A civil (local) date as a day number: days since 1970-01-01 on the proleptic calendar. */
type DayNumber = number;

interface LocalDateTime {
	day: DayNumber;
	hours: number;
	minutes: number;
	seconds: number;
	milliseconds: number;
}

function dayNumberOf(year: number, month: number, date: number): DayNumber {
	return Math.round(Date.UTC(year, month, date) / MS_PER_DAY);
}

function civilOf(day: DayNumber): {
	year: number;
	month: number;
	date: number;
} {
	const d = new Date(day * MS_PER_DAY);
	return {
		year: d.getUTCFullYear(),
		month: d.getUTCMonth(),
		date: d.getUTCDate(),
	};
}

function isoDateOf(day: DayNumber): string {
	return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 (day 0) was a Thursday. */
function weekdayOf(day: DayNumber): number {
	return (((day + 4) % 7) + 7) % 7;
}

function assertInstant(instant: Date, what: string): void {
	if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
		throw new RangeError(
			`${what} must be a valid Date, got ${String(instant)}`,
		);
	}
}

function assertInteger(n: number, what: string, min?: number): void {
	if (!Number.isSafeInteger(n) || (min !== undefined && n < min)) {
		throw new RangeError(
			`${what} must be ${min === 0 ? "a non-negative" : "an"} integer, got ${n}`,
		);
	}
}

function validateTimeZone(timeZone: unknown): string {
	if (typeof timeZone !== "string" || timeZone.trim() === "") {
		throw new CalendarConfigError(
			"timeZone",
			timeZone,
			'expected an IANA time zone name such as "UTC" or "Europe/Amsterdam"',
		);
	}
	try {
		// The zone's canonical name: "europe/amsterdam" → "Europe/Amsterdam", "utc" → "UTC".
		return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions()
			.timeZone;
	} catch {
		throw new CalendarConfigError(
			"timeZone",
			timeZone,
			'not a known IANA time zone (e.g. "UTC", "Europe/Amsterdam")',
		);
	}
}

function findCode(
	available: Record<string, string> | undefined,
	code: string,
): string | undefined {
	if (!available) return undefined;
	const wanted = code.toUpperCase();
	return Object.keys(available).find((k) => k.toUpperCase() === wanted);
}

/**
 * The date-holidays class, loaded when first needed: when a holiday calendar is
 * configured, or its choices are listed (~24 MB, 0.2 s otherwise paid by every start).
 */
export function holidaysClass(): typeof Holidays {
	const mod = createRequire(import.meta.url)("date-holidays");
	return (mod.default ?? mod) as typeof Holidays;
}

function buildHolidays(config: HolidayCalendarConfig): {
	source: Holidays;
	canonical: Readonly<HolidayCalendarConfig>;
} {
	const Holidays = holidaysClass();
	const catalog = new Holidays();
	const country =
		typeof config.country === "string"
			? findCode(catalog.getCountries(), config.country)
			: undefined;
	if (!country) {
		throw new CalendarConfigError(
			"country",
			config.country,
			'not a country code known to date-holidays (ISO 3166-1 alpha-2, e.g. "NL", "DE")',
		);
	}
	let state: string | undefined;
	if (config.state !== undefined && config.state !== "") {
		state = findCode(catalog.getStates(country), String(config.state));
		if (!state) {
			throw new CalendarConfigError(
				"state",
				config.state,
				`not a state of ${country} known to date-holidays`,
			);
		}
	}
	let region: string | undefined;
	if (config.region !== undefined && config.region !== "") {
		region = state
			? findCode(catalog.getRegions(country, state), String(config.region))
			: undefined;
		if (!region) {
			throw new CalendarConfigError(
				"region",
				config.region,
				state
					? `not a region of ${country}-${state} known to date-holidays`
					: "a region needs a state",
			);
		}
	}
	const source =
		region && state
			? new Holidays(country, state, region)
			: state
				? new Holidays(country, state)
				: new Holidays(country);
	const canonical = Object.freeze({
		country,
		...(state ? { state } : {}),
		...(region ? { region } : {}),
	});
	return { source, canonical };
}

/**
 * The business-day calendar of SPEC R-TIME-1: business days are Monday to Friday, less
 * the public holidays of the configured calendar (date-holidays, type "public" only,
 * including substitute days; a date with any public holiday, even a half day, is not a
 * business day), read in the configured time zone.
 *
 * All inputs and outputs are UTC instants (`Date`); local dates and wall-clock times are
 * derived in `config.timeZone`. Holiday lookups are cached per year. Instances are
 * immutable apart from that cache and safe to share.
 */
export class BusinessCalendar {
	/** The validated IANA time zone. */
	readonly timeZone: string;
	/** The validated holiday calendar (canonical codes), or null for none. */
	readonly holidays: Readonly<HolidayCalendarConfig> | null;
	readonly #source: Holidays | null;
	/** The zone is UTC: local dates and times are read without a zone lookup. */
	readonly #utc: boolean;
	readonly #holidayCache = new Map<number, ReadonlySet<string>>();

	/**
	 * @param config - time zone (default "UTC") and optional holiday calendar (default none).
	 * @throws CalendarConfigError naming the bad value when the time zone is not a known
	 *   IANA zone, or the country / state / region is unknown to date-holidays.
	 */
	constructor(config: Partial<CalendarConfig> = DEFAULT_CALENDAR_CONFIG) {
		this.timeZone = validateTimeZone(config.timeZone ?? "UTC");
		this.#utc = UTC_ZONES.has(this.timeZone);
		if (config.holidays) {
			const { source, canonical } = buildHolidays(config.holidays);
			this.#source = source;
			this.holidays = canonical;
		} else {
			this.#source = null;
			this.holidays = null;
		}
	}

	/**
	 * True when the local date of `instant` in the configured zone is Monday–Friday and not
	 * a public holiday. SPEC R-TIME-1.
	 * @param instant - a UTC instant. @throws RangeError for an invalid Date.
	 */
	isBusinessDay(instant: Date): boolean {
		assertInstant(instant, "instant");
		return this.#isBusinessDayNumber(this.#local(instant).day);
	}

	/**
	 * True when the local calendar date `isoDate` ("YYYY-MM-DD") is a public holiday of the
	 * configured calendar (always false with no holiday calendar). SPEC R-TIME-1.
	 * @throws RangeError when `isoDate` is not a valid "YYYY-MM-DD" date.
	 */
	isPublicHoliday(isoDate: string): boolean {
		const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
		const day = m
			? dayNumberOf(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
			: Number.NaN;
		if (!m || isoDateOf(day) !== isoDate) {
			throw new RangeError(
				`Invalid ISO date "${isoDate}": expected YYYY-MM-DD`,
			);
		}
		return this.#isHoliday(day);
	}

	/**
	 * "N business days after T" (SPEC R-TIME-1): the same local wall-clock time, in the
	 * configured zone, on the N-th business day strictly after T's local date. T's own date
	 * never counts, whether or not it is a business day (so Friday 09:00 + 1 = Monday 09:00,
	 * and Saturday 15:00 + 1 = Monday 15:00). `n = 0` returns T unchanged.
	 * If that wall time does not exist on the target date (DST gap) the result is shifted
	 * forward by the gap; if it occurs twice (DST overlap) the later occurrence is used.
	 *
	 * @param instant - T, a UTC instant. @param n - a non-negative integer.
	 * @returns a new Date (UTC instant); `businessDaysBetween(T, result) === n`.
	 * @throws RangeError for an invalid Date or when `n` is not a non-negative integer.
	 */
	addBusinessDays(instant: Date, n: number): Date {
		assertInstant(instant, "instant");
		assertInteger(n, "Business days", 0);
		if (n === 0) return new Date(instant.getTime());
		const local = this.#local(instant);
		let day = local.day;
		let remaining = n;
		while (remaining > 0) {
			day += 1;
			if (this.#isBusinessDayNumber(day)) remaining -= 1;
		}
		return this.#atLocal(day, local);
	}

	/**
	 * The number of business days d with localDate(a) < d <= localDate(b), local dates read
	 * in the configured zone; the negation of `businessDaysBetween(b, a)` when b's local
	 * date is before a's. Times of day are ignored. Inverse of {@link addBusinessDays}:
	 * `businessDaysBetween(t, addBusinessDays(t, n)) === n`. SPEC R-TIME-1.
	 *
	 * @param a - a UTC instant. @param b - a UTC instant.
	 * @returns an integer (0 when both fall on the same local date).
	 * @throws RangeError for an invalid Date.
	 */
	businessDaysBetween(a: Date, b: Date): number {
		assertInstant(a, "a");
		assertInstant(b, "b");
		const from = this.#local(a).day;
		const to = this.#local(b).day;
		if (to < from) return 0 - this.#countBusinessDays(to, from); // never -0
		return this.#countBusinessDays(from, to);
	}

	/**
	 * The latest instant T before `instant`, at the same local wall-clock time on a business
	 * day, with `businessDaysBetween(T, instant) >= n`: for a deadline set with
	 * addBusinessDays (on a business day), the instant "n business days before" it, with
	 * `addBusinessDays(T, n)` equal to the deadline. Used for reminders (R-TIME-9). Reads
	 * the zone twice whatever n is (days are counted as integers in between), which
	 * matters when a reminder pass examines tens of thousands of deadlines.
	 *
	 * @param instant - a UTC instant. @param n - a non-negative integer.
	 * @returns a new Date (UTC instant); gaps and overlaps resolved as in addBusinessDays.
	 * @throws RangeError for an invalid Date or when `n` is not a non-negative integer.
	 */
	businessDaysBefore(instant: Date, n: number): Date {
		assertInstant(instant, "instant");
		assertInteger(n, "Business days", 0);
		const local = this.#local(instant);
		// count = business days d with day - k < d <= day, kept up to date as k grows.
		let count = 0;
		for (let k = 1; k <= n * 7 + 60; k++) {
			if (this.#isBusinessDayNumber(local.day - k + 1)) count += 1;
			if (count >= n && this.#isBusinessDayNumber(local.day - k))
				return this.#atLocal(local.day - k, local);
		}
		return this.#atLocal(local.day - n, local);
	}

	/**
	 * "N calendar days after T": the same local wall-clock time, in the configured zone, n
	 * local dates later (DST-safe: across a DST change the result is not n × 24 hours).
	 * Gaps and overlaps are resolved as in {@link addBusinessDays}. Negative n goes back.
	 * SPEC R-TIME-1 (used for R-TIME-5 and R-TIME-7 windows).
	 *
	 * @param instant - a UTC instant. @param n - an integer.
	 * @returns a new Date (UTC instant).
	 * @throws RangeError for an invalid Date or when `n` is not an integer.
	 */
	addCalendarDays(instant: Date, n: number): Date {
		assertInstant(instant, "instant");
		assertInteger(n, "Calendar days");
		const local = this.#local(instant);
		return this.#atLocal(local.day + n, local);
	}

	/**
	 * The public holidays of the configured calendar on the local dates of the `days` days
	 * from `from`'s local date on (that date included), in date order: `{ date:
	 * "YYYY-MM-DD", name }`, the name in `language` where date-holidays has it, else in the
	 * calendar's own. Empty with no holiday calendar. SPEC R-TIME-1.
	 * @throws RangeError for an invalid Date or a negative or fractional `days`.
	 */
	publicHolidaysFrom(
		from: Date,
		days: number,
		language?: string,
	): { date: string; name: string }[] {
		assertInstant(from, "from");
		assertInteger(days, "days", 0);
		const source = this.#source;
		if (!source || days === 0) return [];
		const first = this.#local(from).day;
		const last = first + days - 1;
		// A date may be in two holidays (both named) or in one of several days.
		const out = new Map<string, string[]>();
		for (let y = civilOf(first).year; y <= civilOf(last).year; y++)
			for (const { day, name } of this.#publicHolidayDays(y, language)) {
				if (day < first || day > last) continue;
				const iso = isoDateOf(day);
				const names = out.get(iso) ?? [];
				if (!names.includes(name)) names.push(name);
				out.set(iso, names);
			}
		return [...out]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([date, names]) => ({ date, name: names.join(" / ") }));
	}

	/** Count of business days d with from < d <= to (from <= to). */
	#countBusinessDays(from: DayNumber, to: DayNumber): number {
		let count = 0;
		let day = from + 1;
		// Whole weeks without holidays could be counted arithmetically; keep the loop
		// simple but skip full weeks when there is no holiday calendar.
		if (!this.#source) {
			const weeks = Math.floor((to - from) / 7);
			count += weeks * 5;
			day += weeks * 7;
		}
		for (; day <= to; day++) {
			if (this.#isBusinessDayNumber(day)) count += 1;
		}
		return count;
	}

	#isBusinessDayNumber(day: DayNumber): boolean {
		const weekday = weekdayOf(day);
		if (weekday === 0 || weekday === 6) return false;
		return !this.#isHoliday(day);
	}

	#isHoliday(day: DayNumber): boolean {
		if (!this.#source) return false;
		const { year } = civilOf(day);
		return this.#holidaysOf(year).has(isoDateOf(day));
	}

	/** Local ISO dates of public holidays in `year` (including spill-over from year - 1). */
	#holidaysOf(year: number): ReadonlySet<string> {
		const cached = this.#holidayCache.get(year);
		if (cached) return cached;
		const dates = new Set<string>();
		for (const { day } of this.#publicHolidayDays(year))
			dates.add(isoDateOf(day));
		this.#holidayCache.set(year, dates);
		return dates;
	}

	/**
	 * Every day of `year` that a public holiday covers, with that holiday's name (in
	 * `language` where date-holidays has it): a holiday of several days gives each of its
	 * days, one that began in `year - 1` its days in `year`.
	 */
	*#publicHolidayDays(
		year: number,
		language?: string,
	): Generator<{ day: DayNumber; name: string }> {
		const source = this.#source;
		if (!source) return;
		const prefix = `${String(year).padStart(4, "0")}-`;
		for (const y of [year - 1, year]) {
			for (const holiday of language
				? source.getHolidays(y, language)
				: source.getHolidays(y)) {
				if (holiday.type !== "public") continue;
				const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(holiday.date);
				if (!m) continue;
				const first = dayNumberOf(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
				const span = Math.max(
					1,
					Math.round(
						(holiday.end.getTime() - holiday.start.getTime()) / MS_PER_DAY,
					),
				);
				for (let i = 0; i < span; i++)
					if (isoDateOf(first + i).startsWith(prefix))
						yield { day: first + i, name: holiday.name };
			}
		}
	}

	#local(instant: Date): LocalDateTime {
		if (this.#utc) {
			// UTC (the default zone): no offset to look up, no DST.
			const t = instant.getTime();
			return {
				day: Math.floor(t / MS_PER_DAY),
				hours: instant.getUTCHours(),
				minutes: instant.getUTCMinutes(),
				seconds: instant.getUTCSeconds(),
				milliseconds: instant.getUTCMilliseconds(),
			};
		}
		const z = new TZDate(instant.getTime(), this.timeZone);
		return {
			day: dayNumberOf(z.getFullYear(), z.getMonth(), z.getDate()),
			hours: z.getHours(),
			minutes: z.getMinutes(),
			seconds: z.getSeconds(),
			milliseconds: z.getMilliseconds(),
		};
	}

	#atLocal(day: DayNumber, time: LocalDateTime): Date {
		if (this.#utc)
			return new Date(
				day * MS_PER_DAY +
					time.hours * 3_600_000 +
					time.minutes * 60_000 +
					time.seconds * 1_000 +
					time.milliseconds,
			);
		const { year, month, date } = civilOf(day);
		const z = new TZDate(
			year,
			month,
			date,
			time.hours,
			time.minutes,
			time.seconds,
			time.milliseconds,
			this.timeZone,
		);
		return new Date(z.getTime());
	}
}

/** How a deadline is measured: a count of business or calendar days. SPEC R-TIME-1. */
export interface DeadlineSpec {
	days: number;
	unit: "business" | "calendar";
}

/**
 * The deadline `spec.days` business or calendar days after `instant` (a UTC instant), in
 * `calendar`'s time zone and holidays: {@link BusinessCalendar.addBusinessDays} or
 * {@link BusinessCalendar.addCalendarDays}. Returns a new Date (UTC instant).
 * SPEC R-TIME-1 (and the configurable windows of R-TIME-2 to R-TIME-8).
 * @throws RangeError for an invalid Date, a negative or non-integer `days`, or an unknown unit.
 */
export function addDeadline(
	calendar: BusinessCalendar,
	instant: Date,
	spec: DeadlineSpec,
): Date {
	assertInteger(spec.days, "Deadline days", 0);
	switch (spec.unit) {
		case "business":
			return calendar.addBusinessDays(instant, spec.days);
		case "calendar":
			return calendar.addCalendarDays(instant, spec.days);
		default:
			throw new RangeError(
				`Unknown deadline unit ${JSON.stringify((spec as { unit: unknown }).unit)}: expected "business" or "calendar"`,
			);
	}
}
