/**
 * Reports (API.md "reports" routes, `/metrics`): earnings (R-ELG-2), usage (R-ACC-2,
 * R-ACC-1) and the reviewer SLAs (R-TIME-2, R-TIME-3, R-TIME-8). State is built through
 * the HTTP API and the sandbox clock (`POST /admin/clock` as the platform admin runs the
 * timers: the consent window ends, the association activates, eligibility is evaluated).
 * Earnings and usage run on PGlite and PostgreSQL; the SLA report on both as well.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../src/db/client.ts";
import {
	earningsCsv,
	earningsJson,
	earningsPages,
} from "../../src/reports/earnings-report.ts";
import { copyClaim, deleteClaimCopies } from "../support/claim-copies.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import { expectProblem } from "../support/problem.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	partnerActor,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

interface Claim {
	id: string;
	status: string;
	mpnId: string;
	activity: string;
	customer: { tenantId: string; domain: string };
	products: { productId: string; subscriptionId: string | null }[];
	deadlines: Record<string, string | null>;
	association: { status: string; activatedAt: string | null } | null;
	eligibility: { program: string; result: string }[];
}

interface UsageItem {
	month: string;
	tenantId: string;
	customerName: string | null;
	productId: string;
	workload: string;
	monthlyActiveUsers: number;
	paidAvailableUnits: number;
	claimId: string;
	mpnId: string;
	dateAssociated: string | null;
	attributionType: string;
}

interface EarningsGroup {
	mpnId: string;
	program: string;
	associations: {
		claimId: string;
		tenantId: string;
		subscriptionIds: string[];
		products: { productId: string }[];
		dateAssociated: string | null;
	}[];
}

function ok(res: LightMyRequestResponse, status = 200) {
	expect(res.statusCode, res.body).toBe(status);
	return res.json();
}

/** Each query of `cases` to `report` is refused with 422 `validation_failed` naming its path. */
async function expectRefusedPaths(
	client: Client,
	report: string,
	cases: readonly (readonly [query: string, path: string])[],
) {
	for (const [query, path] of cases) {
		const res = await client.get(`${API}/reports/${report}?${query}`);
		expectProblem(res, 422, "validation_failed");
		expect(
			res.json().errors.map((e: { path: string }) => e.path),
			query,
		).toEqual([path]);
	}
}

/** Creates a claim with PoE and submits it. */
async function submitted(partner: Client, body: unknown): Promise<Claim> {
	const c = ok(await partner.post(`${API}/claims`, body), 201) as Claim;
	ok(
		await partner.upload(
			`${API}/claims/${c.id}/documents`,
			samplePdf(),
			"poe.pdf",
		),
		201,
	);
	return ok(await partner.post(`${API}/claims/${c.id}/submit`)) as Claim;
}

/** Creates, submits, starts review of and approves a claim; returns the approved claim. */
async function approved(
	partner: Client,
	reviewer: Client,
	body: unknown,
): Promise<Claim> {
	const c = await submitted(partner, body);
	ok(await reviewer.post(`${API}/claims/${c.id}/start-review`));
	return ok(await reviewer.post(`${API}/claims/${c.id}/approve`, {})) as Claim;
}

const contosoUsage = (productId: string) =>
	(testDirectory().usage ?? [])
		.filter(
			(u) =>
				u.tenantId === DEMO_IDS.tenants.contoso && u.productId === productId,
		)
		.sort((a, b) => a.month.localeCompare(b.month));

const tenantName = (tenantId: string) =>
	(testDirectory().tenants ?? []).find((t) => t.tenantId === tenantId)?.name;

