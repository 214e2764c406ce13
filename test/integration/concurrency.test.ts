/**
 * Concurrency: the R-CMP-1 duplicate rule under 50 simultaneous requests over real
 * sockets (PostgreSQL), one winner among concurrent submits, and Idempotency-Key
 * replays (API.md conventions).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	baClaimBody,
	type Client,
	createDraftWithPoe,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	PASSWORD,
	queryRows,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

async function count(t: TestApp, query: ReturnType<typeof sql>) {
	const [r] = await queryRows<{ n: number }>(t, query);
	return Number(r?.n);
}

/** A signed-in client over real sockets (global fetch). */
interface HttpClient {
	send(
		method: string,
		path: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<{
		status: number;
		headers: Headers;
		body: { code?: string; id?: string; [k: string]: unknown };
	}>;
}

async function httpLogin(base: string, email: string): Promise<HttpClient> {
	const res = await fetch(`${base}/api/v1/auth/login`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({ email, password: PASSWORD }),
	});
	expect(res.status).toBe(200);
	const cookie = (res.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
	const { csrfToken } = (await res.json()) as { csrfToken: string };
	return {
		async send(method, path, body, headers = {}) {
			const r = await fetch(`${base}${path}`, {
				method,
				headers: {
					cookie,
					"x-csrf-token": csrfToken,
					...(body !== undefined ? { "content-type": "application/json" } : {}),
					...headers,
				},
				...(body !== undefined ? { body: JSON.stringify(body) } : {}),
			});
			const text = await r.text();
			return {
				status: r.status,
				headers: r.headers,
				body: text ? JSON.parse(text) : {},
			};
		},
	};
}

describe("R-CMP-1 duplicates under concurrency on postgres, over real sockets", () => {
	let t: TestApp;
	let http: HttpClient;

	beforeAll(async () => {
		t = await startTestApp("postgres");
		await t.app.listen({ port: 0, host: "127.0.0.1" });
		const address = t.app.server.address();
		if (!address || typeof address === "string") throw new Error("no address");
		http = await httpLogin(`http://127.0.0.1:${address.port}`, USERS.ana);
	});
	afterAll(async () => t?.close());

	it("R-CMP-1 50 concurrent requests adding the same subscription for the same partner and activity: exactly one succeeds", async () => {
		const sub = DEMO_IDS.subscriptions.contosoSales;
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				http.send("POST", "/api/v1/claims", baClaimBody({ name: `Race ${i}` })),
			),
		);
		const statuses = results.map((r) => r.status);
		expect(statuses.filter((s) => s === 201)).toHaveLength(1);
		const losers = results.filter((r) => r.status !== 201);
		expect(losers).toHaveLength(49);
		for (const r of losers) {
			expect(r.status).toBe(409);
			expect(r.headers.get("content-type")).toMatch(
				/^application\/problem\+json/,
			);
			expect(r.body.code).toBe("subscription_already_claimed");
		}
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claim_products where subscription_id = ${sub}`,
			),
		).toBe(1);
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claims where partner_organization_id = 'fabrikam'`,
			),
		).toBe(1);
		const winner = results.find((r) => r.status === 201);
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claim_history where action = 'create'`,
			),
		).toBe(1);
		// Free the subscription for the next race.
		const del = await http.send("DELETE", `/api/v1/claims/${winner?.body.id}`);
		expect(del.status).toBe(204);
	});

	it("R-CMP-1 50 concurrent PATCHes adding the same subscription to 50 different drafts: exactly one succeeds", async () => {
		const sub = DEMO_IDS.subscriptions.contosoCustomerService;
		const drafts: string[] = [];
		for (let i = 0; i < 50; i++) {
			const r = await http.send(
				"POST",
				"/api/v1/claims",
				baClaimBody({ name: `Draft ${i}`, products: [] }),
			);
			expect(r.status).toBe(201);
			drafts.push(r.body.id as string);
		}
		const results = await Promise.all(
			drafts.map((id) =>
				http.send(
					"PATCH",
					`/api/v1/claims/${id}`,
					{ products: [{ subscriptionId: sub }] },
					{ "if-match": '"1"' },
				),
			),
		);
		expect(results.filter((r) => r.status === 200)).toHaveLength(1);
		for (const r of results.filter((x) => x.status !== 200)) {
			expect(r.status).toBe(409);
			expect(r.headers.get("content-type")).toMatch(
				/^application\/problem\+json/,
			);
			expect(r.body.code).toBe("subscription_already_claimed");
		}
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claim_products where subscription_id = ${sub}`,
			),
		).toBe(1);
		// The losers are untouched: still version 1, no products, one history row each.
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claims where partner_organization_id = 'fabrikam' and version = 1`,
			),
		).toBe(49);
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claim_history where action = 'edit'`,
			),
		).toBe(1);
	});
});

