import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	addDeadline,
	BusinessCalendar,
	CalendarConfigError,
} from "../../src/domain/calendar.ts";

const utc = new BusinessCalendar({ timeZone: "UTC" });
const amsterdam = new BusinessCalendar({ timeZone: "Europe/Amsterdam" });
const nl = new BusinessCalendar({
	timeZone: "Europe/Amsterdam",
	holidays: { country: "NL" },
});
const de = new BusinessCalendar({
	timeZone: "Europe/Berlin",
	holidays: { country: "DE" },
});
const deBy = new BusinessCalendar({
	timeZone: "Europe/Berlin",
	holidays: { country: "de", state: "by" },
});
const us = new BusinessCalendar({
	timeZone: "America/New_York",
	holidays: { country: "US" },
});

const d = (iso: string) => new Date(iso);
const localDate = (cal: BusinessCalendar, t: Date) =>
	format(t, "yyyy-MM-dd", { in: tz(cal.timeZone) });
const localTime = (cal: BusinessCalendar, t: Date) =>
	format(t, "HH:mm:ss.SSS", { in: tz(cal.timeZone) });
const localWeekday = (cal: BusinessCalendar, t: Date) =>
	format(t, "EEE", { in: tz(cal.timeZone) });

describe("BusinessCalendar: concrete cases", () => {
	it("R-TIME-1 Friday 09:00 UTC plus 1 business day is Monday 09:00 UTC", () => {
		expect(utc.addBusinessDays(d("2026-01-09T09:00:00Z"), 1)).toEqual(
			d("2026-01-12T09:00:00Z"),
		);
	});

	it("R-TIME-1 adding business days skips weekends", () => {
		// Wednesday + 5 business days spans one weekend: next Wednesday, same time.
		expect(utc.addBusinessDays(d("2026-01-07T14:30:15.250Z"), 5)).toEqual(
			d("2026-01-14T14:30:15.250Z"),
		);
		// Friday + 10 business days spans two weekends.
		expect(utc.addBusinessDays(d("2026-01-09T09:00:00Z"), 10)).toEqual(
			d("2026-01-23T09:00:00Z"),
		);
	});

	it("R-TIME-1 counting from a weekend starts at the next business day, same time of day", () => {
		expect(utc.addBusinessDays(d("2026-01-10T15:00:00Z"), 1)).toEqual(
			d("2026-01-12T15:00:00Z"),
		);
		expect(utc.addBusinessDays(d("2026-01-11T08:00:00Z"), 5)).toEqual(
			d("2026-01-16T08:00:00Z"),
		);
	});

	it("R-TIME-1 zero business days is the instant itself", () => {
		const t = d("2026-01-10T15:00:00Z");
		expect(utc.addBusinessDays(t, 0)).toEqual(t);
		expect(utc.addBusinessDays(t, 0)).not.toBe(t);
	});

	it("R-TIME-1 a deadline spanning a configured public holiday (NL King's Day 2027-04-27) skips it", () => {
		expect(nl.isBusinessDay(d("2027-04-27T10:00:00Z"))).toBe(false);
		// Monday 10:00 Amsterdam (CEST) + 1 → Wednesday 10:00, not Tuesday.
		expect(nl.addBusinessDays(d("2027-04-26T08:00:00Z"), 1)).toEqual(
			d("2027-04-28T08:00:00Z"),
		);
		// Friday + 5: Mon 26, (Tue 27 holiday), Wed 28, Thu 29, Fri 30, Mon 3 May.
		expect(nl.addBusinessDays(d("2027-04-23T08:00:00Z"), 5)).toEqual(
			d("2027-05-03T08:00:00Z"),
		);
		// Without the holiday calendar, King's Day is an ordinary Tuesday.
		expect(amsterdam.addBusinessDays(d("2027-04-26T08:00:00Z"), 1)).toEqual(
			d("2027-04-27T08:00:00Z"),
		);
	});

	it("R-TIME-1 a deadline spanning DE Christmas skips both public holidays and the weekend", () => {
		// Wed 2025-12-24 10:00 Berlin (CET) + 1: Thu 25 and Fri 26 are public, then the weekend.
		expect(de.addBusinessDays(d("2025-12-24T09:00:00Z"), 1)).toEqual(
			d("2025-12-29T09:00:00Z"),
		);
		expect(
			de.businessDaysBetween(
				d("2025-12-24T09:00:00Z"),
				d("2025-12-29T09:00:00Z"),
			),
		).toBe(1);
	});

	it("R-TIME-1 only public holidays count: bank holidays (DE Christmas Eve) are business days", () => {
		expect(de.isBusinessDay(d("2025-12-24T12:00:00Z"))).toBe(true);
		expect(de.addBusinessDays(d("2025-12-23T09:00:00Z"), 1)).toEqual(
			d("2025-12-24T09:00:00Z"),
		);
	});

	it("R-TIME-1 state holidays apply only when the state is configured (DE-BY Epiphany)", () => {
		const epiphany = d("2026-01-06T11:00:00Z"); // a Tuesday
		expect(de.isBusinessDay(epiphany)).toBe(true);
		expect(deBy.isBusinessDay(epiphany)).toBe(false);
		expect(deBy.holidays).toEqual({ country: "DE", state: "BY" });
		expect(deBy.isPublicHoliday("2026-01-06")).toBe(true);
		expect(de.isPublicHoliday("2026-01-06")).toBe(false);
	});

	it("R-TIME-1 Europe/Amsterdam across the spring DST change keeps the local wall time", () => {
		// Fri 2027-03-26 09:00 CET (08:00Z) + 1 → Mon 2027-03-29 09:00 CEST (07:00Z).
		const friday = d("2027-03-26T08:00:00Z");
		const monday = amsterdam.addBusinessDays(friday, 1);
		expect(monday).toEqual(d("2027-03-29T07:00:00Z"));
		expect(localTime(amsterdam, monday)).toBe("09:00:00.000");
		// With NL holidays, Easter Monday 2027-03-29 is skipped too.
		expect(nl.addBusinessDays(friday, 1)).toEqual(d("2027-03-30T07:00:00Z"));
	});

	it("R-TIME-1 Europe/Amsterdam across the autumn DST change keeps the local wall time", () => {
		// Fri 2027-10-29 17:45 CEST (15:45Z) + 1 → Mon 2027-11-01 17:45 CET (16:45Z).
		expect(amsterdam.addBusinessDays(d("2027-10-29T15:45:00Z"), 1)).toEqual(
			d("2027-11-01T16:45:00Z"),
		);
	});

	it("R-TIME-1 business days are read on the local date of the configured zone", () => {
		// Friday 23:30 UTC is already Saturday 00:30 in Amsterdam.
		const t = d("2026-01-09T23:30:00Z");
		expect(utc.isBusinessDay(t)).toBe(true);
		expect(amsterdam.isBusinessDay(t)).toBe(false);
		// Sunday 23:30 New York is Monday 04:30 UTC.
		const sundayNy = d("2026-01-12T04:30:00Z");
		expect(utc.isBusinessDay(sundayNy)).toBe(true);
		expect(us.isBusinessDay(sundayNy)).toBe(false);
		// Amsterdam: counted from the local Saturday, +1 is Monday 00:30 local.
		expect(amsterdam.addBusinessDays(t, 1)).toEqual(d("2026-01-11T23:30:00Z"));
	});

	it("R-TIME-1 weekends are not business days in any configuration", () => {
		expect(utc.isBusinessDay(d("2026-01-10T12:00:00Z"))).toBe(false);
		expect(utc.isBusinessDay(d("2026-01-11T12:00:00Z"))).toBe(false);
		expect(utc.isBusinessDay(d("2026-01-12T00:00:00Z"))).toBe(true);
	});

	it("R-TIME-1 businessDaysBetween counts business days after a's date up to b's date", () => {
		const fri = d("2026-01-09T09:00:00Z");
		expect(utc.businessDaysBetween(fri, d("2026-01-09T23:59:59Z"))).toBe(0);
		expect(utc.businessDaysBetween(fri, d("2026-01-11T09:00:00Z"))).toBe(0);
		expect(utc.businessDaysBetween(fri, d("2026-01-12T00:00:00Z"))).toBe(1);
		expect(utc.businessDaysBetween(fri, d("2026-01-23T09:00:00Z"))).toBe(10);
		expect(utc.businessDaysBetween(d("2026-01-23T09:00:00Z"), fri)).toBe(-10);
		expect(
			nl.businessDaysBetween(
				d("2027-04-23T08:00:00Z"),
				d("2027-05-03T08:00:00Z"),
			),
		).toBe(5);
	});

	it("R-TIME-1 addCalendarDays keeps the local wall time across DST (23 and 25 hour days)", () => {
		// Sat 2027-03-27 12:00 CET (11:00Z) + 1 → Sun 12:00 CEST (10:00Z): 23 hours later.
		expect(amsterdam.addCalendarDays(d("2027-03-27T11:00:00Z"), 1)).toEqual(
			d("2027-03-28T10:00:00Z"),
		);
		// Sat 2027-10-30 12:00 CEST (10:00Z) + 1 → Sun 12:00 CET (11:00Z): 25 hours later.
		expect(amsterdam.addCalendarDays(d("2027-10-30T10:00:00Z"), 1)).toEqual(
			d("2027-10-31T11:00:00Z"),
		);
		// Calendar days do not skip weekends or holidays.
		expect(nl.addCalendarDays(d("2027-04-26T08:00:00Z"), 1)).toEqual(
			d("2027-04-27T08:00:00Z"),
		);
		expect(utc.addCalendarDays(d("2026-01-31T10:00:00Z"), -31)).toEqual(
			d("2025-12-31T10:00:00Z"),
		);
	});

	it("R-TIME-1 a wall time missing on the target date (DST gap) moves forward by the gap", () => {
		// Sat 2027-03-27 02:30 CET + 1 calendar day: 02:30 does not exist on 03-28 → 03:30 CEST.
		expect(amsterdam.addCalendarDays(d("2027-03-27T01:30:00Z"), 1)).toEqual(
			d("2027-03-28T01:30:00Z"),
		);
	});

	it("R-TIME-5 addDeadline measures windows in calendar or business days", () => {
		const approvedFriday = d("2026-01-09T09:00:00Z");
		expect(
			addDeadline(utc, approvedFriday, { days: 7, unit: "calendar" }),
		).toEqual(d("2026-01-16T09:00:00Z"));
		expect(
			addDeadline(utc, approvedFriday, { days: 5, unit: "business" }),
		).toEqual(d("2026-01-16T09:00:00Z"));
		expect(
			addDeadline(nl, d("2027-04-23T08:00:00Z"), { days: 5, unit: "business" }),
		).toEqual(d("2027-05-03T08:00:00Z"));
	});

	it("R-TIME-7 the dispute window is 30 calendar days, same local time", () => {
		expect(
			addDeadline(amsterdam, d("2027-03-15T10:00:00Z"), {
				days: 30,
				unit: "calendar",
			}),
		).toEqual(d("2027-04-14T09:00:00Z"));
	});

	it("R-TIME-1 invalid counts, units and dates are refused with RangeError", () => {
		const t = d("2026-01-09T09:00:00Z");
		expect(() => utc.addBusinessDays(t, -1)).toThrow(RangeError);
		expect(() => utc.addBusinessDays(t, 1.5)).toThrow(RangeError);
		expect(() => utc.addBusinessDays(t, Number.NaN)).toThrow(RangeError);
		expect(() => utc.addCalendarDays(t, 0.5)).toThrow(RangeError);
		expect(() => utc.isBusinessDay(new Date(Number.NaN))).toThrow(RangeError);
		expect(() =>
			addDeadline(utc, t, { days: 1, unit: "weeks" as unknown as "calendar" }),
		).toThrow(/Unknown deadline unit "weeks"/);
		expect(() => addDeadline(utc, t, { days: -3, unit: "calendar" })).toThrow(
			RangeError,
		);
		expect(() => utc.isPublicHoliday("2026-02-30")).toThrow(RangeError);
	});
});

