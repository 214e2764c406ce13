import { tz } from "@date-fns/tz";
import type { Duration } from "date-fns";
// The one function, not the package index: the index loads all ~300 of date-fns's
// modules (~2.6 MB of the server's heap; docs/performance.md, session 30).
import { add } from "date-fns/add";

/**
 * The source of "now" for every rule that depends on time (SPEC R-TIME-1 to R-TIME-9).
 * Inject it; never call `new Date()` in domain or use-case code.
 *
 * `now()` returns a UTC instant as a fresh `Date` (callers may mutate it safely).
 */
export interface Clock {
	now(): Date;
}

/**
 * The production clock: the real time of the host, as a UTC instant.
 * Never throws. SPEC R-TIME-9 (deadlines are computed from this clock).
 */
export const systemClock: Clock = {
	now: () => new Date(),
};

/**
 * Thrown by {@link SandboxClock.setTo} when asked to move the clock backwards.
 * Identify it with `instanceof ClockRewindError` or `error.code === "clock_rewind"`.
 * SPEC R-TIME-9 (the sandbox clock only moves forward, so deadlines fire once).
 */
export class ClockRewindError extends Error {
	/** Stable machine-readable code. */
	readonly code = "clock_rewind" as const;
	/** The sandbox clock's instant when the rewind was refused. */
	readonly current: Date;
	/** The instant that was requested (earlier than `current`). */
	readonly requested: Date;

	constructor(current: Date, requested: Date) {
		super(
			`The sandbox clock only moves forward: cannot set it to ${requested.toISOString()}, which is before its current time ${current.toISOString()}`,
		);
		this.name = "ClockRewindError";
		this.current = new Date(current.getTime());
		this.requested = new Date(requested.getTime());
	}
}

/**
 * The latest instant the sandbox clock may reach: deadlines counted from it (the longest
 * is a configured number of days, the business calendar looks a year ahead) must still be
 * instants that JavaScript writes as four-digit years and PostgreSQL stores.
 */
export const SANDBOX_LATEST = new Date("9000-01-01T00:00:00.000Z");

/**
 * Thrown by {@link SandboxClock.setTo} and {@link SandboxClock.advancedBy} for an instant
 * after {@link SANDBOX_LATEST}; the clock is unchanged. `error.code === "clock_out_of_range"`.
 */
export class ClockRangeError extends Error {
	/** Stable machine-readable code. */
	readonly code = "clock_out_of_range" as const;
	/** The instant that was requested. */
	readonly requested: Date;

	constructor(requested: Date) {
		super(
			`The sandbox clock cannot go past ${SANDBOX_LATEST.toISOString()} (asked for ${Number.isNaN(requested.getTime()) ? "an instant beyond any date" : requested.toISOString()}): deadlines counted from it must still be dates the database can store.`,
		);
		this.name = "ClockRangeError";
		this.requested = new Date(requested.getTime());
	}
}

const ISO_DURATION =
	/^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Parses a non-negative ISO 8601 duration (`P3D`, `PT1H`, `P1DT2H30M`, `P2W`, `P1Y2M`,
 * `PT0.5S`) into a date-fns `Duration`. Designators are upper case; only the seconds may
 * carry a fraction (`.` or `,`); weeks may be combined with other parts. Signs are not
 * accepted (the sandbox clock only moves forward).
 *
 * Input: the duration string. Returns: a `Duration` holding only the parts present.
 * Throws: `RangeError` naming the string when it is not a valid ISO 8601 duration
 * (empty, `P`, `PT`, `T` with no time part, negative, lower case, trailing text).
 * SPEC R-TIME-9 (sandbox time travel).
 */
export function parseIsoDuration(s: string): Duration {
	const m = ISO_DURATION.exec(s);
	const invalid = () =>
		new RangeError(
			`Invalid ISO 8601 duration "${s}": expected e.g. "P3D", "PT1H", "P1DT2H30M" or "P2W"`,
		);
	if (!m || s.endsWith("T")) throw invalid();
	const [, years, months, weeks, days, hours, minutes, seconds] = m;
	const duration: Duration = {};
	if (years !== undefined) duration.years = Number(years);
	if (months !== undefined) duration.months = Number(months);
	if (weeks !== undefined) duration.weeks = Number(weeks);
	if (days !== undefined) duration.days = Number(days);
	if (hours !== undefined) duration.hours = Number(hours);
	if (minutes !== undefined) duration.minutes = Number(minutes);
	if (seconds !== undefined)
		duration.seconds = Number(seconds.replace(",", "."));
	if (Object.keys(duration).length === 0) throw invalid();
	for (const value of Object.values(duration)) {
		if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER)
			throw invalid();
	}
	return duration;
}