describe.each(DB_KINDS)("concurrent actions and idempotency on %s", (kind) => {
	let t: TestApp;
	let ana: Client;

	beforeAll(async () => {
		t = await startTestApp(kind);
		ana = await t.login(USERS.ana);
	});
	afterAll(async () => t?.close());

	const readyDraft = (body: Record<string, unknown>) =>
		createDraftWithPoe(ana, body);

	it("R-EDIT-2 20 concurrent submits of one claim: exactly one succeeds, the rest 409 or 412; one submit history row (R-HIS-1) and one claim.submitted event", async () => {
		const { id, version } = await readyDraft(m365ClaimBody());
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				ana.post(
					`/api/v1/claims/${id}/submit`,
					{},
					i % 2 ? { "if-match": `"${version}"` } : {},
				),
			),
		);
		expect(
			results.filter((r) => r.statusCode === 200),
			results.map((r) => `${r.statusCode} ${r.body}`).join("\n"),
		).toHaveLength(1);
		for (const r of results.filter((x) => x.statusCode !== 200)) {
			expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
			const code = r.json().code;
			if (r.statusCode === 409) expect(code).toBe("invalid_transition");
			else {
				expect(r.statusCode).toBe(412);
				expect(code).toBe("version_conflict");
			}
		}
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claim_history where claim_id = ${id} and action = 'submit'`,
			),
		).toBe(1);
		expect(
			await count(
				t,
				sql`select count(*)::int as n from outbox where claim_id = ${id} and type = 'claim.submitted'`,
			),
		).toBe(1);
		const claim = (await ana.get(`/api/v1/claims/${id}`)).json();
		expect(claim.status).toBe("submitted");
		expect(claim.version).toBe(version + 1);
	});

	it("API Idempotency-Key: POST /claims twice with the same key creates one claim and replays the first 201", async () => {
		const before = await count(t, sql`select count(*)::int as n from claims`);
		const key = `create-${kind}-1`;
		const body = m365ClaimBody({
			products: [{ productId: "exchange-online" }],
		});
		const first = await ana.post("/api/v1/claims", body, {
			"idempotency-key": key,
		});
		expect(first.statusCode, first.body).toBe(201);
		expect(first.headers["idempotent-replayed"]).toBeUndefined();
		const second = await ana.post("/api/v1/claims", body, {
			"idempotency-key": key,
		});
		expect(second.statusCode, second.body).toBe(201);
		expect(second.headers["idempotent-replayed"]).toBe("true");
		expect(second.json()).toEqual(first.json());
		expect(second.json().id).toBe(first.json().id);
		expect(second.headers.location).toBe(first.headers.location);
		expect(second.headers.etag).toBe(first.headers.etag);
		expect(await count(t, sql`select count(*)::int as n from claims`)).toBe(
			before + 1,
		);

		const reused = await ana.post(
			"/api/v1/claims",
			{ ...body, name: "Another body" },
			{ "idempotency-key": key },
		);
		expect(reused.statusCode, reused.body).toBe(422);
		expect(reused.headers["content-type"]).toMatch(
			/^application\/problem\+json/,
		);
		expect(reused.json().code).toBe("idempotency_key_reused");
		expect(await count(t, sql`select count(*)::int as n from claims`)).toBe(
			before + 1,
		);

		// Without the key, the same body is a new request (and a duplicate workload).
		const fresh = await ana.post("/api/v1/claims", body);
		expect(fresh.statusCode).toBe(409);
		expect(fresh.json().code).toBe("workload_already_claimed");
	});

	it("API Idempotency-Key: a submit retried with its key answers the first 200 again, not 409", async () => {
		const { id } = await readyDraft(
			m365ClaimBody({ products: [{ productId: "intune" }] }),
		);
		const key = `submit-${kind}-1`;
		const first = await ana.post(
			`/api/v1/claims/${id}/submit`,
			{},
			{ "idempotency-key": key },
		);
		expect(first.statusCode, first.body).toBe(200);
		const retry = await ana.post(
			`/api/v1/claims/${id}/submit`,
			{},
			{ "idempotency-key": key },
		);
		expect(retry.statusCode, retry.body).toBe(200);
		expect(retry.headers["idempotent-replayed"]).toBe("true");
		expect(retry.json()).toEqual(first.json());
		expect(retry.headers.etag).toBe(first.headers.etag);
		expect(
			await count(
				t,
				sql`select count(*)::int as n from claim_history where claim_id = ${id} and action = 'submit'`,
			),
		).toBe(1);
		expect(
			await count(
				t,
				sql`select count(*)::int as n from outbox where claim_id = ${id} and type = 'claim.submitted'`,
			),
		).toBe(1);
		// A new key is a new request: the claim is no longer a draft.
		const other = await ana.post(
			`/api/v1/claims/${id}/submit`,
			{},
			{ "idempotency-key": `${key}-other` },
		);
		expect(other.statusCode).toBe(409);
		expect(other.json().code).toBe("invalid_transition");
	});

	it("API Idempotency-Key: 10 concurrent POSTs with one key create one claim", async () => {
		const before = await count(t, sql`select count(*)::int as n from claims`);
		const key = `create-${kind}-concurrent`;
		const body = m365ClaimBody({
			products: [{ productId: "sharepoint-online" }],
		});
		const results = await Promise.all(
			Array.from({ length: 10 }, () =>
				ana.post("/api/v1/claims", body, { "idempotency-key": key }),
			),
		);
		const created = results.filter((r) => r.statusCode === 201);
		expect(created.length).toBeGreaterThanOrEqual(1);
		expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
		for (const r of results.filter((x) => x.statusCode !== 201)) {
			expect(r.statusCode).toBe(409);
			expect(r.json().code).toBe("idempotency_key_in_use");
		}
		expect(await count(t, sql`select count(*)::int as n from claims`)).toBe(
			before + 1,
		);
	});
});
