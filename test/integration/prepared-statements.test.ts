/**
 * The named prepared statements (src/db/prepared.ts: the claim page's, an optimistic
 * claim action's read, the directory facts of creating and submitting) on PostgreSQL: when the server connection no longer has them, as
 * behind a transaction-pooling proxy without prepared-statement support, the reads still
 * answer and the handle switches to unnamed statements.
 */

import { PGlite, type QueryOptions } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveApiToken } from "../../src/auth/accounts.ts";
import { type Actor, SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { performClaimAction } from "../../src/claims/claim-action.ts";
import { createClaim } from "../../src/claims/create-claim.ts";
import { readDirectoryFacts } from "../../src/claims/directory-facts.ts";
import { getClaimJson, listClaimsJson } from "../../src/claims/list-claims.ts";
import type { AppContext } from "../../src/context.ts";
import { type Db, migrateDatabase, openDatabase } from "../../src/db/client.ts";
import {
	DRIZZLE_TEXT_TYPES,
	namedStatementClient,
} from "../../src/db/pglite-statements.ts";
import { claims } from "../../src/db/schema.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DEMO_IDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

/** The names of the statements prepared on `db`'s connection (PostgreSQL or PGlite). */
async function preparedStatementNames(db: Db): Promise<string[]> {
	const result = (await db.execute(
		sql`select name from pg_prepared_statements order by name`,
	)) as unknown as { rows: { name: string }[] };
	return result.rows.map((r) => r.name);
}

/** The claim list pages' named statements on `db`'s connection. */
async function namedReads(db: Db): Promise<string[]> {
	return (await preparedStatementNames(db)).filter((n) =>
		n.startsWith("cpor_read_"),
	);
}

/**
 * The definition of index `name` (`pg_indexes.indexdef`): on a test's few rows the
 * planner's choice cannot show what an index is for, so its columns are checked.
 */
async function indexDefinition(
	db: Db,
	name: string,
): Promise<string | undefined> {
	const result = (await db.execute(
		sql`select indexdef from pg_indexes where indexname = ${name}`,
	)) as unknown as { rows: { indexdef: string }[] };
	return result.rows[0]?.indexdef;
}

/** The IDs of a claim list's first page (newest first) with `filter`. */
async function listIds(
	ctx: AppContext,
	actor: Actor,
	filter: Record<string, string> = {},
): Promise<string[]> {
	const page = await listClaimsJson(ctx, actor, {
		sort: "-updatedAt",
		limit: 50,
		...filter,
	});
	return page.items.map((i) => (JSON.parse(i) as { id: string }).id);
}

describe("the claim page's prepared statement on postgres", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("postgres");
	});
	afterAll(async () => t?.close());

	/**
	 * Ana as an actor (through an API token named `name`) and a database handle of ONE
	 * connection, so that a DEALLOCATE on it hits the connection that prepared the
	 * statements. Close `single` at the end.
	 */
	async function anaOnOneConnection(ana: Client, name: string) {
		const { token } = (
			await ana.post("/api/v1/api-tokens", { name })
		).json() as { token: string };
		const actor = await resolveApiToken(t.ctx, token);
		if (!actor) throw new Error("token did not resolve");
		const single = await openDatabase({
			databaseUrl: t.databaseUrl as string,
			poolSize: 1,
		});
		return { actor, single };
	}

	it("a claim is still read when the server connection lost the statement", async () => {
		const ana = await t.login(USERS.ana);
		const created = await ana.post("/api/v1/claims", m365ClaimBody());
		expect(created.statusCode).toBe(201);
		const claimId = (created.json() as { id: string }).id;
		const { actor, single } = await anaOnOneConnection(ana, "prepared");
		try {
			const ctx = { ...t.ctx, db: single.db };
			const claimPage = async () =>
				JSON.parse((await getClaimJson(ctx, actor, claimId)).json) as {
					id: string;
					name: string;
					version: number;
				};
			expect((await claimPage()).id).toBe(claimId);
			expect(await preparedStatementNames(single.db)).toContain(
				"cpor_claim_by_id",
			);
			// An optimistic action's read (src/claims/claim-action.ts) is prepared the same way.
			const rename = (name: string) =>
				performClaimAction(ctx, {
					claimId,
					actor: SYSTEM_ACTOR,
					action: "edit",
					skipTransitionCheck: true,
					optimistic: true,
					apply: async () => ({ name }),
				});
			expect((await rename("Before deallocate")).name).toBe(
				"Before deallocate",
			);
			const names = await preparedStatementNames(single.db);
			expect(names).toContain("cpor_claim_with_parts");
			// Its one write statement too (nameStatementsOnPool), once per text.
			const writes = (n: string[]) =>
				n.filter((x) => x.startsWith("cpor_write_"));
			const [write] = writes(names);
			expect(writes(names)).toEqual([expect.any(String)]);
			expect((await rename("Named twice")).name).toBe("Named twice");
			expect(writes(await preparedStatementNames(single.db))).toEqual([write]);
			// The connection lost the write's name (26000): nothing of it ran, it runs
			// again unnamed, once, and the pool names no more writes.
			await single.db.execute(sql.raw(`deallocate "${write}"`));
			const before = (await claimPage()).version;
			expect((await rename("Write name lost")).name).toBe("Write name lost");
			expect((await claimPage()).version).toBe(before + 1);
			expect((await rename("Unnamed")).name).toBe("Unnamed");
			expect((await claimPage()).version).toBe(before + 2);
			expect(writes(await preparedStatementNames(single.db))).toEqual([]);
			await single.db.execute(sql`deallocate all`);
			expect((await claimPage()).id).toBe(claimId);
			expect((await claimPage()).id).toBe(claimId);
			expect((await rename("After deallocate")).name).toBe("After deallocate");
			expect((await claimPage()).name).toBe("After deallocate");
		} finally {
			await single.close();
		}
	});

	it("R-DSH-1 a claim list's page runs as a named statement per text, and still answers when the server connection lost it", async () => {
		const ana = await t.login(USERS.ana);
		for (const productId of ["onedrive-for-business", "intune"])
			expect(
				(
					await ana.post(
						"/api/v1/claims",
						m365ClaimBody({
							name: `List ${productId}`,
							products: [{ productId }],
						}),
					)
				).statusCode,
			).toBe(201);
		const { actor, single } = await anaOnOneConnection(ana, "lists");
		try {
			const ctx = { ...t.ctx, db: single.db };
			const list = (status?: string) =>
				listIds(ctx, actor, status ? { status } : {});
			const reads = () => namedReads(single.db);
			const all = await list();
			expect(all.length).toBeGreaterThanOrEqual(2);
			const [read] = await reads();
			expect(await reads()).toEqual([read]);
			// The same text again: the same statement; another filter: another one.
			expect(await list()).toEqual(all);
			expect(await reads()).toEqual([read]);
			const drafts = await list("draft");
			expect(drafts.length).toBeGreaterThanOrEqual(2);
			expect(await reads()).toHaveLength(2);
			// The connection lost the page's statement (26000): the page still answers,
			// unnamed (the pool replaced the connection after the error), and the pool
			// names no more statements.
			await single.db.execute(sql.raw(`deallocate "${read}"`));
			expect(await list()).toEqual(all);
			expect(await list("draft")).toEqual(drafts);
			expect(await list()).toEqual(all);
			expect(await reads()).toEqual([]);
		} finally {
			await single.close();
		}
	});

	it("R-DSH-1 a searched claim list is planned for its text (no named statement); one filtered by a tenant is named, and claims_tenant_idx holds the tenant and the partner for its generic plan", async () => {
		const ana = await t.login(USERS.ana);
		const created = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({
				name: "Planned per call",
				products: [{ productId: "viva-engage" }],
			}),
		);
		expect(created.statusCode, created.body).toBe(201);
		const { id, customer } = created.json() as {
			id: string;
			customer: { tenantId: string };
		};
		const { actor, single } = await anaOnOneConnection(ana, "per call");
		try {
			const ctx = { ...t.ctx, db: single.db };
			const list = (filter: Record<string, string>) =>
				listIds(ctx, actor, filter);
			const reads = () => namedReads(single.db);
			expect(await reads()).toEqual([]);
			// The search runs in a transaction of its own without parallel workers, a
			// setting that ends with it.
			const sent: string[] = [];
			const query = pg.Client.prototype.query;
			pg.Client.prototype.query = function (
				this: pg.Client,
				...args: unknown[]
			) {
				const text = typeof args[0] === "string" ? args[0] : undefined;
				const config = args[0] as { text?: string } | undefined;
				sent.push((text ?? config?.text ?? "").trim().toLowerCase());
				return (query as (...a: unknown[]) => unknown).apply(this, args);
			} as typeof query;
			try {
				for (let i = 0; i < 3; i++)
					expect(await list({ q: "Planned per call" })).toEqual([id]);
			} finally {
				pg.Client.prototype.query = query;
			}
			expect(sent.slice(0, 4).map((q) => q.slice(0, 45))).toEqual([
				"begin",
				"set local max_parallel_workers_per_gather = 0",
				expect.stringMatching(/^select /),
				"commit",
			]);
			expect(sent.filter((q) => q === "begin")).toHaveLength(3);
			const shown = (
				(await single.db.execute(
					sql`select current_setting('max_parallel_workers_per_gather') as n`,
				)) as unknown as { rows: { n: string }[] }
			).rows[0]?.n;
			expect(shown).not.toBe("0");
			expect(await reads()).toEqual([]);
			expect(
				await list({ tenantId: customer.tenantId.toUpperCase() }),
			).toContain(id);
			const [named] = await reads();
			expect(named).toBeDefined();
			// Its generic plan (made once for any partner and tenant) has one index with
			// both (with 200,000 partners it ANDed the partner's whole index with the
			// tenant's; docs/performance.md, session 22). On these few rows the planner
			// walks the partner's index in the list's order instead, so the index is checked.
			expect(await indexDefinition(single.db, "claims_tenant_idx")).toMatch(
				/\(tenant_id, partner_organization_id\)$/,
			);
		} finally {
			await single.close();
		}
	});

	it("R-DSH-1 R-CMP-2 a claim list's competing filter is a literal predicate in its named statement, so a generic plan can use the partial indexes WHERE competing", async () => {
		const ana = await t.login(USERS.ana);
		const { actor, single } = await anaOnOneConnection(ana, "competing");
		try {
			const ctx = { ...t.ctx, db: single.db };
			const statements = async () =>
				(
					(await single.db.execute(
						sql`select statement, cardinality(parameter_types) as params from pg_prepared_statements where name like 'cpor_read_%'`,
					)) as unknown as { rows: { statement: string; params: number }[] }
				).rows;
			for (const competing of ["true", "false"])
				await listIds(ctx, actor, { competing });
			const named = await statements();
			expect(named).toHaveLength(2);
			// The partner and the limit are parameters; the competing flag is not.
			for (const { params } of named) expect(Number(params)).toBe(2);
			expect(
				named
					.map((n) => /(not )?"claims"\."competing"/.exec(n.statement)?.[0])
					.sort(),
			).toEqual(['"claims"."competing"', 'not "claims"."competing"']);
		} finally {
			await single.close();
		}
	});

	it("R-DSH-1 a claim list filtered by an MPN ID with no claims is empty, and claims_org_mpn_updated_idx holds the partner and the MPN ID in the list's order", async () => {
		const ana = await t.login(USERS.ana);
		expect(
			(
				await ana.post(
					"/api/v1/claims",
					m365ClaimBody({
						name: "By MPN ID",
						products: [{ productId: "entra-id-p1" }],
					}),
				)
			).statusCode,
		).toBe(201);
		const { actor, single } = await anaOnOneConnection(ana, "mpn");
		try {
			const ctx = { ...t.ctx, db: single.db };
			const list = (mpnId: string) => listIds(ctx, actor, { mpnId });
			expect(
				(await list(DEMO_IDS.mpnIds.fabrikamEnrolled)).length,
			).toBeGreaterThan(0);
			expect(await list(DEMO_IDS.mpnIds.fabrikamUnenrolled)).toEqual([]);
			// Without it a rare MPN ID's page read all of its partner's claims (1.1 s at
			// 1,000,000 claims).
			expect(
				await indexDefinition(single.db, "claims_org_mpn_updated_idx"),
			).toMatch(/\(partner_organization_id, mpn_id, updated_at, id\)$/);
		} finally {
			await single.close();
		}
	});

	it("a user's API tokens and an organization's webhooks are listed newest first from an index in that order, not by reading and sorting every row", async () => {
		const ana = await t.login(USERS.ana);
		const created = await ana.post("/api/v1/api-tokens", { name: "indexed" });
		expect(created.statusCode, created.body).toBe(201);
		const listed = (await ana.get("/api/v1/api-tokens")).json() as {
			items: { name: string }[];
		};
		expect(listed.items.map((k) => k.name)).toContain("indexed");
		// With 200,000 tokens of one user the first page took 40.6-42.7 ms on an index of the
		// user alone (a parallel scan and a sort), 0.03-0.08 ms on this one.
		expect(
			await indexDefinition(t.ctx.db, "api_tokens_user_created_idx"),
		).toMatch(/\(user_id, created_at, id\)$/);
		expect(await indexDefinition(t.ctx.db, "webhooks_org_created_idx")).toMatch(
			/\(organization_id, created_at, id\)$/,
		);
	});

	it("R-CMP-1 the directory facts (one prepared call of cpor_directory_facts) still refuse a duplicate after the server connection lost the statement", async () => {
		const { actor, single } = await anaOnOneConnection(
			await t.login(USERS.ana),
			"facts",
		);
		try {
			const ctx = { ...t.ctx, db: single.db };
			const create = (productId: string) =>
				createClaim(ctx, {
					actor,
					input: m365ClaimBody({ products: [{ productId }] }) as never,
				});
			const first = await create("exchange-online");
			expect(first.status).toBe("draft");
			const names = await preparedStatementNames(single.db);
			expect(names).toContain("cpor_directory_facts");
			await expect(create("exchange-online")).rejects.toMatchObject({
				code: "workload_already_claimed",
			});
			await single.db.execute(sql`deallocate all`);
			// Inside a transaction the statement goes unnamed: a missing name there would
			// abort the whole transaction.
			const facts = await single.db.transaction((tx) =>
				readDirectoryFacts(tx, {
					organizationId: actor.organizationId as string,
					mpnId: first.mpnId,
					tenantId: first.customer.tenantId,
					lines: [{ productId: "exchange-online" }],
					duplicates: { solutionArea: "microsoft_365", activity: "usage" },
				}),
			);
			expect(facts.taken).toEqual([
				{
					claimKey: expect.stringContaining(":exchange-online"),
					claimId: first.id,
				},
			]);
			await expect(create("exchange-online")).rejects.toMatchObject({
				code: "workload_already_claimed",
			});
			expect((await create("sharepoint-online")).status).toBe("draft");
		} finally {
			await single.close();
		}
	});
});

