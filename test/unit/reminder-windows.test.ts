/**
 * R-TIME-9: the reminder sweep reads only the claims whose reminder instant ("n business
 * days before the deadline") passed since the previous sweep (`dueWindows`). These tests
 * check that no reminder instant can fall outside the windows, in UTC and in a zone
 * with DST and Dutch holidays, and that a weekend stretch reads nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { dueWindows, fullPassEnd } from "../../src/notifications/reminders.ts";

const calendars = {
	utc: new BusinessCalendar({ timeZone: "UTC" }),
	nl: new BusinessCalendar({
		timeZone: "Europe/Amsterdam",
		holidays: { country: "NL" },
	}),
};

describe("R-TIME-9 reminder windows", () => {
	it.each(Object.keys(calendars))(
		"R-TIME-9 every reminder instant in (from, now] has its deadline inside the window for its offset (%s)",
		(name) => {
			const cal = calendars[name as keyof typeof calendars];
			const start = Date.parse("2026-03-20T00:00:00Z");
			fc.assert(
				fc.property(
					fc.integer({ min: 0, max: 60 * 86_400_000 }),
					fc.integer({ min: 1, max: 3 * 86_400_000 }),
					fc.integer({ min: 0, max: 20 * 86_400_000 }),
					fc.constantFrom(1, 2),
					(fromOffset, gap, dueOffset, n) => {
						const from = new Date(start + fromOffset);
						const now = new Date(from.getTime() + gap);
						const due = new Date(from.getTime() + dueOffset);
						// CPOR sets these deadlines with addBusinessDays: on business days.
						if (!cal.isBusinessDay(due)) return true;
						const instant = cal.businessDaysBefore(due, n);
						if (!(instant > from && instant <= now)) return true;
						const windows = dueWindows(cal, from, now, [n]);
						return windows.some((w) => due >= w.from && due <= w.to);
					},
				),
				{ numRuns: 3000, seed: 20261121 },
			);
		},
	);

	it.each(Object.keys(calendars))(
		"R-TIME-9 the full pass reaches every deadline, on a business day or not, whose reminder instant has passed (%s)",
		(name) => {
			const cal = calendars[name as keyof typeof calendars];
			const start = Date.parse("2026-03-20T00:00:00Z");
			fc.assert(
				fc.property(
					fc.integer({ min: 0, max: 300 * 86_400_000 }),
					fc.integer({ min: 0, max: 20 * 86_400_000 }),
					fc.constantFrom(1, 2),
					(nowOffset, dueOffset, n) => {
						const now = new Date(start + nowOffset);
						const due = new Date(now.getTime() + dueOffset);
						if (cal.businessDaysBefore(due, n) > now) return true;
						return due <= fullPassEnd(cal, now);
					},
				),
				{ numRuns: 3000, seed: 20261121 },
			);
		},
	);

	it.each(Object.keys(calendars))(
		"R-TIME-9 n business days before a deadline: the calendar's integer count equals the day-by-day search over instants, DST and holidays included (%s)",
		(name) => {
			const cal = calendars[name as keyof typeof calendars];
			// The definition, one calendar day further back at a time (what reminders did).
			const reference = (due: Date, n: number): Date => {
				for (let k = 1; k <= n * 7 + 60; k++) {
					const t = cal.addCalendarDays(due, -k);
					if (cal.isBusinessDay(t) && cal.businessDaysBetween(t, due) >= n)
						return t;
				}
				return cal.addCalendarDays(due, -n);
			};
			const start = Date.parse("2026-01-01T00:00:00Z");
			fc.assert(
				fc.property(
					fc.integer({ min: 0, max: 730 * 86_400_000 }),
					fc.integer({ min: 0, max: 5 }),
					(offset, n) => {
						const due = new Date(start + offset);
						const got = cal.businessDaysBefore(due, n);
						expect(got.toISOString()).toBe(reference(due, n).toISOString());
						if (cal.isBusinessDay(due) && n > 0)
							expect(cal.addBusinessDays(got, n).getTime()).toBe(due.getTime());
					},
				),
				{ numRuns: 3000, seed: 20261121 },
			);
		},
	);

	it("R-TIME-9 a sweep inside a weekend reads nothing; one second on a Tuesday reads one second of deadlines per offset", () => {
		const cal = calendars.utc;
		const sat = new Date("2026-11-21T10:00:00Z");
		expect(dueWindows(cal, sat, new Date("2026-11-22T18:00:00Z"))).toEqual([]);
		const tue = new Date("2026-11-24T09:00:00Z");
		const windows = dueWindows(
			cal,
			tue,
			new Date(tue.getTime() + 1000),
			[1, 2],
		);
		expect(
			windows.map((w) => [w.from.toISOString(), w.to.toISOString()]),
		).toEqual([
			["2026-11-25T09:00:00.000Z", "2026-11-25T09:00:01.000Z"],
			["2026-11-26T09:00:00.000Z", "2026-11-26T09:00:01.000Z"],
		]);
	});
});
