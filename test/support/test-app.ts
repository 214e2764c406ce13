/**
 * A real CPOR server for integration tests, on PGlite (in memory) or on a fresh
 * database of the test PostgreSQL cluster, migrated, with a small directory loaded
 * (the demo directory's well-known entities) and a sandbox clock. Requests go through
 * the whole Fastify stack (`inject`), or over real sockets after `listen()`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { expect, inject } from "vitest";
import type { Actor } from "../../src/auth/actor.ts";
import { loadConfig } from "../../src/config.ts";
import { type AppContext, createContext } from "../../src/context.ts";
import {
	type Database,
	type Db,
	migrateDatabase,
	openDatabase,
} from "../../src/db/client.ts";
import * as schema from "../../src/db/schema.ts";
import { loadStoredCalendar } from "../../src/db/stored-calendar.ts";
import {
	DEMO_IDS,
	generateDemoDirectory,
} from "../../src/demo/generate-directory.ts";
import { importDirectory } from "../../src/directory/import-directory.ts";
import { SandboxClock } from "../../src/domain/clock.ts";
import { adminClockRoutes } from "../../src/http/routes/admin-clock.ts";
import { buildServer } from "../../src/http/server.ts";
import { samplePdf } from "./poe-fixtures.ts";

export { DEMO_IDS };
export type DbKind = "pglite" | "postgres";
/** Both databases, for `describe.each(DB_KINDS)`. */
export const DB_KINDS: DbKind[] = ["pglite", "postgres"];
/** The demo accounts' password in tests. */
export const PASSWORD = "test-password-123";

/** Well-known demo accounts by role. */
export const USERS = {
	ana: "ana.global@fabrikam.example", // fabrikam global_admin
	ivan: "ivan.incentives@fabrikam.example", // fabrikam incentives_user
	bea: "bea.billing@fabrikam.example", // fabrikam billing_admin
	daan: "daan.incentives@fabrikam.example", // fabrikam incentives_admin (nl)
	nora: "nora.admin@northwind.example", // northwind global_admin
	rita: "rita.reviewer@cpor.example", // reviewer
	rob: "rob.reviewer@cpor.example", // reviewer
	carl: "carl.customer@contoso.example", // customer_admin of Contoso
	paula: "paula.platform@cpor.example", // platform_admin
} as const;

let cachedDirectory: ReturnType<typeof generateDemoDirectory> | undefined;
/** The demo directory, trimmed for speed (well-known tenants plus 40 generated ones). */
export function testDirectory() {
	if (!cachedDirectory) {
		const full = generateDemoDirectory(20261121, PASSWORD);
		const keepTenants = new Set([
			DEMO_IDS.tenants.contoso,
			DEMO_IDS.tenants.adventureWorks,
			...(full.tenants ?? []).slice(0, 40).map((t) => t.tenantId),
		]);
		cachedDirectory = {
			...full,
			tenants: (full.tenants ?? []).filter((t) => keepTenants.has(t.tenantId)),
			subscriptions: (full.subscriptions ?? []).filter((s) =>
				keepTenants.has(s.tenantId),
			),
			usage: (full.usage ?? []).filter((u) => keepTenants.has(u.tenantId)),
		};
	}
	return cachedDirectory;
}

