/**
 * The directory import (SPEC R-DIR-1, R-DIR-3, R-DIR-6): all-or-nothing, idempotent,
 * validated against what the directory already holds. Each test has its own in-memory PGlite.
 */
import { verify } from "@node-rs/argon2";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
	type Database,
	type Db,
	migrateDatabase,
	openDatabase,
} from "../../src/db/client.ts";
import {
	mpnIds,
	organizations,
	products,
	subscriptions,
	tenantDomains,
	tenants,
	usageRecords,
	users,
} from "../../src/db/schema.ts";
import {
	DEFAULT_DEMO_PASSWORD,
	DEMO_SEED,
	generateDemoDirectory,
} from "../../src/demo/generate-directory.ts";
import {
	type ImportSummary,
	importDirectory,
	importDirectoryFile,
} from "../../src/directory/import-directory.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DB_KINDS, startTestApp, type TestApp } from "../support/test-app.ts";

const CONTOSO = "6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31";
const ADVENTURE_WORKS = "1b7e9c44-2f3a-4d6b-8e15-9a0c7d3f2b68";

let open: Database[] = [];

afterEach(async () => {
	for (const database of open) await database.close();
	open = [];
});

async function freshDb(): Promise<Db> {
	const database = await openDatabase({ dataDir: "memory://" });
	open.push(database);
	await migrateDatabase(database);
	return database.db;
}

const TABLES = {
	products,
	organizations,
	mpnIds,
	tenants,
	tenantDomains,
	subscriptions,
	users,
	usageRecords,
};

async function rowCounts(db: Db): Promise<Record<keyof typeof TABLES, number>> {
	const entries = await Promise.all(
		Object.entries(TABLES).map(
			async ([name, table]) => [name, await db.$count(table)] as const,
		),
	);
	return Object.fromEntries(entries) as Record<keyof typeof TABLES, number>;
}

function subscription(n: number, overrides: Record<string, unknown> = {}) {
	return {
		subscriptionId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
		tenantId: CONTOSO,
		productId: "dynamics-365-sales",
		channel: "volume_licensing",
		status: "active",
		provisioned: true,
		...overrides,
	};
}

/** A small document with every section. */
function smallDocument() {
	return {
		products: [
			{
				productId: "contoso-crm-addon",
				name: "Contoso CRM Add-on",
				solutionArea: "business_applications",
				dynamics: false,
			},
		],
		partners: [
			{
				organizationId: "fabrikam",
				name: "Fabrikam Consulting",
				mpnIds: [
					{
						mpnId: "4471023",
						programs: ["osa_sell", "osu_bizapps"],
						partnerTypes: ["FRP FastTrack"],
					},
					{ mpnId: "4471024" },
				],
			},
			{
				organizationId: "northwind",
				name: "Northwind Traders",
				mpnIds: [{ mpnId: "5512876", programs: ["osa_sell"] }],
			},
		],
		tenants: [
			{
				tenantId: CONTOSO.toUpperCase(),
				name: "Contoso Ltd",
				domains: ["Contoso.onmicrosoft.com", "contoso.com"],
			},
			{
				tenantId: ADVENTURE_WORKS,
				name: "Adventure Works",
				domains: ["adventureworks.onmicrosoft.com"],
			},
		],
		subscriptions: [
			subscription(1),
			subscription(2, {
				productId: "contoso-crm-addon",
				channel: "web_direct",
				status: "in_grace",
			}),
			subscription(3, {
				tenantId: ADVENTURE_WORKS,
				channel: "csp",
				provisioned: false,
			}),
		],
		users: [
			{
				email: "Ana@Fabrikam.example",
				name: "Ana",
				password: "correct horse",
				organizationId: "fabrikam",
				roles: ["incentives_admin"],
				locale: "nl",
			},
			{
				email: "carl@contoso.example",
				name: "Carl",
				password: "correct horse",
				tenantId: CONTOSO,
				roles: ["customer_admin"],
			},
			{
				email: "rita@cpor.example",
				name: "Rita",
				password: "correct horse",
				roles: ["reviewer"],
			},
		],
		usage: [
			{
				tenantId: CONTOSO,
				productId: "microsoft-teams",
				month: "2026-10",
				monthlyActiveUsers: 812,
				paidAvailableUnits: 900,
			},
			{
				tenantId: CONTOSO,
				productId: "microsoft-teams",
				month: "2026-09",
				monthlyActiveUsers: 790,
				paidAvailableUnits: 900,
			},
		],
	};
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
}

