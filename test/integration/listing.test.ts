/**
 * The claims dashboard (SPEC R-DSH-1): GET /claims filters, sorts, cursor pagination and
 * CSV export; the review queue (R-TIME-2); and the directory lists of the claim flow
 * (R-CRT-2 MPN IDs, R-DIR-4 catalog, R-CRT-4 activities). On both databases.
 */
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClaimView } from "../../src/claims/claim-view.ts";
import { claimsCsv } from "../../src/claims/claims-csv.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	partnerActor,
	startTestApp,
	statementCountingContext,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

interface ClaimView {
	id: string;
	name: string;
	status: string;
	version: number;
	partnerOrganizationId: string;
	mpnId: string;
	customer: { tenantId: string; domain: string };
	solutionArea: string;
	activity: string;
	competing: boolean;
	dueAt: string | null;
	updatedAt: string;
	dispute: { status: string } | null;
}

interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

function tenant(n: number) {
	const t = testDirectory().tenants?.[n];
	if (!t) throw new Error(`no test tenant #${n}`);
	return t;
}

/** An M365 usage claim on the n-th test tenant (distinct per tenant and workload, R-CMP-1). */
function m365On(
	n: number,
	name: string,
	overrides: Record<string, unknown> = {},
) {
	const t = tenant(n);
	return m365ClaimBody({
		name,
		customer: { tenantId: t.tenantId, domain: t.domains[0] },
		products: [{ productId: "microsoft-teams" }],
		...overrides,
	});
}

