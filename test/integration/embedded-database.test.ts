/**
 * The embedded database (PGlite): its page cache (shared_buffers) is set from
 * CPOR_PGLITE_CACHE_MB, default 16 MB, so an idle server does not hold PGlite's own
 * 128 MB default in resident memory (issue 5, embedded memory goal); and the background
 * work keeps its planner statistics, which PostgreSQL's autovacuum would.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { DEFAULT_PGLITE_CACHE_MB, openDatabase } from "../../src/db/client.ts";
import { analyzeGrownTables } from "../../src/db/planner-statistics.ts";
import { startSweeper } from "../../src/jobs/sweeper.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

async function sharedBuffers(pgliteCacheMb?: number): Promise<string> {
	const database = await openDatabase({
		dataDir: "memory://",
		...(pgliteCacheMb ? { pgliteCacheMb } : {}),
	});
	try {
		const result = (await database.db.execute(sql`show shared_buffers`)) as {
			rows: { shared_buffers: string }[];
		};
		return result.rows[0]?.shared_buffers ?? "";
	} finally {
		await database.close();
	}
}

describe("embedded database settings", () => {
	it("uses a 16 MB page cache by default and CPOR_PGLITE_CACHE_MB otherwise", async () => {
		expect(DEFAULT_PGLITE_CACHE_MB).toBe(16);
		expect(loadConfig({}).pgliteCacheMb).toBe(16);
		expect(await sharedBuffers()).toBe("16MB");
		const config = loadConfig({ CPOR_PGLITE_CACHE_MB: "48" });
		expect(config.pgliteCacheMb).toBe(48);
		expect(await sharedBuffers(config.pgliteCacheMb)).toBe("48MB");
	});

	it("refuses a page cache below 1 MB with the variable's name", () => {
		expect(() => loadConfig({ CPOR_PGLITE_CACHE_MB: "0" })).toThrow(
			/CPOR_PGLITE_CACHE_MB/,
		);
	});
});

describe("embedded database planner statistics", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite");
	});
	afterAll(async () => t?.close());

	const statistics = async (table: string) =>
		Number(
			(
				(await t.ctx.db.execute(
					sql`select count(*)::int as n from pg_statistic where starelid = ${table}::regclass`,
				)) as unknown as { rows: { n: number }[] }
			).rows[0]?.n,
		);

	it("analyzes the tables that hold data without statistics, then only those that grew", async () => {
		// As after an import into a directory that was never analyzed.
		await t.ctx.db.execute(sql`delete from pg_statistic`);
		expect(await statistics("tenants")).toBe(0);

		// The sweeper's first round on this database analyzes them.
		const stop = startSweeper(t.ctx, { intervalMs: 20 });
		try {
			await expect
				.poll(() => statistics("tenants"), { timeout: 10_000 })
				.toBeGreaterThan(0);
		} finally {
			await stop();
		}
		expect(await statistics("subscriptions")).toBeGreaterThan(0);
		// Nothing grew since: nothing to do.
		expect(await analyzeGrownTables(t.ctx.db)).toEqual([]);

		// A table whose rows are all gone (PGlite never vacuums: its pages stay) gets no
		// statistics from ANALYZE, and is not analyzed again and again for that.
		await t.ctx.db.execute(sql`insert into claim_status_deltas (partner_organization_id, status, delta)
			select 'fabrikam', 'draft', 0 from generate_series(1, 3000)`);
		await t.ctx.db.execute(sql`delete from claim_status_deltas`);
		expect(await analyzeGrownTables(t.ctx.db)).toEqual(["claim_status_deltas"]);
		expect(await statistics("claim_status_deltas")).toBe(0);
		expect(await analyzeGrownTables(t.ctx.db)).toEqual([]);

		// 5,000 tenants more: the table grew by more than a tenth and 8 pages.
		await t.ctx.db.execute(sql`insert into tenants (tenant_id, name)
			select 'grown-' || g, 'Grown tenant ' || g from generate_series(1, 5000) g`);
		expect(await analyzeGrownTables(t.ctx.db)).toEqual(["tenants"]);
		const analyzed = (await t.ctx.db.execute(
			sql`select reltuples::int as n from pg_class where relname = 'tenants'`,
		)) as unknown as { rows: { n: number }[] };
		expect(analyzed.rows[0]?.n).toBeGreaterThan(5000);
		expect(await analyzeGrownTables(t.ctx.db)).toEqual([]);
	});
});