describe.each(DB_KINDS)("earnings and usage reports on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let bea: Client;
	let ivan: Client;
	let daan: Client;
	let nora: Client;
	let rita: Client;
	let paula: Client;
	let carl: Client;
	/** Fabrikam, M365 usage on Contoso: Teams + Exchange Online (active). */
	let teams: Claim;
	/** Fabrikam, BA presales on Contoso's Sales subscription (active). */
	let sales: Claim;
	/** Northwind, BA presales on Adventure Works' Sales subscription (active). */
	let northwind: Claim;
	/** Fabrikam, M365 usage on Contoso SharePoint Online (pending consent). */
	let sharepoint: Claim;

	beforeAll(async () => {
		// Monday 2026-11-23 09:00 UTC
		t = await startTestApp(kind);
		[ana, bea, ivan, daan, nora, rita, paula, carl] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.bea),
			t.login(USERS.ivan),
			t.login(USERS.daan),
			t.login(USERS.nora),
			t.login(USERS.rita),
			t.login(USERS.paula),
			t.login(USERS.carl),
		]);
		teams = await approved(
			ana,
			rita,
			m365ClaimBody({
				name: "Contoso Teams and Exchange usage",
				products: [
					{ productId: "microsoft-teams" },
					{ productId: "exchange-online" },
				],
			}),
		);
		sales = await approved(ana, rita, baClaimBody());
		northwind = await approved(
			nora,
			rita,
			baClaimBody({
				name: "Adventure Works Dynamics 365 Sales presales",
				mpnId: DEMO_IDS.mpnIds.northwind,
				customer: {
					tenantId: DEMO_IDS.tenants.adventureWorks,
					domain: DEMO_IDS.domains.adventureWorks,
				},
				products: [
					{ subscriptionId: DEMO_IDS.subscriptions.adventureWorksSales },
				],
				contacts: {
					customer: {
						name: "Alex Adventure",
						title: "CIO",
						email: "alex@adventure-works.example",
					},
					customerTechnical: {
						name: "Terry Tech",
						title: "IT Manager",
						email: "terry@adventure-works.example",
					},
					partner: { name: "Nora Hansen", email: USERS.nora },
				},
			}),
		);
	});
	afterAll(async () => t?.close());

	it("R-ACC-2 nothing is reported while associations are pending consent", async () => {
		for (const c of [teams, sales, northwind])
			expect(c.association?.status).toBe("pending_consent");
		expect(ok(await ana.get(`${API}/reports/usage`)).items).toEqual([]);
		expect(ok(await nora.get(`${API}/reports/usage`)).items).toEqual([]);
		expect(ok(await bea.get(`${API}/reports/earnings`)).items).toEqual([]);
	});

	it("R-ELG-1 the consent window passes: associations activate and eligibility is evaluated", async () => {
		const ends = teams.deadlines.consentEndsAt as string;
		expect(ends).toBe("2026-11-30T09:00:00.000Z");
		const moved = ok(await paula.post(`${API}/admin/clock`, { to: ends }));
		expect(moved.timers.activated).toBe(3);
		teams = ok(await ana.get(`${API}/claims/${teams.id}`));
		sales = ok(await ana.get(`${API}/claims/${sales.id}`));
		northwind = ok(await nora.get(`${API}/claims/${northwind.id}`));
		for (const c of [teams, sales, northwind]) {
			expect(c.association?.status).toBe("active");
			expect(c.association?.activatedAt).toBe(ends);
		}
		const result = (c: Claim, program: string) =>
			c.eligibility.find((e) => e.program === program)?.result;
		expect(result(teams, "osu_m365")).toBe("eligible");
		expect(result(sales, "osa_sell")).toBe("eligible");
		expect(result(northwind, "osa_sell")).toBe("eligible");
		// A claim approved now stays pending for another 7 days.
		sharepoint = await approved(
			ana,
			rita,
			m365ClaimBody({
				name: "Contoso SharePoint usage",
				products: [{ productId: "sharepoint-online" }],
			}),
		);
		expect(sharepoint.association?.status).toBe("pending_consent");
	});

	it("R-ACC-2 usage per month of the claimed products of active associations only", async () => {
		const items = ok(await ana.get(`${API}/reports/usage`))
			.items as UsageItem[];
		const expected = [
			...contosoUsage("microsoft-teams").map((u) => ({ u, claim: teams })),
			...contosoUsage("exchange-online").map((u) => ({ u, claim: teams })),
			...contosoUsage("dynamics-365-sales").map((u) => ({ u, claim: sales })),
		];
		expect(contosoUsage("microsoft-teams").length).toBeGreaterThan(0);
		expect(contosoUsage("dynamics-365-sales").length).toBeGreaterThan(0);
		expect(items).toHaveLength(expected.length);
		for (const { u, claim } of expected) {
			expect(items).toContainEqual({
				month: u.month,
				tenantId: DEMO_IDS.tenants.contoso,
				customerName: tenantName(DEMO_IDS.tenants.contoso),
				productId: u.productId,
				workload: expect.any(String),
				monthlyActiveUsers: u.monthlyActiveUsers,
				paidAvailableUnits: u.paidAvailableUnits,
				claimId: claim.id,
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				dateAssociated: "2026-11-30T09:00:00.000Z",
				attributionType: claim.activity,
			});
		}
		expect(items.find((i) => i.productId === "microsoft-teams")?.workload).toBe(
			"Microsoft Teams",
		);
		// Ordered by month.
		const months = items.map((i) => i.month);
		expect(months).toEqual([...months].sort());
	});

	it("R-ACC-1 usage shows nothing else of the customer: not unclaimed products, not the pending claim", async () => {
		const products = new Set(
			(ok(await ana.get(`${API}/reports/usage`)).items as UsageItem[]).map(
				(i) => i.productId,
			),
		);
		expect([...products].sort()).toEqual([
			"dynamics-365-sales",
			"exchange-online",
			"microsoft-teams",
		]);
		// Contoso has usage for these too, but they are not claimed or not yet active.
		expect(contosoUsage("sharepoint-online").length).toBeGreaterThan(0);
		expect(contosoUsage("microsoft-365-apps").length).toBeGreaterThan(0);
		const byTenant = ok(
			await ana.get(
				`${API}/reports/usage?tenantId=${DEMO_IDS.tenants.adventureWorks}`,
			),
		);
		expect(byTenant.items).toEqual([]);
	});

	it("R-ACC-1 nora sees her own active association and none of fabrikam's", async () => {
		const items = ok(await nora.get(`${API}/reports/usage`))
			.items as UsageItem[];
		expect(items.length).toBeGreaterThan(0);
		for (const i of items) {
			expect(i.claimId).toBe(northwind.id);
			expect(i.tenantId).toBe(DEMO_IDS.tenants.adventureWorks);
			expect(i.productId).toBe("dynamics-365-sales");
			expect(i.mpnId).toBe(DEMO_IDS.mpnIds.northwind);
		}
		const contoso = ok(
			await nora.get(
				`${API}/reports/usage?tenantId=${DEMO_IDS.tenants.contoso}`,
			),
		);
		expect(contoso.items).toEqual([]);
		const earnings = ok(await nora.get(`${API}/reports/earnings`))
			.items as EarningsGroup[];
		expect(earnings).toEqual([
			{
				mpnId: DEMO_IDS.mpnIds.northwind,
				program: "osa_sell",
				associations: [expect.objectContaining({ claimId: northwind.id })],
			},
		]);
		const csv = (await nora.get(`${API}/reports/earnings?format=csv`)).body;
		expect(csv).not.toContain(teams.id);
		expect(csv).not.toContain(sales.id);
		expect(csv).not.toContain(DEMO_IDS.tenants.contoso);
	});

	it("R-ACC-2 usage filters by month range and tenant, and exports CSV", async () => {
		const all = ok(await ana.get(`${API}/reports/usage`)).items as UsageItem[];
		const ranged = ok(
			await ana.get(`${API}/reports/usage?from=2026-09&to=2026-10`),
		).items as UsageItem[];
		expect(ranged.length).toBeGreaterThan(0);
		expect(ranged).toEqual(
			all.filter((i) => i.month >= "2026-09" && i.month <= "2026-10"),
		);
		const contoso = ok(
			await ana.get(
				`${API}/reports/usage?tenantId=${DEMO_IDS.tenants.contoso.toUpperCase()}`,
			),
		).items;
		expect(contoso).toEqual(all);
		expectProblem(
			await ana.get(`${API}/reports/usage?from=2026-10&to=2026-09`),
			422,
			"validation_failed",
		);
		expectProblem(
			await ana.get(`${API}/reports/usage?from=October`),
			422,
			"validation_failed",
		);
		// A date is taken as its month, but only a date of the calendar.
		expectProblem(
			await ana.get(`${API}/reports/usage?to=2026-02-30`),
			422,
			"validation_failed",
		);
		expect(
			(await ana.get(`${API}/reports/usage?from=2026-09-15&to=2026-10-31`))
				.json()
				.items.map((r: { month: string }) => r.month),
		).toEqual(ranged.map((r: { month: string }) => r.month));

		const res = await ana.get(`${API}/reports/usage?format=csv`);
		expect(res.statusCode, res.body).toBe(200);
		expect(res.headers["content-type"]).toContain("text/csv");
		expect(res.headers["content-disposition"]).toContain("usage.csv");
		const rows = parse(res.body, { columns: true }) as Record<string, string>[];
		expect(Object.keys(rows[0] ?? {})).toEqual([
			"month",
			"tenantId",
			"customerName",
			"productId",
			"workload",
			"monthlyActiveUsers",
			"paidAvailableUnits",
			"claimId",
			"mpnId",
			"dateAssociated",
			"attributionType",
		]);
		expect(rows).toHaveLength(all.length);
		expect(rows[0]).toEqual(
			Object.fromEntries(
				Object.entries(all[0] as UsageItem).map(([k, v]) => [k, String(v)]),
			),
		);
	});

	it("R-ACC-2 usage in slices: the first rows, a cursor to the rest, the total and the charts' sums, for a page that shows some and more on request", async () => {
		const all = ok(await ana.get(`${API}/reports/usage`)).items as UsageItem[];
		expect(all.length).toBeGreaterThan(2);
		const listed: UsageItem[] = [];
		let url = `${API}/reports/usage?limit=2`;
		for (;;) {
			const slice = ok(await ana.get(url));
			expect(slice.total).toBe(all.length);
			expect(slice.items.length).toBeLessThanOrEqual(2);
			listed.push(...slice.items);
			if (!slice.nextCursor) break;
			url = `${API}/reports/usage?limit=2&cursor=${encodeURIComponent(slice.nextCursor)}`;
		}
		// The same rows, field for field and in the same order, as the whole report.
		expect(listed).toEqual(all);
		// The series: per workload and month, the rows' sums.
		const first = ok(await ana.get(`${API}/reports/usage?limit=1`));
		const sums = new Map<string, { mau: number; pau: number }>();
		for (const r of all) {
			const key = `${r.workload}|${r.month}`;
			const s = sums.get(key) ?? { mau: 0, pau: 0 };
			s.mau += r.monthlyActiveUsers;
			s.pau += r.paidAvailableUnits;
			sums.set(key, s);
		}
		expect(
			first.series.map(
				(p: {
					workload: string;
					month: string;
					monthlyActiveUsers: number;
					paidAvailableUnits: number;
				}) => [
					`${p.workload}|${p.month}`,
					p.monthlyActiveUsers,
					p.paidAvailableUnits,
				],
			),
		).toEqual(
			[...sums.entries()]
				.sort((a, b) => (a[0] < b[0] ? -1 : 1))
				.map(([k, v]) => [k, v.mau, v.pau]),
		);
		expect(first.customers).toBe(new Set(all.map((r) => r.tenantId)).size);
		// With the filters: the filtered rows.
		const ranged = ok(
			await ana.get(`${API}/reports/usage?from=2026-09&to=2026-10&limit=1000`),
		);
		expect(ranged.items).toEqual(
			all.filter((i) => i.month >= "2026-09" && i.month <= "2026-10"),
		);
		expect(ranged.nextCursor).toBeNull();
		await expectRefusedPaths(ana, "usage", [
			["limit=1&cursor=not-a-cursor", "cursor"],
			[`cursor=${first.nextCursor}`, "limit"],
			["limit=0", "querystring.limit"],
			["limit=5&format=csv", "limit"],
		]);
	});

	it("R-ACC-2 usage is for partner users: every partner role may read it, others get 403", async () => {
		for (const c of [bea, ivan, daan])
			expect((await c.get(`${API}/reports/usage`)).statusCode).toBe(200);
		expectProblem(await rita.get(`${API}/reports/usage`), 403, "forbidden");
		expectProblem(await carl.get(`${API}/reports/usage`), 403, "forbidden");
		expectProblem(
			await t.anonymous().get(`${API}/reports/usage`),
			401,
			"unauthenticated",
		);
	});

	it("R-ACC-2 the usage report's customers: the active associations' tenants only, by name, searched by name, domain or tenant ID, in pages", async () => {
		const customers = async (client: Client, query = "") =>
			ok(await client.get(`${API}/reports/usage/customers${query}`));
		// Fabrikam: Contoso (two active claims; the SharePoint one is pending consent).
		const contoso = {
			tenantId: DEMO_IDS.tenants.contoso,
			name: tenantName(DEMO_IDS.tenants.contoso),
			domain: [teams.customer.domain, sales.customer.domain].sort()[0],
		};
		expect(await customers(ana)).toEqual({
			items: [contoso],
			nextCursor: null,
		});
		// Northwind: Adventure Works, nothing of Fabrikam's.
		expect((await customers(nora)).items).toEqual([
			expect.objectContaining({ tenantId: DEMO_IDS.tenants.adventureWorks }),
		]);
		// Searched case-insensitively in the name, the tenant ID and each claimed domain.
		const found = async (q: string) =>
			(await customers(ana, `?q=${encodeURIComponent(q)}`)).items.map(
				(c: { tenantId: string }) => c.tenantId,
			);
		const [nameWord] = (contoso.name ?? "").split(" ");
		for (const q of [
			nameWord?.toUpperCase() ?? "",
			DEMO_IDS.tenants.contoso.slice(9, 18),
			teams.customer.domain.slice(2),
			sales.customer.domain.toUpperCase(),
		])
			expect(await found(q), q).toEqual([DEMO_IDS.tenants.contoso]);
		expect(await found("adventure")).toEqual([]);
		// LIKE's wildcards are text: "%" and "_" match only themselves.
		expect(await found("%")).toEqual([]);
		expect(await found("_")).toEqual([]);

		// Four more customers: copies of the Teams claim on other tenants of the directory.
		const others = (testDirectory().tenants ?? [])
			.filter(
				(x) =>
					x.tenantId !== DEMO_IDS.tenants.contoso &&
					x.tenantId !== DEMO_IDS.tenants.adventureWorks,
			)
			.slice(0, 4);
		// And a fifth, no longer active: not listed.
		await copyClaim(t.ctx.db, teams.id, 5, "cust-");
		try {
			for (const [i, other] of [...others, others[0]].entries())
				await t.ctx.db.execute(
					sql`update claims set tenant_id = ${other?.tenantId ?? ""},
						domain = ${`cust-${i}.example`} where id = ${`cust-${i + 1}`}`,
				);
			await t.ctx.db.execute(
				sql`update claims set status = 'withdrawn' where id = 'cust-5'`,
			);
			const listed: {
				tenantId: string;
				name: string | null;
				domain: string;
			}[] = [];
			let query = "?limit=2";
			for (;;) {
				const page = await customers(ana, query);
				expect(page.items.length).toBeLessThanOrEqual(2);
				listed.push(...page.items);
				if (!page.nextCursor) break;
				query = `?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`;
			}
			const expected = [
				contoso,
				...others.map((o, i) => ({
					tenantId: o.tenantId,
					name: o.name,
					domain: `cust-${i}.example`,
				})),
			].sort(
				(a, b) =>
					(a.name ?? "")
						.toLowerCase()
						.localeCompare((b.name ?? "").toLowerCase()) ||
					a.tenantId.localeCompare(b.tenantId),
			);
			expect(listed).toEqual(expected);
			expect(await found("cust-4.example")).toEqual([]);
			expect(await found("cust-2.example")).toEqual([others[2]?.tenantId]);
		} finally {
			await deleteClaimCopies(t.ctx.db, "cust-");
		}

		await expectRefusedPaths(ana, "usage/customers", [
			["cursor=not-a-cursor", "cursor"],
			["limit=0", "querystring.limit"],
			["limit=101", "querystring.limit"],
		]);
		expectProblem(
			await rita.get(`${API}/reports/usage/customers`),
			403,
			"forbidden",
		);
		expectProblem(
			await t.anonymous().get(`${API}/reports/usage/customers`),
			401,
			"unauthenticated",
		);
	});

	it("R-ELG-2 earnings list the eligible active associations per MPN ID and program", async () => {
		const items = ok(await bea.get(`${API}/reports/earnings`))
			.items as EarningsGroup[];
		expect(items).toEqual([
			{
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				program: "osa_sell",
				associations: [
					expect.objectContaining({
						claimId: sales.id,
						tenantId: DEMO_IDS.tenants.contoso,
						subscriptionIds: [DEMO_IDS.subscriptions.contosoSales],
						dateAssociated: "2026-11-30T09:00:00.000Z",
						activity: "presales",
					}),
				],
			},
			{
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				program: "osu_m365",
				associations: [
					expect.objectContaining({
						claimId: teams.id,
						tenantId: DEMO_IDS.tenants.contoso,
						subscriptionIds: [],
						products: [
							expect.objectContaining({ productId: "microsoft-teams" }),
							expect.objectContaining({ productId: "exchange-online" }),
						],
						dateAssociated: "2026-11-30T09:00:00.000Z",
					}),
				],
			},
		]);
		// Every field of an association, in the contract's order, as the claim shows it.
		const claim = ok(await bea.get(`${API}/claims/${teams.id}`));
		const association = items[1]?.associations[0] as object;
		expect(Object.keys(association)).toEqual([
			"claimId",
			"claimName",
			"tenantId",
			"customerName",
			"solutionArea",
			"activity",
			"subscriptionIds",
			"products",
			"dateAssociated",
			"approvedAt",
			"evaluatedAt",
		]);
		expect(association).toEqual({
			claimId: claim.id,
			claimName: claim.name,
			tenantId: claim.customer.tenantId,
			customerName: tenantName(claim.customer.tenantId),
			solutionArea: claim.solutionArea,
			activity: claim.activity,
			subscriptionIds: [],
			products: claim.products.map(
				(p: { productId: string; name: string }) => ({
					productId: p.productId,
					name: p.name,
					subscriptionId: null,
				}),
			),
			dateAssociated: claim.association.activatedAt,
			approvedAt: claim.association.approvedAt,
			evaluatedAt: claim.eligibility.find(
				(e: { program: string }) => e.program === "osu_m365",
			).evaluatedAt,
		});
		expect(claim.solutionArea).toBe("microsoft_365");
		expect(claim.products[0].name).toBe("Microsoft Teams");
		expect(claim.association.approvedAt).toMatch(/^2026-/);
		// The pending claim is not (yet) an eligible association.
		expect(JSON.stringify(items)).not.toContain(sharepoint.id);
		const m365 = ok(await bea.get(`${API}/reports/earnings?program=osu_m365`))
			.items as EarningsGroup[];
		expect(m365.map((g) => g.program)).toEqual(["osu_m365"]);
		expect(
			ok(await bea.get(`${API}/reports/earnings?program=osu_bizapps`)).items,
		).toEqual([]);
		expectProblem(
			await bea.get(`${API}/reports/earnings?program=bonus`),
			422,
			"validation_failed",
		);
	});

	it("R-ELG-2 earnings export as CSV, one row per association", async () => {
		const res = await bea.get(`${API}/reports/earnings?format=csv`);
		expect(res.statusCode, res.body).toBe(200);
		expect(res.headers["content-type"]).toContain("text/csv");
		expect(res.headers["content-disposition"]).toContain("earnings.csv");
		const rows = parse(res.body, { columns: true }) as Record<string, string>[];
		expect(rows).toEqual([
			expect.objectContaining({
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				program: "osa_sell",
				claimId: sales.id,
				tenantId: DEMO_IDS.tenants.contoso,
				subscriptionIds: DEMO_IDS.subscriptions.contosoSales,
				dateAssociated: "2026-11-30T09:00:00.000Z",
			}),
			expect.objectContaining({
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				program: "osu_m365",
				claimId: teams.id,
				tenantId: DEMO_IDS.tenants.contoso,
				subscriptionIds: "",
				products: "microsoft-teams; exchange-online",
			}),
		]);
	});

	it("R-ELG-2 earnings are read a page at a time: a group spans pages with the same body, and a claim no longer eligible when its page is read is left out", async () => {
		const fabrikam = partnerActor("fabrikam");
		const text = async (chunks: AsyncIterable<string>) => {
			const out: string[] = [];
			for await (const c of chunks) out.push(c);
			return out.join("");
		};
		// Two more associations in the Teams claim's group (osu_m365).
		await copyClaim(t.ctx.db, teams.id, 2, "page-");
		try {
			const json = await bea.get(`${API}/reports/earnings`);
			const csv = await bea.get(`${API}/reports/earnings?format=csv`);
			const groups = JSON.parse(json.body).items as EarningsGroup[];
			expect(groups.map((g) => [g.program, g.associations.length])).toEqual([
				["osa_sell", 1],
				["osu_m365", 3],
			]);
			// Pages of one association: the same bytes as pages of 500.
			expect(
				await text(earningsJson(await earningsPages(t.ctx, fabrikam, {}, 1))),
			).toBe(json.body);
			expect(
				await text(earningsCsv(await earningsPages(t.ctx, fabrikam, {}, 1))),
			).toBe(csv.body);

			// The order is read first; page-1's association ends before its page is read.
			const pages = (await earningsPages(t.ctx, fabrikam, {}, 1))[
				Symbol.asyncIterator
			]();
			const first = await pages.next();
			expect(first.done ? [] : first.value.map((r) => r.program)).toEqual([
				"osa_sell",
			]);
			await t.ctx.db.execute(
				sql`update claims set association = jsonb_set(association, '{status}', '"ended"') where id = 'page-1'`,
			);
			const rest: string[] = [];
			for (let r = await pages.next(); !r.done; r = await pages.next())
				rest.push(...r.value.map((row) => JSON.parse(row.json).claimId));
			const m365 = (groups[1]?.associations ?? []).map((a) => a.claimId);
			expect(m365).toContain("page-1");
			expect(rest).toEqual(m365.filter((id) => id !== "page-1"));
		} finally {
			await deleteClaimCopies(t.ctx.db, "page-");
		}
	});

	it("R-ELG-2 earnings in slices: each group's first associations with its total and a cursor to the rest, for a page that shows some and more on request", async () => {
		await copyClaim(t.ctx.db, teams.id, 2, "slice-");
		try {
			const whole = ok(await bea.get(`${API}/reports/earnings`))
				.items as EarningsGroup[];
			const m365 = whole[1] as EarningsGroup;
			expect(m365.program).toBe("osu_m365");
			expect(m365.associations).toHaveLength(3);
			const first = ok(await bea.get(`${API}/reports/earnings?limit=1`));
			expect(first.claimCount).toBe(4);
			expect(
				first.items.map(
					(
						g: EarningsGroup & { total: number; nextCursor: string | null },
					) => ({
						program: g.program,
						total: g.total,
						listed: g.associations.map((a) => a.claimId),
						more: g.nextCursor !== null,
					}),
				),
			).toEqual([
				{ program: "osa_sell", total: 1, listed: [sales.id], more: false },
				{
					program: "osu_m365",
					total: 3,
					listed: [m365.associations[0]?.claimId],
					more: true,
				},
			]);
			// The same association as in the whole report, field for field.
			expect(first.items[1].associations[0]).toEqual(m365.associations[0]);
			// Following the group's cursor lists the rest, in the report's order.
			const listed: string[] = [first.items[1].associations[0].claimId];
			let cursor: string | null = first.items[1].nextCursor;
			const group = `mpnId=${m365.mpnId}&program=osu_m365`;
			while (cursor) {
				const next = ok(
					await bea.get(
						`${API}/reports/earnings?${group}&limit=1&cursor=${encodeURIComponent(cursor)}`,
					),
				);
				expect(next.items).toHaveLength(1);
				expect(next.items[0].total).toBe(3);
				listed.push(
					...next.items[0].associations.map(
						(a: { claimId: string }) => a.claimId,
					),
				);
				cursor = next.items[0].nextCursor;
			}
			expect(listed).toEqual(m365.associations.map((a) => a.claimId));
			// One MPN ID: its groups, whole or in CSV; another partner's MPN ID: nothing.
			expect(
				ok(await bea.get(`${API}/reports/earnings?mpnId=${m365.mpnId}`)).items,
			).toEqual(whole.filter((g) => g.mpnId === m365.mpnId));
			expect(
				ok(
					await bea.get(
						`${API}/reports/earnings?mpnId=${DEMO_IDS.mpnIds.northwind}`,
					),
				).items,
			).toEqual([]);
			const csv = await bea.get(
				`${API}/reports/earnings?format=csv&program=osu_m365&mpnId=${m365.mpnId}`,
			);
			expect(
				(parse(csv.body, { columns: true }) as { claimId: string }[]).map(
					(r) => r.claimId,
				),
			).toEqual(listed);
			// What cannot be sliced says so.
			const lastCursor = first.items[1].nextCursor as string;
			await expectRefusedPaths(bea, "earnings", [
				[`limit=1&cursor=${lastCursor}`, "mpnId"],
				[`mpnId=${m365.mpnId}&limit=1&cursor=${lastCursor}`, "program"],
				[`${group}&limit=1&cursor=not-a-cursor`, "cursor"],
				[`${group}&cursor=${lastCursor}`, "limit"],
				["limit=0", "querystring.limit"],
				["limit=1001", "querystring.limit"],
				["limit=5&format=csv", "limit"],
			]);
		} finally {
			await deleteClaimCopies(t.ctx.db, "slice-");
		}
	});

	// On PostgreSQL only: 70,000 claims cost PGlite minutes, and the limit is the wire
	// protocol's, the same for both.
	it.runIf(kind === "postgres")(
		"R-ELG-2 earnings of a partner with more eligible associations than a statement takes parameters (65,535)",
		async () => {
			const clones = 70_000;
			// Copies of the Teams claim (approved, active, eligible for osu_m365) and of its
			// product lines, each line on its own keys (R-CMP-1 and R-CMP-2 hold per key).
			await copyClaim(t.ctx.db, teams.id, clones, "bulk-");
			try {
				const items = ok(
					await bea.get(`${API}/reports/earnings?program=osu_m365`),
				).items as EarningsGroup[];
				const associations = items.flatMap((g) => g.associations);
				expect(associations).toHaveLength(clones + 1);
				// One date associated: ordered by claim ID (by code unit).
				const ids = associations.map((a) => a.claimId);
				expect(ids).toEqual([...ids].sort());
				expect(ids.filter((id) => id.startsWith("bulk-")).slice(0, 3)).toEqual([
					"bulk-1",
					"bulk-10",
					"bulk-100",
				]);
				const products = new Set(
					associations.map((a) => a.products.map((p) => p.productId).join()),
				);
				expect([...products]).toEqual(["microsoft-teams,exchange-online"]);
			} finally {
				await deleteClaimCopies(t.ctx.db, "bulk-");
			}
		},
	);

	it("R-ROL-1 earnings are for billing, global and incentives admins; an incentives user gets 403", async () => {
		for (const c of [ana, bea, daan])
			expect((await c.get(`${API}/reports/earnings`)).statusCode).toBe(200);
		expectProblem(await ivan.get(`${API}/reports/earnings`), 403, "forbidden");
		expectProblem(await rita.get(`${API}/reports/earnings`), 403, "forbidden");
		expectProblem(await carl.get(`${API}/reports/earnings`), 403, "forbidden");
	});

	it("R-ACC-1 an association ends when the claim leaves approved: its usage disappears", async () => {
		ok(await ana.post(`${API}/claims/${sales.id}/withdraw`, {}));
		const items = ok(await ana.get(`${API}/reports/usage`))
			.items as UsageItem[];
		expect(items.some((i) => i.claimId === sales.id)).toBe(false);
		expect(items.some((i) => i.claimId === teams.id)).toBe(true);
		const earnings = ok(await bea.get(`${API}/reports/earnings`))
			.items as EarningsGroup[];
		expect(earnings.map((g) => g.program)).toEqual(["osu_m365"]);
	});
});

