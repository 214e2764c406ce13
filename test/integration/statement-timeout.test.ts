/**
 * CPOR_STATEMENT_TIMEOUT_MS on PostgreSQL: a server's statements are stopped past it, the
 * request gets `503 statement_timeout` with nothing changed, and migrations run without it.
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/db/client.ts";
import {
	createTestDatabase,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

describe("a PostgreSQL statement past the server's statement timeout", () => {
	let a: TestApp;
	let limited: TestApp;
	beforeAll(async () => {
		a = await startTestApp("postgres");
		limited = await startTestApp("postgres", {
			databaseUrl: a.databaseUrl as string,
			statementTimeoutMs: 300,
		});
	});
	afterAll(async () => {
		await limited?.close();
		await a?.close();
	});

	it("is stopped: the request gets 503 statement_timeout, nothing is changed, and the next request is answered", async () => {
		const ana = await limited.login(USERS.ana);
		const made = await ana.post(
			`${API}/claims`,
			m365ClaimBody({ name: "Held" }),
		);
		expect(made.statusCode, made.body).toBe(201);
		const claim = made.json() as { id: string; version: number };
		// Another session holds the claim's row, so the edit waits past the timeout.
		const holder = new pg.Client({ connectionString: a.databaseUrl });
		await holder.connect();
		try {
			await holder.query("begin");
			await holder.query("select 1 from claims where id = $1 for update", [
				claim.id,
			]);
			const edit = await ana.patch(
				`${API}/claims/${claim.id}`,
				{ name: "Renamed" },
				{ "if-match": `"${claim.version}"` },
			);
			expect(edit.statusCode, edit.body).toBe(503);
			expect(edit.headers["content-type"]).toContain(
				"application/problem+json",
			);
			expect(edit.json()).toMatchObject({
				code: "statement_timeout",
				status: 503,
				detail: expect.stringContaining("nothing was changed"),
			});
		} finally {
			await holder.query("rollback");
			await holder.end();
		}
		const after = (await ana.get(`${API}/claims/${claim.id}`)).json() as {
			name: string;
			version: number;
		};
		expect(after).toMatchObject({ name: "Held", version: claim.version });
		const again = await ana.patch(
			`${API}/claims/${claim.id}`,
			{ name: "Renamed" },
			{ "if-match": `"${claim.version}"` },
		);
		expect(again.statusCode, again.body).toBe(200);
		expect(again.json()).toMatchObject({ name: "Renamed" });
	});

	it("migrations run on a connection without it", async () => {
		const database = await openDatabase({
			databaseUrl: await createTestDatabase(),
			poolSize: 2,
			statementTimeoutMs: 1,
		});
		try {
			await expect(
				database.db.execute(sql`select pg_sleep(0.2)`),
			).rejects.toMatchObject({ cause: { code: "57014" } });
			// Several of the migrations' statements take longer than 1 ms (on the pool they
			// are stopped: checked by running them there); none is stopped here.
			await migrateDatabase(database);
			// Counted on a connection without the 1-ms limit too: on a busy machine even this
			// read took longer on the pool (a CI run stopped it there).
			const own = await database.unlimited?.();
			if (!own)
				throw new Error("a database with a statement timeout has unlimited()");
			try {
				const rows = (
					(await own.db.execute(
						sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
					)) as unknown as { rows: { n: number }[] }
				).rows;
				expect(rows[0]?.n).toBeGreaterThanOrEqual(20);
			} finally {
				await own.close();
			}
		} finally {
			await database.close();
		}
	});
});
