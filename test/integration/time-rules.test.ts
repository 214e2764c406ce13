/**
 * SPEC section 5 (time), one integration test per rule, driven through HTTP by the
 * sandbox clock (`POST /admin/clock` as the platform admin moves it and runs the timers).
 * Each test starts its own app, so its clock and counts are its own. R-TIME-4 and
 * R-TIME-6 are in timers.test.ts.
 */

import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { claims } from "../../src/db/schema.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Deadlines {
	reviewStartDue: string | null;
	decisionDue: string | null;
	partnerResponseDue: string | null;
	consentEndsAt: string | null;
	disputeUntil: string | null;
	disputeDecisionDue: string | null;
}
interface Claim {
	id: string;
	status: string;
	version: number;
	updatedAt: string;
	deadlines: Deadlines;
	dueAt: string | null;
	informationRequest: { requestedAt: string; respondBy: string } | null;
	rejection: { rejectedAt: string; disputeUntil: string | null } | null;
	association: { status: string; consentEndsAt: string } | null;
}
interface QueueItem {
	claim: Claim;
	sla: string;
	dueAt: string | null;
	overdue: boolean;
}
interface SlaCounts {
	due: number;
	overdue: number;
	breached: number;
	met: number;
}

function ok(res: LightMyRequestResponse, status = 200) {
	expect(res.statusCode, res.body).toBe(status);
	return res.json();
}

const plus = (iso: string, ms: number) =>
	new Date(Date.parse(iso) + ms).toISOString();

let apps: TestApp[] = [];
afterEach(async () => {
	await Promise.all(apps.map((a) => a.close()));
	apps = [];
});

/** A fresh app on PGlite with its own clock, and the users the tests need. */
async function start(now: string, env: Record<string, string> = {}) {
	const t = await startTestApp("pglite", { now: new Date(now), env });
	apps.push(t);
	const [ana, rita, rob, paula] = await Promise.all([
		t.login(USERS.ana),
		t.login(USERS.rita),
		t.login(USERS.rob),
		t.login(USERS.paula),
	]);
	const clockTo = async (to: string) =>
		ok(await paula.post(`${API}/admin/clock`, { to }));
	const sla = async () =>
		ok(await rita.get(`${API}/reports/sla`)).slas as Record<string, SlaCounts>;
	const queueItem = async (id: string) =>
		(
			ok(await rita.get(`${API}/review-queue?limit=500`)).items as QueueItem[]
		).find((i) => i.claim.id === id);
	return { t, ana, rita, rob, paula, clockTo, sla, queueItem };
}

/** Creates an M365 claim on Contoso for one workload, with PoE, and submits it. */
async function submit(ana: Client, productId = "microsoft-teams") {
	const c = ok(
		await ana.post(
			`${API}/claims`,
			m365ClaimBody({ name: productId, products: [{ productId }] }),
		),
		201,
	) as Claim;
	ok(
		await ana.upload(`${API}/claims/${c.id}/documents`, samplePdf(), "poe.pdf"),
		201,
	);
	return ok(await ana.post(`${API}/claims/${c.id}/submit`)) as Claim;
}