function assertValidDate(date: Date, what: string): void {
	if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
		throw new RangeError(`${what} must be a valid Date, got ${String(date)}`);
	}
}

/**
 * A controllable clock for the sandbox and tests: starts at a given instant and moves only
 * forward, by a duration or to a later instant. All arithmetic is in UTC (so `P1D` is
 * exactly 24 hours and `P1M` is one UTC calendar month), independent of the host zone.
 * SPEC R-TIME-9 (the sandbox clock drives every R-TIME deadline).
 */
export class SandboxClock implements Clock {
	/** The sandbox instant at `#anchorReal` (ms since the epoch). */
	#anchor: number;
	/** The real time (ms) at which `#anchor` was set; null when frozen. */
	#anchorReal: number | null;

	/**
	 * @param start - the starting UTC instant (default: the real current time); copied.
	 * @param opts.ticking - when true the clock also runs with real time between moves
	 *   (the server's sandbox); when false (default) it stands still (tests, boundaries).
	 * @throws RangeError when `start` is an invalid Date.
	 */
	constructor(start: Date = new Date(), opts: { ticking?: boolean } = {}) {
		assertValidDate(start, "SandboxClock start");
		this.#anchor = start.getTime();
		this.#anchorReal = opts.ticking ? Date.now() : null;
	}

	#currentMs(): number {
		return this.#anchorReal === null
			? this.#anchor
			: this.#anchor + Math.max(0, Date.now() - this.#anchorReal);
	}

	#set(ms: number): void {
		this.#anchor = ms;
		if (this.#anchorReal !== null) this.#anchorReal = Date.now();
	}

	/** Returns the sandbox's current UTC instant, as a fresh Date. Never throws. */
	now(): Date {
		return new Date(this.#currentMs());
	}

	/**
	 * The instant {@link advanceBy} would move to, computed in UTC; changes nothing.
	 * @throws RangeError when the duration is invalid; ClockRangeError when the instant
	 *   would be after {@link SANDBOX_LATEST}.
	 */
	advancedBy(isoDuration: string): Date {
		const duration = parseIsoDuration(isoDuration);
		const next = new Date(
			add(this.now(), duration, { in: tz("UTC") }).getTime(),
		);
		if (Number.isNaN(next.getTime()) || next > SANDBOX_LATEST)
			throw new ClockRangeError(next);
		return next;
	}

	/**
	 * Moves the clock forward by an ISO 8601 duration (see {@link parseIsoDuration}),
	 * computed in UTC. Returns the new current instant (a fresh Date).
	 * @throws RangeError when the duration is invalid, ClockRangeError when it would go
	 *   past {@link SANDBOX_LATEST} (either way the clock is left unchanged).
	 */
	advanceBy(isoDuration: string): Date {
		this.#set(this.advancedBy(isoDuration).getTime());
		return this.now();
	}

	/**
	 * Sets the clock to `date` (a UTC instant), which must not be before the current time
	 * (equal is allowed and changes nothing). Returns the new current instant.
	 * @throws ClockRewindError when `date` is earlier than `now()` (the clock is unchanged).
	 * @throws ClockRangeError when `date` is after {@link SANDBOX_LATEST} (unchanged).
	 * @throws RangeError when `date` is an invalid Date.
	 */
	setTo(date: Date): Date {
		this.assertCanMoveTo(date);
		this.#set(date.getTime());
		return this.now();
	}

	/**
	 * Checks that {@link setTo} would accept `date`, changing nothing.
	 * @throws ClockRewindError, ClockRangeError or RangeError as {@link setTo} does.
	 */
	assertCanMoveTo(date: Date): void {
		assertValidDate(date, "SandboxClock.setTo date");
		if (date > SANDBOX_LATEST) throw new ClockRangeError(date);
		const current = this.now();
		if (date.getTime() < current.getTime()) {
			throw new ClockRewindError(current, date);
		}
	}
}
