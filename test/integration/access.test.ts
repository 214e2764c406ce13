/**
 * Access control over every route of src/http/routes/*.ts (SPEC R-ACC-1, R-ROL-1..3,
 * R-HIS-1; API.md "Authentication" and "Conventions"): another organization gets 404,
 * a wrong role 403, nobody signed in 401; API tokens and CSRF.
 * Runs on PGlite; one representative case also on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postComment, recordHistory } from "../../src/claims/history.ts";
import {
	apiTokens,
	claimComments,
	claimDocuments,
	claimHistory,
	claims,
	users,
} from "../../src/db/schema.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DEMO_IDS,
	m365ClaimBody,
	PASSWORD,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

type UserKey = keyof typeof USERS;
type Claim = { id: string; version: number; status: string } & Record<
	string,
	unknown
>;

const API = "/api/v1";
const MISSING = "00000000-0000-4000-8000-000000000000";

/** An M365 usage claim on the n-th test tenant for one workload (distinct claims, R-CMP-1). */
function m365On(n: number, productId: string, name?: string) {
	const tenant = testDirectory().tenants?.[n];
	if (!tenant) throw new Error(`no test tenant #${n}`);
	return m365ClaimBody({
		name: name ?? `${tenant.name} ${productId}`,
		customer: { tenantId: tenant.tenantId, domain: tenant.domains[0] },
		products: [{ productId }],
	});
}

async function ok(
	res: Promise<{ statusCode: number; body: string; json: () => unknown }>,
	status: number,
	what: string,
) {
	const r = await res;
	expect(r.statusCode, `${what}: ${r.body}`).toBe(status);
	return r.json() as Claim;
}

async function createDraft(c: Client, body: unknown, withDoc = true) {
	const claim = await ok(c.post(`${API}/claims`, body), 201, "create");
	if (!withDoc) return claim;
	const up = await c.upload(
		`${API}/claims/${claim.id}/documents`,
		samplePdf(),
		"sow.pdf",
	);
	expect(up.statusCode, up.body).toBe(201);
	const j = up.json() as { claim: Claim; document: { id: string } };
	return { ...j.claim, docId: j.document.id };
}

async function act(c: Client, id: string, action: string, body: unknown = {}) {
	return ok(c.post(`${API}/claims/${id}/${action}`, body), 200, action);
}

/** The claims of the access fixture, each in the state its actions need. */
interface Fixture {
	draft: Claim;
	draftDocId: string;
	submitted: Claim;
	underReview: Claim;
	par: Claim;
	approvedContoso: Claim;
	approvedOther: Claim;
	rejected: Claim;
	disputed: Claim;
	tokenId: string;
}

/** One route of src/http/routes/*.ts, as a request on the fixture. */
interface RouteCase {
	/** `METHOD /api/v1/path/{param}` as in openapi.json. */
	name: string;
	url: (f: Fixture, claimId?: string) => string;
	body?: (f: Fixture) => unknown;
	upload?: true;
	headers?: Record<string, string>;
	/** No session needed (login, logout). */
	public?: true;
	/** Users whose role does not allow the route: 403 `forbidden` (R-ROL-1..3). */
	forbidden: UserKey[];
	/** The fabrikam claim the route acts on (for R-ACC-1), in the state the action needs. */
	claim?: (f: Fixture) => Claim;
}

const EVERYONE: UserKey[] = [
	"ana",
	"ivan",
	"bea",
	"daan",
	"nora",
	"rita",
	"rob",
	"carl",
	"paula",
];
const but = (...allowed: UserKey[]) =>
	EVERYONE.filter((u) => !allowed.includes(u));
const PARTNER_WRITERS: UserKey[] = ["ana", "ivan", "daan", "nora"];
const VIEWERS: UserKey[] = [...PARTNER_WRITERS, "bea", "rita", "rob"];
const REVIEWERS: UserKey[] = ["rita", "rob"];

const claimUrl =
	(suffix: string, pick: (f: Fixture) => Claim) => (f: Fixture, id?: string) =>
		`${API}/claims/${id ?? pick(f).id}${suffix}`;