interface SlaReport {
	now: string;
	from: string;
	to: string;
	slas: Record<
		"review_start" | "decision" | "dispute_decision",
		{
			rule: string;
			due: number;
			overdue: number;
			breached: number;
			met: number;
		}
	>;
	times: Record<
		"reviewStart" | "decision" | "disputeDecision",
		{ count: number; medianHours: number | null; p90Hours: number | null }
	>;
}

/** The value of one `cpor_sla_open` sample in a Prometheus text exposition. */
function gauge(metrics: string, sla: string, state: string): number | null {
	const m = new RegExp(
		`^cpor_sla_open\\{sla="${sla}",state="${state}"\\} (\\d+)$`,
		"m",
	).exec(metrics);
	return m ? Number(m[1]) : null;
}

describe.each(DB_KINDS)("R-TIME-2/3/8 the SLA report on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let rob: Client;
	let paula: Client;
	const ids: Record<"a" | "b" | "c" | "d", string> = {
		a: "",
		b: "",
		c: "",
		d: "",
	};
	const DUE = "2026-11-30T09:00:00.000Z";

	const report = async (query = "") =>
		ok(await rita.get(`${API}/reports/sla${query}`)) as SlaReport;

	beforeAll(async () => {
		// Monday 2026-11-23 09:00 UTC
		t = await startTestApp(kind);
		[ana, rita, rob, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.rob),
			t.login(USERS.paula),
		]);
		const workloads = {
			a: "exchange-online",
			b: "sharepoint-online",
			c: "microsoft-teams",
			d: "intune",
		} as const;
		for (const key of ["a", "b", "c", "d"] as const) {
			const c = await submitted(
				ana,
				m365ClaimBody({
					name: `SLA ${key}`,
					products: [{ productId: workloads[key] }],
				}),
			);
			expect(c.deadlines.reviewStartDue).toBe(DUE);
			ids[key] = c.id;
		}
	});
	afterAll(async () => t?.close());

	it("R-TIME-2 R-TIME-3 R-TIME-8 open work is due before its deadline, met when closed in time", async () => {
		// C: review started at once (met); D: started, rejected (decision met) and disputed.
		ok(await rita.post(`${API}/claims/${ids.c}/start-review`));
		ok(await rita.post(`${API}/claims/${ids.d}/start-review`));
		ok(
			await rita.post(`${API}/claims/${ids.d}/reject`, {
				reason: "insufficient_poe",
				comment: "The PoE does not show the workload.",
			}),
		);
		const disputed = ok(
			await ana.post(`${API}/claims/${ids.d}/dispute`, {
				justification: "The statement of work covers Intune.",
			}),
		) as Claim;
		expect(disputed.deadlines.disputeDecisionDue).toBe(DUE);

		const r = await report();
		expect(r.now).toBe("2026-11-23T09:00:00.000Z");
		expect(r.to).toBe(r.now);
		expect(r.from).toBe("2026-08-25T09:00:00.000Z");
		expect(r.slas).toEqual({
			review_start: {
				rule: "R-TIME-2",
				due: 2,
				overdue: 0,
				breached: 0,
				met: 2,
			},
			decision: { rule: "R-TIME-3", due: 1, overdue: 0, breached: 0, met: 1 },
			dispute_decision: {
				rule: "R-TIME-8",
				due: 1,
				overdue: 0,
				breached: 0,
				met: 0,
			},
		});
		const metrics = (await t.anonymous().get("/metrics")).body;
		expect(gauge(metrics, "review_start", "due")).toBe(2);
		expect(gauge(metrics, "review_start", "overdue")).toBe(0);
		expect(gauge(metrics, "decision", "due")).toBe(1);
		expect(gauge(metrics, "dispute_decision", "due")).toBe(1);
	});

	it("R-TIME-2 R-TIME-3 R-TIME-8 at the deadline open work is overdue, in the report and on /metrics", async () => {
		const oneSecondBefore = new Date(Date.parse(DUE) - 1000).toISOString();
		ok(await paula.post(`${API}/admin/clock`, { to: oneSecondBefore }));
		let r = await report();
		expect(r.slas.review_start).toMatchObject({ due: 2, overdue: 0 });
		expect(r.slas.decision).toMatchObject({ due: 1, overdue: 0 });
		expect(r.slas.dispute_decision).toMatchObject({ due: 1, overdue: 0 });

		ok(await paula.post(`${API}/admin/clock`, { to: DUE }));
		r = await report();
		expect(r.slas.review_start).toMatchObject({ due: 0, overdue: 2 });
		expect(r.slas.decision).toMatchObject({ due: 0, overdue: 1 });
		expect(r.slas.dispute_decision).toMatchObject({ due: 0, overdue: 1 });
		const metrics = (await t.anonymous().get("/metrics")).body;
		expect(gauge(metrics, "review_start", "due")).toBe(0);
		expect(gauge(metrics, "review_start", "overdue")).toBe(2);
		expect(gauge(metrics, "decision", "overdue")).toBe(1);
		expect(gauge(metrics, "dispute_decision", "overdue")).toBe(1);
	});

	it("R-TIME-2 R-TIME-3 R-TIME-8 work closed at or after its deadline is counted as breached, with median and p90 times", async () => {
		// At the deadline: B's review starts, C is approved, D's dispute is upheld.
		ok(await rita.post(`${API}/claims/${ids.b}/start-review`));
		ok(await rita.post(`${API}/claims/${ids.c}/approve`, {}));
		ok(
			await rob.post(`${API}/claims/${ids.d}/dispute-decision`, {
				decision: "uphold",
				comment: "The PoE still does not show Intune.",
			}),
		);
		const r = await report();
		expect(r.slas).toEqual({
			// A still waits (overdue); B started late (breached); C and D started in time.
			review_start: {
				rule: "R-TIME-2",
				due: 0,
				overdue: 1,
				breached: 1,
				met: 2,
			},
			// B's decision is due a week later; C decided late; D decided in time.
			decision: { rule: "R-TIME-3", due: 1, overdue: 0, breached: 1, met: 1 },
			dispute_decision: {
				rule: "R-TIME-8",
				due: 0,
				overdue: 0,
				breached: 1,
				met: 0,
			},
		});
		// Review start: C and D after 0 h, B after 168 h.
		expect(r.times.reviewStart).toEqual({
			count: 3,
			medianHours: 0,
			p90Hours: 134.4,
		});
		// Decision (from review start): D after 0 h, C after 168 h.
		expect(r.times.decision).toEqual({
			count: 2,
			medianHours: 84,
			p90Hours: 151.2,
		});
		expect(r.times.disputeDecision).toEqual({
			count: 1,
			medianHours: 168,
			p90Hours: 168,
		});

		// A window that starts at the deadline only sees what closed then.
		const late = await report(`?from=${encodeURIComponent(DUE)}`);
		expect(late.from).toBe(DUE);
		expect(late.slas.review_start).toMatchObject({ breached: 1, met: 0 });
		expect(late.slas.decision).toMatchObject({ breached: 1, met: 0 });
		expect(late.times.reviewStart.count).toBe(1);
		// A window of dates: the whole first day only.
		const first = await report("?from=2026-11-23&to=2026-11-23");
		expect(first.to).toBe("2026-11-23T23:59:59.999Z");
		expect(first.slas.review_start).toMatchObject({ breached: 0, met: 2 });
		expect(first.slas.dispute_decision).toMatchObject({ breached: 0 });
		expectProblem(
			await rita.get(`${API}/reports/sla?from=2026-12-01&to=2026-11-01`),
			422,
			"validation_failed",
		);
		expectProblem(
			await rita.get(`${API}/reports/sla?from=yesterday`),
			422,
			"validation_failed",
		);
	});

	it("R-TIME-2 R-TIME-3 a partner's withdrawal ends the SLA the claim was in, counted but not timed", async () => {
		// At the deadline still: A waits for its review start (overdue), B is under review.
		const before = await report();
		expect(before.slas.review_start.overdue).toBe(1);
		expect(before.slas.decision.due).toBe(1);
		ok(await ana.post(`${API}/claims/${ids.a}/withdraw`, {}));
		ok(await ana.post(`${API}/claims/${ids.b}/withdraw`, {}));
		const r = await report();
		// A left `submitted` at its review-start deadline: breached.
		expect(r.slas.review_start).toEqual({
			...before.slas.review_start,
			overdue: 0,
			breached: before.slas.review_start.breached + 1,
		});
		// B left `under_review` a week before its decision was due: met.
		expect(r.slas.decision).toEqual({
			...before.slas.decision,
			due: 0,
			met: before.slas.decision.met + 1,
		});
		// Neither is a review start nor a decision: the times stay as they were.
		expect(r.times).toEqual(before.times);
	});

	it("R-TIME-2 R-TIME-3 R-TIME-8 migration 0014 fills in the SLA exits of existing history as the trigger writes them", async () => {
		const exits = async () =>
			(
				(await t.ctx.db.execute(
					sql`select * from claim_sla_exits order by history_id`,
				)) as unknown as { rows: Record<string, unknown>[] }
			).rows;
		const written = await exits();
		// Review start: B, C, D, then A withdrawn; decision: C, D, then B withdrawn;
		// dispute decision: D.
		expect(written.map((r) => r.sla).sort()).toEqual([
			"decision",
			"decision",
			"decision",
			"dispute_decision",
			"review_start",
			"review_start",
			"review_start",
			"review_start",
		]);
		const before = await report();
		// The migration fills in the exits of history written before the trigger (twice:
		// the second time adds what was written in between, here nothing).
		const fill = async () =>
			Number(
				(
					(await t.ctx.db.execute(
						sql`select claim_sla_exits_fill() as n`,
					)) as unknown as { rows: { n: unknown }[] }
				).rows[0]?.n,
			);
		const migration = await readFile(
			path.join(MIGRATIONS_DIR, "0014_sla_exits.sql"),
			"utf8",
		);
		expect(migration.match(/^SELECT claim_sla_exits_fill\(\);/gm)).toHaveLength(
			2,
		);
		await t.ctx.db.execute(sql`delete from claim_sla_exits`);
		expect(await exits()).toEqual([]);
		expect(await fill()).toBe(8);
		expect(await exits()).toEqual(written);
		expect(await fill()).toBe(0);
		expect(await exits()).toEqual(written);
		expect(await report()).toEqual(before);
	});

	it("R-ROL-2 the SLA report is for reviewers", async () => {
		expectProblem(await ana.get(`${API}/reports/sla`), 403, "forbidden");
		expectProblem(await paula.get(`${API}/reports/sla`), 403, "forbidden");
		expect((await rob.get(`${API}/reports/sla`)).statusCode).toBe(200);
	});
});