describe("SPEC section 5 time rules through HTTP and the sandbox clock", () => {
	it("R-TIME-1 business days skip the weekend: 5 business days from Friday is the next Friday, same time of day", async () => {
		// Friday 2026-11-27 14:30 UTC
		const { ana, rita, clockTo } = await start("2026-11-27T14:30:00.000Z");
		const friday = await submit(ana, "microsoft-teams");
		expect(friday.deadlines.reviewStartDue).toBe("2026-12-04T14:30:00.000Z");
		// Submitted on a Saturday: the Saturday itself never counts → Friday.
		await clockTo("2026-11-28T10:00:00.000Z");
		const saturday = await submit(ana, "exchange-online");
		expect(saturday.deadlines.reviewStartDue).toBe("2026-12-04T10:00:00.000Z");
		// The review started on Saturday: decision due Friday (R-TIME-3 uses the same calendar).
		const started = ok(
			await rita.post(`${API}/claims/${saturday.id}/start-review`),
		) as Claim;
		expect(started.deadlines.decisionDue).toBe("2026-12-04T10:00:00.000Z");
	});

	it("R-TIME-1 a configured holiday calendar (NL) skips King's Day 2027-04-27", async () => {
		const { ana, clockTo } = await start("2027-04-23T22:30:00.000Z", {
			CPOR_HOLIDAYS: "NL",
		});
		// Friday 22:30 UTC → Mon 26, (Tue 27 King's Day), Wed 28, Thu 29, Fri 30, Mon 3 May.
		const friday = await submit(ana, "microsoft-teams");
		expect(friday.deadlines.reviewStartDue).toBe("2027-05-03T22:30:00.000Z");
		await clockTo("2027-04-26T09:00:00.000Z");
		// Monday → (Tue 27 skipped) Wed, Thu, Fri, Mon, Tue 4 May.
		const monday = await submit(ana, "exchange-online");
		expect(monday.deadlines.reviewStartDue).toBe("2027-05-04T09:00:00.000Z");
	});

	it("R-TIME-1 without a holiday calendar the same Monday gives Monday 3 May", async () => {
		const { ana } = await start("2027-04-26T09:00:00.000Z");
		const monday = await submit(ana);
		expect(monday.deadlines.reviewStartDue).toBe("2027-05-03T09:00:00.000Z");
	});

	it("R-TIME-1 days are read in the configured time zone (Europe/Amsterdam) with NL holidays", async () => {
		const { ana, clockTo } = await start("2027-04-23T22:30:00.000Z", {
			CPOR_HOLIDAYS: "NL",
			CPOR_TIME_ZONE: "Europe/Amsterdam",
		});
		// Friday 22:30 UTC is Saturday 00:30 in Amsterdam: Saturday does not count, so
		// Mon 26, Wed 28, Thu 29, Fri 30, Mon 3 May 00:30 local = Sunday 2 May 22:30 UTC.
		const lateFriday = await submit(ana, "microsoft-teams");
		expect(lateFriday.deadlines.reviewStartDue).toBe(
			"2027-05-02T22:30:00.000Z",
		);
		await clockTo("2027-04-26T09:00:00.000Z");
		// Monday 11:00 local → Tuesday 4 May 11:00 local (King's Day skipped).
		const monday = await submit(ana, "exchange-online");
		expect(monday.deadlines.reviewStartDue).toBe("2027-05-04T09:00:00.000Z");
	});

	it("R-TIME-2 a submitted claim is due, then overdue exactly at reviewStartDue, in the queue and the SLA report; a late start is a breach", async () => {
		// Monday 2026-11-23 09:00 UTC
		const { ana, rita, clockTo, sla, queueItem } = await start(
			"2026-11-23T09:00:00.000Z",
		);
		const c = await submit(ana);
		const due = c.deadlines.reviewStartDue as string;
		expect(due).toBe("2026-11-30T09:00:00.000Z");
		expect(c.dueAt).toBe(due);

		await clockTo(plus(due, -1000));
		expect(await queueItem(c.id)).toMatchObject({
			sla: "review_start",
			dueAt: due,
			overdue: false,
		});
		expect((await sla()).review_start).toMatchObject({ due: 1, overdue: 0 });

		await clockTo(due);
		expect(await queueItem(c.id)).toMatchObject({
			sla: "review_start",
			overdue: true,
		});
		expect(
			(
				ok(await rita.get(`${API}/review-queue?sla=review_start`))
					.items as QueueItem[]
			).map((i) => [i.claim.id, i.overdue]),
		).toEqual([[c.id, true]]);
		expect((await sla()).review_start).toMatchObject({
			due: 0,
			overdue: 1,
			breached: 0,
		});
		// Not a transition: the claim is still submitted.
		expect((ok(await ana.get(`${API}/claims/${c.id}`)) as Claim).status).toBe(
			"submitted",
		);
		// The review starts late: counted as a breach.
		await clockTo(plus(due, HOUR));
		ok(await rita.post(`${API}/claims/${c.id}/start-review`));
		expect((await sla()).review_start).toEqual({
			rule: "R-TIME-2",
			due: 0,
			overdue: 0,
			breached: 1,
			met: 0,
		});
	});

	it("R-TIME-3 the decision is due 5 business days after the review starts, overdue at the boundary and counted; the partner's time extends it", async () => {
		// Wednesday 2026-11-25 09:00 UTC
		const { ana, rita, clockTo, sla, queueItem } = await start(
			"2026-11-25T09:00:00.000Z",
		);
		const a = await submit(ana, "microsoft-teams");
		const b = await submit(ana, "exchange-online");
		const startedA = ok(
			await rita.post(`${API}/claims/${a.id}/start-review`),
		) as Claim;
		// Wednesday + 5 business days = next Wednesday (over the weekend).
		const due = "2026-12-02T09:00:00.000Z";
		expect(startedA.deadlines.decisionDue).toBe(due);
		expect(startedA.dueAt).toBe(due);

		// B: the reviewer asks for information at once; the partner answers 2 business
		// days later (Friday), so B's decision is due 2 business days later (Friday 4 Dec).
		ok(await rita.post(`${API}/claims/${b.id}/start-review`));
		ok(
			await rita.post(`${API}/claims/${b.id}/request-information`, {
				reasons: ["missing_all_poe"],
				comment: "Upload the signed statement of work.",
			}),
		);
		await clockTo("2026-11-27T09:00:00.000Z");
		const resubmitted = ok(
			await ana.post(`${API}/claims/${b.id}/resubmit`, {}),
		) as Claim;
		expect(resubmitted.status).toBe("under_review");
		expect(resubmitted.deadlines.decisionDue).toBe("2026-12-04T09:00:00.000Z");

		await clockTo(plus(due, -1000));
		expect(await queueItem(a.id)).toMatchObject({
			sla: "decision",
			overdue: false,
		});
		expect((await sla()).decision).toMatchObject({ due: 2, overdue: 0 });
		await clockTo(due);
		expect(await queueItem(a.id)).toMatchObject({
			sla: "decision",
			overdue: true,
		});
		expect(await queueItem(b.id)).toMatchObject({ overdue: false });
		expect((await sla()).decision).toMatchObject({ due: 1, overdue: 1 });

		// A is decided late (breach), B in time (met).
		ok(await rita.post(`${API}/claims/${a.id}/approve`, {}));
		ok(await rita.post(`${API}/claims/${b.id}/approve`, {}));
		expect((await sla()).decision).toEqual({
			rule: "R-TIME-3",
			due: 0,
			overdue: 0,
			breached: 1,
			met: 1,
		});
	});

	it("R-TIME-5 the consent window is 7 calendar days by default", async () => {
		// Saturday 2026-11-28 10:00 UTC: 7 calendar days → Saturday 5 December.
		const { ana, rita, clockTo } = await start("2026-11-28T10:00:00.000Z");
		const c = await submit(ana);
		ok(await rita.post(`${API}/claims/${c.id}/start-review`));
		const approved = ok(
			await rita.post(`${API}/claims/${c.id}/approve`, {}),
		) as Claim;
		const ends = "2026-12-05T10:00:00.000Z";
		expect(approved.deadlines.consentEndsAt).toBe(ends);
		expect(approved.association?.consentEndsAt).toBe(ends);
		expect(approved.dueAt).toBe(ends);
		await clockTo(plus(ends, -1000));
		expect(
			(ok(await ana.get(`${API}/claims/${c.id}`)) as Claim).association?.status,
		).toBe("pending_consent");
		expect((await clockTo(ends)).timers.activated).toBe(1);
	});

	it("R-TIME-5 configured as 5 business days, the window ends on the 5th business day", async () => {
		const { ana, rita, clockTo } = await start("2026-11-28T10:00:00.000Z", {
			CPOR_CONSENT_WINDOW_UNIT: "business",
			CPOR_CONSENT_WINDOW_DAYS: "5",
		});
		const c = await submit(ana);
		ok(await rita.post(`${API}/claims/${c.id}/start-review`));
		const approved = ok(
			await rita.post(`${API}/claims/${c.id}/approve`, {}),
		) as Claim;
		// Saturday → Mon, Tue, Wed, Thu, Fri 4 December (not Saturday the 5th).
		const ends = "2026-12-04T10:00:00.000Z";
		expect(approved.deadlines.consentEndsAt).toBe(ends);
		await clockTo(plus(ends, -1000));
		expect(
			(ok(await ana.get(`${API}/claims/${c.id}`)) as Claim).association?.status,
		).toBe("pending_consent");
		expect((await clockTo(ends)).timers.activated).toBe(1);
		expect(
			(ok(await ana.get(`${API}/claims/${c.id}`)) as Claim).association?.status,
		).toBe("active");
	});

	it("R-TIME-7 a rejection can be disputed for 30 calendar days, then dispute_window_closed; updated PoE is taken only while it can be", async () => {
		const { ana, rita, clockTo } = await start("2026-11-23T09:00:00.000Z");
		const rejectOne = async (productId: string) => {
			const c = await submit(ana, productId);
			ok(await rita.post(`${API}/claims/${c.id}/start-review`));
			return ok(
				await rita.post(`${API}/claims/${c.id}/reject`, {
					reason: "insufficient_poe",
					comment: "The PoE does not name the workload.",
				}),
			) as Claim;
		};
		const a = await rejectOne("microsoft-teams");
		const b = await rejectOne("exchange-online");
		const until = "2026-12-23T09:00:00.000Z";
		expect(a.deadlines.disputeUntil).toBe(until);
		expect(a.rejection?.disputeUntil).toBe(until);
		await clockTo(plus(until, -1000));
		ok(
			await ana.post(`${API}/claims/${a.id}/dispute`, {
				justification: "The statement of work names Teams.",
			}),
		);
		// Updated PoE for a dispute (R-DSP-1) is taken while the window is open.
		const poe = (id: string) =>
			ana.upload(`${API}/claims/${id}/documents`, samplePdf(), "update.pdf");
		expect((await poe(b.id)).statusCode).toBe(201);
		// A withdrawn claim cannot be disputed, so it takes no PoE either.
		const w = await submit(ana, "sharepoint-online");
		ok(await ana.post(`${API}/claims/${w.id}/withdraw`, {}));
		await clockTo(until);
		const late = await ana.post(`${API}/claims/${b.id}/dispute`, {
			justification: "Too late.",
		});
		expect(late.statusCode, late.body).toBe(409);
		expect(late.json().code).toBe("dispute_window_closed");
		for (const id of [b.id, w.id]) {
			const before = ok(await ana.get(`${API}/claims/${id}`)) as Claim;
			const refused = await poe(id);
			expect(refused.statusCode, refused.body).toBe(409);
			expect(refused.json().code).toBe("claim_not_editable");
			const after = ok(await ana.get(`${API}/claims/${id}`)) as Claim;
			expect(after.version).toBe(before.version);
		}
	});

	it("R-TIME-8 a dispute is due 5 business days after it is filed, overdue at the boundary, a late answer is a breach", async () => {
		// Thursday 2026-11-26 09:00 UTC
		const { ana, rita, rob, clockTo, sla, queueItem } = await start(
			"2026-11-26T09:00:00.000Z",
		);
		const c = await submit(ana);
		ok(await rita.post(`${API}/claims/${c.id}/start-review`));
		ok(
			await rita.post(`${API}/claims/${c.id}/reject`, {
				reason: "insufficient_poe",
				comment: "The PoE does not name the workload.",
			}),
		);
		const disputed = ok(
			await ana.post(`${API}/claims/${c.id}/dispute`, {
				justification: "The statement of work names Teams.",
			}),
		) as Claim;
		// Thursday + 5 business days = next Thursday.
		const due = "2026-12-03T09:00:00.000Z";
		expect(disputed.deadlines.disputeDecisionDue).toBe(due);
		expect(disputed.dueAt).toBe(due);

		await clockTo(plus(due, -1000));
		expect(await queueItem(c.id)).toMatchObject({
			sla: "dispute_decision",
			dueAt: due,
			overdue: false,
		});
		expect((await sla()).dispute_decision).toMatchObject({
			due: 1,
			overdue: 0,
		});
		await clockTo(due);
		expect(await queueItem(c.id)).toMatchObject({
			sla: "dispute_decision",
			overdue: true,
		});
		expect((await sla()).dispute_decision).toMatchObject({
			due: 0,
			overdue: 1,
		});
		ok(
			await rob.post(`${API}/claims/${c.id}/dispute-decision`, {
				decision: "approve",
				comment: "The statement of work does name Teams.",
			}),
		);
		expect((await sla()).dispute_decision).toEqual({
			rule: "R-TIME-8",
			due: 0,
			overdue: 0,
			breached: 1,
			met: 0,
		});
		expect(await queueItem(c.id)).toBeUndefined();
	});

	it("R-TIME-9 every deadline is stored on the claim and shown with the one that matters now as dueAt", async () => {
		const { t, ana, rita, rob, clockTo } = await start(
			"2026-11-23T09:00:00.000Z",
		);
		const none: Deadlines = {
			reviewStartDue: null,
			decisionDue: null,
			partnerResponseDue: null,
			consentEndsAt: null,
			disputeUntil: null,
			disputeDecisionDue: null,
		};
		/** The claim as the partner sees it, checked against the stored columns. */
		const shown = async (id: string) => {
			const claim = ok(await ana.get(`${API}/claims/${id}`)) as Claim;
			const [row] = await t.ctx.db
				.select()
				.from(claims)
				.where(eq(claims.id, id));
			const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
			expect(claim.deadlines).toEqual({
				reviewStartDue: iso(row?.reviewStartDue),
				decisionDue: iso(row?.decisionDue),
				partnerResponseDue: iso(row?.partnerResponseDue),
				consentEndsAt: iso(row?.consentEndsAt),
				disputeUntil: iso(row?.disputeUntil),
				disputeDecisionDue: iso(row?.disputeDecisionDue),
			});
			expect(claim.dueAt).toBe(iso(row?.dueAt));
			return claim;
		};

		const draft = ok(
			await ana.post(`${API}/claims`, m365ClaimBody()),
			201,
		) as Claim;
		expect(draft.deadlines).toEqual(none);
		expect(draft.dueAt).toBeNull();

		const c = await submit(ana, "exchange-online");
		let s = await shown(c.id);
		expect(s.deadlines).toEqual({
			...none,
			reviewStartDue: "2026-11-30T09:00:00.000Z",
		});
		expect(s.dueAt).toBe("2026-11-30T09:00:00.000Z");

		ok(await rita.post(`${API}/claims/${c.id}/start-review`));
		s = await shown(c.id);
		expect(s.deadlines.decisionDue).toBe("2026-11-30T09:00:00.000Z");
		expect(s.dueAt).toBe(s.deadlines.decisionDue);

		// The partner must act: "respond by" is shown as dueAt and on the request.
		ok(
			await rita.post(`${API}/claims/${c.id}/request-information`, {
				reasons: ["missing_all_poe"],
				comment: "Upload the signed statement of work.",
			}),
		);
		s = await shown(c.id);
		expect(s.deadlines.partnerResponseDue).toBe("2026-11-30T09:00:00.000Z");
		expect(s.informationRequest?.respondBy).toBe(
			s.deadlines.partnerResponseDue,
		);
		expect(s.dueAt).toBe(s.deadlines.partnerResponseDue);
		const listed = ok(await ana.get(`${API}/claims?sort=dueAt`))
			.items as Claim[];
		expect(listed.find((l) => l.id === c.id)?.dueAt).toBe(s.dueAt);

		await clockTo("2026-11-24T09:00:00.000Z");
		ok(await ana.post(`${API}/claims/${c.id}/resubmit`, {}));
		s = await shown(c.id);
		expect(s.deadlines.partnerResponseDue).toBeNull();
		expect(s.deadlines.decisionDue).toBe("2026-12-01T09:00:00.000Z");
		expect(s.dueAt).toBe(s.deadlines.decisionDue);

		ok(
			await rita.post(`${API}/claims/${c.id}/reject`, {
				reason: "insufficient_poe",
				comment: "Still no statement of work.",
			}),
		);
		s = await shown(c.id);
		expect(s.deadlines.disputeUntil).toBe("2026-12-24T09:00:00.000Z");
		expect(s.rejection?.disputeUntil).toBe(s.deadlines.disputeUntil);
		// Nobody owes an answer to a plain rejection.
		expect(s.dueAt).toBeNull();

		ok(
			await ana.post(`${API}/claims/${c.id}/dispute`, {
				justification: "The statement of work was attached to the email.",
			}),
		);
		s = await shown(c.id);
		expect(s.deadlines.disputeDecisionDue).toBe("2026-12-01T09:00:00.000Z");
		expect(s.dueAt).toBe(s.deadlines.disputeDecisionDue);

		ok(
			await rob.post(`${API}/claims/${c.id}/dispute-decision`, {
				decision: "approve",
				comment: "Found it.",
			}),
		);
		s = await shown(c.id);
		expect(s.deadlines.disputeDecisionDue).toBeNull();
		expect(s.deadlines.consentEndsAt).toBe(
			plus("2026-11-24T09:00:00.000Z", 7 * DAY),
		);
		expect(s.dueAt).toBe(s.deadlines.consentEndsAt);
		// The customer sees the same window.
		const carl = await t.login(USERS.carl);
		const associations = ok(await carl.get(`${API}/customer/associations`))
			.items as { claimId: string; consentEndsAt: string | null }[];
		expect(associations.find((a) => a.claimId === c.id)?.consentEndsAt).toBe(
			s.deadlines.consentEndsAt,
		);

		await clockTo(s.deadlines.consentEndsAt as string);
		s = await shown(c.id);
		expect(s.association?.status).toBe("active");
		expect(s.dueAt).toBeNull();
	});
});