/** A signed-in HTTP client (cookie + CSRF token) for one user. */
export interface Client {
	email: string;
	/** The session cookie (`cpor_session=…`) this client sends, when signed in. */
	cookie?: string | undefined;
	request(
		method: string,
		url: string,
		opts?: { body?: unknown; headers?: Record<string, string> },
	): Promise<LightMyRequestResponse>;
	get(url: string): Promise<LightMyRequestResponse>;
	post(
		url: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<LightMyRequestResponse>;
	patch(
		url: string,
		body: unknown,
		headers?: Record<string, string>,
	): Promise<LightMyRequestResponse>;
	del(
		url: string,
		headers?: Record<string, string>,
	): Promise<LightMyRequestResponse>;
	/** Uploads bytes as multipart field `file`. */
	upload(
		url: string,
		bytes: Uint8Array,
		fileName: string,
		headers?: Record<string, string>,
	): Promise<LightMyRequestResponse>;
}

/** A running test app. */
export interface TestApp {
	kind: DbKind;
	app: FastifyInstance;
	ctx: AppContext;
	clock: SandboxClock;
	/** PostgreSQL: the database's URL (another app can share it, `opts.databaseUrl`). */
	databaseUrl?: string | undefined;
	/** Signs a user in (password {@link PASSWORD}) and returns a client. */
	login(email: string): Promise<Client>;
	/** A client with no session. */
	anonymous(): Client;
	close(): Promise<void>;
}

function multipart(
	bytes: Uint8Array,
	fileName: string,
): { payload: Buffer; contentType: string } {
	const boundary = `----cpor${randomBytes(8).toString("hex")}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	return {
		payload: Buffer.concat([head, Buffer.from(bytes), tail]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/** Creates an empty database in the test PostgreSQL server; returns its URL. */
export async function createTestDatabase(
	prefix = "cpor_test",
): Promise<string> {
	const admin = inject("pgUrl");
	const name = `${prefix}_${randomBytes(6).toString("hex")}`;
	const c = new pg.Client({ connectionString: admin });
	await c.connect();
	await c.query(`create database ${name}`);
	await c.end();
	const u = new URL(admin);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Opens a fresh database of the given kind (PostgreSQL: a new database in the test cluster). */
export async function openTestDatabase(
	kind: DbKind,
): Promise<Database & { url?: string }> {
	if (kind === "pglite") return openDatabase({ dataDir: "memory://" });
	const url = await createTestDatabase();
	const database = await openDatabase({ databaseUrl: url, poolSize: 60 });
	return { ...database, url };
}

/**
 * Starts a test app: migrated database, directory loaded, sandbox clock at
 * 2026-11-23T09:00Z (a Monday). `databaseUrl` (PostgreSQL): a second app on the database
 * of another, as a second server process would be (nothing is loaded again).
 */
export async function startTestApp(
	kind: DbKind,
	opts: {
		now?: Date;
		env?: Record<string, string>;
		directory?: boolean;
		databaseUrl?: string;
		/** With `databaseUrl`: the pool's statement timeout, as `cpor serve` sets it. */
		statementTimeoutMs?: number;
	} = {},
): Promise<TestApp> {
	const database: Database & { url?: string } = opts.databaseUrl
		? {
				...(await openDatabase({
					databaseUrl: opts.databaseUrl,
					poolSize: 20,
					statementTimeoutMs: opts.statementTimeoutMs,
				})),
				url: opts.databaseUrl,
			}
		: await openTestDatabase(kind);
	if (!opts.databaseUrl) await migrateDatabase(database);
	const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-test-"));
	const config = loadConfig({
		CPOR_DATA_DIR: dataDir,
		LOG_LEVEL: "silent",
		// The tests' webhook receivers listen on 127.0.0.1.
		CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
		...opts.env,
	});
	const clock = new SandboxClock(
		opts.now ?? new Date("2026-11-23T09:00:00.000Z"),
	);
	const ctx = createContext({
		db: database.db,
		dbKind: database.kind,
		clock,
		config,
	});
	// A second app on another's database starts with the calendar an admin set there.
	await loadStoredCalendar(ctx);
	if (opts.directory !== false && !opts.databaseUrl)
		await importDirectory(ctx.db, testDirectory());
	const app = await buildServer(ctx, {
		logger: false,
		plugins: [adminClockRoutes(ctx, clock)],
	});
	await app.ready();

	const makeClient = (
		email: string,
		cookie?: string,
		csrf?: string,
	): Client => {
		const request: Client["request"] = (method, url, o = {}) =>
			app.inject({
				method: method as "GET",
				url,
				headers: {
					...(cookie ? { cookie } : {}),
					...(csrf ? { "x-csrf-token": csrf } : {}),
					...(o.body !== undefined
						? { "content-type": "application/json" }
						: {}),
					...o.headers,
				},
				...(o.body !== undefined ? { payload: JSON.stringify(o.body) } : {}),
			});
		return {
			email,
			cookie,
			request,
			get: (url) => request("GET", url),
			post: (url, body, headers) =>
				request("POST", url, { body: body ?? {}, headers }),
			patch: (url, body, headers) => request("PATCH", url, { body, headers }),
			del: (url, headers) => request("DELETE", url, { headers }),
			upload: (url, bytes, fileName, headers) => {
				const m = multipart(bytes, fileName);
				return app.inject({
					method: "POST",
					url,
					headers: {
						...(cookie ? { cookie } : {}),
						...(csrf ? { "x-csrf-token": csrf } : {}),
						"content-type": m.contentType,
						...headers,
					},
					payload: m.payload,
				});
			},
		};
	};

	return {
		kind,
		app,
		ctx,
		clock,
		databaseUrl: database.url,
		anonymous: () => makeClient("anonymous"),
		async login(email) {
			const res = await app.inject({
				method: "POST",
				url: "/api/v1/auth/login",
				payload: { email, password: PASSWORD },
			});
			if (res.statusCode !== 200)
				throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
			const setCookie = res.headers["set-cookie"];
			const cookie = String(
				Array.isArray(setCookie) ? setCookie[0] : setCookie,
			).split(";")[0] as string;
			return makeClient(
				email,
				cookie,
				(res.json() as { csrfToken: string }).csrfToken,
			);
		},
		async close() {
			await app.close();
			await database.close();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** A partner of `organizationId` as an actor, for calling use cases directly. */
export function partnerActor(organizationId: string): Actor {
	return {
		userId: null,
		name: "Partner",
		roles: [],
		kind: "partner",
		organizationId,
	};
}

/** A complete Business Applications claim body on Contoso's claimable Sales subscription. */
export function baClaimBody(overrides: Record<string, unknown> = {}) {
	return {
		name: "Contoso Dynamics 365 Sales presales",
		mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
		customer: { tenantId: DEMO_IDS.tenants.contoso, domain: "contoso.com" },
		solutionArea: "business_applications",
		activity: "presales",
		products: [{ subscriptionId: DEMO_IDS.subscriptions.contosoSales }],
		contacts: {
			customer: {
				name: "Chris Customer",
				title: "CIO",
				email: "chris@contoso.example",
			},
			customerTechnical: {
				name: "Tess Tech",
				title: "IT Manager",
				email: "tess@contoso.example",
			},
			partner: { name: "Ana Garcia", email: "ana.global@fabrikam.example" },
		},
		...overrides,
	};
}

/** {@link baClaimBody} as Northwind's (Nora's) claim: its MPN ID and partner contact. */
export function northwindBaClaimBody(overrides: Record<string, unknown> = {}) {
	return baClaimBody({
		mpnId: DEMO_IDS.mpnIds.northwind,
		contacts: {
			...baClaimBody().contacts,
			partner: { name: "Nora Hansen", email: USERS.nora },
		},
		...overrides,
	});
}

/** A complete Microsoft 365 usage claim body on Contoso. */
export function m365ClaimBody(overrides: Record<string, unknown> = {}) {
	return {
		name: "Contoso Teams adoption",
		mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
		customer: {
			tenantId: DEMO_IDS.tenants.contoso,
			domain: "contoso.onmicrosoft.com",
		},
		solutionArea: "microsoft_365",
		activity: "usage",
		products: [{ productId: "microsoft-teams" }],
		contacts: {
			customer: {
				name: "Chris Customer",
				title: "CIO",
				email: "chris@contoso.example",
			},
			partner: { name: "Ana Garcia", email: "ana.global@fabrikam.example" },
		},
		...overrides,
	};
}

/**
 * Creates a draft and uploads a sample PDF as its PoE; fails the test unless both
 * succeed. Returns the claim's ID and its version after the upload.
 */
export async function createDraftWithPoe(
	client: Client,
	body: unknown,
): Promise<{ id: string; version: number }> {
	const created = await client.post("/api/v1/claims", body);
	expect(created.statusCode, created.body).toBe(201);
	const id = created.json().id as string;
	const upload = await client.upload(
		`/api/v1/claims/${id}/documents`,
		samplePdf(),
		"sow.pdf",
	);
	expect(upload.statusCode, upload.body).toBe(201);
	return { id, version: upload.json().claim.version as number };
}

/** Uploads a sample PDF as PoE to a draft and submits it; fails the test unless both succeed. */
export async function uploadPoeAndSubmit(client: Client, id: string) {
	const upload = await client.upload(
		`/api/v1/claims/${id}/documents`,
		samplePdf(),
		"poe.pdf",
	);
	expect(upload.statusCode, upload.body).toBe(201);
	const submit = await client.post(`/api/v1/claims/${id}/submit`);
	expect(submit.statusCode, submit.body).toBe(200);
}

/**
 * The test app's context on a new handle to its database that records the SQL of every
 * statement run through Drizzle (`statements`; clear it between counts).
 */
export function statementCountingContext(t: TestApp): {
	ctx: AppContext;
	statements: string[];
} {
	const statements: string[] = [];
	const logger = { logQuery: (query: string) => statements.push(query) };
	const client = (t.ctx.db as unknown as { $client: unknown }).$client;
	const db = (t.kind === "pglite"
		? drizzlePglite(client as PGlite, { schema, logger })
		: drizzleNodePg(client as pg.Pool, { schema, logger })) as unknown as Db;
	return { ctx: createContext({ ...t.ctx, db }), statements };
}

/** Runs `query` on the database of `t` (a test app, a runtime) and returns its rows, typed as `T`. */
export async function queryRows<T>(
	t: { ctx: AppContext },
	query: SQL,
): Promise<T[]> {
	const r = (await t.ctx.db.execute(query)) as unknown as { rows: T[] };
	return r.rows;
}
