/**
 * The directory import's dry run (`POST /admin/directory/import?dryRun=true`, SPEC R-DIR-6):
 * it validates exactly as a real import, in the same all-or-nothing transaction, answers
 * the same summary, and writes nothing.
 */

import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriptions, tenants, usageRecords } from "../../src/db/schema.ts";
import {
	type Client,
	DB_KINDS,
	DEMO_IDS,
	PASSWORD,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const URL = "/api/v1/admin/directory/import";
const NEW_TENANT = "0e2d4c6a-8b1f-4a3e-9c5d-7f6e5d4c3b2a";

/** A document with new rows (a tenant, its domain, a subscription, usage) and a changed one (Contoso's name). */
function document() {
	return {
		tenants: [
			{
				tenantId: NEW_TENANT,
				name: "Dry Run Ltd",
				domains: ["dryrun.onmicrosoft.com"],
			},
			{
				tenantId: DEMO_IDS.tenants.contoso,
				name: "Contoso Renamed",
				domains: [DEMO_IDS.domains.contosoInitial, DEMO_IDS.domains.contoso],
			},
		],
		subscriptions: [
			{
				subscriptionId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
				tenantId: NEW_TENANT,
				productId: "dynamics-365-sales",
				channel: "volume_licensing",
				status: "active",
				provisioned: true,
			},
		],
		usage: [
			{
				tenantId: NEW_TENANT,
				productId: "microsoft-teams",
				month: "2026-10",
				monthlyActiveUsers: 10,
				paidAvailableUnits: 12,
			},
		],
	};
}

describe.each(DB_KINDS)("directory import dry run (%s)", (kind) => {
	let t: TestApp;
	let paula: Client;
	let session: Record<string, string>;

	beforeAll(async () => {
		t = await startTestApp(kind);
		paula = await t.login(USERS.paula);
		const login = await t.app.inject({
			method: "POST",
			url: "/api/v1/auth/login",
			payload: { email: USERS.paula, password: PASSWORD },
		});
		session = {
			cookie: String(login.headers["set-cookie"]).split(";")[0] as string,
			"x-csrf-token": (login.json() as { csrfToken: string }).csrfToken,
		};
	});
	afterAll(async () => {
		await t?.close();
	});

	/** Posts one CSV section as text/csv. */
	function postCsv(
		query: string,
		csv: string,
	): Promise<LightMyRequestResponse> {
		return t.app.inject({
			method: "POST",
			url: `${URL}?${query}`,
			headers: { ...session, "content-type": "text/csv" },
			payload: csv,
		});
	}

	async function stored() {
		const db = t.ctx.db;
		const [contoso] = await db
			.select()
			.from(tenants)
			.where(eq(tenants.tenantId, DEMO_IDS.tenants.contoso));
		return {
			tenants: await db.$count(tenants),
			subscriptions: await db.$count(subscriptions),
			usage: await db.$count(usageRecords),
			contoso: contoso?.name,
		};
	}

	it("R-DIR-6 answers the real import's summary and writes nothing", async () => {
		const doc = document();
		const before = await stored();
		const dry = await paula.post(`${URL}?dryRun=true`, doc);
		expect(dry.statusCode, dry.body).toBe(200);
		const summary = dry.json();
		expect(summary.tenants).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
		expect(summary.domains).toEqual({ inserted: 1, updated: 0, unchanged: 2 });
		expect(summary.subscriptions).toEqual({
			inserted: 1,
			updated: 0,
			unchanged: 0,
		});
		expect(summary.usage).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
		expect(await stored()).toEqual(before);

		// `dryRun=false` is a real import: the same summary, and it writes.
		const real = await paula.post(`${URL}?dryRun=false`, doc);
		expect(real.statusCode, real.body).toBe(200);
		expect(real.json()).toEqual(summary);
		const after = await stored();
		expect(after.tenants).toBe(before.tenants + 1);
		expect(after.subscriptions).toBe(before.subscriptions + 1);
		expect(after.usage).toBe(before.usage + 1);
		expect(after.contoso).toBe("Contoso Renamed");

		// A dry run of the same document now finds everything unchanged.
		const again = await paula.post(`${URL}?dryRun=true`, doc);
		expect(again.statusCode, again.body).toBe(200);
		expect(again.json().tenants).toEqual({
			inserted: 0,
			updated: 0,
			unchanged: 2,
		});
		expect(again.json().usage).toEqual({
			inserted: 0,
			updated: 0,
			unchanged: 1,
		});
	});

	it("R-DIR-6 rejects an invalid document exactly as a real import (422, errors[])", async () => {
		const bad = {
			tenants: [
				{
					tenantId: "0f2d4c6a-8b1f-4a3e-9c5d-7f6e5d4c3b2a",
					name: "Domain Thief",
					domains: ["thief.onmicrosoft.com", DEMO_IDS.domains.contoso],
				},
			],
			subscriptions: [
				{
					subscriptionId: "0b1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
					tenantId: DEMO_IDS.tenants.contoso,
					productId: "dynamics-365-sales",
					channel: "carrier_pigeon",
					status: "active",
					provisioned: true,
				},
			],
		};
		const dry = await paula.post(`${URL}?dryRun=true`, bad);
		const real = await paula.post(URL, bad);
		expect(dry.statusCode, dry.body).toBe(422);
		expect(real.statusCode, real.body).toBe(422);
		expect(dry.json().code).toBe("validation_failed");
		expect(dry.json().errors).toEqual(real.json().errors);
		expect(dry.json().errors.map((e: { path: string }) => e.path)).toContain(
			"subscriptions[0].channel",
		);

		// Conflicts with the stored directory are checked too (in the transaction).
		const thief = await paula.post(`${URL}?dryRun=true`, {
			tenants: bad.tenants,
		});
		expect(thief.statusCode, thief.body).toBe(422);
		expect(thief.json().errors[0]).toMatchObject({
			path: "tenants[0].domains[1]",
			code: "domain_taken",
		});
	});

	it("R-DIR-6 a CSV section's dry run counts rows, gives lines, and writes nothing; its section is ?section= or its header's", async () => {
		const before = await stored();
		const csv = [
			"subscriptionId,tenantId,productId,channel,status,provisioned",
			`0c1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d,${DEMO_IDS.tenants.contoso},dynamics-365-sales,web_direct,active,true`,
		].join("\n");
		const dry = await postCsv("section=subscriptions&dryRun=true", csv);
		expect(dry.statusCode, dry.body).toBe(200);
		expect(dry.json().subscriptions).toEqual({
			inserted: 1,
			updated: 0,
			unchanged: 0,
		});
		// Without ?section= the header's columns name it.
		const named = await postCsv("dryRun=true", csv);
		expect(named.statusCode, named.body).toBe(200);
		expect(named.json().subscriptions).toEqual(dry.json().subscriptions);
		const unknown = await postCsv("dryRun=true", "colour,shape\nred,round");
		expect(unknown.statusCode, unknown.body).toBe(422);
		expect(unknown.json().errors[0]).toMatchObject({
			code: "unknown_section",
			line: 1,
		});
		expect(unknown.json().errors[0].message).toContain("?section=");
		expect(await stored()).toEqual(before);

		const bad = await postCsv(
			"section=subscriptions&dryRun=true",
			csv.replace("web_direct", "smoke_signals"),
		);
		expect(bad.statusCode, bad.body).toBe(422);
		expect(bad.json().errors[0]).toMatchObject({
			path: "subscriptions[0].channel",
			line: 2,
		});
	});

	it("R-ROL-2 only a platform admin may dry-run an import", async () => {
		const ana = await t.login(USERS.ana);
		const res = await ana.post(`${URL}?dryRun=true`, document());
		expect(res.statusCode).toBe(403);
	});
});