describe("BusinessCalendar: configuration", () => {
	it("R-TIME-1 defaults to UTC with no holidays", () => {
		const cal = new BusinessCalendar();
		expect(cal.timeZone).toBe("UTC");
		expect(cal.holidays).toBeNull();
		expect(cal.isBusinessDay(d("2026-12-25T12:00:00Z"))).toBe(true);
		expect(
			new BusinessCalendar({ timeZone: "UTC", holidays: null }).holidays,
		).toBeNull();
	});

	it("R-TIME-1 an unknown time zone is refused, naming the value", () => {
		expect(
			() => new BusinessCalendar({ timeZone: "Mars/Olympus_Mons" }),
		).toThrow(CalendarConfigError);
		expect(
			() => new BusinessCalendar({ timeZone: "Mars/Olympus_Mons" }),
		).toThrow(/Mars\/Olympus_Mons/);
		expect(() => new BusinessCalendar({ timeZone: "" })).toThrow(
			CalendarConfigError,
		);
	});

	it("R-TIME-1 an unknown holiday country, state or region is refused, naming the value", () => {
		expect(
			() =>
				new BusinessCalendar({ timeZone: "UTC", holidays: { country: "XX" } }),
		).toThrow(/country "XX"/);
		expect(
			() =>
				new BusinessCalendar({
					timeZone: "UTC",
					holidays: { country: "DE", state: "ZZ" },
				}),
		).toThrow(/state "ZZ"/);
		expect(
			() =>
				new BusinessCalendar({
					timeZone: "UTC",
					holidays: { country: "DE", state: "BY", region: "NOPE" },
				}),
		).toThrow(/region "NOPE"/);
		try {
			new BusinessCalendar({ timeZone: "UTC", holidays: { country: "XX" } });
		} catch (error) {
			expect(error).toBeInstanceOf(CalendarConfigError);
			expect((error as CalendarConfigError).field).toBe("country");
			expect((error as CalendarConfigError).value).toBe("XX");
		}
	});
});

