/**
 * The business calendar the platform admin configures (SPEC R-ROL-2 "configures
 * calendars", R-TIME-1), on both databases' apps. GET /admin/calendar: the time zone, the
 * holiday calendar, whether today is a business day, when each SLA started now would be
 * due with its configured length, and the coming year's public holidays with their names
 * in the asked language. PUT /admin/calendar: a new zone and holiday calendar, stored
 * with its author, in force for the deadlines set from then on, in every process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { calendarChanges } from "../../src/db/schema.ts";
import {
	loadStoredCalendar,
	watchStoredCalendar,
} from "../../src/db/stored-calendar.ts";
import { startRuntime } from "../../src/runtime.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	m365ClaimBody,
	queryRows,
	startTestApp,
	type TestApp,
	USERS,
	uploadPoeAndSubmit,
} from "../support/test-app.ts";

const API = "/api/v1";

type Calendar = {
	timeZone: string;
	holidays: string | null;
	today: string;
	todayIsBusinessDay: boolean;
	deadlinesFromNow: {
		deadline: string;
		days: number;
		unit: string;
		dueAt: string;
	}[];
	publicHolidays: { date: string; name: string }[];
};

describe("the business calendar for the platform admin", () => {
	let nl: TestApp;
	let plain: TestApp;
	let paula: Client;
	beforeAll(async () => {
		nl = await startTestApp("pglite", {
			env: {
				CPOR_HOLIDAYS: "NL",
				CPOR_TIME_ZONE: "Europe/Amsterdam",
				CPOR_REVIEW_START_DAYS: "3",
				CPOR_CONSENT_WINDOW_UNIT: "business",
			},
		});
		plain = await startTestApp("postgres");
		paula = await nl.login(USERS.paula);
	});
	afterAll(async () => {
		await nl?.close();
		await plain?.close();
	});

	it("R-TIME-1 R-TIME-2 R-TIME-5 R-ROL-2 shows the Dutch calendar: the zone, today, each SLA's configured length and when it would fall due, past the weekend, and the year's holidays by name", async () => {
		expect(nl.clock.now().toISOString()).toBe("2026-11-23T09:00:00.000Z");
		const res = await paula.get(`${API}/admin/calendar?lang=nl`);
		expect(res.statusCode, res.body).toBe(200);
		const c = res.json() as Calendar;
		expect(c).toMatchObject({
			timeZone: "Europe/Amsterdam",
			holidays: "NL",
			today: "2026-11-23",
			todayIsBusinessDay: true,
		});
		// Monday 09:00 UTC: three business days (as configured) end on Thursday, five on
		// the next Monday; the consent window counts business days here, the dispute window
		// always calendar days.
		expect(c.deadlinesFromNow).toEqual([
			{
				deadline: "reviewStartDue",
				days: 3,
				unit: "business",
				dueAt: "2026-11-26T09:00:00.000Z",
			},
			{
				deadline: "decisionDue",
				days: 5,
				unit: "business",
				dueAt: "2026-11-30T09:00:00.000Z",
			},
			{
				deadline: "partnerResponseDue",
				days: 5,
				unit: "business",
				dueAt: "2026-11-30T09:00:00.000Z",
			},
			{
				deadline: "consentEndsAt",
				days: 7,
				unit: "business",
				dueAt: "2026-12-02T09:00:00.000Z",
			},
			{
				deadline: "disputeUntil",
				days: 30,
				unit: "calendar",
				dueAt: "2026-12-23T09:00:00.000Z",
			},
			{
				deadline: "disputeDecisionDue",
				days: 5,
				unit: "business",
				dueAt: "2026-11-30T09:00:00.000Z",
			},
		]);
		// Every signed-in user gets the lengths with GET /me, for the app's texts.
		expect((await paula.get(`${API}/me`)).json().deadlinePolicy).toEqual({
			reviewStartDays: 3,
			decisionDays: 5,
			partnerResponseDays: 5,
			consentWindow: { days: 7, unit: "business" },
			disputeWindowDays: 30,
			disputeDecisionDays: 5,
		});
		expect(c.publicHolidays.slice(0, 3)).toEqual([
			{ date: "2026-12-25", name: "Kerstmis" },
			{ date: "2026-12-26", name: "Tweede kerstdag" },
			{ date: "2027-01-01", name: "Nieuwjaar" },
		]);
		expect(c.publicHolidays.map((h) => h.date)).toContain("2027-04-27");
		expect(c.publicHolidays.every((h) => h.date < "2027-11-24")).toBe(true);
		const english = (
			await paula.get(`${API}/admin/calendar?lang=en`)
		).json() as Calendar;
		expect(english.publicHolidays[0]).toEqual({
			date: "2026-12-25",
			name: "Christmas Day",
		});
		// Christmas on a Friday pushes a deadline past it and the weekend.
		expect(
			nl.ctx.calendar
				.addBusinessDays(new Date("2026-12-24T09:00:00Z"), 1)
				.toISOString(),
		).toBe("2026-12-28T09:00:00.000Z");
	});

	it("R-ROL-2 setting the configuration's own calendar stores it (another host may run with another), under the zone's canonical name; the same again changes nothing", async () => {
		const put = (body: unknown) =>
			paula.request("PUT", `${API}/admin/calendar`, { body });
		const first = await put({ timeZone: "europe/amsterdam", holidays: "nl" });
		expect(first.statusCode, first.body).toBe(200);
		expect(first.json()).toMatchObject({
			changed: true,
			source: "admin",
			timeZone: "Europe/Amsterdam",
			holidays: "NL",
		});
		const again = await put({ timeZone: "Europe/Amsterdam", holidays: "NL" });
		expect(again.json()).toMatchObject({ changed: false });
		expect(again.json().changes).toHaveLength(1);
		for (const holidays of ["DE-BY-A-ZZ", "NL-", "-BY", "DE--BY"]) {
			const bad = await put({ timeZone: "UTC", holidays });
			expect(bad.statusCode, holidays).toBe(422);
			expect(bad.json().errors).toMatchObject([
				{ path: "holidays", code: "invalid_calendar" },
			]);
		}
	});

	it("R-TIME-1 without a holiday calendar: UTC, no holidays; only the platform admin may look, and a bad language is refused", async () => {
		const admin = await plain.login(USERS.paula);
		const c = (await admin.get(`${API}/admin/calendar`)).json() as Calendar;
		expect(c).toMatchObject({
			timeZone: "UTC",
			holidays: null,
			publicHolidays: [],
		});
		const rita = await plain.login(USERS.rita);
		expect((await rita.get(`${API}/admin/calendar`)).statusCode).toBe(403);
		const bad = await admin.get(`${API}/admin/calendar?lang=xx`);
		expect(bad.statusCode).toBe(422);
		expect(bad.json().code).toBe("validation_failed");
	});
});

describe.each(DB_KINDS)(
	"the platform admin sets the business calendar (%s)",
	(kind) => {
		let t: TestApp;
		let paula: Client;
		let ana: Client;
		beforeAll(async () => {
			t = await startTestApp(kind);
			paula = await t.login(USERS.paula);
			ana = await t.login(USERS.ana);
		});
		afterAll(async () => {
			await t?.close();
		});

		/** Creates and submits a claim now; returns its ID and its review-start deadline. */
		async function submitClaim(
			body: unknown,
		): Promise<{ id: string; due: string }> {
			const created = await ana.post(`${API}/claims`, body);
			expect(created.statusCode, created.body).toBe(201);
			const id = created.json().id as string;
			await uploadPoeAndSubmit(ana, id);
			const claim = (await ana.get(`${API}/claims/${id}`)).json();
			return { id, due: claim.deadlines.reviewStartDue as string };
		}

		it("R-ROL-2 R-TIME-1 sets the zone and the holidays: the deadlines set from then on skip the new holidays, those already set stay, and the change is listed with its author", async () => {
			// Monday 2026-11-23 09:00 UTC, no holidays: five business days end next Monday.
			const before = await submitClaim(m365ClaimBody());
			expect(before.due).toBe("2026-11-30T09:00:00.000Z");

			const res = await paula.request("PUT", `${API}/admin/calendar?lang=en`, {
				body: { timeZone: "America/New_York", holidays: "us" },
			});
			expect(res.statusCode, res.body).toBe(200);
			const c = res.json();
			expect(c).toMatchObject({
				changed: true,
				timeZone: "America/New_York",
				holidays: "US",
				holidaysName: "United States of America",
				source: "admin",
				today: "2026-11-23",
			});
			expect(c.changes).toEqual([
				{
					at: "2026-11-23T09:00:00.000Z",
					by: "Paula Mendes",
					timeZone: "America/New_York",
					holidays: "US",
				},
			]);
			expect(c.publicHolidays[0]).toEqual({
				date: "2026-11-26",
				name: "Thanksgiving Day",
			});
			// Thanksgiving (Thursday) is no business day now: the review is due a day later.
			const after = await submitClaim(baClaimBody());
			expect(after.due).toBe("2026-12-01T09:00:00.000Z");
			// A deadline already stored keeps the calendar it was set with.
			const old = (await ana.get(`${API}/claims/${before.id}`)).json();
			expect(old.deadlines.reviewStartDue).toBe(before.due);

			// Setting it again changes nothing and stores nothing.
			const again = await paula.request("PUT", `${API}/admin/calendar`, {
				body: { timeZone: "America/New_York", holidays: "US" },
			});
			expect(again.statusCode).toBe(200);
			expect(again.json().changed).toBe(false);
			expect(again.json().changes).toHaveLength(1);
		});

		it("R-ROL-2 refuses an unknown zone or holiday calendar with the field named, and stores nothing; only the platform admin may set it", async () => {
			const zone = await paula.request("PUT", `${API}/admin/calendar`, {
				body: { timeZone: "Mars/Olympus_Mons", holidays: null },
			});
			expect(zone.statusCode).toBe(422);
			expect(zone.json()).toMatchObject({
				code: "validation_failed",
				errors: [{ path: "timeZone", code: "invalid_calendar" }],
			});
			expect(zone.json().detail).toContain("Europe/Amsterdam");
			const holidays = await paula.request("PUT", `${API}/admin/calendar`, {
				body: { timeZone: "UTC", holidays: "DE-XX" },
			});
			expect(holidays.statusCode).toBe(422);
			expect(holidays.json().errors).toMatchObject([
				{ path: "holidays", code: "invalid_calendar" },
			]);
			const missing = await paula.request("PUT", `${API}/admin/calendar`, {
				body: { holidays: "NL" },
			});
			expect(missing.statusCode).toBe(422);
			expect(missing.json().errors[0].path).toBe("timeZone");
			const reviewer = await t.login(USERS.rita);
			const refused = await reviewer.request("PUT", `${API}/admin/calendar`, {
				body: { timeZone: "UTC", holidays: null },
			});
			expect(refused.statusCode).toBe(403);
			const now = (await paula.get(`${API}/admin/calendar`)).json();
			expect(now).toMatchObject({
				timeZone: "America/New_York",
				holidays: "US",
			});
			expect(now.changes).toHaveLength(1);
			expect(t.ctx.calendar.timeZone).toBe("America/New_York");
		});

		it("R-ROL-2 lists the zones and holiday calendars to choose from, with states, named in the asked language", async () => {
			const res = await paula.get(`${API}/admin/calendar/choices?lang=de`);
			expect(res.statusCode).toBe(200);
			const { timeZones, holidayCalendars } = res.json() as {
				timeZones: string[];
				holidayCalendars: {
					code: string;
					name: string;
					states: { code: string; name: string }[];
				}[];
			};
			expect(timeZones[0]).toBe("UTC");
			expect(timeZones).toContain("Europe/Stockholm");
			const de = holidayCalendars.find((h) => h.code === "DE");
			expect(de?.name).toBe("Deutschland");
			expect(de?.states).toContainEqual({ code: "DE-BY", name: "Bayern" });
			expect(holidayCalendars.find((h) => h.code === "NL")).toBeDefined();
		});
	},
);

