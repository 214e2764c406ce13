import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/context.ts";
import { runDueTimers } from "../../src/jobs/sweeper.ts";
import {
	activateAssociation,
	expirePartnerResponse,
} from "../../src/jobs/timers.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DB_KINDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

type Rows = { rows: Record<string, unknown>[] };

async function underReview(ana: Client, rita: Client, productId: string) {
	const c = (
		await ana.post(
			"/api/v1/claims",
			m365ClaimBody({ name: "same name", products: [{ productId }] }),
		)
	).json();
	await ana.upload(`/api/v1/claims/${c.id}/documents`, samplePdf(), "poe.pdf");
	expect((await ana.post(`/api/v1/claims/${c.id}/submit`)).statusCode).toBe(
		200,
	);
	expect(
		(await rita.post(`/api/v1/claims/${c.id}/start-review`)).statusCode,
	).toBe(200);
	return c.id as string;
}

/** What a timer wrote for one claim, with the claim's own identity taken out. */
async function written(t: TestApp, id: string) {
	const q = async (query: ReturnType<typeof sql>) =>
		((await t.ctx.db.execute(query)) as unknown as Rows).rows;
	const history = await q(
		sql`select actor_id, actor_name, actor_role, action, before, after, internal from claim_history where claim_id = ${id} and actor_role = 'system'`,
	);
	const comments = await q(
		sql`select author_id, author_name, author_role, kind, body, internal from claim_comments where claim_id = ${id} and author_role = 'system'`,
	);
	const events = await q(
		sql`select type, organization_id, payload from outbox where claim_id = ${id} and type in ('claim.rejected', 'association.activated', 'eligibility.evaluated') order by id`,
	);
	const [row] = await q(
		sql`select status, version, rejection, association, eligibility, decided_at, dispute_until, partner_response_due, due_at, updated_at from claims where id = ${id}`,
	);
	const lines = await q(
		sql`select live, holds_association from claim_products where claim_id = ${id}`,
	);
	const pick = (c: Record<string, unknown>) => ({
		status: c.status,
		version: c.version,
		deadlines: c.deadlines,
		dueAt: c.dueAt,
		rejection: c.rejection,
		dispute: c.dispute,
		association: c.association,
		eligibility: c.eligibility,
		updatedAt: c.updatedAt,
		keys: Object.keys(c).sort(),
	});
	return {
		history,
		comments,
		row,
		lines,
		events: events.map((e) => {
			const p = e.payload as {
				type: string;
				timestamp: string;
				data: { claim: Record<string, unknown> };
			};
			return {
				type: e.type,
				org: e.organization_id,
				payloadType: p.type,
				timestamp: p.timestamp,
				dataKeys: Object.keys(p.data),
				claim: pick(p.data.claim),
			};
		}),
	};
}

describe.each(DB_KINDS)("the batched sweeper on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	beforeAll(async () => {
		t = await startTestApp(kind);
		[ana, rita] = await Promise.all([t.login(USERS.ana), t.login(USERS.rita)]);
	});
	afterAll(async () => t?.close());
	const at = (d: Date): AppContext => ({ ...t.ctx, clock: { now: () => d } });

	it("R-TIME-4 R-HIS-1 a batched expiry writes what the one-claim use case writes", async () => {
		const [a, b] = [
			await underReview(ana, rita, "exchange-online"),
			await underReview(ana, rita, "sharepoint-online"),
		];
		let due = "";
		for (const id of [a, b]) {
			const r = await rita.post(`/api/v1/claims/${id}/request-information`, {
				reasons: ["missing_all_poe"],
				comment: "Upload the signed statement of work.",
			});
			due = r.json().deadlines.partnerResponseDue;
		}
		const later = new Date(new Date(due).getTime() + 60_000);
		await expirePartnerResponse(at(later), a);
		const swept = await runDueTimers(at(later));
		expect(swept.expired).toBe(1);
		const [wa, wb] = [await written(t, a), await written(t, b)];
		expect(wa.history).toHaveLength(1);
		expect(wa.events).toHaveLength(1);
		expect(wb).toEqual(wa);
		expect(wb.row?.status).toBe("rejected");
		expect(wb.lines).toEqual([{ live: false, holds_association: false }]);
		expect((await runDueTimers(at(later))).expired).toBe(0);
	});

	it("R-TIME-6 R-ELG-1 R-HIS-1 a batched activation writes what the one-claim use case writes", async () => {
		const [a, b] = [
			await underReview(ana, rita, "microsoft-teams"),
			await underReview(ana, rita, "microsoft-365-apps"),
		];
		let ends = "";
		for (const id of [a, b]) {
			const r = await rita.post(`/api/v1/claims/${id}/approve`, {});
			expect(r.statusCode, r.body).toBe(200);
			ends = r.json().deadlines.consentEndsAt;
		}
		const later = new Date(new Date(ends).getTime() + 60_000);
		await activateAssociation(at(later), a);
		const swept = await runDueTimers(at(later));
		expect(swept.activated).toBe(1);
		const [wa, wb] = [await written(t, a), await written(t, b)];
		expect(wa.history).toHaveLength(1);
		expect(wa.events).toHaveLength(2);
		expect(wb).toEqual(wa);
		// Active from the window's end, not from when the sweep ran (R-TIME-6).
		expect(wb.row?.association).toMatchObject({
			status: "active",
			activatedAt: ends,
		});
	});
});
