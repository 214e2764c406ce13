/**
 * GET /admin/calendar: the business calendar the platform admin manages by configuration
 * (SPEC R-ROL-2 "calendars", R-TIME-1), on both databases' apps: the time zone, the
 * holiday calendar, whether today is a business day, when each SLA started now would be
 * due with its configured length, and the coming year's public holidays with their names
 * in the asked language.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type Client,
	startTestApp,
	type TestApp,
	USERS,
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