describe("named prepared statements on pglite", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite");
	});
	afterAll(async () => t?.close());

	const preparedNames = () => preparedStatementNames(t.ctx.db);

	it("the claim page, an optimistic action's read, the directory facts and the claim writes run as named statements, and still answer after DEALLOCATE ALL", async () => {
		const ana = await t.login(USERS.ana);
		const created = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({ products: [{ productId: "exchange-online" }] }),
		);
		expect(created.statusCode, created.body).toBe(201);
		const id = (created.json() as { id: string }).id;
		const page = await ana.get(`/api/v1/claims/${id}`);
		expect(page.statusCode).toBe(200);
		const renamed = await ana.patch(
			`/api/v1/claims/${id}`,
			{ name: "Renamed once" },
			{ "if-match": page.headers.etag as string },
		);
		expect(renamed.statusCode, renamed.body).toBe(200);
		const upload = await ana.upload(
			`/api/v1/claims/${id}/documents`,
			samplePdf(),
			"sow.pdf",
		);
		expect(upload.statusCode, upload.body).toBe(201);
		const names = await preparedNames();
		expect(names).toEqual(
			expect.arrayContaining([
				"cpor_claim_by_id",
				"cpor_claim_with_parts",
				"cpor_directory_facts",
			]),
		);
		// The create's and the upload's one write statement (nameStatements; the edit
		// runs in a transaction, whose statements stay unnamed).
		expect(names.filter((n) => n.startsWith("cpor_write_"))).toHaveLength(2);
		// A claim list's page: one named statement per text.
		const listed = await ana.get("/api/v1/claims?limit=50");
		expect(listed.statusCode, listed.body).toBe(200);
		expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(id);
		expect(
			(await preparedNames()).filter((n) => n.startsWith("cpor_read_")),
		).toHaveLength(1);
		// The named statement answers what the unnamed one answered.
		expect((await ana.get(`/api/v1/claims/${id}`)).json()).toEqual(
			upload.json().claim ?? upload.json(),
		);

		await t.ctx.db.execute(sql`deallocate all`);
		// The same write text as before: prepared again (26000) and run.
		const second = await ana.upload(
			`/api/v1/claims/${id}/documents`,
			samplePdf(),
			"sow-2.pdf",
		);
		expect(second.statusCode, second.body).toBe(201);
		const again = await ana.get(`/api/v1/claims/${id}`);
		expect(again.statusCode).toBe(200);
		expect(again.json().name).toBe("Renamed once");
		// The page's statement: prepared again and run.
		expect((await ana.get("/api/v1/claims?limit=50")).json().items).toEqual(
			expect.arrayContaining([expect.objectContaining({ id })]),
		);
		const submitted = await ana.post(
			`/api/v1/claims/${id}/submit`,
			{},
			{ "if-match": again.headers.etag as string },
		);
		expect(submitted.statusCode, submitted.body).toBe(200);
		const duplicate = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({ products: [{ productId: "exchange-online" }] }),
		);
		expect(duplicate.statusCode).toBe(409);
		expect(duplicate.json().code).toBe("workload_already_claimed");
	});
});

