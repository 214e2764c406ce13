import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

describe("test PostgreSQL server (global setup)", () => {
	const url = inject("pgUrl");
	let client: pg.Client;

	beforeAll(async () => {
		client = new pg.Client({ connectionString: url });
		await client.connect();
	});

	afterAll(async () => {
		await client?.end();
	});

	it("is PostgreSQL 15", async () => {
		const { rows } = await client.query<{ version: string }>(
			"select version()",
		);
		expect(rows[0]?.version).toContain("PostgreSQL 15");
	});

	it("exposes the same URL to child processes via CPOR_TEST_PG_URL", () => {
		expect(process.env.CPOR_TEST_PG_URL).toBe(url);
	});

	it("can create, use and drop a database", async () => {
		const name = `cpor_harness_${process.pid}_${Date.now()}`;
		await client.query(`create database "${name}"`);
		try {
			const dbUrl = new URL(url);
			dbUrl.pathname = `/${name}`;
			const other = new pg.Client({ connectionString: dbUrl.toString() });
			await other.connect();
			try {
				const { rows } = await other.query<{ db: string }>(
					"select current_database() as db",
				);
				expect(rows[0]?.db).toBe(name);
			} finally {
				await other.end();
			}
		} finally {
			await client.query(`drop database "${name}"`);
		}
		const { rows } = await client.query(
			"select 1 from pg_database where datname = $1",
			[name],
		);
		expect(rows).toHaveLength(0);
	});
});