describe("BusinessCalendar: properties", () => {
	const calendars = [utc, amsterdam, nl, de, deBy, us];
	const calendarArb = fc.constantFrom(...calendars);
	const instantArb = fc.date({
		min: d("2020-01-01T00:00:00Z"),
		max: d("2035-12-31T23:59:59.999Z"),
		noInvalidDate: true,
	});
	const nArb = fc.integer({ min: 0, max: 40 });
	const options = { numRuns: 200 };

	it("R-TIME-1 UTC, read without a zone lookup, agrees with a zone at UTC+0 read through the time zone database (Africa/Abidjan)", () => {
		const abidjan = new BusinessCalendar({ timeZone: "Africa/Abidjan" });
		const etc = new BusinessCalendar({ timeZone: "Etc/UTC" });
		const iso = (x: Date) => x.toISOString();
		fc.assert(
			fc.property(instantArb, instantArb, nArb, (a, b, n) => {
				for (const cal of [utc, etc]) {
					expect(cal.isBusinessDay(a)).toBe(abidjan.isBusinessDay(a));
					expect(iso(cal.addBusinessDays(a, n))).toBe(
						iso(abidjan.addBusinessDays(a, n)),
					);
					expect(iso(cal.addCalendarDays(a, n - 20))).toBe(
						iso(abidjan.addCalendarDays(a, n - 20)),
					);
					expect(cal.businessDaysBetween(a, b)).toBe(
						abidjan.businessDaysBetween(a, b),
					);
					expect(iso(cal.businessDaysBefore(a, n % 6))).toBe(
						iso(abidjan.businessDaysBefore(a, n % 6)),
					);
				}
			}),
			{ numRuns: 1000 },
		);
	});

	it("R-TIME-1 adding N business days never lands on a weekend or public holiday", () => {
		fc.assert(
			fc.property(
				calendarArb,
				instantArb,
				fc.integer({ min: 1, max: 40 }),
				(cal, t, n) => {
					const r = cal.addBusinessDays(t, n);
					expect(cal.isBusinessDay(r)).toBe(true);
					expect(["Sat", "Sun"]).not.toContain(localWeekday(cal, r));
					expect(cal.isPublicHoliday(localDate(cal, r))).toBe(false);
				},
			),
			options,
		);
	});

	it("R-TIME-1 adding business days keeps the local time of day", () => {
		fc.assert(
			fc.property(calendarArb, instantArb, nArb, (cal, t, n) => {
				expect(localTime(cal, cal.addBusinessDays(t, n))).toBe(
					localTime(cal, t),
				);
			}),
			options,
		);
	});

	it("R-TIME-1 adding business days is strictly increasing in N", () => {
		fc.assert(
			fc.property(calendarArb, instantArb, nArb, nArb, (cal, t, a, b) => {
				fc.pre(a !== b);
				const [lo, hi] = a < b ? [a, b] : [b, a];
				expect(cal.addBusinessDays(t, lo).getTime()).toBeLessThan(
					cal.addBusinessDays(t, hi).getTime(),
				);
			}),
			options,
		);
	});

	it("R-TIME-1 adding business days is monotonic in T (by local date; by instant from business days)", () => {
		fc.assert(
			fc.property(calendarArb, instantArb, instantArb, nArb, (cal, x, y, n) => {
				const [t1, t2] = x <= y ? [x, y] : [y, x];
				const r1 = cal.addBusinessDays(t1, n);
				const r2 = cal.addBusinessDays(t2, n);
				expect(localDate(cal, r1) <= localDate(cal, r2)).toBe(true);
				if (n === 0 || (cal.isBusinessDay(t1) && cal.isBusinessDay(t2))) {
					expect(r1.getTime()).toBeLessThanOrEqual(r2.getTime());
				}
			}),
			options,
		);
	});

	it("R-TIME-1 businessDaysBetween(t, addBusinessDays(t, n)) === n", () => {
		fc.assert(
			fc.property(calendarArb, instantArb, nArb, (cal, t, n) => {
				const r = cal.addBusinessDays(t, n);
				expect(cal.businessDaysBetween(t, r)).toBe(n);
				expect(cal.businessDaysBetween(r, t)).toBe(0 - n);
			}),
			options,
		);
	});

	it("R-TIME-1 adding business days composes: (t + a) + b = t + (a + b) for a ≥ 1", () => {
		fc.assert(
			fc.property(
				calendarArb,
				instantArb,
				fc.integer({ min: 1, max: 20 }),
				fc.integer({ min: 0, max: 20 }),
				(cal, t, a, b) => {
					expect(cal.addBusinessDays(cal.addBusinessDays(t, a), b)).toEqual(
						cal.addBusinessDays(t, a + b),
					);
				},
			),
			options,
		);
	});

	it("R-TIME-1 addCalendarDays moves the local date by exactly n and keeps the wall time", () => {
		fc.assert(
			fc.property(
				calendarArb,
				instantArb,
				fc.integer({ min: -60, max: 60 }),
				(cal, t, n) => {
					const r = cal.addCalendarDays(t, n);
					// Day difference of the local dates, computed on the civil calendar.
					const days =
						(Date.parse(`${localDate(cal, r)}T00:00:00Z`) -
							Date.parse(`${localDate(cal, t)}T00:00:00Z`)) /
						86_400_000;
					// Skip wall times that may fall in a DST gap or overlap (00:00–03:59 outside UTC).
					const hour = Number(format(t, "H", { in: tz(cal.timeZone) }));
					const inPossibleGap = cal.timeZone !== "UTC" && hour <= 3;
					fc.pre(!inPossibleGap);
					expect(days).toBe(n);
					expect(localTime(cal, r)).toBe(localTime(cal, t));
					expect(cal.addCalendarDays(r, -n)).toEqual(t);
				},
			),
			options,
		);
	});
});