describe("a named statement's results on pglite", () => {
	it("a named statement, described once, answers what query() answers: fields, rows in both row modes, an empty result, a write's affected rows, and a new description after DEALLOCATE", async () => {
		const pg = new PGlite();
		try {
			await pg.exec(`create table t (id int primary key, name text, doc jsonb, at timestamptz);
				insert into t values (1, 'one', '{"a":1}', '2026-11-24 09:00+00'), (2, null, null, null);`);
			const cases: [string, string, unknown[], QueryOptions | undefined][] = [
				["rows", "select * from t where id <= $1 order by id", [2], undefined],
				[
					"array",
					"select id, doc from t where id <= $1 order by id",
					[2],
					{ rowMode: "array" },
				],
				["none", "select name from t where id = $1", [9], undefined],
				["write", "update t set name = $1 where id <= 2", ["x"], undefined],
				[
					"returning",
					"update t set name = $1 where id = 1 returning id, name",
					["y"],
					undefined,
				],
			];
			for (const [name, text, params, options] of cases) {
				const named = namedStatementClient(pg, `probe_${name}`);
				// Twice: the second call runs the prepared statement.
				for (let i = 0; i < 2; i++) {
					const expected = await pg.query(text, params, options);
					const actual = await named.query(text, params, options);
					expect(actual, `${name} #${i}`).toEqual(expected);
				}
			}
			// The prepared statement is gone and the table has another column: prepared and
			// described again, it answers with the new column.
			await pg.exec("deallocate all; alter table t add column extra int");
			const named = namedStatementClient(pg, "probe_rows");
			const text = "select * from t where id <= $1 order by id";
			const after = await named.query(text, [1]);
			expect(after).toEqual(await pg.query(text, [1]));
			expect(after.fields.map((f) => f.name)).toContain("extra");
		} finally {
			await pg.close();
		}
	});
});