const ROUTES: RouteCase[] = [
	{
		name: "POST /api/v1/auth/login",
		url: () => `${API}/auth/login`,
		body: () => ({ email: USERS.ana, password: PASSWORD }),
		public: true,
		forbidden: [],
	},
	{
		name: "POST /api/v1/auth/logout",
		url: () => `${API}/auth/logout`,
		public: true,
		forbidden: [],
	},
	{ name: "GET /api/v1/me", url: () => `${API}/me`, forbidden: [] },
	{
		name: "PATCH /api/v1/me",
		url: () => `${API}/me`,
		body: () => ({ locale: "en" }),
		forbidden: [],
	},
	{
		name: "POST /api/v1/api-tokens",
		url: () => `${API}/api-tokens`,
		body: () => ({ name: "refused" }),
		forbidden: but("ana", "daan", "nora", "paula"),
	},
	{
		name: "GET /api/v1/api-tokens",
		url: () => `${API}/api-tokens`,
		forbidden: but("ana", "daan", "nora", "paula"),
	},
	{
		name: "DELETE /api/v1/api-tokens/{id}",
		url: (f) => `${API}/api-tokens/${f.tokenId}`,
		forbidden: but("ana", "daan", "nora", "paula"),
	},
	{
		name: "POST /api/v1/claims",
		url: () => `${API}/claims`,
		body: () => m365On(20, "intune", "Refused claim"),
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "GET /api/v1/claims",
		url: () => `${API}/claims`,
		forbidden: but(...VIEWERS),
	},
	{
		name: "GET /api/v1/claims/{id}",
		url: claimUrl("", (f) => f.submitted),
		claim: (f) => f.submitted,
		forbidden: but(...VIEWERS),
	},
	{
		name: "PATCH /api/v1/claims/{id}",
		url: claimUrl("", (f) => f.submitted),
		body: () => ({ name: "Hijacked" }),
		headers: { "if-match": '"1"' },
		claim: (f) => f.submitted,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "DELETE /api/v1/claims/{id}",
		url: claimUrl("", (f) => f.draft),
		claim: (f) => f.draft,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "POST /api/v1/claims/{id}/documents",
		url: claimUrl("/documents", (f) => f.draft),
		upload: true,
		claim: (f) => f.draft,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "GET /api/v1/claims/{id}/documents/{documentId}",
		url: (f, id) =>
			`${API}/claims/${id ?? f.submitted.id}/documents/${docOf(f.submitted)}`,
		claim: (f) => f.submitted,
		forbidden: but(...VIEWERS),
	},
	{
		name: "DELETE /api/v1/claims/{id}/documents/{documentId}",
		url: (f, id) =>
			`${API}/claims/${id ?? f.draft.id}/documents/${f.draftDocId}`,
		claim: (f) => f.draft,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "GET /api/v1/claims/{id}/comments",
		url: claimUrl("/comments", (f) => f.submitted),
		claim: (f) => f.submitted,
		forbidden: but(...VIEWERS),
	},
	{
		name: "POST /api/v1/claims/{id}/comments",
		url: claimUrl("/comments", (f) => f.submitted),
		body: () => ({ body: "Refused comment" }),
		claim: (f) => f.submitted,
		forbidden: but(...PARTNER_WRITERS, ...REVIEWERS),
	},
	{
		name: "GET /api/v1/claims/{id}/history",
		url: claimUrl("/history", (f) => f.submitted),
		claim: (f) => f.submitted,
		forbidden: but(...VIEWERS),
	},
	{
		name: "GET /api/v1/claims/{id}/directory-check",
		url: claimUrl("/directory-check", (f) => f.submitted),
		claim: (f) => f.submitted,
		forbidden: but(...VIEWERS),
	},
	{
		name: "POST /api/v1/claims/{id}/submit",
		url: claimUrl("/submit", (f) => f.draft),
		claim: (f) => f.draft,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "POST /api/v1/claims/{id}/resubmit",
		url: claimUrl("/resubmit", (f) => f.par),
		body: () => ({ comment: "Refused resubmit" }),
		claim: (f) => f.par,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "POST /api/v1/claims/{id}/withdraw",
		url: claimUrl("/withdraw", (f) => f.submitted),
		body: () => ({ comment: "Refused withdrawal" }),
		claim: (f) => f.submitted,
		// R-ROL-1: only admins request rejection.
		forbidden: but("ana", "daan", "nora"),
	},
	{
		name: "POST /api/v1/claims/{id}/dispute",
		url: claimUrl("/dispute", (f) => f.rejected),
		body: () => ({ justification: "Refused dispute" }),
		claim: (f) => f.rejected,
		forbidden: but(...PARTNER_WRITERS),
	},
	{
		name: "POST /api/v1/claims/{id}/start-review",
		url: claimUrl("/start-review", (f) => f.submitted),
		claim: (f) => f.submitted,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "POST /api/v1/claims/{id}/request-information",
		url: claimUrl("/request-information", (f) => f.underReview),
		body: () => ({ reasons: ["missing_all_poe"], comment: "Refused" }),
		claim: (f) => f.underReview,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "POST /api/v1/claims/{id}/approve",
		url: claimUrl("/approve", (f) => f.underReview),
		claim: (f) => f.underReview,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "POST /api/v1/claims/{id}/reject",
		url: claimUrl("/reject", (f) => f.underReview),
		body: () => ({ reason: "insufficient_poe", comment: "Refused" }),
		claim: (f) => f.underReview,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "POST /api/v1/claims/{id}/dispute-decision",
		url: claimUrl("/dispute-decision", (f) => f.disputed),
		body: () => ({ decision: "uphold", comment: "Refused" }),
		claim: (f) => f.disputed,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "GET /api/v1/claims/{id}/competing",
		url: claimUrl("/competing", (f) => f.submitted),
		claim: (f) => f.submitted,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "GET /api/v1/review-queue",
		url: () => `${API}/review-queue`,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "GET /api/v1/mpn-ids",
		url: () => `${API}/mpn-ids`,
		forbidden: but("ana", "ivan", "bea", "daan", "nora"),
	},
	{
		name: "PATCH /api/v1/mpn-ids/{mpnId}",
		url: () => `${API}/mpn-ids/${DEMO_IDS.mpnIds.fabrikamUnenrolled}`,
		body: () => ({ inUse: true }),
		forbidden: but("ana", "daan", "nora"),
	},
	{
		name: "GET /api/v1/products",
		url: () => `${API}/products`,
		forbidden: [],
	},
	{
		name: "GET /api/v1/partners",
		url: () => `${API}/partners?ids=fabrikam`,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "GET /api/v1/activities",
		url: () => `${API}/activities`,
		forbidden: [],
	},
	{
		name: "GET /api/v1/poe-template",
		url: () => `${API}/poe-template`,
		forbidden: [],
	},
	{
		name: "POST /api/v1/admin/directory/import",
		url: () => `${API}/admin/directory/import`,
		body: () => ({ products: [] }),
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/admin/calendar",
		url: () => `${API}/admin/calendar`,
		forbidden: but("paula"),
	},
	{
		name: "PUT /api/v1/admin/calendar",
		url: () => `${API}/admin/calendar`,
		body: () => ({ timeZone: "UTC", holidays: null }),
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/admin/calendar/choices",
		url: () => `${API}/admin/calendar/choices`,
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/admin/directory/tenants",
		url: () => `${API}/admin/directory/tenants`,
		forbidden: but("paula", ...REVIEWERS),
	},
	{
		name: "GET /api/v1/admin/directory/partners",
		url: () => `${API}/admin/directory/partners`,
		forbidden: but("paula", ...REVIEWERS),
	},
	{
		name: "GET /api/v1/admin/directory/users",
		url: () => `${API}/admin/directory/users`,
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/admin/clock",
		url: () => `${API}/admin/clock`,
		forbidden: but("paula"),
	},
	{
		name: "POST /api/v1/admin/clock",
		url: () => `${API}/admin/clock`,
		body: () => ({ advanceBy: "PT1M" }),
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/claims/counts",
		url: () => `${API}/claims/counts`,
		forbidden: but(...VIEWERS),
	},
	{
		name: "GET /api/v1/reports/sla",
		url: () => `${API}/reports/sla`,
		forbidden: but(...REVIEWERS),
	},
	{
		name: "GET /api/v1/reports/earnings",
		url: () => `${API}/reports/earnings`,
		forbidden: but("ana", "bea", "daan", "nora"),
	},
	{
		name: "GET /api/v1/reports/usage",
		url: () => `${API}/reports/usage`,
		forbidden: but("ana", "ivan", "bea", "daan", "nora"),
	},
	{
		name: "GET /api/v1/reports/usage/customers",
		url: () => `${API}/reports/usage/customers`,
		forbidden: but("ana", "ivan", "bea", "daan", "nora"),
	},
	{
		name: "POST /api/v1/webhooks",
		url: () => `${API}/webhooks`,
		body: () => ({ url: "https://crm.example/hooks" }),
		forbidden: but("ana", "daan", "nora"),
	},
	{
		name: "GET /api/v1/webhooks",
		url: () => `${API}/webhooks`,
		forbidden: but("ana", "daan", "nora"),
	},
	{
		name: "DELETE /api/v1/webhooks/{id}",
		url: () => `${API}/webhooks/no-such-webhook`,
		forbidden: but("ana", "daan", "nora"),
	},
	{
		name: "GET /api/v1/admin/mailbox",
		url: () => `${API}/admin/mailbox`,
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/admin/mailbox/{id}",
		url: () => `${API}/admin/mailbox/999999`,
		forbidden: but("paula"),
	},
	{
		name: "GET /api/v1/customer/associations",
		url: () => `${API}/customer/associations`,
		forbidden: but("carl"),
	},
	{
		name: "POST /api/v1/customer/associations/{claimId}/opt-out",
		url: (f, id) =>
			`${API}/customer/associations/${id ?? f.approvedContoso.id}/opt-out`,
		body: () => ({ comment: "Refused opt-out" }),
		claim: (f) => f.approvedContoso,
		forbidden: but("carl"),
	},
];