/** Walks every page of a list, checking the page size and that no item repeats. */
async function walk<T extends { id: string }>(
	c: Client,
	url: string,
	limit = 5,
): Promise<T[]> {
	const out: T[] = [];
	let cursor: string | null = null;
	for (let pages = 0; pages < 200; pages++) {
		const sep = url.includes("?") ? "&" : "?";
		const res = await c.get(
			`${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
		);
		expect(res.statusCode, res.body).toBe(200);
		const page = res.json() as Page<T>;
		expect(page.items.length).toBeLessThanOrEqual(limit);
		out.push(...page.items);
		cursor = page.nextCursor;
		if (cursor === null) break;
		expect(page.items).toHaveLength(limit);
	}
	expect(cursor).toBeNull();
	const ids = out.map((i) => i.id);
	expect(new Set(ids).size, "no duplicates").toBe(ids.length);
	return out;
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

/** The order of API.md's `sort`: the column with nulls last, then the ID, both in the same direction. */
function sorted(
	claims: ClaimView[],
	sort: "updatedAt" | "-updatedAt" | "dueAt" | "-dueAt",
) {
	const key = sort.endsWith("dueAt") ? "dueAt" : "updatedAt";
	const dir = sort.startsWith("-") ? -1 : 1;
	return claims.slice().sort((a, b) => {
		const av = a[key];
		const bv = b[key];
		if (av === null && bv !== null) return 1;
		if (bv === null && av !== null) return -1;
		if (av !== null && bv !== null && av !== bv) {
			return (Date.parse(av) - Date.parse(bv)) * dir;
		}
		return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * dir;
	});
}

describe.each(DB_KINDS)("R-DSH-1 claim lists on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let nora: Client;
	let rita: Client;
	/** Every claim as it finally is, by ID. */
	const all = new Map<string, ClaimView>();
	const fabrikam = () =>
		[...all.values()].filter((c) => c.partnerOrganizationId === "fabrikam");
	const nonDraft = () => [...all.values()].filter((c) => c.status !== "draft");
	let zeppelin: ClaimView;

	beforeAll(async () => {
		t = await startTestApp(kind);
		ana = await t.login(USERS.ana);
		nora = await t.login(USERS.nora);
		rita = await t.login(USERS.rita);
		const created: string[] = [];

		const ok = async (
			res: Promise<{ statusCode: number; body: string; json(): unknown }>,
			status: number,
		) => {
			const r = await res;
			expect(r.statusCode, r.body).toBe(status);
			return r.json() as ClaimView;
		};
		const draft = async (c: Client, body: unknown, doc = true) => {
			t.clock.advanceBy("PT1M");
			const claim = await ok(c.post(`${API}/claims`, body), 201);
			created.push(claim.id);
			if (doc) {
				const up = await c.upload(
					`${API}/claims/${claim.id}/documents`,
					samplePdf(),
					"sow.pdf",
				);
				expect(up.statusCode, up.body).toBe(201);
			}
			return claim;
		};
		const act = (c: Client, id: string, action: string, body: unknown = {}) =>
			ok(c.post(`${API}/claims/${id}/${action}`, body), 200);
		const submitted = async (c: Client, body: unknown) =>
			act(c, (await draft(c, body)).id, "submit");
		const underReview = async (body: unknown) =>
			act(rita, (await submitted(ana, body)).id, "start-review");
		const rejected = async (body: unknown) =>
			act(rita, (await underReview(body)).id, "reject", {
				reason: "insufficient_poe",
				comment: "The PoE is about another customer.",
			});

		let n = 2;
		// Fabrikam: 5 drafts (2 on the unenrolled MPN, 1 Business Applications usage).
		await draft(ana, m365On(n++, "Draft A"), false);
		// Draft B: two products and two documents (their order is part of the resource).
		const draftB = await draft(
			ana,
			m365On(n++, "Draft B", {
				products: [
					{ productId: "microsoft-teams" },
					{ productId: "exchange-online" },
				],
			}),
		);
		t.clock.advanceBy("PT1M");
		const second = await ana.upload(
			`${API}/claims/${draftB.id}/documents`,
			samplePdf("Draft B, signed statement of work"),
			"sow-signed.pdf",
		);
		expect(second.statusCode, second.body).toBe(201);
		await draft(
			ana,
			m365On(n++, "Draft C", { mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled }),
		);
		await draft(
			ana,
			m365On(n++, "Draft D", { mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled }),
		);
		await draft(
			ana,
			baClaimBody({
				name: "Draft BA usage",
				activity: "usage",
				products: [
					{ subscriptionId: DEMO_IDS.subscriptions.contosoCustomerService },
				],
			}),
		);
		// 6 submitted (one competing with Northwind's below, one named for search).
		for (let i = 0; i < 4; i++)
			await submitted(ana, m365On(n++, `Submitted ${i}`));
		zeppelin = await submitted(ana, m365On(n++, "Zeppelin rollout"));
		await submitted(ana, baClaimBody({ name: "Contoso Sales presales" }));
		// 4 under review, 3 partner action required, 2 approved, 3 rejected (1 disputed).
		for (let i = 0; i < 4; i++) await underReview(m365On(n++, `Review ${i}`));
		for (let i = 0; i < 3; i++)
			await act(
				rita,
				(await underReview(m365On(n++, `Action ${i}`))).id,
				"request-information",
				{ reasons: ["missing_or_old_dates"], comment: "Please add dates." },
			);
		for (let i = 0; i < 2; i++)
			await act(
				rita,
				(await underReview(m365On(n++, `Approved ${i}`))).id,
				"approve",
			);
		for (let i = 0; i < 2; i++) await rejected(m365On(n++, `Rejected ${i}`));
		await act(ana, (await rejected(m365On(n++, "Disputed"))).id, "dispute", {
			justification: "The signed SOW names this customer.",
		});
		// Northwind: a competing claim, another submitted one, and a draft.
		const nw = (
			name: string,
			subscriptionId: string,
			tenantKey: "contoso" | "adventureWorks",
		) =>
			baClaimBody({
				name,
				mpnId: DEMO_IDS.mpnIds.northwind,
				customer: {
					tenantId: DEMO_IDS.tenants[tenantKey],
					domain:
						tenantKey === "contoso"
							? DEMO_IDS.domains.contoso
							: DEMO_IDS.domains.adventureWorks,
				},
				products: [{ subscriptionId }],
				contacts: {
					customer: { name: "C", title: "CIO", email: "c@customer.example" },
					customerTechnical: {
						name: "T",
						title: "IT",
						email: "t@customer.example",
					},
					partner: { name: "Nora", email: USERS.nora },
				},
			});
		await submitted(
			nora,
			nw(
				"Northwind Contoso Sales",
				DEMO_IDS.subscriptions.contosoSales,
				"contoso",
			),
		);
		await submitted(
			nora,
			nw(
				"Northwind AW Sales",
				DEMO_IDS.subscriptions.adventureWorksSales,
				"adventureWorks",
			),
		);
		await draft(
			nora,
			nw(
				"Northwind draft",
				DEMO_IDS.subscriptions.contosoCustomerService,
				"contoso",
			),
			false,
		);

		for (const id of created) {
			const c = id;
			const owner =
				(await ana.get(`${API}/claims/${c}`)).statusCode === 200 ? ana : nora;
			all.set(c, await ok(owner.get(`${API}/claims/${c}`), 200));
		}
		zeppelin = all.get(zeppelin.id) as ClaimView;
	}, 240_000);
	afterAll(async () => t?.close());

	it("R-DSH-1 the fixture spans every status and both organizations", () => {
		expect(all.size).toBeGreaterThanOrEqual(25);
		const statuses = new Set([...all.values()].map((c) => c.status));
		expect([...statuses].sort()).toEqual(
			[
				"approved",
				"draft",
				"partner_action_required",
				"rejected",
				"submitted",
				"under_review",
			].sort(),
		);
		expect([...all.values()].filter((c) => c.competing)).toHaveLength(2);
	});

	it("R-DSH-1 list items, queue items and the claim page are the resource as built from the claim's rows read one table at a time (products in order, documents with their times)", async () => {
		// The reference: the claim, its lines and its documents read by three queries and
		// shaped by toClaimView, as JSON goes over the wire.
		const reference = async (id: string) =>
			JSON.parse(JSON.stringify(await loadClaimView(t.ctx.db, id)));
		const listed = [
			...(await walk<ClaimView>(ana, `${API}/claims`)),
			...(await walk<ClaimView>(nora, `${API}/claims`)),
		];
		expect(ids(listed)).toEqual(ids([...all.values()]));
		for (const item of listed) expect(item).toEqual(await reference(item.id));
		const queueRes = await rita.get(`${API}/review-queue?limit=100`);
		expect(queueRes.statusCode, queueRes.body).toBe(200);
		const queue = (queueRes.json() as Page<{ claim: ClaimView }>).items;
		expect(queue.length).toBeGreaterThan(0);
		for (const item of queue)
			expect(item.claim).toEqual(await reference(item.claim.id));
		for (const claim of all.values()) {
			const res = await (claim.partnerOrganizationId === "fabrikam"
				? ana
				: nora
			).get(`${API}/claims/${claim.id}`);
			expect(res.statusCode, res.body).toBe(200);
			expect(res.json()).toEqual(await reference(claim.id));
		}
		// The comparison covered a claim with several products and one with several documents.
		const shapes = [...all.values()] as unknown as {
			products: unknown[];
			documents: unknown[];
		}[];
		expect(shapes.some((c) => c.products.length > 1)).toBe(true);
		expect(shapes.some((c) => c.documents.length > 1)).toBe(true);
	});

	it("R-DSH-1 a partner sees only its own organization's claims; a reviewer all organizations' non-draft claims", async () => {
		expect(ids(await walk(ana, `${API}/claims`))).toEqual(ids(fabrikam()));
		expect(ids(await walk(nora, `${API}/claims`))).toEqual(
			ids(
				[...all.values()].filter(
					(c) => c.partnerOrganizationId === "northwind",
				),
			),
		);
		const reviewer = await walk<ClaimView>(rita, `${API}/claims`);
		expect(ids(reviewer)).toEqual(ids(nonDraft()));
		expect(new Set(reviewer.map((c) => c.partnerOrganizationId))).toEqual(
			new Set(["fabrikam", "northwind"]),
		);
		expect(await walk(rita, `${API}/claims?status=draft`)).toEqual([]);
		// Drafts are left out of a reviewer's status list (answered without reading claims
		// when nothing else is asked for; at 1,000,000 claims that read took 5.8 s).
		expect(
			ids(await walk(rita, `${API}/claims?status=draft,submitted`)),
		).toEqual(ids(nonDraft().filter((c) => c.status === "submitted")));
		expect(
			(await rita.get(`${API}/claims?status=draft&format=csv`)).body
				.trim()
				.split("\n"),
		).toHaveLength(1);
	});

	it("R-DSH-1 filters: status (one or a comma list), solutionArea, activity, mpnId, tenantId, competing", async () => {
		const cases: [string, (c: ClaimView) => boolean][] = [
			["status=submitted", (c) => c.status === "submitted"],
			["status=draft", (c) => c.status === "draft"],
			[
				"status=under_review,partner_action_required",
				(c) => ["under_review", "partner_action_required"].includes(c.status),
			],
			[
				"status=approved,rejected",
				(c) => ["approved", "rejected"].includes(c.status),
			],
			[
				"solutionArea=business_applications",
				(c) => c.solutionArea === "business_applications",
			],
			["solutionArea=microsoft_365", (c) => c.solutionArea === "microsoft_365"],
			["activity=presales", (c) => c.activity === "presales"],
			["activity=usage", (c) => c.activity === "usage"],
			[
				`mpnId=${DEMO_IDS.mpnIds.fabrikamUnenrolled}`,
				(c) => c.mpnId === DEMO_IDS.mpnIds.fabrikamUnenrolled,
			],
			[
				`mpnId=${DEMO_IDS.mpnIds.fabrikamEnrolled}`,
				(c) => c.mpnId === DEMO_IDS.mpnIds.fabrikamEnrolled,
			],
			[
				`tenantId=${DEMO_IDS.tenants.contoso}`,
				(c) => c.customer.tenantId === DEMO_IDS.tenants.contoso,
			],
			[
				`tenantId=${DEMO_IDS.tenants.contoso.toUpperCase()}`,
				(c) => c.customer.tenantId === DEMO_IDS.tenants.contoso,
			],
			["competing=true", (c) => c.competing],
			["competing=false", (c) => !c.competing],
			[
				"status=submitted&competing=true",
				(c) => c.status === "submitted" && c.competing,
			],
		];
		for (const [query, pred] of cases) {
			const expected = fabrikam().filter(pred);
			const got = await walk(ana, `${API}/claims?${query}`, 50);
			expect(ids(got), `ana ${query}`).toEqual(ids(expected));
			if (!query.includes("status=draft"))
				expect(expected.length, query).toBeGreaterThan(0);
		}
		const reviewerCompeting = await walk<ClaimView>(
			rita,
			`${API}/claims?competing=true`,
			50,
		);
		expect(ids(reviewerCompeting)).toEqual(
			ids(nonDraft().filter((c) => c.competing)),
		);
		expect(
			new Set(reviewerCompeting.map((c) => c.partnerOrganizationId)).size,
		).toBe(2);
	});

	it("R-DSH-1 q searches the name, the tenant ID and the domain, each on its own", async () => {
		const byName = await walk<ClaimView>(ana, `${API}/claims?q=zePPelin`, 50);
		expect(ids(byName)).toEqual([zeppelin.id]);
		const tenantPart = zeppelin.customer.tenantId.slice(0, 13);
		expect(ids(await walk(ana, `${API}/claims?q=${tenantPart}`, 50))).toEqual(
			ids(fabrikam().filter((c) => c.customer.tenantId.includes(tenantPart))),
		);
		const domainPart = zeppelin.customer.domain.split(".")[0] as string;
		expect(domainPart.length).toBeGreaterThan(3);
		const byDomain = await walk<ClaimView>(
			ana,
			`${API}/claims?q=${encodeURIComponent(domainPart)}`,
			50,
		);
		expect(ids(byDomain)).toContain(zeppelin.id);
		for (const c of byDomain)
			expect(
				`${c.name} ${c.customer.tenantId} ${c.customer.domain}`.toLowerCase(),
			).toContain(domainPart.toLowerCase());
		// Text that runs from the name into the tenant ID is in no one field: no match.
		const across = `rollout ${zeppelin.customer.tenantId.slice(0, 4)}`;
		expect(
			await walk(ana, `${API}/claims?q=${encodeURIComponent(across)}`, 50),
		).toEqual([]);
		// The search texts join the fields with U+001F: a search text cannot hold it, nor
		// any other control character.
		for (const sep of ["\u001f", "\t", "\n"]) {
			const bad = `rollout${sep}${zeppelin.customer.tenantId.slice(0, 4)}`;
			for (const path of ["claims", "claims/counts"]) {
				const res = await ana.get(
					`${API}/${path}?q=${encodeURIComponent(bad)}`,
				);
				expect(res.statusCode, res.body).toBe(422);
				expect(res.json()).toMatchObject({
					code: "validation_failed",
					errors: [
						expect.objectContaining({
							path: "querystring.q",
							message: expect.stringContaining("control characters"),
						}),
					],
				});
			}
		}
		// Fewer than three letters make no trigram: still searched, in the list's order.
		const short = await walk<ClaimView>(ana, `${API}/claims?q=zE`, 50);
		expect(ids(short)).toContain(zeppelin.id);
		expect(ids(short)).toEqual(
			ids(
				fabrikam().filter((c) =>
					`${c.name}\n${c.customer.tenantId}\n${c.customer.domain}`
						.toLowerCase()
						.split("\n")
						.some((f) => f.includes("ze")),
				),
			),
		);
		// Wildcards are literal, and another organization's claims never match.
		expect(await walk(ana, `${API}/claims?q=%25`, 50)).toEqual([]);
		expect(await walk(ana, `${API}/claims?q=Northwind`, 50)).toEqual([]);
		expect(await walk(nora, `${API}/claims?q=zeppelin`, 50)).toEqual([]);
	});

	it("R-DSH-1 q finds a claim by its new name after an edit, and a deleted draft no more", async () => {
		const search = async (q: string) =>
			ids(await walk(ana, `${API}/claims?q=${encodeURIComponent(q)}`, 50));
		const res = await ana.post(
			`${API}/claims`,
			m365On((testDirectory().tenants?.length ?? 1) - 1, "Quokka pilot"),
		);
		expect(res.statusCode, res.body).toBe(201);
		const draft = res.json() as ClaimView;
		try {
			expect(await search("quokka")).toEqual([draft.id]);
			const renamed = await ana.patch(
				`${API}/claims/${draft.id}`,
				{ name: "Wombat pilot" },
				{ "if-match": `"${draft.version}"` },
			);
			expect(renamed.statusCode, renamed.body).toBe(200);
			expect(await search("quokka")).toEqual([]);
			expect(await search("wombat")).toEqual([draft.id]);
			// One or two letters (no trigram) read the search texts the same way.
			expect(await search("wO")).toContain(draft.id);
		} finally {
			const gone = await ana.del(`${API}/claims/${draft.id}`);
			expect(gone.statusCode, gone.body).toBe(204);
		}
		expect(await search("wombat")).toEqual([]);
		const [left] = (
			(await t.ctx.db.execute(
				sql`select count(*)::int as n from claim_search where claim_id = ${draft.id}`,
			)) as unknown as { rows: { n: number }[] }
		).rows;
		expect(left?.n).toBe(0);
	});

	it.each(["updatedAt", "-updatedAt", "dueAt", "-dueAt"] as const)(
		"R-DSH-1 sort=%s with limit=5 walks every claim exactly once, in order, ending with nextCursor null",
		async (sort) => {
			const got = await walk<ClaimView>(ana, `${API}/claims?sort=${sort}`, 5);
			expect(got.map((c) => c.id)).toEqual(
				sorted(fabrikam(), sort).map((c) => c.id),
			);
			const reviewer = await walk<ClaimView>(
				rita,
				`${API}/claims?sort=${sort}`,
				5,
			);
			expect(reviewer.map((c) => c.id)).toEqual(
				sorted(nonDraft(), sort).map((c) => c.id),
			);
			// Filters and cursors combine.
			const sub = await walk<ClaimView>(
				rita,
				`${API}/claims?sort=${sort}&status=submitted,under_review`,
				3,
			);
			expect(sub.map((c) => c.id)).toEqual(
				sorted(
					nonDraft().filter((c) =>
						["submitted", "under_review"].includes(c.status),
					),
					sort,
				).map((c) => c.id),
			);
		},
	);

	it("R-DSH-1 the default order is most recently updated first", async () => {
		const res = await ana.get(`${API}/claims?limit=500`);
		expect(res.statusCode).toBe(200);
		const page = res.json() as Page<ClaimView>;
		expect(page.nextCursor).toBeNull();
		expect(page.items.map((c) => c.id)).toEqual(
			sorted(fabrikam(), "-updatedAt").map((c) => c.id),
		);
	});

	it("R-DSH-1 a bad cursor, status or sort is refused with validation_failed", async () => {
		const forged = Buffer.from(
			JSON.stringify({ v: "yesterday", id: "x" }),
		).toString("base64url");
		for (const q of [
			"cursor=not-a-cursor",
			`cursor=${forged}`,
			`cursor=${Buffer.from("[1,2]").toString("base64url")}`,
			"status=bogus",
			"status=submitted,bogus",
			"status=submitted,",
			"sort=name",
			"limit=0",
			"competing=maybe",
		]) {
			const res = await ana.get(`${API}/claims?${q}`);
			expect([400, 422], `${q}: ${res.body}`).toContain(res.statusCode);
			expect(res.json().code, q).toBe("validation_failed");
		}
		// A cursor whose instant no page wrote, though PostgreSQL or JavaScript would read
		// it, is refused as a cursor (not as a database error, nor read as a date).
		for (const v of ["1", "Nov 22 2026", "2026-11-22 10:00:00"]) {
			const forgedDate = Buffer.from(JSON.stringify({ v, id: "x" })).toString(
				"base64url",
			);
			const res = await ana.get(`${API}/claims?cursor=${forgedDate}`);
			expect(res.statusCode, v).toBe(422);
			expect(res.json().errors, v).toEqual([
				expect.objectContaining({ path: "cursor", code: "invalid_cursor" }),
			]);
		}
		// A status given twice counts once.
		const ids = async (q: string) =>
			(
				(await ana.get(`${API}/claims?limit=500&${q}`)).json() as {
					items: { id: string }[];
				}
			).items.map((c) => c.id);
		const once = await ids("status=draft,submitted");
		expect(once.length).toBeGreaterThan(0);
		expect(await ids("status=draft,submitted,draft,submitted")).toEqual(once);
	});

	it("R-DSH-1 format=csv exports one row per claim with a header row", async () => {
		const res = await ana.get(`${API}/claims?format=csv`);
		expect(res.statusCode, res.body).toBe(200);
		expect(res.headers["content-type"]).toMatch(/^text\/csv/);
		expect(String(res.headers["content-disposition"])).toMatch(/^attachment/);
		const rows = parse(res.body, {
			columns: true,
			skip_empty_lines: true,
		}) as Record<string, string>[];
		const header = (parse(res.body, { to_line: 1 }) as string[][])[0];
		expect(header).toEqual(
			expect.arrayContaining([
				"id",
				"name",
				"status",
				"mpnId",
				"tenantId",
				"domain",
				"dueAt",
			]),
		);
		expect(rows).toHaveLength(fabrikam().length);
		expect(rows.map((r) => r.id).sort()).toEqual(ids(fabrikam()));
		for (const r of rows) {
			const c = all.get(r.id as string) as ClaimView;
			expect(r).toMatchObject({
				name: c.name,
				status: c.status,
				mpnId: c.mpnId,
				tenantId: c.customer.tenantId,
				domain: c.customer.domain,
			});
		}
		const drafts = await ana.get(
			`${API}/claims?format=csv&status=draft&sort=dueAt`,
		);
		const draftRows = parse(drafts.body, { columns: true }) as { id: string }[];
		expect(draftRows.map((r) => r.id).sort()).toEqual(
			ids(fabrikam().filter((c) => c.status === "draft")),
		);
		const reviewer = await rita.get(`${API}/claims?format=csv`);
		expect((parse(reviewer.body, { columns: true }) as unknown[]).length).toBe(
			nonDraft().length,
		);
	});

	it("R-DSH-1 the CSV export streams every claim page by page, in the list's order, and refuses a bad cursor before sending", async () => {
		const fabrikamPartner = partnerActor("fabrikam");
		const whole = await ana.get(`${API}/claims?format=csv&sort=dueAt`);
		expect(whole.statusCode, whole.body).toBe(200);
		// Pages of 3 claims: the same bytes as the export read in pages of 500, one chunk
		// per page after the header.
		const chunks: string[] = [];
		for await (const chunk of await claimsCsv(
			t.ctx,
			fabrikamPartner,
			{ sort: "dueAt" },
			3,
		))
			chunks.push(chunk);
		expect(chunks.join("")).toBe(whole.body);
		expect(chunks).toHaveLength(1 + Math.ceil(fabrikam().length / 3));
		const rows = parse(whole.body, { columns: true }) as { id: string }[];
		expect(rows.map((r) => r.id)).toEqual(
			sorted(fabrikam(), "dueAt").map((c) => c.id),
		);
		// Pages are read as the consumer asks for chunks: one that stops after the first
		// page causes no read after the one made before the export started.
		const counted = statementCountingContext(t);
		const partial = await claimsCsv(
			counted.ctx,
			fabrikamPartner,
			{ sort: "dueAt" },
			3,
		);
		const readsBefore = counted.statements.length;
		expect(readsBefore).toBeGreaterThan(0);
		const taken: string[] = [];
		for await (const chunk of partial) {
			taken.push(chunk);
			if (taken.length === 2) break;
		}
		expect(taken.join("")).toBe(chunks.slice(0, 2).join(""));
		expect(counted.statements).toHaveLength(readsBefore);
		// A bad cursor is a 422 problem, not a 200 with a broken body.
		const bad = await ana.get(`${API}/claims?format=csv&cursor=not-a-cursor`);
		expect(bad.statusCode, bad.body).toBe(422);
		expect(bad.json().code).toBe("validation_failed");
		expect(bad.headers["content-type"]).toMatch(/problem\+json/);
	});

	it("R-CRT-2 GET /mpn-ids lists the organization's own MPN IDs with programs and enrolled flags", async () => {
		const res = await ana.get(`${API}/mpn-ids`);
		expect(res.statusCode).toBe(200);
		const items = res.json().items as {
			mpnId: string;
			programs: string[];
			enrolled: boolean;
		}[];
		expect(items.map((i) => i.mpnId)).toEqual([
			DEMO_IDS.mpnIds.fabrikamEnrolled,
			DEMO_IDS.mpnIds.fabrikamUnenrolled,
		]);
		expect(items[0]?.enrolled).toBe(true);
		expect(items[0]?.programs.slice().sort()).toEqual([
			"osa_sell",
			"osu_bizapps",
			"osu_m365",
		]);
		expect(items[1]).toMatchObject({ enrolled: false, programs: [] });
		// The flow shows enrollment, not partner types.
		expect(JSON.stringify(items)).not.toContain("FRP FastTrack");
		const nw = (await nora.get(`${API}/mpn-ids`)).json().items;
		expect(nw.map((i: { mpnId: string }) => i.mpnId)).toEqual([
			DEMO_IDS.mpnIds.northwind,
		]);
	});

	it("R-DIR-4 GET /products?solutionArea= lists the catalog of one solution area", async () => {
		const catalog = testDirectory().products ?? [];
		for (const area of ["microsoft_365", "business_applications"] as const) {
			const res = await ana.get(`${API}/products?solutionArea=${area}`);
			expect(res.statusCode).toBe(200);
			const items = res.json().items as {
				productId: string;
				name: string;
				solutionArea: string;
			}[];
			const expected = catalog.filter((p) => p.solutionArea === area);
			expect(items.map((i) => i.productId).sort()).toEqual(
				expected.map((p) => p.productId).sort(),
			);
			for (const i of items) {
				expect(i.solutionArea).toBe(area);
				expect(i.name).toBe(
					expected.find((p) => p.productId === i.productId)?.name,
				);
			}
		}
		const teams = (
			await rita.get(`${API}/products?solutionArea=microsoft_365`)
		).json().items;
		expect(teams).toContainEqual(
			expect.objectContaining({
				productId: "microsoft-teams",
				name: "Microsoft Teams",
			}),
		);
		const everything = (await ana.get(`${API}/products`)).json().items;
		expect(everything).toHaveLength(catalog.length);
		expect(
			(await ana.get(`${API}/products?solutionArea=azure`)).statusCode,
		).toBe(422);
	});

	it("R-CRT-4 GET /activities lists exactly the allowed solution area and activity pairs", async () => {
		const res = await ana.get(`${API}/activities`);
		expect(res.statusCode).toBe(200);
		const pairs = (
			res.json().items as { solutionArea: string; activity: string }[]
		)
			.map((i) => `${i.solutionArea}/${i.activity}`)
			.sort();
		expect(pairs).toEqual(
			[
				"business_applications/presales",
				"business_applications/revenue_association",
				"business_applications/usage",
				"microsoft_365/usage",
			].sort(),
		);
	});

	it("R-TIME-2 the review queue: open work only, soonest due first, overdue once the SLA passed", async () => {
		const open = nonDraft().filter(
			(c) =>
				["submitted", "under_review"].includes(c.status) ||
				(c.status === "rejected" && c.dispute?.status === "open"),
		);
		type Item = {
			claim: ClaimView;
			sla: string;
			dueAt: string;
			overdue: boolean;
		};
		const queue = async (q = "") => {
			const items: Item[] = [];
			let cursor: string | null = null;
			do {
				const res = await rita.get(
					`${API}/review-queue?limit=4${q}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
				);
				expect(res.statusCode, res.body).toBe(200);
				const page = res.json() as Page<Item>;
				items.push(...page.items);
				cursor = page.nextCursor;
			} while (cursor);
			return items;
		};
		const items = await queue();
		expect(items.map((i) => i.claim.id).sort()).toEqual(ids(open));
		expect(new Set(items.map((i) => i.claim.id)).size).toBe(items.length);
		expect(items.some((i) => i.sla === "dispute_decision")).toBe(true);
		for (const i of items) {
			expect(i.dueAt).toEqual(expect.any(String));
			expect(i.overdue).toBe(false);
			expect(["submitted", "under_review", "rejected"]).toContain(
				i.claim.status,
			);
		}
		const due = items.map((i) => Date.parse(i.dueAt));
		expect(due).toEqual(due.slice().sort((a, b) => a - b));

		const reviewStart = await queue("&sla=review_start");
		expect(reviewStart.map((i) => i.claim.id).sort()).toEqual(
			ids(open.filter((c) => c.status === "submitted")),
		);
		for (const i of reviewStart) expect(i.sla).toBe("review_start");

		// R-TIME-2: 5 business days pass without a review start: shown as overdue.
		t.clock.advanceBy("P8D");
		const later = await queue("&sla=review_start");
		expect(later.map((i) => i.claim.id).sort()).toEqual(
			reviewStart.map((i) => i.claim.id).sort(),
		);
		expect(later.length).toBeGreaterThan(0);
		for (const i of later) expect(i.overdue, i.claim.name).toBe(true);
		const partner = await ana.get(`${API}/review-queue`);
		expect(partner.statusCode).toBe(403);
	});
});
