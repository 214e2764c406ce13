/**
 * The directory as the platform admin and reviewers look it up (SPEC R-DIR-6 "loaded and
 * maintained by an admin", R-ROL-2): `GET /admin/directory/tenants` and `/partners`, on
 * both databases: name order a page at a time, found by a name's first letters or an
 * exact ID, each with what the directory holds of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/demo/generate-directory.ts";
import { importDirectory } from "../../src/directory/import-directory.ts";
import {
	type Client,
	DB_KINDS,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

type Page<T> = { items: T[]; nextCursor: string | null };
type Tenant = {
	tenantId: string;
	name: string;
	domains: string[];
	subscriptions: {
		subscriptionId: string;
		productName: string | null;
		status: string;
	}[];
};
type User = {
	id: string;
	email: string;
	name: string;
	roles: string[];
	organizationId: string | null;
	organizationName: string | null;
	tenantId: string | null;
	tenantName: string | null;
	locale: string;
};
type Partner = {
	organizationId: string;
	name: string;
	mpnIds: { mpnId: string; programs: string[]; inUse: boolean }[];
};

describe.each(DB_KINDS)("R-DIR-6 the directory, looked up (%s)", (kind) => {
	let t: TestApp;
	let paula: Client;
	beforeAll(async () => {
		t = await startTestApp(kind);
		paula = await t.login(USERS.paula);
	});
	afterAll(async () => {
		await t?.close();
	});
	const tenants = async (query: string) => {
		const res = await paula.get(`${API}/admin/directory/tenants${query}`);
		expect(res.statusCode, res.body).toBe(200);
		return res.json() as Page<Tenant>;
	};
	const partners = async (query: string) => {
		const res = await paula.get(`${API}/admin/directory/partners${query}`);
		expect(res.statusCode, res.body).toBe(200);
		return res.json() as Page<Partner>;
	};

	it("R-DIR-6 lists every tenant by name, a page at a time, without a gap or a repeat", async () => {
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page: Page<Tenant> = await tenants(
				`?limit=7${cursor ? `&cursor=${cursor}` : ""}`,
			);
			expect(page.items.length).toBeLessThanOrEqual(7);
			seen.push(...page.items.map((x) => x.name));
			cursor = page.nextCursor;
		} while (cursor);
		expect(seen.length).toBeGreaterThan(20);
		expect(new Set(seen).size).toBe(seen.length);
		const lower = seen.map((n) => n.toLowerCase());
		expect(lower).toEqual(
			[...lower].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
		);
	});

	it("R-DIR-6 a page that ends on a long name (200 letters, not ASCII) leads on to the next", async () => {
		const name = `Österreich ${"ö".repeat(189)}`;
		await importDirectory(t.ctx.db, {
			tenants: [
				{
					tenantId: "0e0e0e0e-0000-4000-8000-00000000000e",
					name,
					domains: ["oesterreich.onmicrosoft.com"],
				},
				{
					tenantId: "0e0e0e0e-0000-4000-8000-00000000000f",
					name: `${name.slice(0, 199)}z`,
					domains: ["oesterreich2.onmicrosoft.com"],
				},
			],
		});
		const first = await tenants("?q=%C3%96sterreich&limit=1");
		expect(first.nextCursor?.length ?? 0).toBeGreaterThan(200);
		const next = await tenants(
			`?q=%C3%96sterreich&limit=1&cursor=${first.nextCursor}`,
		);
		expect([...first.items, ...next.items].map((x) => x.name).sort()).toEqual(
			[name, `${name.slice(0, 199)}z`].sort(),
		);
	});

	it("R-DIR-6 a search's pages, one at a time, are its whole answer in order", async () => {
		const all = (await tenants("?limit=200")).items;
		const letter = all[Math.floor(all.length / 2)]?.name.slice(0, 1) ?? "c";
		const whole = (
			await tenants(`?q=${encodeURIComponent(letter)}&limit=200`)
		).items.map((x) => x.tenantId);
		expect(whole.length).toBeGreaterThan(1);
		const paged: string[] = [];
		let cursor: string | null = null;
		do {
			const page: Page<Tenant> = await tenants(
				`?q=${encodeURIComponent(letter)}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
			);
			paged.push(...page.items.map((x) => x.tenantId));
			cursor = page.nextCursor;
		} while (cursor);
		expect(paged).toEqual(whole);
	});

	it("R-DIR-6 finds a tenant by its name's first letters, its ID in any case, a verified domain or a subscription ID, with its domains and subscriptions", async () => {
		const [contoso] = (await tenants("?q=CONTO")).items;
		expect(contoso).toMatchObject({
			tenantId: DEMO_IDS.tenants.contoso,
			name: "Contoso Ltd",
		});
		expect(contoso?.domains).toEqual(
			expect.arrayContaining([
				DEMO_IDS.domains.contoso,
				DEMO_IDS.domains.contosoInitial,
			]),
		);
		expect(contoso?.subscriptions).toContainEqual(
			expect.objectContaining({
				subscriptionId: DEMO_IDS.subscriptions.contosoSales,
				status: "active",
				productName: expect.stringContaining("Sales"),
			}),
		);
		for (const q of [
			DEMO_IDS.tenants.contoso.toUpperCase(),
			DEMO_IDS.domains.contoso,
			DEMO_IDS.subscriptions.contosoSales,
		]) {
			const found = await tenants(`?q=${encodeURIComponent(q)}`);
			expect(
				found.items.map((x) => x.tenantId),
				q,
			).toEqual([DEMO_IDS.tenants.contoso]);
		}
		// A name is found by the letters as typed, lowered as the database lowers names
		// (JavaScript would end a Greek word with ς, PostgreSQL with σ).
		await importDirectory(t.ctx.db, {
			tenants: [
				{
					tenantId: "0d0d0d0d-0000-4000-8000-00000000000d",
					name: "ΟΔΥΣ Shipping",
					domains: ["odys.onmicrosoft.com"],
				},
			],
		});
		expect((await tenants("?q=%CE%9F%CE%94%CE%A5%CE%A3")).items).toEqual([
			expect.objectContaining({ name: "ΟΔΥΣ Shipping" }),
		]);
		// LIKE's own characters are letters like any other.
		expect((await tenants("?q=%25")).items).toEqual([]);
		expect((await tenants("?q=_")).items).toEqual([]);
	});

	it("R-DIR-6 R-ROL-1 finds a partner by name, organization ID or MPN ID, with its MPN IDs, programs and use; reviewers may look, partners may not; a cursor it did not issue is refused", async () => {
		const byMpn = await partners(`?q=${DEMO_IDS.mpnIds.fabrikamEnrolled}`);
		expect(byMpn.items.map((p) => p.organizationId)).toEqual(["fabrikam"]);
		const fabrikam = byMpn.items[0];
		expect(fabrikam?.mpnIds).toContainEqual(
			expect.objectContaining({
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				inUse: true,
				programs: expect.arrayContaining(["osu_m365"]),
			}),
		);
		expect((await partners("?q=fabrikam")).items[0]?.organizationId).toBe(
			"fabrikam",
		);
		expect(
			(await partners("?q=fab")).items.map((p) => p.organizationId),
		).toContain("fabrikam");
		const rita = await t.login(USERS.rita);
		expect(
			(await rita.get(`${API}/admin/directory/partners?q=fab`)).statusCode,
		).toBe(200);
		const ana = await t.login(USERS.ana);
		expect((await ana.get(`${API}/admin/directory/tenants`)).statusCode).toBe(
			403,
		);
		const bad = await paula.get(`${API}/admin/directory/tenants?cursor=nope`);
		expect(bad.statusCode).toBe(422);
		expect(bad.json().errors[0]).toMatchObject({
			path: "cursor",
			code: "invalid_cursor",
		});
	});

	it("R-ROL-1 R-ROL-3 the platform admin finds the people who can sign in by name, email, user ID, organization or tenant, with roles, organization or tenant and language, a page at a time; reviewers and partners may not look", async () => {
		const users = async (query: string) => {
			const res = await paula.get(`${API}/admin/directory/users${query}`);
			expect(res.statusCode, res.body).toBe(200);
			return res.json() as Page<User>;
		};
		// Every user, by name, a page at a time, without a gap or a repeat.
		const seen: User[] = [];
		let cursor: string | null = null;
		do {
			const page: Page<User> = await users(
				`?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
			);
			seen.push(...page.items);
			cursor = page.nextCursor;
		} while (cursor);
		const emails = seen.map((u) => u.email);
		expect(emails).toEqual(expect.arrayContaining(Object.values(USERS)));
		expect(new Set(emails).size).toBe(emails.length);
		const names = seen.map((u) => u.name.toLowerCase());
		expect(names).toEqual(
			[...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
		);
		const daan = seen.find((u) => u.email === USERS.daan);
		expect(daan).toMatchObject({
			organizationId: "fabrikam",
			organizationName: expect.any(String),
			tenantId: null,
			tenantName: null,
			roles: ["incentives_admin"],
			locale: "nl",
		});
		expect(daan).not.toHaveProperty("passwordHash");
		const carl = seen.find((u) => u.email === USERS.carl);
		expect(carl).toMatchObject({
			organizationId: null,
			tenantName: expect.any(String),
			roles: ["customer_admin"],
		});

		// By the first letters of a name (any case), an email (any case), an ID.
		expect((await users("?q=DAAN")).items.map((u) => u.email)).toContain(
			USERS.daan,
		);
		expect(
			(await users(`?q=${USERS.rita.toUpperCase()}`)).items.map((u) => u.email),
		).toEqual([USERS.rita]);
		expect((await users(`?q=${daan?.id}`)).items.map((u) => u.email)).toEqual([
			USERS.daan,
		]);
		// An organization's people; a tenant's customer admins.
		const fabrikam = (await users("?q=fabrikam")).items;
		expect(fabrikam.map((u) => u.email)).toEqual(
			expect.arrayContaining([USERS.ana, USERS.ivan, USERS.bea, USERS.daan]),
		);
		expect(fabrikam.every((u) => u.organizationId === "fabrikam")).toBe(true);
		expect(
			(await users(`?q=${carl?.tenantId?.toUpperCase()}`)).items.map(
				(u) => u.email,
			),
		).toEqual([USERS.carl]);
		// An organization's people, two at a time: the same people in the same order.
		const paged: string[] = [];
		let next: string | null = null;
		do {
			const page: Page<User> = await users(
				`?q=fabrikam&limit=2${next ? `&cursor=${next}` : ""}`,
			);
			expect(page.items.length).toBeLessThanOrEqual(2);
			paged.push(...page.items.map((u) => u.email));
			next = page.nextCursor;
		} while (next);
		expect(paged).toEqual(fabrikam.map((u) => u.email));
		expect((await users("?q=nobody-by-this-name")).items).toEqual([]);

		for (const who of [USERS.rita, USERS.ana]) {
			const client = await t.login(who);
			expect(
				(await client.get(`${API}/admin/directory/users`)).statusCode,
			).toBe(403);
		}
	});
});
