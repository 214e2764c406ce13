/**
 * R-NTF-1 fan-out of outbox events into deliveries, a batch at a time: the statements
 * per batch do not grow with its events (no query per event), and every subscribed
 * target still gets each of its events once, numbered in event order, also when a
 * claim's events fall into different batches.
 */

import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, outbox } from "../../src/db/schema.ts";
import { defaultChannels } from "../../src/jobs/channels.ts";
import { fanOutEvents } from "../../src/jobs/dispatcher.ts";
import {
	type Client,
	createDraftWithPoe,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	startTestApp,
	statementCountingContext,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

async function subscribe(
	admin: Client,
	url: string,
	eventTypes?: string[],
): Promise<string> {
	const res = await admin.post(`${API}/webhooks`, {
		url,
		...(eventTypes ? { eventTypes } : {}),
	});
	expect(res.statusCode, res.body).toBe(201);
	return (res.json() as { id: string }).id;
}

describe.each(DB_KINDS)("R-NTF-1 fan-out on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let nora: Client;

	beforeAll(async () => {
		t = await startTestApp(kind);
		ana = await t.login(USERS.ana);
		nora = await t.login(USERS.nora);
	}, 120_000);
	afterAll(async () => {
		await t?.close();
	});

	it("R-NTF-1 a batch of events fans out in as many statements as one event, and each subscribed target gets each of its events once, in event order", async () => {
		const all = await subscribe(ana, "https://hooks.example/all");
		const submittedOnly = await subscribe(
			ana,
			"https://hooks.example/submitted",
			["claim.submitted"],
		);
		const gone = await subscribe(ana, "https://hooks.example/gone");
		expect((await ana.del(`${API}/webhooks/${gone}`)).statusCode).toBe(204);
		const northwind = await subscribe(nora, "https://hooks.example/nw");

		// Claims of Fabrikam on distinct tenant × workload pairs, created with PoE and
		// submitted (each causes several events).
		const workloads = (testDirectory().products ?? [])
			.filter((p) => p.solutionArea === "microsoft_365")
			.map((p) => p.productId);
		const pairs = (testDirectory().tenants ?? [])
			.filter((x) => x.tenantId !== DEMO_IDS.tenants.contoso)
			.flatMap((x) =>
				workloads.map((productId) => ({
					tenantId: x.tenantId,
					domain: x.domains[0] as string,
					productId,
				})),
			);
		let next = 0;
		const submitClaims = async (n: number) => {
			for (let i = 0; i < n; i++) {
				const p = pairs[next++];
				if (!p) throw new Error("the test directory ran out of pairs");
				const { id } = await createDraftWithPoe(
					ana,
					m365ClaimBody({
						name: `Fan-out ${p.productId}`,
						customer: { tenantId: p.tenantId, domain: p.domain },
						products: [{ productId: p.productId }],
					}),
				);
				const res = await ana.post(`${API}/claims/${id}/submit`);
				expect(res.statusCode, res.body).toBe(200);
			}
		};
		const counting = statementCountingContext(t);
		const fanOut = async () => {
			counting.statements.length = 0;
			const events = await fanOutEvents(
				counting.ctx,
				defaultChannels(counting.ctx.config),
			);
			return { events, statements: counting.statements.length };
		};
		await fanOut(); // the subscriptions' own events, if any

		await submitClaims(1);
		const one = await fanOut();
		await submitClaims(8);
		const eight = await fanOut();
		expect(one.events).toBeGreaterThan(0);
		expect(eight.events).toBe(8 * one.events);
		expect(eight.statements).toBe(one.statements);
		expect((await fanOut()).events).toBe(0);
		// Batches smaller than a claim's events: order still holds across batches.
		await submitClaims(3);
		expect(
			await fanOutEvents(t.ctx, defaultChannels(t.ctx.config), {
				batchSize: 2,
			}),
		).toBe(3 * one.events);

		const events = await t.ctx.db.select().from(outbox).orderBy(asc(outbox.id));
		const rows = await t.ctx.db
			.select()
			.from(deliveries)
			.orderBy(asc(deliveries.id));
		expect(events.every((e) => e.processedAt)).toBe(true);
		const fabrikam = events.filter(
			(e) => e.organizationId === DEMO_IDS.organizations.fabrikam,
		);
		const toTarget = (target: string) =>
			rows
				.filter((d) => d.channel === "webhook" && d.target === target)
				.map((d) => d.eventId);
		// Every Fabrikam event to the subscription to all types, in event order, once.
		expect(toTarget(all)).toEqual(fabrikam.map((e) => e.eventId));
		expect(toTarget(submittedOnly)).toEqual(
			fabrikam
				.filter((e) => e.type === "claim.submitted")
				.map((e) => e.eventId),
		);
		expect(toTarget(submittedOnly)).toHaveLength(12);
		expect(toTarget(gone)).toEqual([]);
		expect(toTarget(northwind)).toEqual([]);
		// One "submitted" email per claim to the partner contact, in event order.
		const emails = rows.filter(
			(d) =>
				d.channel === "email" &&
				(d.payload as { kind?: string }).kind === "submitted",
		);
		expect(emails.map((d) => d.eventId)).toEqual(
			fabrikam
				.filter((e) => e.type === "claim.submitted")
				.map((e) => e.eventId),
		);
		expect(new Set(rows.map((d) => d.dedupeKey)).size).toBe(rows.length);
	});
});
