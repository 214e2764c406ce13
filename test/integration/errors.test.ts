/**
 * Every error code of SPEC sections 3 and 7 and the generic codes of API.md, provoked
 * through HTTP on both databases: status, problem+json, `code` and `errors[].path`, and
 * that a rejected write leaves nothing half-written.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLoginThrottle } from "../../src/auth/login-throttle.ts";
import { loggableError } from "../../src/db/client.ts";
import { sampleExe, samplePdf } from "../support/poe-fixtures.ts";
import { expectProblem } from "../support/problem.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	PASSWORD,
	queryRows,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
	uploadPoeAndSubmit,
} from "../support/test-app.ts";

const SUBS = DEMO_IDS.subscriptions;

/** Asserts an RFC 9457 problem with the status and code; returns the body. */

/** Row counts of every table a claim write touches. */
async function counts(t: TestApp) {
	const [r] = await queryRows<Record<string, number>>(
		t,
		sql`select
			(select count(*)::int from claims) as claims,
			(select count(*)::int from claim_products) as products,
			(select count(*)::int from claim_documents) as documents,
			(select count(*)::int from claim_history) as history,
			(select count(*)::int from claim_comments) as comments,
			(select count(*)::int from outbox) as outbox`,
	);
	return r as Record<string, number>;
}