const allUnchanged = (summary: ImportSummary) =>
	Object.values(summary).every(
		(counts) => counts.inserted === 0 && counts.updated === 0,
	);

describe("directory import", () => {
	it("R-DIR-6 importing a document loads partners, MPN IDs, tenants, domains, subscriptions, users and usage", async () => {
		const db = await freshDb();
		const progress: [number, number, string][] = [];
		const summary = await importDirectory(db, smallDocument(), {
			onProgress: (done, total, section) =>
				progress.push([done, total, section]),
		});

		expect(summary).toEqual({
			// The document's product plus the catalog products the rows use (Sales, Teams).
			products: { inserted: 3, updated: 0, unchanged: 0 },
			partners: { inserted: 2, updated: 0, unchanged: 0 },
			mpnIds: { inserted: 3, updated: 0, unchanged: 0 },
			tenants: { inserted: 2, updated: 0, unchanged: 0 },
			domains: { inserted: 3, updated: 0, unchanged: 0 },
			subscriptions: { inserted: 3, updated: 0, unchanged: 0 },
			users: { inserted: 3, updated: 0, unchanged: 0 },
			usage: { inserted: 2, updated: 0, unchanged: 0 },
		});
		expect(await rowCounts(db)).toEqual({
			products: 3,
			organizations: 2,
			mpnIds: 3,
			tenants: 2,
			tenantDomains: 3,
			subscriptions: 3,
			users: 3,
			usageRecords: 2,
		});
		expect(progress.at(-1)).toEqual([21, 21, "usage"]);
		expect(progress.map(([, , section]) => section)).toEqual([
			"products",
			"partners",
			"mpnIds",
			"tenants",
			"domains",
			"subscriptions",
			"users",
			"usage",
		]);

		const [mpn] = await db
			.select()
			.from(mpnIds)
			.where(eq(mpnIds.mpnId, "4471023"));
		expect(mpn).toEqual({
			mpnId: "4471023",
			organizationId: "fabrikam",
			programs: ["osa_sell", "osu_bizapps"],
			partnerTypes: ["FRP FastTrack"],
			inUse: true,
		});
		const domains = await db
			.select()
			.from(tenantDomains)
			.where(eq(tenantDomains.tenantId, CONTOSO));
		expect(domains.map((d) => d.domain).sort()).toEqual([
			"contoso.com",
			"contoso.onmicrosoft.com",
		]);

		const [ana] = await db
			.select()
			.from(users)
			.where(eq(users.email, "ana@fabrikam.example"));
		expect(ana).toMatchObject({
			name: "Ana",
			organizationId: "fabrikam",
			tenantId: null,
			roles: ["incentives_admin"],
			locale: "nl",
		});
		expect(ana?.passwordHash).toMatch(/^\$argon2/);
		expect(await verify(ana?.passwordHash ?? "", "correct horse")).toBe(true);
		const [carl] = await db
			.select()
			.from(users)
			.where(eq(users.email, "carl@contoso.example"));
		expect(carl).toMatchObject({
			tenantId: CONTOSO,
			organizationId: null,
			locale: "en",
		});

		const [sub] = await db
			.select()
			.from(subscriptions)
			.where(eq(subscriptions.subscriptionId, subscription(3).subscriptionId));
		expect(sub).toMatchObject({
			tenantId: ADVENTURE_WORKS,
			channel: "csp",
			status: "active",
			provisioned: false,
		});
	});

	it("R-DIR-6 a user listed again without a language keeps their own (set with PATCH /me); a new one gets en", async () => {
		const db = await freshDb();
		await importDirectory(db, smallDocument());
		await db
			.update(users)
			.set({ locale: "sv" })
			.where(eq(users.email, "carl@contoso.example"));
		const doc = smallDocument();
		const again = await importDirectory(db, {
			users: doc.users.map(({ locale: _, ...u }) => u),
		});
		// Carl's row is as stored; Ana's "nl" stays too.
		expect(again.users).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
		const locales = Object.fromEntries(
			(await db.select().from(users)).map((u) => [u.email, u.locale]),
		);
		expect(locales["carl@contoso.example"]).toBe("sv");
		expect(locales["ana@fabrikam.example"]).toBe("nl");
		// A language given still sets it.
		await importDirectory(db, {
			users: doc.users.map((u) =>
				u.email === "carl@contoso.example" ? { ...u, locale: "de" } : u,
			),
		});
		const [carl] = await db
			.select()
			.from(users)
			.where(eq(users.email, "carl@contoso.example"));
		expect(carl?.locale).toBe("de");
	});

	it("R-DIR-6 importing the same file twice changes nothing", async () => {
		const db = await freshDb();
		await importDirectory(db, smallDocument());
		const before = await rowCounts(db);
		const usersBefore = await db.select().from(users);

		const again = await importDirectory(db, smallDocument());
		expect(allUnchanged(again)).toBe(true);
		expect(again.subscriptions).toEqual({
			inserted: 0,
			updated: 0,
			unchanged: 3,
		});
		expect(again.users).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
		expect(await rowCounts(db)).toEqual(before);
		// Same IDs and the same password hashes: nothing was re-hashed.
		expect(await db.select().from(users)).toEqual(usersBefore);
	});

	it("R-DIR-6 re-importing changed rows updates them and re-hashes only a changed password", async () => {
		const db = await freshDb();
		await importDirectory(db, smallDocument());
		const [anaBefore] = await db
			.select()
			.from(users)
			.where(eq(users.email, "ana@fabrikam.example"));
		const [carlBefore] = await db
			.select()
			.from(users)
			.where(eq(users.email, "carl@contoso.example"));

		const doc = smallDocument();
		doc.users[0] = {
			...doc.users[0],
			name: "Ana Garcia",
			roles: ["global_admin"],
		} as (typeof doc.users)[0];
		doc.users[1] = {
			...doc.users[1],
			password: "a new password",
		} as (typeof doc.users)[1];
		doc.subscriptions[0] = subscription(1, { status: "disabled" });
		const summary = await importDirectory(db, doc);

		expect(summary.users).toEqual({ inserted: 0, updated: 2, unchanged: 1 });
		expect(summary.subscriptions).toEqual({
			inserted: 0,
			updated: 1,
			unchanged: 2,
		});
		expect(summary.partners).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
		const [ana] = await db
			.select()
			.from(users)
			.where(eq(users.email, "ana@fabrikam.example"));
		expect(ana).toMatchObject({
			id: anaBefore?.id,
			name: "Ana Garcia",
			roles: ["global_admin"],
		});
		expect(ana?.passwordHash).toBe(anaBefore?.passwordHash);
		const [carl] = await db
			.select()
			.from(users)
			.where(eq(users.email, "carl@contoso.example"));
		expect(carl?.id).toBe(carlBefore?.id);
		expect(carl?.passwordHash).not.toBe(carlBefore?.passwordHash);
		expect(await verify(carl?.passwordHash ?? "", "a new password")).toBe(true);
	});

	it("R-DIR-6 a bad row rejects the whole file and nothing is half-loaded", async () => {
		const db = await freshDb();
		const doc = smallDocument();
		doc.subscriptions = [
			subscription(1),
			subscription(2),
			subscription(3),
			subscription(4, { channel: "retail" }),
		];

		const error = await rejection(importDirectory(db, doc));
		expect(error.code).toBe("validation_failed");
		expect(error.status).toBe(422);
		expect(error.message).toBe(
			"The import has 1 invalid row; nothing was loaded.",
		);
		expect(error.errors).toHaveLength(1);
		expect(error.errors[0]).toMatchObject({
			path: "subscriptions[3].channel",
			code: "invalid_value",
		});
		expect(Object.values(await rowCounts(db)).every((n) => n === 0)).toBe(true);
	});

	it("R-DIR-6 R-ACC-2 a usage count beyond what a row holds names its row, in JSON and in CSV, and loads nothing", async () => {
		const db = await freshDb();
		const doc = smallDocument();
		const usage = doc.usage ?? [];
		doc.usage = [
			usage[0] as (typeof usage)[number],
			{ ...(usage[1] as (typeof usage)[number]), monthlyActiveUsers: 2 ** 31 },
		];
		const error = await rejection(importDirectory(db, doc));
		expect(error.status).toBe(422);
		expect(error.errors).toEqual([
			expect.objectContaining({
				path: "usage[1].monthlyActiveUsers",
				message: "monthlyActiveUsers must be at most 2,147,483,647",
			}),
		]);
		expect(Object.values(await rowCounts(db)).every((n) => n === 0)).toBe(true);

		await importDirectory(db, { tenants: doc.tenants, products: doc.products });
		const csv = [
			"tenantId,productId,month,monthlyActiveUsers,paidAvailableUnits",
			`${CONTOSO},microsoft-teams,2026-10,812,99999999999`,
		].join("\n");
		const fromFile = await rejection(
			importDirectoryFile(db, {
				content: Buffer.from(csv),
				fileName: "usage.csv",
			}),
		);
		expect(fromFile.errors[0]).toMatchObject({
			path: "usage[0].paidAvailableUnits",
			line: 2,
		});
		expect(await db.$count(usageRecords)).toBe(0);
	});

	it("R-DIR-6 an unknown section is counted as a problem of the file, not as an invalid row", async () => {
		const db = await freshDb();
		const doc = {
			...smallDocument(),
			widgets: [{ id: 1 }],
			subscriptions: [subscription(1, { channel: "retail" })],
		};
		const both = await rejection(importDirectory(db, doc));
		expect(both.message).toBe(
			"The import has 1 invalid row and 1 other problem; nothing was loaded.",
		);
		expect(both.errors.map((e) => e.code).sort()).toEqual([
			"invalid_value",
			"unrecognized_keys",
		]);
		expect(
			both.errors.find((e) => e.code !== "invalid_value")?.message,
		).toMatch(/unknown section "widgets"/);
		const alone = await rejection(
			importDirectory(db, { ...smallDocument(), widgets: [] }),
		);
		expect(alone.message).toBe("The import has 1 problem; nothing was loaded.");
		expect(Object.values(await rowCounts(db)).every((n) => n === 0)).toBe(true);
	});

	it("R-DIR-6 a failure during the load rolls back every section already written", async () => {
		const db = await freshDb();
		const error = await importDirectory(db, smallDocument(), {
			onProgress: (_done, _total, section) => {
				if (section === "users") throw new Error("disk full");
			},
		}).catch((e: unknown) => e);
		expect((error as Error).message).toBe("disk full");
		expect(Object.values(await rowCounts(db)).every((n) => n === 0)).toBe(true);
	});

	it("R-DIR-6 rows referring to tenants unknown to the document and the directory are rejected", async () => {
		const db = await freshDb();
		const error = await rejection(
			importDirectory(db, {
				subscriptions: [
					subscription(1),
					subscription(2, { tenantId: "11111111-2222-4333-8444-555555555555" }),
				],
			}),
		);
		expect(error.message).toBe(
			"The import has 2 invalid rows; nothing was loaded.",
		);
		expect(error.errors.map((e) => [e.path, e.code])).toEqual([
			["subscriptions[0].tenantId", "unknown_tenant"],
			["subscriptions[1].tenantId", "unknown_tenant"],
		]);

		// Once the tenant is in the directory, a document without it may refer to it.
		await importDirectory(db, { tenants: smallDocument().tenants });
		const summary = await importDirectory(db, {
			subscriptions: [subscription(1)],
		});
		expect(summary.subscriptions.inserted).toBe(1);
	});

	it("R-DIR-6 a CSV file with a bad row reports its line", async () => {
		const db = await freshDb();
		await importDirectory(db, { tenants: smallDocument().tenants });
		const header =
			"subscriptionId,tenantId,productId,channel,status,provisioned";
		const row = (n: number, channel = "volume_licensing") =>
			`${subscription(n).subscriptionId},${CONTOSO},dynamics-365-sales,${channel},active,true`;

		const bad = [header, row(1), row(2), row(3, "retail"), row(4)].join("\n");
		const error = await rejection(
			importDirectoryFile(db, {
				content: Buffer.from(bad),
				fileName: "subscriptions.csv",
			}),
		);
		expect(error.code).toBe("validation_failed");
		expect(error.errors).toHaveLength(1);
		expect(error.errors[0]).toMatchObject({
			path: "subscriptions[2].channel",
			line: 4,
		});
		expect(await db.$count(subscriptions)).toBe(0);

		const good = [header, row(1), row(2), row(3), row(4)].join("\n");
		const summary = await importDirectoryFile(db, {
			content: Buffer.from(good),
			fileName: "subscriptions.csv",
		});
		expect(summary.subscriptions).toEqual({
			inserted: 4,
			updated: 0,
			unchanged: 0,
		});
		// The format comes from the extension; a JSON file goes through the same checks.
		const json = await importDirectoryFile(db, {
			content: Buffer.from(
				JSON.stringify({ subscriptions: [subscription(1)] }),
			),
			fileName: "directory.JSON",
		});
		expect(json.subscriptions).toEqual({
			inserted: 0,
			updated: 0,
			unchanged: 1,
		});
	});

	it("R-DIR-6 a CSV row that refers to an unknown tenant, or repeats an earlier row, names its line and the earlier row's", async () => {
		const db = await freshDb();
		await importDirectory(db, { tenants: smallDocument().tenants });
		const header =
			"subscriptionId,tenantId,productId,channel,status,provisioned";
		const row = (n: number, tenantId = CONTOSO) =>
			`${subscription(n).subscriptionId},${tenantId},dynamics-365-sales,volume_licensing,active,true`;
		const unknownTenant = "99999999-2222-4333-8444-555555555555";
		const csv = [header, row(1), row(2, unknownTenant), row(1)].join("\n");
		const error = await rejection(
			importDirectoryFile(db, {
				content: Buffer.from(csv),
				fileName: "subscriptions.csv",
			}),
		);
		expect(error.code).toBe("validation_failed");
		expect(error.errors.map((e) => [e.path, e.code, e.line])).toEqual([
			["subscriptions[1].tenantId", "unknown_tenant", 3],
			["subscriptions[2].subscriptionId", "duplicate_subscription_id", 4],
		]);
		// The earlier row is named by its line too, not by its place in the document.
		expect(error.errors[1]?.message).toContain("line 2");
		expect(error.errors[1]?.message).not.toContain("subscriptions[0]");
		expect(await db.$count(subscriptions)).toBe(0);
		// A list cell's value named by its row's line, whole (a domain in tenants.csv).
		const tenantsCsv = [
			"tenantId,name,domains",
			"11111111-2222-4333-8444-555555555501,First,first.onmicrosoft.com;shared.example",
			"11111111-2222-4333-8444-555555555502,Second,shared.example;second.onmicrosoft.com",
		].join("\n");
		const shared = await rejection(
			importDirectoryFile(db, {
				content: Buffer.from(tenantsCsv),
				fileName: "tenants.csv",
			}),
		);
		expect(shared.errors, JSON.stringify(shared.errors)).toHaveLength(1);
		expect(shared.errors[0]).toMatchObject({
			path: "tenants[1].domains[0]",
			line: 3,
		});
		expect(shared.errors[0]?.message).toBe(
			"domain shared.example is already listed at line 2; a domain belongs to one tenant",
		);
	});

	it("R-DIR-1 an MPN ID cannot move to another organization", async () => {
		const db = await freshDb();
		await importDirectory(db, { partners: smallDocument().partners });

		const error = await rejection(
			importDirectory(db, {
				partners: [
					{
						organizationId: "litware",
						name: "Litware",
						mpnIds: [{ mpnId: "7000001" }, { mpnId: "4471023" }],
					},
				],
			}),
		);
		expect(error.code).toBe("validation_failed");
		expect(error.errors).toEqual([
			expect.objectContaining({
				path: "partners[0].mpnIds[1].mpnId",
				code: "mpn_id_taken",
			}),
		]);
		const [mpn] = await db
			.select()
			.from(mpnIds)
			.where(eq(mpnIds.mpnId, "4471023"));
		expect(mpn?.organizationId).toBe("fabrikam");
		expect(await db.$count(organizations)).toBe(2);
		expect(await db.$count(mpnIds)).toBe(3);
	});

	it("R-DIR-3 a domain cannot belong to two tenants", async () => {
		const db = await freshDb();
		await importDirectory(db, { tenants: smallDocument().tenants });

		const error = await rejection(
			importDirectory(db, {
				tenants: [
					{
						tenantId: "22222222-3333-4444-8555-666666666666",
						name: "Contoso Imposter",
						domains: ["imposter.onmicrosoft.com", "contoso.com"],
					},
				],
			}),
		);
		expect(error.errors).toEqual([
			expect.objectContaining({
				path: "tenants[0].domains[1]",
				code: "domain_taken",
			}),
		]);
		const [domain] = await db
			.select()
			.from(tenantDomains)
			.where(eq(tenantDomains.domain, "contoso.com"));
		expect(domain?.tenantId).toBe(CONTOSO);
		expect(await db.$count(tenants)).toBe(2);
	});

	it("R-DIR-6 the demo directory imports in one go, and again without changes", {
		timeout: 120_000,
	}, async () => {
		const db = await freshDb();
		const doc = generateDemoDirectory(DEMO_SEED, DEFAULT_DEMO_PASSWORD);
		const mpnCount = (doc.partners ?? []).reduce(
			(n, p) => n + p.mpnIds.length,
			0,
		);
		const domainCount = (doc.tenants ?? []).reduce(
			(n, t) => n + t.domains.length,
			0,
		);

		const started = performance.now();
		let calls = 0;
		const summary = await importDirectory(db, doc, {
			onProgress: () => calls++,
		});
		const elapsed = performance.now() - started;
		console.info(
			`demo directory import: ${Math.round(elapsed)} ms, ${calls} batches`,
		);

		expect(summary.products.inserted).toBe(doc.products?.length);
		expect(summary.partners.inserted).toBe(doc.partners?.length);
		expect(summary.mpnIds.inserted).toBe(mpnCount);
		expect(summary.tenants.inserted).toBe(400);
		expect(summary.domains.inserted).toBe(domainCount);
		expect(summary.subscriptions.inserted).toBe(1000);
		expect(summary.users.inserted).toBe(doc.users?.length);
		expect(summary.usage.inserted).toBe(doc.usage?.length);
		expect(await rowCounts(db)).toEqual({
			products: doc.products?.length,
			organizations: doc.partners?.length,
			mpnIds: mpnCount,
			tenants: 400,
			tenantDomains: domainCount,
			subscriptions: 1000,
			users: doc.users?.length,
			usageRecords: doc.usage?.length,
		});

		const again = await importDirectory(db, doc);
		expect(allUnchanged(again)).toBe(true);
		expect(again.usage.unchanged).toBe(doc.usage?.length);
	});
});