describe("the public holidays listed for the platform admin", () => {
	it("R-TIME-1 a holiday of several days names each of its days, a date in two holidays names both, and one begun last year is named", () => {
		const tr = new BusinessCalendar({
			timeZone: "UTC",
			holidays: { country: "TR" },
		});
		const list = tr.publicHolidaysFrom(
			new Date("2027-05-10T12:00:00Z"),
			20,
			"en",
		);
		const eid = "Feast of the Sacrifice (Eid al-Adha)";
		expect(list.map((h) => h.date)).toEqual([
			"2027-05-16",
			"2027-05-17",
			"2027-05-18",
			"2027-05-19",
			"2027-05-20",
		]);
		expect(list.find((h) => h.date === "2027-05-20")?.name).toBe(eid);
		expect(list.find((h) => h.date === "2027-05-19")?.name).toBe(
			`${eid} / Commemoration of Atatürk, Youth and Sports Day`,
		);
		// Every listed date is one the deadlines skip, and only those.
		for (const h of list) expect(tr.isPublicHoliday(h.date)).toBe(true);
		expect(tr.isPublicHoliday("2027-05-15")).toBe(false);
		const sz = new BusinessCalendar({
			timeZone: "UTC",
			holidays: { country: "SZ" },
		});
		expect(
			sz.publicHolidaysFrom(new Date("2025-01-02T00:00:00Z"), 1, "en"),
		).toEqual([{ date: "2025-01-02", name: "Incwala Festival" }]);
		expect(tr.publicHolidaysFrom(new Date("2027-05-10T12:00:00Z"), 0)).toEqual(
			[],
		);
	});
});