describe.each(DB_KINDS)("errors of SPEC sections 3 and 7 on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;

	beforeAll(async () => {
		t = await startTestApp(kind);
		ana = await t.login(USERS.ana);
		rita = await t.login(USERS.rita);
		paula = await t.login(USERS.paula);
	});
	afterAll(async () => t?.close());

	/**
	 * Forgets every failed sign-in: a new throttle, and on PostgreSQL no failure left in
	 * the database, where the throttle keeps them.
	 */
	async function forgetFailedSignIns() {
		await t.ctx.db.execute(sql`delete from sign_in_failures`);
		t.ctx.loginThrottle = createLoginThrottle(t.ctx.db, kind, 10);
	}

	/** Removes or withdraws fabrikam's claims so each test starts with free subscriptions. */
	afterEach(async () => {
		const left = await queryRows<{
			id: string;
			status: string;
			version: number;
		}>(
			t,
			sql`select id, status, version from claims where partner_organization_id = 'fabrikam'`,
		);
		for (const c of left) {
			if (c.status === "draft") {
				const res = await ana.del(`/api/v1/claims/${c.id}`);
				expect(res.statusCode, res.body).toBe(204);
			} else if (c.status !== "rejected") {
				const res = await ana.post(`/api/v1/claims/${c.id}/withdraw`, {});
				expect(res.statusCode, res.body).toBe(200);
			}
		}
	});

	/** The number of claims ana sees through the API. */
	async function listedCount(): Promise<number> {
		const res = await ana.get("/api/v1/claims?limit=500");
		expect(res.statusCode, res.body).toBe(200);
		return (res.json() as { items: unknown[] }).items.length;
	}

	async function create(body: Record<string, unknown>) {
		const res = await ana.post("/api/v1/claims", body);
		expect(res.statusCode, res.body).toBe(201);
		return res.json() as { id: string; version: number; status: string };
	}

	async function uploadPoe(id: string) {
		const res = await ana.upload(
			`/api/v1/claims/${id}/documents`,
			samplePdf(),
			"sow.pdf",
		);
		expect(res.statusCode, res.body).toBe(201);
	}

	async function version(id: string): Promise<number> {
		const res = await ana.get(`/api/v1/claims/${id}`);
		expect(res.statusCode, res.body).toBe(200);
		return (res.json() as { version: number }).version;
	}

	/** Runs a write that must be refused, and checks nothing changed. */
	async function refused(
		write: () => Promise<LightMyRequestResponse>,
	): Promise<LightMyRequestResponse> {
		const before = await counts(t);
		const listed = await listedCount();
		const res = await write();
		expect(await counts(t)).toEqual(before);
		expect(await listedCount()).toBe(listed);
		return res;
	}

	// ---- R-CRT-2 ------------------------------------------------------------

	it("R-CRT-2 mpn_not_enrolled: a presales claim with an MPN enrolled in nothing is refused at submit; Revenue association submits", async () => {
		const presales = await create(
			baClaimBody({ mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled }),
		);
		await uploadPoe(presales.id);
		const res = await refused(() =>
			ana.post(`/api/v1/claims/${presales.id}/submit`, {}),
		);
		expectProblem(res, 422, "mpn_not_enrolled", ["mpnId"]);
		const after = await ana.get(`/api/v1/claims/${presales.id}`);
		expect(after.json().status).toBe("draft");

		const revenue = await create(
			baClaimBody({
				mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled,
				activity: "revenue_association",
				revenueAssociation: {
					solutionSellerName: "Sam Seller",
					customerName: "Contoso Ltd",
					isvSolutionName: "Contoso CRM Pack",
				},
			}),
		);
		await uploadPoe(revenue.id);
		const ok = await ana.post(`/api/v1/claims/${revenue.id}/submit`, {});
		expect(ok.statusCode, ok.body).toBe(200);
		expect(ok.json().status).toBe("submitted");
	});

	it("R-CRT-2 mpn_not_in_organization: another organization's MPN ID is refused at add and at edit", async () => {
		const res = await refused(() =>
			ana.post(
				"/api/v1/claims",
				m365ClaimBody({ mpnId: DEMO_IDS.mpnIds.northwind }),
			),
		);
		expectProblem(res, 422, "mpn_not_in_organization", ["mpnId"]);

		const draft = await create(m365ClaimBody());
		const patch = await refused(() =>
			ana.patch(
				`/api/v1/claims/${draft.id}`,
				{ mpnId: DEMO_IDS.mpnIds.northwind },
				{ "if-match": '"1"' },
			),
		);
		expectProblem(patch, 422, "mpn_not_in_organization", ["mpnId"]);
		expect(await version(draft.id)).toBe(1);
	});

	// ---- R-CRT-3 ------------------------------------------------------------

	it("R-CRT-3 domain_tenant_mismatch: a domain of another tenant, and an unknown tenant", async () => {
		const wrongDomain = await refused(() =>
			ana.post(
				"/api/v1/claims",
				m365ClaimBody({
					customer: {
						tenantId: DEMO_IDS.tenants.contoso,
						domain: DEMO_IDS.domains.adventureWorks,
					},
				}),
			),
		);
		expectProblem(wrongDomain, 422, "domain_tenant_mismatch", [
			"customer.domain",
		]);

		const unknownTenant = await refused(() =>
			ana.post(
				"/api/v1/claims",
				m365ClaimBody({
					customer: { tenantId: randomUUID(), domain: "contoso.com" },
				}),
			),
		);
		expectProblem(unknownTenant, 422, "domain_tenant_mismatch", [
			"customer.domain",
		]);

		const draft = await create(m365ClaimBody());
		const patch = await refused(() =>
			ana.patch(
				`/api/v1/claims/${draft.id}`,
				{
					customer: {
						tenantId: DEMO_IDS.tenants.adventureWorks,
						domain: DEMO_IDS.domains.contoso,
					},
				},
				{ "if-match": '"1"' },
			),
		);
		expectProblem(patch, 422, "domain_tenant_mismatch", ["customer.domain"]);
		expect(await version(draft.id)).toBe(1);
	});

	// ---- R-CRT-4 ------------------------------------------------------------

	it("R-CRT-4 activity_not_allowed: Microsoft 365 with presales", async () => {
		const res = await refused(() =>
			ana.post("/api/v1/claims", m365ClaimBody({ activity: "presales" })),
		);
		expectProblem(res, 422, "activity_not_allowed", ["activity"]);

		const draft = await create(m365ClaimBody());
		const patch = await refused(() =>
			ana.patch(
				`/api/v1/claims/${draft.id}`,
				{ activity: "revenue_association" },
				{ "if-match": '"1"' },
			),
		);
		expectProblem(patch, 422, "activity_not_allowed", ["activity"]);
	});

	// ---- R-CRT-5 ------------------------------------------------------------

	const subscriptionCases: [string, string][] = [
		["not_a_subscription_id", "not-a-guid-12345"],
		["not_a_subscription_id", "00000000-1111-4222-8333-444444444444"],
		["product_not_in_tenant", SUBS.adventureWorksSales],
		["subscription_not_dynamics", SUBS.contosoPowerBi],
		["subscription_is_csp", SUBS.contosoFieldServiceCsp],
		["subscription_not_provisioned", SUBS.contosoFinanceUnprovisioned],
		["subscription_inactive", SUBS.contosoBusinessCentralDisabled],
	];

	it.each(subscriptionCases)(
		"R-CRT-5 %s at add time (POST /claims, subscription %s)",
		async (code, subscriptionId) => {
			const res = await refused(() =>
				ana.post(
					"/api/v1/claims",
					baClaimBody({ products: [{ subscriptionId }] }),
				),
			);
			expectProblem(res, 422, code, ["products[0].subscriptionId"]);
		},
	);

	it.each(subscriptionCases)(
		"R-CRT-5 %s at edit time (PATCH, subscription %s)",
		async (code, subscriptionId) => {
			const draft = await create(baClaimBody({ products: [] }));
			const res = await refused(() =>
				ana.patch(
					`/api/v1/claims/${draft.id}`,
					{ products: [{ subscriptionId }] },
					{ "if-match": '"1"' },
				),
			);
			expectProblem(res, 422, code, ["products[0].subscriptionId"]);
			const after = (await ana.get(`/api/v1/claims/${draft.id}`)).json();
			expect(after.version).toBe(1);
			expect(after.products).toEqual([]);
		},
	);

	it("R-CRT-5 the second of two product lines is named by its index", async () => {
		const res = await refused(() =>
			ana.post(
				"/api/v1/claims",
				baClaimBody({
					products: [
						{ subscriptionId: SUBS.contosoSales },
						{ subscriptionId: SUBS.contosoFieldServiceCsp },
					],
				}),
			),
		);
		expectProblem(res, 422, "subscription_is_csp", [
			"products[1].subscriptionId",
		]);
	});

	it("R-CRT-5 subscription_already_claimed at add time and at edit time (R-CMP-1)", async () => {
		const first = await create(baClaimBody());
		const again = await refused(() =>
			ana.post("/api/v1/claims", baClaimBody({ name: "Second try" })),
		);
		expectProblem(again, 409, "subscription_already_claimed", [
			"products[0].subscriptionId",
		]);

		const other = await create(baClaimBody({ name: "Empty", products: [] }));
		const patch = await refused(() =>
			ana.patch(
				`/api/v1/claims/${other.id}`,
				{ products: [{ subscriptionId: SUBS.contosoSales }] },
				{ "if-match": '"1"' },
			),
		);
		expectProblem(patch, 409, "subscription_already_claimed", [
			"products[0].subscriptionId",
		]);
		expect(await version(other.id)).toBe(1);

		// Another activity on the same subscription is not a duplicate.
		const usage = await ana.post(
			"/api/v1/claims",
			baClaimBody({ activity: "usage" }),
		);
		expect(usage.statusCode, usage.body).toBe(201);
		expect(first.id).not.toBe(usage.json().id);
	});

	it("R-CRT-5 subscription_inactive at submit time after the directory changed under a draft", async () => {
		const sub = (testDirectory().subscriptions ?? []).find(
			(s) => s.subscriptionId === SUBS.contosoCustomerService,
		);
		expect(sub).toBeDefined();
		const draft = await create(
			baClaimBody({
				products: [{ subscriptionId: SUBS.contosoCustomerService }],
			}),
		);
		await uploadPoe(draft.id);
		const disable = await paula.post("/api/v1/admin/directory/import", {
			subscriptions: [{ ...sub, status: "disabled" }],
		});
		expect(disable.statusCode, disable.body).toBe(200);
		try {
			const res = await refused(() =>
				ana.post(`/api/v1/claims/${draft.id}/submit`, {}),
			);
			expectProblem(res, 422, "subscription_inactive", [
				"products[0].subscriptionId",
			]);
			const after = (await ana.get(`/api/v1/claims/${draft.id}`)).json();
			expect(after.status).toBe("draft");
			expect(after.version).toBe(2);
		} finally {
			const restore = await paula.post("/api/v1/admin/directory/import", {
				subscriptions: [sub],
			});
			expect(restore.statusCode, restore.body).toBe(200);
		}
		const ok = await ana.post(`/api/v1/claims/${draft.id}/submit`, {});
		expect(ok.statusCode, ok.body).toBe(200);
	});

	// ---- R-CMP-1 (Microsoft 365) -------------------------------------------

	it("R-CMP-1 workload_already_claimed: the same workload and activity twice", async () => {
		const first = await create(m365ClaimBody());
		const res = await refused(() =>
			ana.post("/api/v1/claims", m365ClaimBody({ name: "Teams again" })),
		);
		const body = expectProblem(res, 409, "workload_already_claimed", [
			"products[0].productId",
		]);
		// The pre-check names the live claim that holds the workload.
		expect(body.errors[0]?.message).toContain(first.id);

		const other = await create(
			m365ClaimBody({ products: [{ productId: "exchange-online" }] }),
		);
		const patch = await refused(() =>
			ana.patch(
				`/api/v1/claims/${other.id}`,
				{
					products: [
						{ productId: "exchange-online" },
						{ productId: "microsoft-teams" },
					],
				},
				{ "if-match": '"1"' },
			),
		);
		expectProblem(patch, 409, "workload_already_claimed", [
			"products[1].productId",
		]);
	});

	// ---- R-CRT-6 and R-CRT-7 ------------------------------------------------

	it("R-CRT-6 claim_incomplete names every missing field", async () => {
		const draft = await create(
			baClaimBody({ products: [], contacts: undefined }),
		);
		await uploadPoe(draft.id);
		const res = await refused(() =>
			ana.post(`/api/v1/claims/${draft.id}/submit`, {}),
		);
		const body = expectProblem(res, 422, "claim_incomplete");
		expect(body.errors.map((e) => e.path).sort()).toEqual(
			[
				"products",
				"contacts.customer.name",
				"contacts.customer.title",
				"contacts.customer.email",
				"contacts.partner.name",
				"contacts.partner.email",
				"contacts.customerTechnical.name",
				"contacts.customerTechnical.title",
				"contacts.customerTechnical.email",
			].sort(),
		);
		expect(body.errors.every((e) => e.code === "required")).toBe(true);

		// Only the fields still missing are named.
		const patched = await ana.patch(
			`/api/v1/claims/${draft.id}`,
			{
				products: [{ subscriptionId: SUBS.contosoSales }],
				contacts: {
					customer: {
						name: "Chris",
						title: "CIO",
						email: "chris@contoso.example",
					},
					partner: { name: "Ana", email: "ana@fabrikam.example" },
				},
			},
			{ "if-match": '"2"' },
		);
		expect(patched.statusCode, patched.body).toBe(200);
		const again = await refused(() =>
			ana.post(`/api/v1/claims/${draft.id}/submit`, {}),
		);
		const b2 = expectProblem(again, 422, "claim_incomplete");
		expect(b2.errors.map((e) => e.path).sort()).toEqual([
			"contacts.customerTechnical.email",
			"contacts.customerTechnical.name",
			"contacts.customerTechnical.title",
		]);
	});

	it("R-CRT-6 claim_incomplete names the Revenue association fields", async () => {
		const draft = await create(
			baClaimBody({ activity: "revenue_association" }),
		);
		await uploadPoe(draft.id);
		const res = await refused(() =>
			ana.post(`/api/v1/claims/${draft.id}/submit`, {}),
		);
		const body = expectProblem(res, 422, "claim_incomplete");
		expect(body.errors.map((e) => e.path).sort()).toEqual([
			"revenueAssociation.customerName",
			"revenueAssociation.isvSolutionName",
			"revenueAssociation.solutionSellerName",
		]);
	});

	it("R-CRT-7 poe_required: submit without a document", async () => {
		const draft = await create(m365ClaimBody());
		const res = await refused(() =>
			ana.post(`/api/v1/claims/${draft.id}/submit`, {}),
		);
		expectProblem(res, 422, "poe_required", ["documents"]);
		expect(await version(draft.id)).toBe(1);
	});

	it("R-DSH-1 a claim name that a spreadsheet would run as a formula is exported as text", async () => {
		const name = '=HYPERLINK("http://evil.example","x")';
		const claim = await create(m365ClaimBody({ name }));
		const res = await ana.get("/api/v1/claims?format=csv&status=draft");
		expect(res.statusCode, res.body).toBe(200);
		const rows = parse(res.body, { columns: true }) as Record<string, string>[];
		expect(rows.find((r) => r.id === claim.id)?.name).toBe(`'${name}`);
		// Quoted (it holds quotes), and beginning with the ' that keeps it text.
		expect(res.body).not.toContain('"=HYPERLINK');
		expect(res.body).toContain(`"'=HYPERLINK`);
		// The claim itself keeps the name as given.
		expect((await ana.get(`/api/v1/claims/${claim.id}`)).json().name).toBe(
			name,
		);
	});

	it("API validation_failed: a query parameter given twice is named with what to send, not 'expected string, received array'; a filter that takes a list joins its values", async () => {
		const twice = await ana.get("/api/v1/claims?limit=5&limit=6");
		const p = expectProblem(twice, 422, "validation_failed", [
			"querystring.limit",
		]);
		expect(p.errors[0]?.code).toBe("repeated");
		expect(p.errors[0]?.message).toBe(
			"limit is given 2 times; give it once (it takes one value).",
		);
		expect(p.detail).toBe("Give each query parameter once: limit is repeated.");
		const two = await ana.get("/api/v1/claims?limit=5&limit=6&q=a&q=b");
		expectProblem(two, 422, "validation_failed", [
			"querystring.limit",
			"querystring.q",
		]);
		// Nobody signed in is told that first.
		const anonymous = await t.app.inject({
			method: "GET",
			url: "/api/v1/claims?limit=5&limit=6",
		});
		expectProblem(anonymous, 401, "unauthenticated");
		// status takes several values separated by commas: given twice, it is read so.
		const ids = async (query: string) => {
			const res = await ana.get(`/api/v1/claims?limit=200&${query}`);
			expect(res.statusCode, res.body).toBe(200);
			return (res.json().items as { id: string; status: string }[]).map(
				(c) => `${c.id} ${c.status}`,
			);
		};
		await create(m365ClaimBody({ name: "Repeated status draft" }));
		const other = await create(
			m365ClaimBody({
				name: "Repeated status submitted",
				products: [{ productId: "sharepoint-online" }],
			}),
		);
		await uploadPoeAndSubmit(ana, other.id);
		const statuses = ["draft", "submitted"];
		const joined = await ids(`status=${statuses.join(",")}`);
		for (const st of statuses)
			expect(joined.some((c) => c.endsWith(` ${st}`))).toBe(true);
		expect(await ids(`status=${statuses[0]}&status=${statuses[1]}`)).toEqual(
			joined,
		);
	});

	it("API validation_failed: a NUL character or an unpaired surrogate names its field (body, query, path, a CSV import's line), and nothing is written", async () => {
		const before = await listedCount();
		const nul = await refused(() =>
			injectRaw(
				"POST",
				"/api/v1/claims",
				JSON.stringify(m365ClaimBody({ name: "Contoso\u0000 Teams" })),
				{ "content-type": "application/json" },
			),
		);
		const n = expectProblem(nul, 422, "validation_failed", ["name"]);
		expect(n.errors[0]?.code).toBe("invalid_character");
		expect(n.detail).toContain("NUL");
		const contact = await refused(() =>
			injectRaw(
				"POST",
				"/api/v1/claims",
				JSON.stringify(m365ClaimBody()).replace(
					'"chris@contoso.example"',
					'"chris\\ud800@contoso.example"',
				),
				{ "content-type": "application/json" },
			),
		);
		expectProblem(contact, 422, "validation_failed", [
			"contacts.customer.email",
		]);
		expect(await listedCount()).toBe(before);
		expectProblem(
			await ana.get("/api/v1/claims?tenantId=%00"),
			422,
			"validation_failed",
			["querystring.tenantId"],
		);
		expectProblem(
			await ana.get("/api/v1/claims/x%00y"),
			422,
			"validation_failed",
			["params.id"],
		);
		const paula = await session(USERS.paula);
		const csv = await t.app.inject({
			method: "POST",
			url: "/api/v1/admin/directory/import?section=tenants&dryRun=true",
			headers: {
				cookie: paula.cookie,
				"x-csrf-token": paula.csrf,
				"content-type": "text/csv",
			},
			payload:
				"tenantId,name,domains\n11111111-2222-4333-8444-555555555555,A\u0000B,a.example\n",
		});
		const c = expectProblem(csv, 422, "validation_failed", ["body"]);
		expect(c.errors[0]).toMatchObject({ line: 2, code: "invalid_character" });
	});

	// ---- R-REV-1 and R-REV-2 ------------------------------------------------

	it("R-REV-1 R-REV-2 a reviewer's information request names known reasons, and a rejection a reviewer's reason: partner_request and customer_declined are the parties' own, refused, the claim unchanged", async () => {
		const claim = await create(m365ClaimBody());
		await uploadPoe(claim.id);
		expect(
			(await ana.post(`/api/v1/claims/${claim.id}/submit`, {})).statusCode,
		).toBe(200);
		const started = await rita.post(`/api/v1/claims/${claim.id}/start-review`);
		expect(started.statusCode, started.body).toBe(200);
		const v = started.json().version as number;
		for (const reason of ["partner_request", "customer_declined", "rude"]) {
			const res = await refused(() =>
				rita.post(`/api/v1/claims/${claim.id}/reject`, {
					reason,
					comment: "No.",
				}),
			);
			expectProblem(res, 422, "validation_failed", ["reason"]);
		}
		for (const reasons of [[], ["missing_everything"]]) {
			const res = await refused(() =>
				rita.post(`/api/v1/claims/${claim.id}/request-information`, {
					reasons,
					comment: "More, please.",
				}),
			);
			expect(res.statusCode, res.body).toBe(422);
			expect(res.json().errors[0].path).toMatch(/^reasons/);
		}
		expect(await version(claim.id)).toBe(v);
		const after = (await rita.get(`/api/v1/claims/${claim.id}`)).json();
		expect(after.status).toBe("under_review");
	});

	// ---- R-EDIT-1 and R-EDIT-2 ----------------------------------------------

	it("R-EDIT-1 R-CRT-2 R-CRT-6 R-HIS-1 an edit after submission keeps what submit required: no products, blank contacts or an unenrolled MPN ID are refused, and so is an edit of nothing; an edit to the values it has is answered without a new version or history entry", async () => {
		const claim = await create(m365ClaimBody());
		await uploadPoe(claim.id);
		const sub = await ana.post(`/api/v1/claims/${claim.id}/submit`, {});
		expect(sub.statusCode, sub.body).toBe(200);
		const v = sub.json().version as number;
		const edit = (body: Record<string, unknown>) =>
			refused(() =>
				ana.patch(`/api/v1/claims/${claim.id}`, body, {
					"if-match": `"${v}"`,
				}),
			);

		expectProblem(await edit({ products: [] }), 422, "claim_incomplete", [
			"products",
		]);
		const blank = expectProblem(
			await edit({
				contacts: {
					customer: { name: "", title: "", email: "" },
					customerTechnical: null,
					partner: null,
				},
			}),
			422,
			"claim_incomplete",
		);
		expect(blank.errors.map((e) => e.path).sort()).toEqual([
			"contacts.customer.email",
			"contacts.customer.name",
			"contacts.customer.title",
			"contacts.partner.email",
			"contacts.partner.name",
		]);
		expectProblem(
			await edit({ mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled }),
			422,
			"mpn_not_enrolled",
			["mpnId"],
		);
		expect(await version(claim.id)).toBe(v);
		const after = (await ana.get(`/api/v1/claims/${claim.id}`)).json();
		expect(after.mpnId).toBe(DEMO_IDS.mpnIds.fabrikamEnrolled);
		expect(after.products.length).toBeGreaterThan(0);
		expect(after.contacts.customer.email).toBe(
			sub.json().contacts.customer.email,
		);
		// A PATCH that changes nothing is refused: no new version, no empty history entry.
		const historyBefore = (
			await ana.get(`/api/v1/claims/${claim.id}/history`)
		).json().items.length;
		expectProblem(await edit({}), 422, "validation_failed", ["body"]);
		expect(await version(claim.id)).toBe(v);
		expect(
			(await ana.get(`/api/v1/claims/${claim.id}/history`)).json().items,
		).toHaveLength(historyBefore);
		// Fields sent with the values they have already: 200 with the claim as it is, at
		// its version (an editor holding its ETag is not sent a 412 for nothing).
		const same = await ana.patch(
			`/api/v1/claims/${claim.id}`,
			{
				mpnId: after.mpnId,
				products: after.products.map((p: { productId: string }) => ({
					productId: p.productId,
				})),
			},
			{ "if-match": `"${v}"` },
		);
		expect(same.statusCode, same.body).toBe(200);
		expect(same.json().version).toBe(v);
		expect(same.headers.etag).toBe(`"${v}"`);
		expect(await version(claim.id)).toBe(v);
		expect(
			(await ana.get(`/api/v1/claims/${claim.id}/history`)).json().items,
		).toHaveLength(historyBefore);
		// A draft may still be anything while it is being filled in.
		const draft = await create(baClaimBody());
		const emptied = await ana.patch(
			`/api/v1/claims/${draft.id}`,
			{ products: [] },
			{ "if-match": `"${draft.version}"` },
		);
		expect(emptied.statusCode, emptied.body).toBe(200);
	});

	it("R-EDIT-1 a PATCH of one contact, or of one of its fields, leaves the others as they were (a merge patch)", async () => {
		const claim = await create(m365ClaimBody());
		await uploadPoe(claim.id);
		const sub = await ana.post(`/api/v1/claims/${claim.id}/submit`, {});
		expect(sub.statusCode, sub.body).toBe(200);
		const before = sub.json();
		const partnerOnly = await ana.patch(
			`/api/v1/claims/${claim.id}`,
			{
				contacts: { partner: { name: "P Two", email: "p2@fabrikam.example" } },
			},
			{ "if-match": `"${before.version}"` },
		);
		expect(partnerOnly.statusCode, partnerOnly.body).toBe(200);
		expect(partnerOnly.json().contacts).toEqual({
			...before.contacts,
			partner: { name: "P Two", email: "p2@fabrikam.example" },
		});
		const titleOnly = await ana.patch(
			`/api/v1/claims/${claim.id}`,
			{ contacts: { customer: { title: "CTO" } } },
			{ "if-match": `"${partnerOnly.json().version}"` },
		);
		expect(titleOnly.statusCode, titleOnly.body).toBe(200);
		expect(titleOnly.json().contacts).toEqual({
			...before.contacts,
			customer: { ...before.contacts.customer, title: "CTO" },
			partner: { name: "P Two", email: "p2@fabrikam.example" },
		});
		// null clears a contact; after submission that is refused when submit needs it.
		expectProblem(
			await refused(() =>
				ana.patch(
					`/api/v1/claims/${claim.id}`,
					{ contacts: { customer: null } },
					{ "if-match": `"${titleOnly.json().version}"` },
				),
			),
			422,
			"claim_incomplete",
		);
	});

	it("R-EDIT-1 claim_not_editable: PATCH under review, and PATCH of the tenant after submit", async () => {
		const claim = await create(m365ClaimBody());
		await uploadPoe(claim.id);
		const sub = await ana.post(`/api/v1/claims/${claim.id}/submit`, {});
		expect(sub.statusCode, sub.body).toBe(200);
		const v = sub.json().version as number;

		const tenant = await refused(() =>
			ana.patch(
				`/api/v1/claims/${claim.id}`,
				{
					customer: {
						tenantId: DEMO_IDS.tenants.adventureWorks,
						domain: DEMO_IDS.domains.adventureWorks,
					},
				},
				{ "if-match": `"${v}"` },
			),
		);
		expectProblem(tenant, 409, "claim_not_editable", ["customer"]);

		const name = await refused(() =>
			ana.patch(
				`/api/v1/claims/${claim.id}`,
				{ name: "Renamed" },
				{ "if-match": `"${v}"` },
			),
		);
		expectProblem(name, 409, "claim_not_editable", ["name"]);

		// Contacts stay editable while submitted.
		const contacts = await ana.patch(
			`/api/v1/claims/${claim.id}`,
			{
				contacts: {
					customer: {
						name: "Cleo",
						title: "CTO",
						email: "cleo@contoso.example",
					},
					partner: { name: "Ana", email: "ana@fabrikam.example" },
				},
			},
			{ "if-match": `"${v}"` },
		);
		expect(contacts.statusCode, contacts.body).toBe(200);

		const started = await rita.post(
			`/api/v1/claims/${claim.id}/start-review`,
			{},
		);
		expect(started.statusCode, started.body).toBe(200);
		const v2 = started.json().version as number;
		const underReview = await refused(() =>
			ana.patch(
				`/api/v1/claims/${claim.id}`,
				{
					contacts: {
						customer: { name: "X", title: "Y", email: "x@contoso.example" },
					},
				},
				{ "if-match": `"${v2}"` },
			),
		);
		expectProblem(underReview, 409, "claim_not_editable");
		expect(await version(claim.id)).toBe(v2);
	});

	it("R-EDIT-2 version_conflict: a stale If-Match is refused with 412", async () => {
		const draft = await create(m365ClaimBody());
		const first = await ana.patch(
			`/api/v1/claims/${draft.id}`,
			{ name: "First edit" },
			{ "if-match": '"1"' },
		);
		expect(first.statusCode, first.body).toBe(200);
		expect(first.headers.etag).toBe('"2"');
		const stale = await refused(() =>
			ana.patch(
				`/api/v1/claims/${draft.id}`,
				{ name: "Stale edit" },
				{ "if-match": '"1"' },
			),
		);
		const body = expectProblem(stale, 412, "version_conflict");
		expect(body.currentVersion).toBe(2);
		const after = (await ana.get(`/api/v1/claims/${draft.id}`)).json();
		expect(after.name).toBe("First edit");

		// Actions take If-Match too.
		const staleSubmit = await refused(() =>
			ana.post(`/api/v1/claims/${draft.id}/submit`, {}, { "if-match": '"1"' }),
		);
		expectProblem(staleSubmit, 412, "version_conflict");
		const staleDelete = await refused(() =>
			ana.del(`/api/v1/claims/${draft.id}`, { "if-match": '"1"' }),
		);
		expectProblem(staleDelete, 412, "version_conflict");
	});

	it("R-EDIT-2 precondition_required: PATCH without If-Match is 428", async () => {
		const draft = await create(m365ClaimBody());
		const res = await refused(() =>
			ana.patch(`/api/v1/claims/${draft.id}`, { name: "No If-Match" }),
		);
		expectProblem(res, 428, "precondition_required");
		expect(await version(draft.id)).toBe(1);
	});

	// ---- generic codes of API.md --------------------------------------------

	it("API validation_failed: a bad body (its fields named by their path in it), bad JSON and a bad cursor", async () => {
		const badBody = await refused(() =>
			ana.post(
				"/api/v1/claims",
				m365ClaimBody({ mpnId: "12ab", solutionArea: "azure" }),
			),
		);
		const b = expectProblem(badBody, 422, "validation_failed");
		expect(b.errors.map((e) => e.path).sort()).toEqual([
			"mpnId",
			"solutionArea",
		]);

		// A field in an array item is named as API.md names them: `products[1].productId`.
		const item = await refused(() =>
			ana.post(
				"/api/v1/claims",
				m365ClaimBody({
					products: [{ productId: "intune" }, { productId: 42 }],
				}),
			),
		);
		expect(
			expectProblem(item, 422, "validation_failed").errors.map((e) => e.path),
		).toEqual(["products[1].productId"]);

		const missing = await refused(() =>
			ana.post("/api/v1/claims", { name: "Only a name" }),
		);
		const m = expectProblem(missing, 422, "validation_failed");
		expect(m.errors.map((e) => e.path)).toEqual(
			expect.arrayContaining(["mpnId", "customer", "solutionArea", "activity"]),
		);

		const badJson = await refused(() =>
			ana.request("POST", "/api/v1/claims", {
				headers: { "content-type": "application/json" },
				body: undefined,
			}),
		);
		// An empty JSON body is a bad body, too.
		expectProblem(badJson, 422, "validation_failed", ["body"]);
		const broken = await refused(() =>
			injectRaw("POST", "/api/v1/claims", '{"name": "x",', {
				"content-type": "application/json",
			}),
		);
		expectProblem(broken, 422, "validation_failed", ["body"]);

		// Nobody signed in, or no CSRF header: told so first, not what the body lacks.
		for (const [url, body] of [
			["/api/v1/claims", {}],
			["/api/v1/claims/x/reject", {}],
			["/api/v1/admin/directory/import", { usage: "?" }],
		] as const) {
			const anonymous = await t.app.inject({
				method: "POST",
				url,
				payload: body,
			});
			expect(anonymous.statusCode, `${url}: ${anonymous.body}`).toBe(401);
			expect(anonymous.json().code).toBe("unauthenticated");
		}
		anaSession ??= await session();
		const noCsrf = await t.app.inject({
			method: "POST",
			url: "/api/v1/claims",
			headers: { cookie: anaSession.cookie },
			payload: {},
		});
		expect(noCsrf.statusCode, noCsrf.body).toBe(403);

		// A CSV body is for the directory import only: elsewhere it is refused unread,
		// not taken in up to the import's 100 MB (here 2 MB, twice the JSON limit).
		const csv = await refused(() =>
			injectRaw("POST", "/api/v1/claims", "a,b\n".repeat(512 * 1024), {
				"content-type": "text/csv",
			}),
		);
		expect(csv.statusCode, csv.body).toBe(415);
		expect(csv.headers["content-type"]).toContain("application/problem+json");
		const signIn = await t.app.inject({
			method: "POST",
			url: "/api/v1/auth/login",
			headers: { "content-type": "text/csv" },
			payload: "email,password\n",
		});
		expect(signIn.statusCode, signIn.body).toBe(415);

		const cursor = await ana.get("/api/v1/claims?cursor=not-a-cursor");
		expectProblem(cursor, 422, "validation_failed", ["cursor"]);
		const limit = await ana.get("/api/v1/claims?limit=0");
		const l = expectProblem(limit, 422, "validation_failed");
		expect(l.errors.map((e) => e.path)).toEqual(["querystring.limit"]);
	});

	/** A raw request as ana (own session, so the payload is sent byte for byte). */
	let anaSession: { cookie: string; csrf: string } | undefined;
	async function session(email: string = USERS.ana, on: TestApp = t) {
		const res = await on.app.inject({
			method: "POST",
			url: "/api/v1/auth/login",
			payload: { email, password: PASSWORD },
		});
		expect(res.statusCode, res.body).toBe(200);
		const setCookie = res.headers["set-cookie"];
		const cookie = String(
			Array.isArray(setCookie) ? setCookie[0] : setCookie,
		).split(";")[0] as string;
		return { cookie, csrf: (res.json() as { csrfToken: string }).csrfToken };
	}
	async function injectRaw(
		method: string,
		url: string,
		payload?: string | Buffer,
		headers: Record<string, string> = {},
	) {
		anaSession ??= await session();
		return t.app.inject({
			method: method as "POST",
			url,
			headers: {
				cookie: anaSession.cookie,
				"x-csrf-token": anaSession.csrf,
				...headers,
			},
			...(payload !== undefined ? { payload } : {}),
		});
	}

	it("API unauthenticated: no session is 401", async () => {
		const anon = t.anonymous();
		expectProblem(await anon.get("/api/v1/claims"), 401, "unauthenticated");
		const res = await refused(() =>
			anon.post("/api/v1/claims", m365ClaimBody()),
		);
		expectProblem(res, 401, "unauthenticated");
		const bearer = await refused(() =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/claims",
				headers: { authorization: "Bearer nope" },
				payload: m365ClaimBody(),
			}),
		);
		expectProblem(bearer, 401, "unauthenticated");
	});

	it("API rate_limited: the 21st sign-in from one address within a minute is 429 with Retry-After; other addresses are not held up", async () => {
		// A different account each time: one account's own limit is the next test's.
		let n = 0;
		const attempt = (remoteAddress: string, forwardedFor?: string) =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/auth/login",
				remoteAddress,
				headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
				payload: {
					email: `guess${n++}@fabrikam.example`,
					password: "wrong password",
				},
			});
		for (let i = 0; i < 20; i++)
			expectProblem(await attempt("192.0.2.7"), 401, "unauthenticated");
		const limited = await attempt("192.0.2.7");
		const body = expectProblem(limited, 429, "rate_limited");
		expect(body.detail).toMatch(/try again/i);
		const wait = Number(limited.headers["retry-after"]);
		expect(wait).toBeGreaterThan(0);
		expect(wait).toBeLessThanOrEqual(60);
		expectProblem(await attempt("192.0.2.8"), 401, "unauthenticated");
		// A client that reaches the server directly cannot name another address, nor can
		// one on a private network; a proxy on this machine can (CPOR_TRUST_PROXY).
		expectProblem(
			await attempt("192.0.2.7", "198.51.100.77"),
			429,
			"rate_limited",
		);
		for (let i = 0; i < 20; i++) await attempt("10.1.2.3");
		expectProblem(
			await attempt("10.1.2.3", "198.51.100.78"),
			429,
			"rate_limited",
		);
		expectProblem(
			await attempt("127.0.0.1", "198.51.100.77"),
			401,
			"unauthenticated",
		);
	});

	it("API rate_limited: after 10 failed sign-ins for one account from one address, that address waits (with the right password too) until the first failure is 15 minutes old; the user's own address does not; a success clears the count", async () => {
		const attempt = (remoteAddress: string, password: string) =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/auth/login",
				remoteAddress,
				payload: { email: ` ${USERS.ivan.toUpperCase()} `, password },
			});
		try {
			// A success clears what failed before it.
			for (let i = 0; i < 9; i++)
				expectProblem(
					await attempt("198.51.100.1", "wrong password"),
					401,
					"unauthenticated",
				);
			expect((await attempt("198.51.100.1", PASSWORD)).statusCode).toBe(200);
			for (let i = 0; i < 10; i++)
				expectProblem(
					await attempt("203.0.113.1", "wrong password"),
					401,
					"unauthenticated",
				);
			const limited = await attempt("203.0.113.1", PASSWORD);
			const body = expectProblem(limited, 429, "rate_limited");
			expect(body.detail).toMatch(/failed sign-ins for this account/);
			const wait = Number(limited.headers["retry-after"]);
			expect(wait).toBeGreaterThan(800);
			expect(wait).toBeLessThanOrEqual(900);
			// The guesser's address waits; the user's own does not.
			expect((await attempt("198.51.100.2", PASSWORD)).statusCode).toBe(200);
			// An "email" that spells the user's address and email is an account of its own.
			for (let i = 0; i < 10; i++)
				expectProblem(
					await t.app.inject({
						method: "POST",
						url: "/api/v1/auth/login",
						remoteAddress: "203.0.113.9",
						payload: {
							email: `198.51.100.4 ${USERS.ivan}`,
							password: "wrong password",
						},
					}),
					401,
					"unauthenticated",
				);
			expect((await attempt("198.51.100.4", PASSWORD)).statusCode).toBe(200);
		} finally {
			await forgetFailedSignIns();
		}
	});

	it("API no request gets a 500: a body nested 10,000 levels deep on routes that take no body schema is a 4xx problem, or ignored", async () => {
		const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
		const json = { "content-type": "application/json" };
		const draft = await create(m365ClaimBody());
		const s = await session();
		// With an Idempotency-Key the body is hashed, so it must be written out again.
		const submit = await t.app.inject({
			method: "POST",
			url: `/api/v1/claims/${draft.id}/submit`,
			headers: {
				...json,
				cookie: s.cookie,
				"x-csrf-token": s.csrf,
				"idempotency-key": "deep-1",
			},
			payload: deep,
		});
		const body = expectProblem(submit, 422, "validation_failed");
		expect(body.detail).toMatch(/nested too deeply/);
		expect(await version(draft.id)).toBe(1);
		// Without a key, a route that reads no body does not look at it.
		const optOut = await t.app.inject({
			method: "POST",
			url: "/consent/opt-out",
			headers: json,
			payload: deep,
		});
		expect(optOut.statusCode).toBeGreaterThanOrEqual(400);
		expect(optOut.statusCode).toBeLessThan(500);
		const out = await t.app.inject({
			method: "POST",
			url: "/api/v1/auth/logout",
			headers: { ...json, cookie: s.cookie, "x-csrf-token": s.csrf },
			payload: deep,
		});
		expect(out.statusCode).toBeLessThan(300);
	});

	it("API no request gets a 500: what Node's HTTP parser refuses (headers over 16 KB, a malformed header line) is answered as problem+json too", async () => {
		const small = await startTestApp(kind);
		try {
			await small.app.listen({ port: 0, host: "127.0.0.1" });
			const { port } = small.app.server.address() as AddressInfo;
			const raw = (request: string) =>
				new Promise<string>((resolve, reject) => {
					const socket = net.connect(port, "127.0.0.1", () =>
						socket.end(request),
					);
					let out = "";
					socket.on("data", (d) => {
						out += d.toString("utf8");
					});
					socket.on("end", () => resolve(out));
					socket.on("error", reject);
					socket.setTimeout(10_000, () =>
						socket.destroy(new Error("no answer in 10 s")),
					);
				});
			for (const [request, status, code] of [
				[
					`GET /api/v1/claims?ids=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
					431,
					"headers_too_large",
				],
				[
					"GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
					400,
					"bad_request",
				],
				[
					"POST /api/v1/claims HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
					400,
					"bad_request",
				],
			] as [string, number, string][]) {
				const answer = await raw(request);
				const [head, body] = answer.split("\r\n\r\n");
				expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
				expect(head).toMatch(/content-type: application\/problem\+json/i);
				expect(JSON.parse(body ?? "")).toMatchObject({ status, code });
			}
		} finally {
			await small.close();
		}
	});

	it("API rate_limited: a sign-in the database failed to check (500) does not count as a failed one", async () => {
		const attempt = (password: string) =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/auth/login",
				remoteAddress: "203.0.113.50",
				payload: { email: USERS.ivan, password },
			});
		const db = t.ctx.db;
		try {
			// The user's row cannot be read: every attempt fails on the server's side.
			t.ctx.db = new Proxy(db, {
				get: (target, key, receiver) =>
					key === "select"
						? () => {
								throw new Error("connection terminated unexpectedly");
							}
						: Reflect.get(target, key, receiver),
			});
			// As many as would make the address wait, had they counted (20 sign-ins a
			// minute per address are allowed in all: these, 9 and 1 below).
			for (let i = 0; i < 10; i++)
				expectProblem(await attempt("wrong password"), 500, "internal_error");
			t.ctx.db = db;
			// None of the 10 counted: 9 wrong guesses still leave the right password in.
			for (let i = 0; i < 9; i++)
				expectProblem(await attempt("wrong password"), 401, "unauthenticated");
			expect((await attempt(PASSWORD)).statusCode).toBe(200);
		} finally {
			t.ctx.db = db;
			await forgetFailedSignIns();
		}
	});

	it("API rate_limited: a success clears its address's failures from that address's count, not from the account's", async () => {
		// 2 per address, 20 for the account.
		const throttle = createLoginThrottle(t.ctx.db, kind, 2);
		const email = "someone@fabrikam.example";
		try {
			const first = await throttle.attempt(email, "192.0.2.1");
			await throttle.attempt(email, "192.0.2.1");
			await expect(throttle.attempt(email, "192.0.2.1")).rejects.toMatchObject({
				code: "rate_limited",
			});
			// A success from that address (its attempt was allowed before the limit):
			// the address may try again.
			await throttle.succeeded(email, "192.0.2.1", first);
			const again = await throttle.attempt(email, "192.0.2.1");
			await throttle.succeeded(email, "192.0.2.1", again);
			// The address's one failure left still counts for the account: with 19 more
			// from other addresses, the account's 20 are used up.
			for (let i = 0; i < 19; i++)
				await throttle.attempt(email, `198.51.100.${i + 10}`);
			await expect(
				throttle.attempt(email, "203.0.113.200"),
			).rejects.toMatchObject({ code: "rate_limited" });
		} finally {
			await forgetFailedSignIns();
		}
	});

	it("API rate_limited: 100 failed sign-ins for one account from many addresses make every address wait for it; a parallel burst is counted as it starts", async () => {
		const attempt = (remoteAddress: string, password: string) =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/auth/login",
				remoteAddress,
				payload: { email: USERS.ivan, password },
			});
		try {
			const burst = await Promise.all(
				Array.from({ length: 120 }, (_, i) =>
					attempt(`203.0.113.${i + 1}`, "wrong password"),
				),
			);
			const statuses = burst.map((r) => r.statusCode);
			expect(statuses.filter((s) => s === 401)).toHaveLength(100);
			expect(statuses.filter((s) => s === 429)).toHaveLength(20);
			expectProblem(
				await attempt("198.51.100.3", PASSWORD),
				429,
				"rate_limited",
			);
		} finally {
			await forgetFailedSignIns();
		}
	});

	it("API forbidden: a billing admin cannot create a claim; a cookie write without X-CSRF-Token is 403", async () => {
		const bea = await t.login(USERS.bea);
		const res = await refused(() =>
			bea.post("/api/v1/claims", m365ClaimBody()),
		);
		expectProblem(res, 403, "forbidden");

		const s = await session();
		const noCsrf = await refused(() =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/claims",
				headers: { cookie: s.cookie },
				payload: m365ClaimBody(),
			}),
		);
		expectProblem(noCsrf, 403, "forbidden");
		expect(noCsrf.json().detail).toMatch(/X-CSRF-Token/);
		const wrongCsrf = await refused(() =>
			t.app.inject({
				method: "POST",
				url: "/api/v1/claims",
				headers: { cookie: s.cookie, "x-csrf-token": `${s.csrf}x` },
				payload: m365ClaimBody(),
			}),
		);
		expectProblem(wrongCsrf, 403, "forbidden");
	});

	it("API not_found: an unknown route, an unknown claim, another organization's claim", async () => {
		expectProblem(await ana.get("/api/v1/no-such-thing"), 404, "not_found");
		expectProblem(
			await ana.get(`/api/v1/claims/${randomUUID()}`),
			404,
			"not_found",
		);
		const unknownPatch = await refused(() =>
			ana.patch(
				`/api/v1/claims/${randomUUID()}`,
				{ name: "x" },
				{ "if-match": '"1"' },
			),
		);
		expectProblem(unknownPatch, 404, "not_found");

		const draft = await create(m365ClaimBody());
		const nora = await t.login(USERS.nora);
		expectProblem(
			await nora.get(`/api/v1/claims/${draft.id}`),
			404,
			"not_found",
		);
		const foreignSubmit = await refused(() =>
			nora.post(`/api/v1/claims/${draft.id}/submit`, {}),
		);
		expectProblem(foreignSubmit, 404, "not_found");
		// Reviewers do not see drafts.
		expectProblem(
			await rita.get(`/api/v1/claims/${draft.id}`),
			404,
			"not_found",
		);
	});

	it("API unsupported_media_type: an EXE named .pdf, JSON sent to the upload route, text or a form sent to a JSON route", async () => {
		const draft = await create(m365ClaimBody());
		const exe = await refused(() =>
			ana.upload(
				`/api/v1/claims/${draft.id}/documents`,
				sampleExe(),
				"sow.pdf",
			),
		);
		expectProblem(exe, 415, "unsupported_media_type");
		const json = await refused(() =>
			ana.post(`/api/v1/claims/${draft.id}/documents`, { file: "sow.pdf" }),
		);
		expectProblem(json, 415, "unsupported_media_type");
		const xml = await refused(() =>
			injectRaw("POST", "/api/v1/claims", "<claim/>", {
				"content-type": "application/xml",
			}),
		);
		expectProblem(xml, 415, "unsupported_media_type");
		// Text, or a multipart form, where a JSON body is expected: 415, not a 422 about
		// the body's shape.
		const text = await refused(() =>
			injectRaw("POST", "/api/v1/claims", JSON.stringify(m365ClaimBody()), {
				"content-type": "text/plain",
			}),
		);
		expectProblem(text, 415, "unsupported_media_type");
		// An empty text/plain body (what some clients send with a bodiless POST) is none.
		const gone = await create(
			m365ClaimBody({ products: [{ productId: "viva-engage" }] }),
		);
		const bare = await injectRaw("DELETE", `/api/v1/claims/${gone.id}`, "", {
			"content-type": "text/plain",
			"if-match": `"${gone.version}"`,
		});
		expect(bare.statusCode, bare.body).toBe(204);
		// So is an empty body sent as JSON; a JSON body with a __proto__ key is named.
		const gone2 = await create(
			m365ClaimBody({ products: [{ productId: "sharepoint-online" }] }),
		);
		const bareJson = await injectRaw(
			"DELETE",
			`/api/v1/claims/${gone2.id}`,
			"",
			{
				"content-type": "application/json",
				"if-match": `"${gone2.version}"`,
			},
		);
		expect(bareJson.statusCode, bareJson.body).toBe(204);
		const proto = expectProblem(
			await injectRaw(
				"POST",
				"/api/v1/claims",
				'{"__proto__":{"admin":true},"name":"x"}',
				{ "content-type": "application/json" },
			),
			422,
			"validation_failed",
			["body"],
		);
		expect(proto.detail).toMatch(/__proto__/);
		const boundary = "cpor-test-boundary";
		const form = await refused(() =>
			injectRaw(
				"PATCH",
				`/api/v1/claims/${draft.id}`,
				`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nRenamed\r\n--${boundary}--\r\n`,
				{
					"content-type": `multipart/form-data; boundary=${boundary}`,
					"if-match": '"1"',
				},
			),
		);
		expectProblem(form, 415, "unsupported_media_type");
		const after = (await ana.get(`/api/v1/claims/${draft.id}`)).json();
		expect(after.documents).toEqual([]);
		expect(after.version).toBe(1);
	});

	it("API payload_too_large: 1.5 MB of PDF-headed bytes with CPOR_MAX_UPLOAD_MB=1", async () => {
		const small = await startTestApp(kind, {
			env: { CPOR_MAX_UPLOAD_MB: "1" },
		});
		try {
			const user = await small.login(USERS.ana);
			const created = await user.post("/api/v1/claims", m365ClaimBody());
			expect(created.statusCode, created.body).toBe(201);
			const id = created.json().id as string;
			const bytes = new Uint8Array(1.5 * 1024 * 1024).fill(0x20);
			bytes.set(new TextEncoder().encode("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), 0);
			const before = await counts(small);
			const res = await user.upload(
				`/api/v1/claims/${id}/documents`,
				bytes,
				"big.pdf",
			);
			expectProblem(res, 413, "payload_too_large");
			expect(await counts(small)).toEqual(before);
			const after = (await user.get(`/api/v1/claims/${id}`)).json();
			expect(after.documents).toEqual([]);
			expect(after.version).toBe(1);
			// Over a real socket the refusal closes the connection, whose rest of the body
			// was never read: the client's next request on a kept-alive connection would
			// otherwise wait behind it.
			await small.app.listen({ port: 0, host: "127.0.0.1" });
			const { port } = small.app.server.address() as AddressInfo;
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			const sent = (
				path: string,
				method: string,
				headers: Record<string, string>,
				body?: Buffer,
			) =>
				new Promise<{ status: number; connection: string | undefined }>(
					(resolve, reject) => {
						const req = http.request(
							{ host: "127.0.0.1", port, path, method, headers, agent },
							(res) => {
								res.resume();
								res.on("end", () =>
									resolve({
										status: res.statusCode ?? 0,
										connection: res.headers.connection,
									}),
								);
							},
						);
						req.setTimeout(10_000, () =>
							req.destroy(new Error(`${method} ${path}: no answer in 10 s`)),
						);
						req.on("error", reject);
						req.end(body);
					},
				);
			const boundary = "cpor-big-upload";
			const multipart = Buffer.concat([
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
				),
				Buffer.from(new Uint8Array(8 * 1024 * 1024).fill(0x20)).fill(
					"%PDF-1.7\n",
					0,
					9,
				),
				Buffer.from(`\r\n--${boundary}--\r\n`),
			]);
			const raw = await session(USERS.ana, small);
			try {
				const big = await sent(
					`/api/v1/claims/${id}/documents`,
					"POST",
					{
						cookie: raw.cookie,
						"x-csrf-token": raw.csrf,
						"content-type": `multipart/form-data; boundary=${boundary}`,
					},
					multipart,
				);
				// Closed when the rest of the body was unread at the answer; a server that
				// had read it all by then (a slow machine) may keep the connection.
				expect(big.status).toBe(413);
				expect(["close", "keep-alive"]).toContain(big.connection);
				// Either way the next request on the agent's one socket is answered, not
				// left waiting behind unread bytes (it hung before the fix).
				const next = await sent("/healthz", "GET", {});
				expect(next.status).toBe(200);
			} finally {
				agent.destroy();
			}
			// A small PDF still fits.
			const ok = await user.upload(
				`/api/v1/claims/${id}/documents`,
				samplePdf(),
				"sow.pdf",
			);
			expect(ok.statusCode, ok.body).toBe(201);
		} finally {
			await small.close();
		}
	});

	it("API no request gets a 500: malformed requests against every claim route answer 4xx problem+json", async () => {
		const draft = await create(m365ClaimBody());
		const id = draft.id;
		const c = `/api/v1/claims/${id}`;
		const json = { "content-type": "application/json" };
		const huge = "x".repeat(300_000);
		const cases: {
			name: string;
			method: string;
			url: string;
			payload?: string | Buffer;
			headers?: Record<string, string>;
		}[] = [
			{
				name: "array body",
				method: "POST",
				url: "/api/v1/claims",
				payload: "[]",
				headers: json,
			},
			{
				name: "null body",
				method: "POST",
				url: "/api/v1/claims",
				payload: "null",
				headers: json,
			},
			{
				name: "string body",
				method: "POST",
				url: "/api/v1/claims",
				payload: '"claim"',
				headers: json,
			},
			{
				name: "number body",
				method: "POST",
				url: "/api/v1/claims",
				payload: "42",
				headers: json,
			},
			{
				name: "wrong types",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					m365ClaimBody({ name: 5, mpnId: 4471023, products: "teams" }),
				),
				headers: json,
			},
			{
				name: "nulls everywhere",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify({
					name: null,
					mpnId: null,
					customer: null,
					solutionArea: null,
					activity: null,
					products: null,
					contacts: null,
				}),
				headers: json,
			},
			{
				name: "array for object",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					m365ClaimBody({ customer: [DEMO_IDS.tenants.contoso], contacts: [] }),
				),
				headers: json,
			},
			{
				name: "null product line",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(m365ClaimBody({ products: [null, 3] })),
				headers: json,
			},
			{
				name: "huge name",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(m365ClaimBody({ name: huge })),
				headers: json,
			},
			{
				name: "huge tenant",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					m365ClaimBody({ customer: { tenantId: huge, domain: huge } }),
				),
				headers: json,
			},
			{
				name: "too many products",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					m365ClaimBody({
						products: Array.from({ length: 101 }, () => ({
							productId: "intune",
						})),
					}),
				),
				headers: json,
			},
			{
				name: "NUL in a string",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(m365ClaimBody({ name: "a\u0000b" })),
				headers: json,
			},
			{
				name: "NUL in a new claim's name",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(baClaimBody({ name: "a\u0000b" })),
				headers: json,
			},
			{
				name: "NUL in a contact",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					baClaimBody({ contacts: { partner: { name: "\u0000", email: "" } } }),
				),
				headers: json,
			},
			{
				name: "text/plain body",
				method: "POST",
				url: "/api/v1/claims",
				payload: "name=x",
				headers: { "content-type": "text/plain" },
			},
			{
				name: "NUL in the tenant",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					m365ClaimBody({
						customer: { tenantId: "6f1c\u0000", domain: "contoso.com" },
					}),
				),
				headers: json,
			},
			{
				name: "lone surrogate",
				method: "POST",
				url: "/api/v1/claims",
				payload: '{"name":"\\ud800","mpnId":"4471023"}',
				headers: json,
			},
			{
				name: "SQL in a workload",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(
					m365ClaimBody({
						products: [{ productId: "'; drop table claims; --" }],
					}),
				),
				headers: json,
			},
			{
				name: "deeply nested",
				method: "POST",
				url: "/api/v1/claims",
				payload: `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`,
				headers: json,
			},
			{
				name: "body over the limit",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify({ name: "x".repeat(1_100_000) }),
				headers: json,
			},
			{
				name: "garbage content-type",
				method: "POST",
				url: "/api/v1/claims",
				payload: "{}",
				headers: { "content-type": "garbage/%%%" },
			},
			{
				name: "xml content-type",
				method: "POST",
				url: "/api/v1/claims",
				payload: "<claim/>",
				headers: { "content-type": "application/xml" },
			},
			{
				name: "form content-type",
				method: "POST",
				url: "/api/v1/claims",
				payload: "name=x",
				headers: { "content-type": "application/x-www-form-urlencoded" },
			},
			{
				name: "bad query types",
				method: "GET",
				url: "/api/v1/claims?limit=abc&sort=sideways&status=nope&competing=maybe",
			},
			{ name: "negative limit", method: "GET", url: "/api/v1/claims?limit=-1" },
			{
				name: "huge limit",
				method: "GET",
				url: "/api/v1/claims?limit=99999999999999999999",
			},
			{
				name: "base64 cursor of junk",
				method: "GET",
				url: `/api/v1/claims?cursor=${Buffer.from('{"v":"yesterday","id":5}').toString("base64url")}`,
			},
			// Instants that JavaScript or PostgreSQL read, but no page wrote.
			...[
				'"1"',
				'"2026"',
				'"Nov 22 2026"',
				'"2026-11-22T10:00:00.000+99:00"',
			].map((v) => ({
				name: `cursor date ${v}`,
				method: "GET",
				url: `/api/v1/claims?cursor=${Buffer.from(`{"v":${v},"id":"x"}`).toString("base64url")}`,
			})),
			{
				name: "huge q",
				method: "GET",
				url: `/api/v1/claims?q=${"%25".repeat(300)}`,
			},
			{
				name: "id too long",
				method: "GET",
				url: `/api/v1/claims/${"a".repeat(150)}`,
			},
			{ name: "bad uuid", method: "GET", url: "/api/v1/claims/not-a-uuid" },
			{
				name: "bad percent-encoding",
				method: "GET",
				url: "/api/v1/claims/%E0%A4%A",
			},
			{ name: "NUL in path", method: "GET", url: "/api/v1/claims/%00" },
			{
				name: "patch array body",
				method: "PATCH",
				url: c,
				payload: "[]",
				headers: { ...json, "if-match": '"1"' },
			},
			{
				name: "patch null body",
				method: "PATCH",
				url: c,
				payload: "null",
				headers: { ...json, "if-match": '"1"' },
			},
			{
				name: "patch wrong types",
				method: "PATCH",
				url: c,
				payload: JSON.stringify({
					products: { productId: 3 },
					contacts: "none",
				}),
				headers: { ...json, "if-match": '"1"' },
			},
			{
				name: "patch invalid If-Match",
				method: "PATCH",
				url: c,
				payload: JSON.stringify({ name: "x" }),
				headers: { ...json, "if-match": "yesterday" },
			},
			{
				name: "patch huge If-Match version",
				method: "PATCH",
				url: c,
				payload: JSON.stringify({ name: "x" }),
				headers: { ...json, "if-match": '"99999999999999999999"' },
			},
			{
				name: "patch too-long If-Match",
				method: "PATCH",
				url: c,
				payload: JSON.stringify({ name: "x" }),
				headers: { ...json, "if-match": `"${"9".repeat(200)}"` },
			},
			{
				name: "patch NUL in name",
				method: "PATCH",
				url: c,
				payload: JSON.stringify({ name: "\u0000" }),
				headers: { ...json, "if-match": '"1"' },
			},
			{
				name: "patch unknown claim",
				method: "PATCH",
				url: "/api/v1/claims/00000000-0000-0000-0000-000000000000",
				payload: JSON.stringify({ name: "x" }),
				headers: { ...json, "if-match": '"1"' },
			},
			{
				name: "delete invalid If-Match",
				method: "DELETE",
				url: c,
				headers: { "if-match": "W/xyz" },
			},
			{
				name: "delete unknown",
				method: "DELETE",
				url: "/api/v1/claims/%27%20or%201%3D1",
			},
			{
				name: "upload without boundary",
				method: "POST",
				url: `${c}/documents`,
				payload: "--x\r\n",
				headers: { "content-type": "multipart/form-data" },
			},
			{
				name: "upload garbage multipart",
				method: "POST",
				url: `${c}/documents`,
				payload: "this is not multipart",
				headers: { "content-type": "multipart/form-data; boundary=zzz" },
			},
			{
				name: "upload wrong field",
				method: "POST",
				url: `${c}/documents`,
				payload:
					'--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nhello\r\n--b--\r\n',
				headers: { "content-type": "multipart/form-data; boundary=b" },
			},
			{
				name: "upload empty file",
				method: "POST",
				url: `${c}/documents`,
				payload:
					'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n\r\n--b--\r\n',
				headers: { "content-type": "multipart/form-data; boundary=b" },
			},
			{
				name: "upload over-long boundary",
				method: "POST",
				url: `${c}/documents`,
				payload: "--x\r\n",
				headers: {
					"content-type": `multipart/form-data; boundary=${"b".repeat(300)}`,
				},
			},
			{
				name: "upload truncated file part",
				method: "POST",
				url: `${c}/documents`,
				payload:
					'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n',
				headers: { "content-type": "multipart/form-data; boundary=b" },
			},
			{
				name: "upload text/plain",
				method: "POST",
				url: `${c}/documents`,
				payload: "%PDF-1.7",
				headers: { "content-type": "text/plain" },
			},
			{
				name: "download unknown document",
				method: "GET",
				url: `${c}/documents/${randomUUID()}`,
			},
			{
				name: "remove unknown document",
				method: "DELETE",
				url: `${c}/documents/not-a-doc`,
			},
			{
				name: "comment wrong type",
				method: "POST",
				url: `${c}/comments`,
				payload: JSON.stringify({ body: 5 }),
				headers: json,
			},
			{
				name: "comment empty",
				method: "POST",
				url: `${c}/comments`,
				payload: JSON.stringify({ body: "   " }),
				headers: json,
			},
			{
				name: "history of unknown",
				method: "GET",
				url: `/api/v1/claims/${randomUUID()}/history`,
			},
			{
				name: "submit invalid If-Match",
				method: "POST",
				url: `${c}/submit`,
				payload: "{}",
				headers: { ...json, "if-match": "abc" },
			},
			{
				name: "submit array body",
				method: "POST",
				url: `${c}/submit`,
				payload: "[1,2]",
				headers: json,
			},
			{
				name: "resubmit a draft",
				method: "POST",
				url: `${c}/resubmit`,
				payload: JSON.stringify({ comment: 7 }),
				headers: json,
			},
			{
				name: "withdraw a draft",
				method: "POST",
				url: `${c}/withdraw`,
				payload: "{}",
				headers: json,
			},
			{
				name: "dispute a draft",
				method: "POST",
				url: `${c}/dispute`,
				payload: JSON.stringify({ justification: ["x"] }),
				headers: json,
			},
			{
				name: "partner starts review",
				method: "POST",
				url: `${c}/start-review`,
				payload: "{}",
				headers: json,
			},
			{
				name: "partner requests information",
				method: "POST",
				url: `${c}/request-information`,
				payload: JSON.stringify({ reasons: "all", comment: null }),
				headers: json,
			},
			{
				name: "partner approves",
				method: "POST",
				url: `${c}/approve`,
				payload: "null",
				headers: json,
			},
			{
				name: "reject without reason",
				method: "POST",
				url: `${c}/reject`,
				payload: "{}",
				headers: json,
			},
			{
				name: "bad dispute decision",
				method: "POST",
				url: `${c}/dispute-decision`,
				payload: JSON.stringify({ decision: "maybe" }),
				headers: json,
			},
			{ name: "partner reads competing", method: "GET", url: `${c}/competing` },
			{
				name: "partner reads review queue",
				method: "GET",
				url: "/api/v1/review-queue?limit=0",
			},
		];
		const reviewerCases: typeof cases = [
			{
				name: "reviewer: request-information bad reasons",
				method: "POST",
				url: `${c}/request-information`,
				payload: JSON.stringify({ reasons: ["nope"], comment: "x" }),
				headers: json,
			},
			{
				name: "reviewer: reject bad reason",
				method: "POST",
				url: `${c}/reject`,
				payload: JSON.stringify({ reason: "partner_request", comment: "x" }),
				headers: json,
			},
			{
				name: "reviewer: dispute-decision wrong types",
				method: "POST",
				url: `${c}/dispute-decision`,
				payload: JSON.stringify({ decision: "uphold", comment: 1 }),
				headers: json,
			},
			{
				name: "reviewer: start review of a draft",
				method: "POST",
				url: `${c}/start-review`,
				payload: "{}",
				headers: { ...json, "if-match": '"x"' },
			},
			{
				name: "reviewer: queue bad sla",
				method: "GET",
				url: "/api/v1/review-queue?sla=soon&cursor=%%%",
			},
			{
				name: "reviewer: creates a claim",
				method: "POST",
				url: "/api/v1/claims",
				payload: JSON.stringify(m365ClaimBody()),
				headers: json,
			},
		];
		const before = await counts(t);
		const listed = await listedCount();
		const reviewer = await session(USERS.rita);
		const failures: string[] = [];
		const run = async (
			list: typeof cases,
			s: { cookie: string; csrf: string },
		) => {
			for (const k of list) {
				const res = await t.app.inject({
					method: k.method as "POST",
					url: k.url,
					headers: { cookie: s.cookie, "x-csrf-token": s.csrf, ...k.headers },
					...(k.payload !== undefined ? { payload: k.payload } : {}),
				});
				const type = String(res.headers["content-type"] ?? "");
				let body: { code?: unknown; status?: unknown } = {};
				try {
					body = res.json();
				} catch {
					body = {};
				}
				if (
					res.statusCode < 400 ||
					res.statusCode >= 500 ||
					!type.startsWith("application/problem+json") ||
					typeof body.code !== "string" ||
					body.status !== res.statusCode
				) {
					failures.push(
						`${k.name}: ${res.statusCode} ${type} ${res.body.slice(0, 200)}`,
					);
				}
			}
		};
		anaSession ??= await session();
		await run(cases, anaSession);
		await run(reviewerCases, reviewer);
		expect(failures).toEqual([]);
		expect(cases.length + reviewerCases.length).toBeGreaterThanOrEqual(30);
		expect(await counts(t)).toEqual(before);
		expect(await listedCount()).toBe(listed);
		expect(await version(id)).toBe(1);
	});

	it("API an error that reaches the log names the statement and the database's error, never its parameters", async () => {
		const secret = `secret-${randomUUID()}`;
		const [user] = await queryRows<{ id: string }>(
			t,
			sql`select id from users order by id limit 1`,
		);
		// A second user with an existing user's ID (a primary-key violation) whose other
		// values stand for what a statement carries: a name, an e-mail, a password hash.
		const failure = await t.ctx.db
			.execute(
				sql`insert into users (id, email, name, password_hash, roles) values (${user?.id}, ${`${secret}@example.com`}, ${secret}, ${secret}, '{}')`,
			)
			.then(
				() => undefined,
				(err: unknown) => err,
			);
		expect(failure).toBeInstanceOf(Error);
		expect(String((failure as Error).message)).toContain(secret);
		const logged = loggableError(failure) as Error & Record<string, unknown>;
		expect(logged.name).toBe("DrizzleQueryError");
		expect(logged.message).toContain("insert into users");
		expect(logged.message).toContain("4 parameters, not logged");
		expect(logged.code).toBe("23505");
		expect(logged.constraint).toBe("users_pkey");
		expect(
			JSON.stringify({
				...logged,
				message: logged.message,
				stack: logged.stack,
			}),
		).not.toContain(secret);
		expect(logged.stack).toMatch(/^DrizzleQueryError: Failed query/);
		// Anything else is logged as it is.
		const plain = new Error("plain");
		expect(loggableError(plain)).toBe(plain);
	});
});