function docOf(c: Claim): string {
	const docs = c.documents as { id: string }[];
	if (!docs[0]) throw new Error(`claim ${c.id} has no document`);
	return docs[0].id;
}

function send(c: Client, r: RouteCase, f: Fixture, claimId?: string) {
	const [method] = r.name.split(" ") as [string];
	const url = r.url(f, claimId);
	if (r.upload)
		return c.upload(url, samplePdf("refused"), "poe.pdf", r.headers);
	return c.request(method, url, { body: r.body?.(f), headers: r.headers });
}

describe("R-ACC-1 access control over every route (pglite)", () => {
	let t: TestApp;
	let f: Fixture;
	const as = {} as Record<UserKey, Client>;

	/** Everything that a refused request must leave alone. */
	async function fingerprint() {
		const db = t.ctx.db;
		const rows = await db
			.select({ id: claims.id, v: claims.version, s: claims.status })
			.from(claims)
			.orderBy(claims.id);
		return {
			claims: rows,
			documents: await db.$count(claimDocuments),
			comments: await db.$count(claimComments),
			history: await db.$count(claimHistory),
			tokens: await db.$count(apiTokens),
			users: await db.$count(users),
		};
	}

	beforeAll(async () => {
		t = await startTestApp("pglite");
		for (const u of EVERYONE) as[u] = await t.login(USERS[u]);
		const { ana, rita } = as;
		const draft = await createDraft(ana, m365ClaimBody());
		const submit = async (n: number, p = "microsoft-teams") => {
			const d = await createDraft(ana, m365On(n, p));
			return act(ana, d.id, "submit");
		};
		const review = async (n: number, p?: string) =>
			act(rita, (await submit(n, p)).id, "start-review");
		const submitted = await submit(2);
		const underReview = await review(3);
		const par = await act(rita, (await review(4)).id, "request-information", {
			reasons: ["missing_products"],
			comment: "Please name the workload in the PoE.",
		});
		const approvedContoso = await act(
			rita,
			(await review(0, "exchange-online")).id,
			"approve",
		);
		const approvedOther = await act(
			rita,
			(await review(1, "exchange-online")).id,
			"approve",
		);
		const reject = async (n: number) =>
			act(rita, (await review(n)).id, "reject", {
				reason: "insufficient_poe",
				comment: "The PoE does not show the work.",
			});
		const rejected = await reject(5);
		const disputed = await act(ana, (await reject(6)).id, "dispute", {
			justification: "The SOW is signed on page 2.",
		});
		await ok(
			ana.post(`${API}/claims/${submitted.id}/comments`, {
				body: "Hello reviewer",
			}),
			201,
			"comment",
		);
		const token = await ok(
			as.ana.post(`${API}/api-tokens`, { name: "fixture" }),
			201,
			"token",
		);
		f = {
			draft,
			draftDocId: (draft as unknown as { docId: string }).docId,
			submitted,
			underReview,
			par,
			approvedContoso,
			approvedOther,
			rejected,
			disputed,
			tokenId: token.id,
		};
	});
	afterAll(async () => t?.close());

	it("R-ACC-1 the route table covers every route of the API (openapi.json)", async () => {
		const res = await as.ana.get(`${API}/openapi.json`);
		expect(res.statusCode).toBe(200);
		const paths = res.json().paths as Record<string, Record<string, unknown>>;
		const served = Object.entries(paths)
			.filter(([p]) => p.startsWith(API))
			.flatMap(([p, ops]) =>
				Object.keys(ops)
					.filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
					.map((m) => `${m.toUpperCase()} ${p}`),
			);
		const table = ROUTES.map((r) => r.name);
		expect(
			served.filter((s) => !table.includes(s)),
			"routes without an access rule in access.test.ts",
		).toEqual([]);
		expect(table.filter((s) => !served.includes(s))).toEqual([]);
	});

	describe("R-ACC-1 another organization's partner gets 404, never 403", () => {
		const crossOrg = ROUTES.filter(
			(r) => r.claim && !r.forbidden.includes("nora"),
		);
		it.each(crossOrg.map((r) => [r.name, r] as const))(
			"R-ACC-1 nora on fabrikam's claim: %s → 404 not_found, nothing changed",
			async (_name, r) => {
				const before = await fingerprint();
				const res = await send(as.nora, r, f);
				expect(res.statusCode, res.body).toBe(404);
				expect(res.json().code).toBe("not_found");
				expect(await fingerprint()).toEqual(before);
			},
		);

		it.each(ROUTES.filter((r) => r.claim).map((r) => [r.name, r] as const))(
			"R-ACC-1 %s answers nora the same for fabrikam's claim as for a missing one (no existence leak)",
			async (_name, r) => {
				const real = await send(as.nora, r, f);
				const missing = await send(as.nora, r, f, MISSING);
				expect(real.statusCode, real.body).not.toBe(200);
				expect([real.statusCode, real.json().code]).toEqual([
					missing.statusCode,
					missing.json().code,
				]);
			},
		);

		it("R-ACC-1 nora's claim list and search show none of fabrikam's claims", async () => {
			for (const q of [
				"",
				"?q=contoso",
				`?tenantId=${DEMO_IDS.tenants.contoso}`,
				"?status=submitted,under_review,approved,rejected,draft",
			]) {
				const res = await as.nora.get(`${API}/claims${q}`);
				expect(res.statusCode).toBe(200);
				for (const c of res.json().items)
					expect(c.partnerOrganizationId).toBe("northwind");
			}
			const csv = await as.nora.get(`${API}/claims?format=csv`);
			expect(csv.statusCode).toBe(200);
			expect(csv.body).not.toContain(f.submitted.id);
		});

		it("R-ROL-2 a reviewer reads partner organizations' names by ID: unknown IDs left out, a bad list refused", async () => {
			const res = await as.rita.get(
				`${API}/partners?ids=northwind,fabrikam,nobody,fabrikam`,
			);
			expect(res.statusCode, res.body).toBe(200);
			expect(res.json().items).toEqual([
				{ organizationId: "fabrikam", name: "Fabrikam Consulting" },
				{ organizationId: "northwind", name: "Northwind Traders Advisory" },
			]);
			const tooMany = Array.from({ length: 201 }, (_, i) => `org-${i}`);
			for (const ids of ["", ",", tooMany.join(",")]) {
				const bad = await as.rita.get(`${API}/partners?ids=${ids}`);
				expect(bad.statusCode, bad.body).toBe(422);
				expect(bad.json().code).toBe("validation_failed");
			}
			const missing = await as.rita.get(`${API}/partners`);
			expect(missing.statusCode).toBe(422);
		});

		it("R-ACC-1 a reviewer does not see a partner's draft, its documents or comments", async () => {
			for (const url of [
				`${API}/claims/${f.draft.id}`,
				`${API}/claims/${f.draft.id}/documents/${f.draftDocId}`,
				`${API}/claims/${f.draft.id}/comments`,
				`${API}/claims/${f.draft.id}/history`,
			]) {
				const res = await as.rita.get(url);
				expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
				expect(res.json().code).toBe("not_found");
			}
			const before = await fingerprint();
			const post = await as.rita.post(`${API}/claims/${f.draft.id}/comments`, {
				body: "Peeking",
			});
			expect(post.statusCode, post.body).toBe(404);
			expect(await fingerprint()).toEqual(before);
		});
	});

	describe("R-ROL-1/2/3 a wrong role gets 403", () => {
		it.each(
			ROUTES.filter((r) => r.forbidden.length).map(
				(r) => [r.name, r.forbidden.join(", "), r] as const,
			),
		)(
			"R-ROL-1/2/3 %s refuses %s with 403 forbidden, nothing changed",
			async (_name, _users, r) => {
				const before = await fingerprint();
				for (const u of r.forbidden) {
					const res = await send(as[u], r, f);
					expect(res.statusCode, `${u}: ${res.body}`).toBe(403);
					expect(res.json().code, u).toBe("forbidden");
				}
				expect(await fingerprint()).toEqual(before);
			},
		);

		it("R-ROL-1 the billing admin views claims, documents, comments and history", async () => {
			const { bea } = as;
			const list = await bea.get(`${API}/claims`);
			expect(list.statusCode).toBe(200);
			expect(list.json().items.map((c: Claim) => c.id)).toContain(
				f.submitted.id,
			);
			for (const url of [
				`${API}/claims/${f.submitted.id}`,
				`${API}/claims/${f.submitted.id}/comments`,
				`${API}/claims/${f.submitted.id}/history`,
				`${API}/claims/${f.submitted.id}/documents/${docOf(f.submitted)}`,
				`${API}/mpn-ids`,
			]) {
				const res = await bea.get(url);
				expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
			}
		});

		it("R-ROL-3 the customer admin sees only its own tenant's associations", async () => {
			const res = await as.carl.get(`${API}/customer/associations`);
			expect(res.statusCode, res.body).toBe(200);
			const ids = res.json().items.map((a: { claimId: string }) => a.claimId);
			expect(ids).toContain(f.approvedContoso.id);
			expect(ids).not.toContain(f.approvedOther.id);
			const claimsRes = await as.carl.get(`${API}/claims`);
			expect(claimsRes.statusCode).toBe(403);
			// Another tenant's association: not visible, so 404, and nothing changes.
			const before = await fingerprint();
			const other = await as.carl.post(
				`${API}/customer/associations/${f.approvedOther.id}/opt-out`,
				{},
			);
			expect(other.statusCode, other.body).toBe(404);
			expect(other.json().code).toBe("not_found");
			expect(await fingerprint()).toEqual(before);
		});
	});

	describe("R-ACC-1 unauthenticated requests", () => {
		it.each(ROUTES.filter((r) => !r.public).map((r) => [r.name, r] as const))(
			"R-ACC-1 %s without a session → 401 unauthenticated",
			async (_name, r) => {
				const before = await fingerprint();
				const res = await send(t.anonymous(), r, f);
				expect(res.statusCode, res.body).toBe(401);
				expect(res.json().code).toBe("unauthenticated");
				expect(res.headers["content-type"]).toContain(
					"application/problem+json",
				);
				expect(await fingerprint()).toEqual(before);
			},
		);

		it("R-ACC-1 a forged session cookie is not a session", async () => {
			const res = await t.anonymous().request("GET", `${API}/claims`, {
				headers: { cookie: "cpor_session=cps_forged" },
			});
			expect(res.statusCode).toBe(401);
		});

		it("R-ACC-1 login, logout, openapi, docs and healthz need no session", async () => {
			const anon = t.anonymous();
			expect((await anon.get("/healthz")).statusCode).toBe(200);
			expect((await anon.get(`${API}/openapi.json`)).statusCode).toBe(200);
			expect([200, 302]).toContain((await anon.get("/api/docs")).statusCode);
			const login = await anon.post(`${API}/auth/login`, {
				email: USERS.ivan,
				password: PASSWORD,
			});
			expect(login.statusCode).toBe(200);
			expect(login.json().csrfToken).toEqual(expect.any(String));
			expect((await anon.post(`${API}/auth/logout`)).statusCode).toBe(204);
			const wrong = await anon.post(`${API}/auth/login`, {
				email: USERS.ivan,
				password: "not-the-password",
			});
			expect(wrong.statusCode).toBe(401);
		});
	});

	describe("API.md Authentication: API tokens", () => {
		const bearer = (token: string): Client => {
			const c = t.anonymous();
			return {
				...c,
				request: (m, u, o = {}) =>
					c.request(m, u, {
						...o,
						headers: { authorization: `Bearer ${token}`, ...o.headers },
					}),
				get: (u) =>
					c.request("GET", u, {
						headers: { authorization: `Bearer ${token}` },
					}),
				post: (u, body) =>
					c.request("POST", u, {
						body: body ?? {},
						headers: { authorization: `Bearer ${token}` },
					}),
			};
		};

		it("R-ROL-1 a token is shown once, listed without its secret, works without CSRF, and stops working when revoked", async () => {
			const created = await as.ana.post(`${API}/api-tokens`, { name: "CRM" });
			expect(created.statusCode, created.body).toBe(201);
			const { token, id, roles } = created.json();
			expect(token).toEqual(expect.any(String));
			expect(token.length).toBeGreaterThan(30);
			expect(roles).toEqual(["global_admin"]);

			const list = await as.ana.get(`${API}/api-tokens`);
			expect(list.statusCode).toBe(200);
			expect(list.body).not.toContain(token);
			const listed = list.json().items.find((i: { id: string }) => i.id === id);
			expect(listed).toMatchObject({
				id,
				name: "CRM",
				roles: ["global_admin"],
			});
			expect(listed).not.toHaveProperty("token");
			expect(JSON.stringify(list.json())).not.toMatch(/tokenHash|secret/i);

			const twice = await as.ana.post(`${API}/api-tokens`, {
				name: "roles twice",
				roles: ["global_admin", "global_admin"],
			});
			expect(twice.statusCode, twice.body).toBe(201);
			expect(twice.json().roles).toEqual(["global_admin"]);
			const api = bearer(token);
			// The scheme's name in any case (RFC 9110).
			for (const scheme of ["bearer", "BEARER"])
				expect(
					(
						await t.anonymous().request("GET", `${API}/me`, {
							headers: { authorization: `${scheme} ${token}` },
						})
					).statusCode,
				).toBe(200);
			const claimsRes = await api.get(`${API}/claims`);
			expect(claimsRes.statusCode, claimsRes.body).toBe(200);
			const ids = claimsRes.json().items.map((c: Claim) => c.id);
			expect(ids).toContain(f.submitted.id);
			expect(
				claimsRes
					.json()
					.items.every((c: Claim) => c.partnerOrganizationId === "fabrikam"),
			).toBe(true);
			const made = await api.post(`${API}/claims`, m365On(21, "intune"));
			expect(made.statusCode, made.body).toBe(201);
			expect(made.json().partnerOrganizationId).toBe("fabrikam");

			// Another organization cannot revoke it (404), its owner can.
			expect((await as.nora.del(`${API}/api-tokens/${id}`)).statusCode).toBe(
				404,
			);
			expect((await as.ana.del(`${API}/api-tokens/${id}`)).statusCode).toBe(
				204,
			);
			const after = await api.get(`${API}/claims`);
			expect(after.statusCode).toBe(401);
			expect(after.json().code).toBe("unauthenticated");
			expect(
				(await bearer("cpor_not-a-token").get(`${API}/me`)).statusCode,
			).toBe(401);
		});

		it("R-ROL-1 a token carries a subset of its creator's roles, never more", async () => {
			const gina = "gina.multi@fabrikam.example";
			const imp = await as.paula.post(`${API}/admin/directory/import`, {
				users: [
					{
						email: gina,
						name: "Gina Multi",
						password: PASSWORD,
						organizationId: "fabrikam",
						roles: ["global_admin", "billing_admin"],
					},
				],
			});
			expect(imp.statusCode, imp.body).toBe(200);
			const g = await t.login(gina);
			const billing = await g.post(`${API}/api-tokens`, {
				name: "reports",
				roles: ["billing_admin"],
			});
			expect(billing.statusCode, billing.body).toBe(201);
			const api = bearer(billing.json().token);
			expect((await api.get(`${API}/claims`)).statusCode).toBe(200);
			const before = await fingerprint();
			const create = await api.post(`${API}/claims`, m365On(22, "intune"));
			expect(create.statusCode, create.body).toBe(403);
			expect(create.json().code).toBe("forbidden");
			expect(await fingerprint()).toEqual(before);

			// Roles the creator lacks are refused.
			for (const roles of [
				["billing_admin"],
				["reviewer"],
				["platform_admin"],
			]) {
				const res = await as.ana.post(`${API}/api-tokens`, {
					name: "too much",
					roles,
				});
				expect(res.statusCode, res.body).toBe(403);
			}
			expect(await fingerprint()).toEqual(before);
			// An incentives admin gets a token with its own role.
			const daan = await as.daan.post(`${API}/api-tokens`, {
				name: "daan",
				roles: ["incentives_admin"],
			});
			expect(daan.statusCode, daan.body).toBe(201);
		});
	});

	describe("API.md Authentication: CSRF on cookie sessions", () => {
		it("R-ACC-1 a cookie session write without or with a wrong X-CSRF-Token → 403, nothing changed", async () => {
			const login = await t.app.inject({
				method: "POST",
				url: `${API}/auth/login`,
				payload: { email: USERS.ivan, password: PASSWORD },
			});
			const setCookie = login.headers["set-cookie"];
			const cookie = String(
				Array.isArray(setCookie) ? setCookie[0] : setCookie,
			).split(";")[0] as string;
			const csrf = login.json().csrfToken as string;
			const post = (headers: Record<string, string>) =>
				t.app.inject({
					method: "POST",
					url: `${API}/claims`,
					headers: { cookie, "content-type": "application/json", ...headers },
					payload: JSON.stringify(m365On(23, "intune")),
				});
			const before = await fingerprint();
			for (const headers of [
				{} as Record<string, string>,
				{ "x-csrf-token": "wrong" },
				{ "x-csrf-token": "" },
			]) {
				const res = await post(headers);
				expect(res.statusCode, res.body).toBe(403);
				expect(["csrf_failed", "forbidden"]).toContain(res.json().code);
			}
			expect(await fingerprint()).toEqual(before);
			// Reads need no token; /me returns it; with it the write works.
			const me = await t.app.inject({
				method: "GET",
				url: `${API}/me`,
				headers: { cookie },
			});
			expect(me.statusCode).toBe(200);
			expect(me.json().csrfToken).toBe(csrf);
			const good = await post({ "x-csrf-token": csrf });
			expect(good.statusCode, good.body).toBe(201);
		});
	});

	describe("R-ROL-1 withdrawal is for partner admins", () => {
		it("R-ROL-1 the incentives user cannot withdraw; the global and incentives admins can", async () => {
			const one = await act(
				as.ivan,
				(await createDraft(as.ivan, m365On(24, "intune"))).id,
				"submit",
			);
			const two = await act(
				as.ivan,
				(await createDraft(as.ivan, m365On(25, "intune"))).id,
				"submit",
			);
			const refused = await as.ivan.post(
				`${API}/claims/${one.id}/withdraw`,
				{},
			);
			expect(refused.statusCode).toBe(403);
			expect(refused.json().code).toBe("forbidden");
			const byAna = await act(as.ana, one.id, "withdraw", {
				comment: "Duplicate",
			});
			expect(byAna.status).toBe("rejected");
			expect(byAna.rejection).toMatchObject({ reason: "partner_request" });
			const byDaan = await act(as.daan, two.id, "withdraw");
			expect(byDaan.status).toBe("rejected");
		});
	});

	describe("R-HIS-1 history and comments per perspective", () => {
		it("R-HIS-1 partners see the history and thread without the reviewer's internal notes", async () => {
			const id = f.par.id;
			const partnerBefore = (
				await as.ana.get(`${API}/claims/${id}/history`)
			).json().items as { action: string; actorRole: string; at: string }[];
			const reviewerBefore = (
				await as.rita.get(`${API}/claims/${id}/history`)
			).json().items;
			// Nothing internal yet: both see the same entries, each with actor, role, time.
			expect(partnerBefore).toEqual(reviewerBefore);
			expect(partnerBefore.map((e) => e.action)).toEqual(
				expect.arrayContaining([
					"submit",
					"start_review",
					"request_information",
				]),
			);
			for (const e of partnerBefore) {
				expect(e).toMatchObject({
					actorName: expect.any(String),
					actorRole: expect.any(String),
					at: expect.any(String),
				});
				expect(e).toHaveProperty("before");
				expect(e).toHaveProperty("after");
			}
			const submitEntry = partnerBefore.find((e) => e.action === "submit");
			expect(submitEntry?.actorRole).toBe("global_admin");

			// A reviewer's internal note (history and thread) stays with reviewers.
			const reviewer = {
				userId: null,
				name: "Rita Okafor",
				roles: ["reviewer" as const],
				kind: "reviewer" as const,
			};
			await t.ctx.db.transaction(async (tx) => {
				const at = t.clock.now();
				await postComment(tx, {
					claimId: id,
					actor: reviewer,
					at,
					body: "INTERNAL: check the signature with legal",
					internal: true,
				});
				await recordHistory(tx, {
					claimId: id,
					actor: reviewer,
					at,
					action: "internal_note",
					before: null,
					after: { note: "INTERNAL" },
					internal: true,
				});
			});
			const partnerHistory = await as.ana.get(`${API}/claims/${id}/history`);
			expect(partnerHistory.json().items).toEqual(partnerBefore);
			const reviewerHistory = (
				await as.rita.get(`${API}/claims/${id}/history`)
			).json().items;
			expect(reviewerHistory).toHaveLength(partnerBefore.length + 1);
			const partnerThread = await as.ana.get(`${API}/claims/${id}/comments`);
			expect(partnerThread.body).not.toContain("INTERNAL");
			const reviewerThread = await as.rita.get(`${API}/claims/${id}/comments`);
			expect(reviewerThread.body).toContain("INTERNAL");
			expect(reviewerThread.json().items.length).toBe(
				partnerThread.json().items.length + 1,
			);
		});
	});
});