describe("the business calendar in other processes (postgres)", () => {
	let first: TestApp;
	let second: TestApp;
	beforeAll(async () => {
		first = await startTestApp("postgres");
		second = await startTestApp("postgres", {
			databaseUrl: first.databaseUrl,
		});
	});
	afterAll(async () => {
		await second?.close();
		await first?.close();
	});

	it("R-ROL-2 R-TIME-1 a calendar set in one server process is in force in the others within their next look, and in a process started later", async () => {
		const stop = watchStoredCalendar(second.ctx, { intervalMs: 50 });
		try {
			const paula = await first.login(USERS.paula);
			const res = await paula.request("PUT", `${API}/admin/calendar`, {
				body: { timeZone: "Europe/Stockholm", holidays: "SE" },
			});
			expect(res.statusCode, res.body).toBe(200);
			await vi.waitFor(() =>
				expect(second.ctx.calendar.timeZone).toBe("Europe/Stockholm"),
			);
			// Ascension Day (Thursday 2027-05-06) is a Swedish public holiday.
			expect(
				second.ctx.deadlines
					.reviewStartDue(new Date("2027-05-05T08:00:00Z"))
					.toISOString(),
			).toBe("2027-05-13T08:00:00.000Z");
		} finally {
			stop();
		}
		const third = await startTestApp("postgres", {
			databaseUrl: first.databaseUrl,
		});
		try {
			expect(third.ctx.calendar.holidays).toEqual({ country: "SE" });
			const view = (
				await (await third.login(USERS.paula)).get(`${API}/admin/calendar`)
			).json();
			expect(view).toMatchObject({ source: "admin", holidays: "SE" });
		} finally {
			await third.close();
		}
	});

	it("R-ROL-2 a process started with a calendar in its environment says that the admin's calendar is in force instead", async () => {
		const warnings: string[] = [];
		const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-cal-"));
		const rt = await startRuntime(
			loadConfig({
				DATABASE_URL: first.databaseUrl,
				CPOR_DATA_DIR: dataDir,
				CPOR_HOLIDAYS: "NL",
			}),
			{ warn: (m) => warnings.push(m) },
		);
		try {
			expect(rt.ctx.calendar.holidays).toEqual({ country: "SE" });
			expect(warnings).toEqual([
				expect.stringMatching(
					/^CPOR_TIME_ZONE and CPOR_HOLIDAYS are ignored: the platform admin set the business calendar \(Europe\/Stockholm, holidays SE\) on .*Business calendar tab/,
				),
			]);
		} finally {
			await rt.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});

	it("R-ROL-2 a stored calendar this process cannot build is reported and leaves the one in force", async () => {
		await first.ctx.db.insert(calendarChanges).values({
			at: first.clock.now(),
			actorName: "an older CPOR",
			timeZone: "Europe/Stockholm",
			holidays: "ZZ",
		});
		const warnings: string[] = [];
		await loadStoredCalendar(second.ctx, { warn: (m) => warnings.push(m) });
		await loadStoredCalendar(second.ctx, { warn: (m) => warnings.push(m) });
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain("cannot be used");
		expect(second.ctx.calendar.holidays).toEqual({ country: "SE" });
		const rows = await queryRows<{ n: number }>(
			first,
			sql`select count(*)::int as n from calendar_changes`,
		);
		expect(rows[0]?.n).toBe(2);
	});
});
