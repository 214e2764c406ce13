import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../src/notifications/i18n.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DB_KINDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

/** Creates, uploads, submits and starts review of an M365 claim on a workload; returns its id. */
async function underReview(
	ana: Client,
	rita: Client,
	productId: string,
): Promise<string> {
	const c = (
		await ana.post(
			"/api/v1/claims",
			m365ClaimBody({ name: productId, products: [{ productId }] }),
		)
	).json();
	await ana.upload(`/api/v1/claims/${c.id}/documents`, samplePdf(), "poe.pdf");
	expect((await ana.post(`/api/v1/claims/${c.id}/submit`)).statusCode).toBe(
		200,
	);
	expect(
		(await rita.post(`/api/v1/claims/${c.id}/start-review`)).statusCode,
	).toBe(200);
	return c.id;
}

describe.each(DB_KINDS)("timers driven by the sandbox clock on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	beforeAll(async () => {
		// Monday 2026-11-23 09:00 UTC
		t = await startTestApp(kind);
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
	});
	afterAll(async () => t?.close());

	it("R-TIME-4 the partner-response deadline rejects with no_partner_response at the exact boundary, once", async () => {
		const id = await underReview(ana, rita, "exchange-online");
		const req = await rita.post(`/api/v1/claims/${id}/request-information`, {
			reasons: ["missing_all_poe"],
			comment: "Upload the signed statement of work.",
		});
		const due = req.json().deadlines.partnerResponseDue as string;
		// Requested on Monday 09:00 → 5 business days → next Monday 09:00 (spans a weekend).
		expect(due).toBe("2026-11-30T09:00:00.000Z");
		const oneSecondBefore = new Date(
			new Date(due).getTime() - 1000,
		).toISOString();
		const before = await paula.post("/api/v1/admin/clock", {
			to: oneSecondBefore,
		});
		expect(before.statusCode, before.body).toBe(200);
		expect((await ana.get(`/api/v1/claims/${id}`)).json().status).toBe(
			"partner_action_required",
		);
		const at = await paula.post("/api/v1/admin/clock", { to: due });
		expect(at.json().timers.expired).toBe(1);
		const claim = (await ana.get(`/api/v1/claims/${id}`)).json();
		expect(claim.status).toBe("rejected");
		expect(claim.rejection.reason).toBe("no_partner_response");
		// Moving on runs nothing twice.
		const later = await paula.post("/api/v1/admin/clock", { advanceBy: "P1D" });
		expect(later.json().timers.expired).toBe(0);
		const history = (await ana.get(`/api/v1/claims/${id}/history`)).json()
			.items as { action: string; actorRole: string }[];
		expect(
			history.filter((h) => h.action === "expire_partner_response"),
		).toEqual([expect.objectContaining({ actorRole: "system" })]);
		const events = await t.ctx.db.execute(
			sql`select count(*)::int as n from outbox where claim_id = ${id} and type = 'claim.rejected'`,
		);
		expect((events as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
		// The notice names the deadline that passed as a person reads it.
		const notice = (
			(await ana.get(`/api/v1/claims/${id}/comments`)).json().items as {
				body: string;
			}[]
		).at(-1);
		expect(notice?.body).toContain(
			`did not answer the information request by ${formatInstant(due, "en", "UTC")}.`,
		);
		expect(notice?.body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
		// The claim's rejection carries CPOR's words as data too.
		expect(
			(await ana.get(`/api/v1/claims/${id}`)).json().rejection.generated,
		).toEqual({ key: "no_partner_response", due });
		// And as data, for the web app to word in the reader's language and zone.
		expect(
			(notice as unknown as { template: Record<string, unknown> }).template,
		).toMatchObject({
			key: "rejected",
			reason: "no_partner_response",
			text: { key: "no_partner_response", due },
		});
	});

	it("R-TIME-6 when the consent window passes the association becomes active and eligibility is evaluated, once", async () => {
		const id = await underReview(ana, rita, "sharepoint-online");
		const approved = (
			await rita.post(`/api/v1/claims/${id}/approve`, {})
		).json();
		expect(approved.association.status).toBe("pending_consent");
		const ends = approved.deadlines.consentEndsAt as string;
		expect(
			new Date(ends).getTime() - new Date(approved.updatedAt).getTime(),
		).toBe(7 * 86_400_000);
		await paula.post("/api/v1/admin/clock", {
			to: new Date(new Date(ends).getTime() - 1000).toISOString(),
		});
		expect(
			(await ana.get(`/api/v1/claims/${id}`)).json().association.status,
		).toBe("pending_consent");
		const moved = await paula.post("/api/v1/admin/clock", { to: ends });
		expect(moved.json().timers.activated).toBe(1);
		const claim = (await ana.get(`/api/v1/claims/${id}`)).json();
		expect(claim.status).toBe("approved");
		expect(claim.association.status).toBe("active");
		const m365 = claim.eligibility.find(
			(e: { program: string }) => e.program === "osu_m365",
		);
		expect(m365.result).toBe("eligible");
		expect(
			claim.eligibility.find(
				(e: { program: string }) => e.program === "osa_sell",
			).result,
		).toBe("not_eligible");
		expect(
			(await paula.post("/api/v1/admin/clock", { advanceBy: "PT1H" })).json()
				.timers.activated,
		).toBe(0);
		// The thread says it in words a person reads: a date, and the programs' names.
		const thread = (await ana.get(`/api/v1/claims/${id}/comments`)).json()
			.items as { body: string }[];
		const bodies = thread.map((c) => c.body).join("\n");
		expect(bodies).toContain(
			`can opt out until ${formatInstant(ends, "en", "UTC")}.`,
		);
		expect(formatInstant(ends, "en", "UTC")).toMatch(
			/^\w+day, \d{1,2} \w+ \d{4} at \d{2}:\d{2} \(UTC\)$/,
		);
		expect(bodies).toContain(
			"Eligibility: OSA Sell: not eligible, OSU-M365: eligible, OSU-BizApps: not eligible.",
		);
		expect(
			(thread as unknown as { template: { key: string } | null }[]).find(
				(c) => c.template?.key === "activated",
			)?.template,
		).toEqual({
			key: "activated",
			eligibility: [
				{ program: "osa_sell", result: "not_eligible" },
				{ program: "osu_m365", result: "eligible" },
				{ program: "osu_bizapps", result: "not_eligible" },
			],
		});
		expect(bodies).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
	});

	it("R-TIME-6 an association whose timer runs late (after downtime) is active from the consent window's end", async () => {
		const id = await underReview(ana, rita, "exchange-online");
		const approved = (
			await rita.post(`/api/v1/claims/${id}/approve`, {})
		).json();
		const ends = approved.deadlines.consentEndsAt as string;
		// The timers first run two days and three hours after the window ended.
		const late = new Date(new Date(ends).getTime() + 51 * 3_600_000);
		const moved = await paula.post("/api/v1/admin/clock", {
			to: late.toISOString(),
		});
		expect(moved.json().timers.activated).toBe(1);
		const claim = (await ana.get(`/api/v1/claims/${id}`)).json();
		expect(claim.association).toMatchObject({
			status: "active",
			activatedAt: ends,
		});
		// The history says when it was recorded.
		const history = (await ana.get(`/api/v1/claims/${id}/history`)).json()
			.items as { action: string; at: string }[];
		expect(history.find((h) => h.action === "activate_association")?.at).toBe(
			late.toISOString(),
		);
	});

	it("R-TIME-9 the sandbox clock only moves forward and is for platform admins", async () => {
		const now = (await paula.get("/api/v1/admin/clock")).json();
		expect(now.sandbox).toBe(true);
		const back = await paula.post("/api/v1/admin/clock", {
			to: "2020-01-01T00:00:00Z",
		});
		expect(back.statusCode).toBe(409);
		expect(back.json().code).toBe("clock_rewind");
		expect(
			(await paula.post("/api/v1/admin/clock", { advanceBy: "soon" }))
				.statusCode,
		).toBe(422);
		expect(
			(await ana.post("/api/v1/admin/clock", { advanceBy: "P1D" })).statusCode,
		).toBe(403);
	});

	it("R-TIME-4 once the response deadline has passed the partner cannot resubmit, even before the timer has run; the expiry then rejects it", async () => {
		const id = await underReview(ana, rita, "onedrive-for-business");
		const req = await rita.post(`/api/v1/claims/${id}/request-information`, {
			reasons: ["missing_all_poe"],
			comment: "Upload the signed statement of work.",
		});
		const due = req.json().deadlines.partnerResponseDue as string;
		// The clock reaches the deadline; no background work has run yet.
		t.clock.setTo(new Date(due));
		const late = await ana.post(`/api/v1/claims/${id}/resubmit`, {
			comment: "Here it is.",
		});
		expect(late.statusCode, late.body).toBe(409);
		expect(late.json().code).toBe("invalid_transition");
		expect(late.json().detail).toContain("response deadline has passed");
		expect((await ana.get(`/api/v1/claims/${id}`)).json().status).toBe(
			"partner_action_required",
		);
		const run = await paula.post("/api/v1/admin/clock", { advanceBy: "PT1S" });
		expect(run.json().timers.expired).toBe(1);
		const claim = (await ana.get(`/api/v1/claims/${id}`)).json();
		expect(claim.rejection.reason).toBe("no_partner_response");
	});
});