describe("Drizzle's type parsers on pglite", () => {
	it("Drizzle's PGlite driver asks for exactly DRIZZLE_TEXT_TYPES as text, each left as it is", async () => {
		const database = await openDatabase({ dataDir: "memory://" });
		try {
			const query = database.db
				.select({ at: claims.createdAt })
				.from(claims)
				.prepare("parsers_probe") as unknown as {
				queryConfig: { parsers: Record<string, (v: string) => unknown> };
				rawQueryConfig: { parsers: Record<string, (v: string) => unknown> };
			};
			for (const config of [query.queryConfig, query.rawQueryConfig]) {
				expect(Object.keys(config.parsers).map(Number).sort()).toEqual(
					[...DRIZZLE_TEXT_TYPES].sort(),
				);
				for (const parser of Object.values(config.parsers))
					expect(parser("2026-11-23 09:00:00.5+00")).toBe(
						"2026-11-23 09:00:00.5+00",
					);
			}
		} finally {
			await database.close();
		}
	});

	it("queries reach PGlite without Drizzle's parsers, and values keep their types, in and outside a transaction", async () => {
		// Record the options PGlite's own query() gets, and a transaction's query()
		// (keepDrizzleTypesAsText, installed by openDatabase, binds the prototype's query
		// and transaction at that moment, and wraps a transaction's query in turn).
		const seen: (QueryOptions | undefined)[] = [];
		const seenInTx: (QueryOptions | undefined)[] = [];
		const originalQuery = PGlite.prototype.query;
		const originalTransaction = PGlite.prototype.transaction;
		PGlite.prototype.query = function (
			this: PGlite,
			...args: Parameters<PGlite["query"]>
		) {
			seen.push(args[2]);
			return originalQuery.apply(this, args);
		} as PGlite["query"];
		PGlite.prototype.transaction = function (
			this: PGlite,
			callback: Parameters<PGlite["transaction"]>[0],
		) {
			return originalTransaction.call(this, (tx) => {
				const query = tx.query.bind(tx);
				tx.query = ((...args: Parameters<typeof tx.query>) => {
					seenInTx.push(args[2]);
					return query(...args);
				}) as typeof tx.query;
				return callback(tx);
			});
		} as PGlite["transaction"];
		const database = await openDatabase({ dataDir: "memory://" }).finally(
			() => {
				PGlite.prototype.query = originalQuery;
				PGlite.prototype.transaction = originalTransaction;
			},
		);
		try {
			await migrateDatabase(database);
			const probe = sql`select timestamptz '2026-11-23 09:00:00.5+00' as at,
				date '2026-11-23' as day, interval '1 day' as span, 7 as n, '{"a":1}'::jsonb as doc,
				array[timestamptz '2026-11-23 09:00:00.5+00'] as ats, array[1.5]::numeric[] as nums`;
			const raw = (await database.db.execute(probe)) as unknown as {
				rows: Record<string, unknown>[];
			};
			const inTx = await database.db.transaction(
				async (tx) =>
					(await tx.execute(probe)) as unknown as {
						rows: Record<string, unknown>[];
					},
			);
			for (const rows of [raw.rows, inTx.rows])
				expect(rows[0]).toEqual({
					at: "2026-11-23 09:00:00.5+00",
					day: "2026-11-23",
					span: "1 day",
					n: 7,
					doc: { a: 1 },
					ats: '{"2026-11-23 09:00:00.5+00"}',
					nums: "{1.5}",
				});
			// Through Drizzle's select, a timestamp is still mapped to a Date.
			const [claim] = await database.db
				.select({
					at: sql`timestamptz '2026-11-23 09:00:00.5+00'`.mapWith(
						claims.createdAt,
					),
				})
				.from(sql`(select 1) as one`);
			expect(claim?.at).toEqual(new Date("2026-11-23T09:00:00.500Z"));
			// Every query, in and outside the transaction, reached PGlite without parsers.
			expect(seen.length).toBeGreaterThan(2);
			expect(seenInTx.length).toBeGreaterThan(0);
			for (const options of [...seen, ...seenInTx])
				expect(options?.parsers).toBeUndefined();
		} finally {
			await database.close();
		}
	});
});