describe("R-ACC-1 another organization gets 404 (postgres)", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("postgres");
	});
	afterAll(async () => t?.close());

	it("R-ACC-1 nora cannot read, edit, comment on or download fabrikam's claim on PostgreSQL", async () => {
		const ana = await t.login(USERS.ana);
		const nora = await t.login(USERS.nora);
		const rita = await t.login(USERS.rita);
		const draft = await createDraft(ana, m365ClaimBody());
		const claim = await act(ana, draft.id, "submit");
		const docId = docOf(claim);
		const base = `${API}/claims/${claim.id}`;
		const attempts = [
			nora.get(base),
			nora.get(`${base}/documents/${docId}`),
			nora.get(`${base}/comments`),
			nora.get(`${base}/history`),
			nora.patch(base, { name: "Hijacked" }, { "if-match": '"2"' }),
			nora.post(`${base}/comments`, { body: "Hi" }),
			nora.post(`${base}/withdraw`, {}),
		];
		for (const res of await Promise.all(attempts)) {
			expect(res.statusCode, res.body).toBe(404);
			expect(res.json().code).toBe("not_found");
		}
		const after = await ana.get(base);
		expect(after.json()).toMatchObject({
			version: claim.version,
			status: "submitted",
			name: claim.name,
		});
		expect((await rita.get(base)).statusCode).toBe(200);
		const thread = (await ana.get(`${base}/comments`)).json().items;
		expect(JSON.stringify(thread)).not.toContain("Hi");
	});
});