describe.each(DB_KINDS)("a directory import on %s", (kind) => {
	let t: TestApp | undefined;
	afterAll(async () => t?.close());

	it("R-DIR-6 R-DIR-1 R-DIR-3 an import reads the stored rows under its own keys only: rows that refer to stored partners and tenants, taken MPN IDs and domains, and changed usage are found", async () => {
		t = await startTestApp(kind);
		const db = t.ctx.db;
		const tenantA = "0b7e8f3a-1111-4c2d-9e0f-123456789abc";
		const tenantB = "0b7e8f3a-2222-4c2d-9e0f-123456789abc";
		const first = await importDirectory(db, {
			partners: [
				{
					organizationId: "keyed-partner",
					name: "Keyed Partner",
					mpnIds: [{ mpnId: "7100001", programs: ["osa_sell"] }],
				},
			],
			tenants: [
				{
					tenantId: tenantA,
					name: "Keyed A",
					domains: ["keyed-a.onmicrosoft.com", "keyed-a.example"],
				},
			],
			usage: [
				{
					tenantId: tenantA,
					productId: "microsoft-teams",
					month: "2026-10",
					monthlyActiveUsers: 10,
					paidAvailableUnits: 12,
				},
			],
		});
		expect(first.partners.inserted).toBe(1);
		// Rows that only refer to stored ones (the tenant in capitals, as a file may have it).
		const referring = {
			subscriptions: [
				{
					subscriptionId: "0b7e8f3a-3333-4c2d-9e0f-123456789abc",
					tenantId: tenantA.toUpperCase(),
					productId: "dynamics-365-sales",
					channel: "volume_licensing",
					status: "active",
					provisioned: true,
				},
			],
			users: [
				{
					email: "keyed.user@keyed-partner.example",
					name: "Keyed User",
					password: "a long enough password 1",
					organizationId: "keyed-partner",
					roles: ["incentives_admin"],
					locale: "en",
				},
			],
			usage: [
				{
					tenantId: tenantA,
					productId: "microsoft-teams",
					month: "2026-10",
					monthlyActiveUsers: 20,
					paidAvailableUnits: 22,
				},
				{
					tenantId: tenantA,
					productId: "microsoft-teams",
					month: "2026-11",
					monthlyActiveUsers: 30,
					paidAvailableUnits: 32,
				},
			],
		};
		const second = await importDirectory(db, referring);
		expect(second.subscriptions.inserted).toBe(1);
		expect(second.users.inserted).toBe(1);
		expect(second.usage).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
		expect(allUnchanged(await importDirectory(db, referring))).toBe(true);
		const [usage] = await db
			.select()
			.from(usageRecords)
			.where(
				and(
					eq(usageRecords.tenantId, tenantA),
					eq(usageRecords.month, "2026-10"),
				),
			);
		expect(usage?.monthlyActiveUsers).toBe(20);
		// A stored MPN ID and domain of others, and references to nothing stored.
		const error = await rejection(
			importDirectory(db, {
				partners: [
					{
						organizationId: "keyed-rival",
						name: "Keyed Rival",
						mpnIds: [{ mpnId: "7100001", programs: ["osa_sell"] }],
					},
				],
				tenants: [
					{
						tenantId: tenantB,
						name: "Keyed B",
						domains: ["keyed-b.onmicrosoft.com", "keyed-a.example"],
					},
				],
				subscriptions: [
					{
						...referring.subscriptions[0],
						subscriptionId: "0b7e8f3a-4444-4c2d-9e0f-123456789abc",
						tenantId: "0b7e8f3a-5555-4c2d-9e0f-123456789abc",
					},
				],
				users: [
					{
						...referring.users[0],
						email: "nobody@keyed.example",
						organizationId: "no-such-partner",
					},
				],
			}),
		);
		expect(error.errors?.map((e) => [e.path, e.code])).toEqual([
			["partners[0].mpnIds[0].mpnId", "mpn_id_taken"],
			["tenants[0].domains[1]", "domain_taken"],
			["subscriptions[0].tenantId", "unknown_tenant"],
			["users[0].organizationId", "unknown_organization"],
		]);
	});
});
