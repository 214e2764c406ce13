/**
 * The embedded database (PGlite): its page cache (shared_buffers) is set from
 * CPOR_PGLITE_CACHE_MB, default 16 MB, so an idle server does not hold PGlite's own
 * 128 MB default in resident memory (issue 5, embedded memory goal); and the background
 * work keeps its planner statistics and vacuums while the server is idle, which
 * PostgreSQL's autovacuum would; and one process at a time opens a data directory.
 */
import { spawnSync } from "node:child_process";
import {
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { DEFAULT_PGLITE_CACHE_MB, openDatabase } from "../../src/db/client.ts";
import { DATA_DIR_LOCK_FILE } from "../../src/db/data-dir-lock.ts";
import { analyzeGrownTables } from "../../src/db/planner-statistics.ts";
import { tablesDueForVacuum, vacuumDueTables } from "../../src/db/vacuum.ts";
import { buildServer } from "../../src/http/server.ts";
import { startSweeper, VACUUM_IDLE_MS } from "../../src/jobs/sweeper.ts";
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

		// A table whose rows are all gone (until a VACUUM, its pages stay) gets no
		// statistics from ANALYZE, and is not analyzed again and again for that.
		await t.ctx.db.execute(sql`insert into claim_status_deltas
			(partner_organization_id, status, solution_area, activity, mpn_id, competing, delta)
			select 'fabrikam', 'draft', 'microsoft_365', 'usage', '1234567', false, 0
			from generate_series(1, 3000)`);
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

describe("embedded database VACUUM while idle", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite");
	});
	afterAll(async () => t?.close());

	const deadRows = async (table: string) => {
		await t.ctx.db.execute(sql`select pg_stat_force_next_flush()`);
		const res = (await t.ctx.db.execute(
			sql`select n_dead_tup::int as n from pg_stat_user_tables where relname = ${table}`,
		)) as unknown as { rows: { n: number }[] };
		return Number(res.rows[0]?.n);
	};
	const dueTables = async () =>
		(await tablesDueForVacuum(t.ctx.db)).map((d) => d.table);

	it("vacuums the tables autovacuum would, most dead rows first, once the server has had no request for 30 s, and stops before the next table when a request comes", async () => {
		// 3,000 dead row versions in one table, 5,000 new rows in another.
		await t.ctx.db.execute(sql`insert into claim_status_deltas
			(partner_organization_id, status, solution_area, activity, mpn_id, competing, delta)
			select 'fabrikam', 'draft', 'microsoft_365', 'usage', '1234567', false, 0
			from generate_series(1, 3000)`);
		await t.ctx.db.execute(sql`delete from claim_status_deltas`);
		await t.ctx.db.execute(sql`insert into tenants (tenant_id, name)
			select 'vacuum-' || g, 'Vacuum tenant ' || g from generate_series(1, 5000) g`);
		expect(await deadRows("claim_status_deltas")).toBe(3000);
		const due = await dueTables();
		expect(due[0]).toBe("claim_status_deltas");
		expect(due).toContain("tenants");

		// A request comes before the next table: one table is vacuumed, the first.
		let asked = 0;
		const one = await vacuumDueTables(t.ctx.db, () => asked++ === 0);
		expect(one.map((v) => v.table)).toEqual(["claim_status_deltas"]);
		expect(await deadRows("claim_status_deltas")).toBe(0);
		expect(await dueTables()).not.toContain("claim_status_deltas");
		expect(await dueTables()).toContain("tenants");

		// The server's requests set the time of the last one.
		const activity = { lastRequestAt: 0 };
		const app = await buildServer(t.ctx, { activity });
		try {
			const before = Date.now();
			expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
			expect(activity.lastRequestAt).toBeGreaterThanOrEqual(before);
		} finally {
			await app.close();
		}

		// The sweeper leaves the tables alone while requests come, and vacuums them once
		// the last one is VACUUM_IDLE_MS old.
		const vacuumed: { line: string; at: number }[] = [];
		const stop = startSweeper(t.ctx, {
			intervalMs: 20,
			lastRequestAt: () => activity.lastRequestAt,
			info: (line) => vacuumed.push({ line, at: Date.now() }),
		});
		try {
			activity.lastRequestAt = Date.now();
			await new Promise((r) => setTimeout(r, 300));
			const idleFrom = Date.now();
			activity.lastRequestAt = idleFrom - VACUUM_IDLE_MS;
			await expect
				.poll(() => vacuumed.map((v) => v.line).join("\n"), {
					timeout: 10_000,
				})
				.toMatch(
					/^vacuumed while idle: .*\btenants in \d+ ms \([\d.]+ -> [\d.]+ MB\)/,
				);
			for (const v of vacuumed) expect(v.at).toBeGreaterThanOrEqual(idleFrom);
		} finally {
			await stop();
		}
		expect(await dueTables()).toEqual([]);
	});
});

describe("embedded database directory: one process at a time", () => {
	let dataDir: string;
	beforeAll(() => {
		dataDir = mkdtempSync(path.join(tmpdir(), "cpor-lock-"));
	});
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
	const lockFile = () => path.join(dataDir, "pglite", DATA_DIR_LOCK_FILE);

	it("a second open of a directory in use is refused, naming the holder and what to do; after close it opens", async () => {
		const first = await openDatabase({ dataDir });
		try {
			expect(JSON.parse(readFileSync(lockFile(), "utf8"))).toMatchObject({
				pid: process.pid,
			});
			const second = await openDatabase({ dataDir }).catch((e: Error) => e);
			expect(second).toBeInstanceOf(Error);
			expect((second as Error).message).toContain(
				`in use by another CPOR process (pid ${process.pid}`,
			);
			expect((second as Error).message).toContain(
				"POST /api/v1/admin/directory/import",
			);
		} finally {
			await first.close();
		}
		expect(existsSync(lockFile())).toBe(false);
		const again = await openDatabase({ dataDir });
		await again.close();
	});

	it("`cpor migrate` on a directory a server holds exits with the message, and the server keeps the directory", async () => {
		const held = await openDatabase({ dataDir });
		try {
			const run = spawnSync(process.execPath, ["bin/cpor.js", "migrate"], {
				env: { ...process.env, CPOR_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
				encoding: "utf8",
				timeout: 60_000,
			});
			expect(run.status, run.stdout + run.stderr).not.toBe(0);
			expect(run.stderr).toContain("is in use by another CPOR process");
			expect(JSON.parse(readFileSync(lockFile(), "utf8")).pid).toBe(
				process.pid,
			);
		} finally {
			await held.close();
		}
	});

	it("a lock left by a process that is gone (a crash) is taken over", async () => {
		// A child that has exited: its pid is no longer alive.
		const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
		writeFileSync(
			lockFile(),
			JSON.stringify({
				pid: gone,
				host: hostname(),
				since: "2026-11-01T00:00:00Z",
			}),
		);
		const database = await openDatabase({ dataDir });
		try {
			expect(JSON.parse(readFileSync(lockFile(), "utf8")).pid).toBe(
				process.pid,
			);
		} finally {
			await database.close();
		}
	});
});
