/**
 * A slow report read whose client goes away is cancelled on PostgreSQL
 * (src/db/cancellable.ts): the usage slice, the usage tab's customer search, the
 * dashboard's counts for a search and the earnings keys stop at once, while a request
 * that stays is answered. Each read is held up by a table lock that another session
 * keeps, so it can only end early by being cancelled.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type Client,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

/** Polls `check` every 50 ms until it returns a value other than undefined, or throws after `ms`. */
async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined>,
	ms = 10_000,
): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe("a slow report read whose client goes away (PostgreSQL)", () => {
	let t: TestApp;
	let ana: Client;
	let base: string;
	let holder: pg.Client;
	let observer: pg.Client;
	/** The lock holder's backend. */
	let holderPid: number;
	beforeAll(async () => {
		t = await startTestApp("postgres");
		ana = await t.login(USERS.ana);
		await t.app.listen({ port: 0, host: "127.0.0.1" });
		base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
		holder = new pg.Client({ connectionString: t.databaseUrl });
		observer = new pg.Client({ connectionString: t.databaseUrl });
		await holder.connect();
		await observer.connect();
		holderPid = (
			await holder.query<{ pid: number }>("select pg_backend_pid() as pid")
		).rows[0]?.pid as number;
	}, 60_000);
	afterAll(async () => {
		await holder?.end();
		await observer?.end();
		await t?.close();
	});

	/** The backend waiting on a lock with a statement that mentions `marker`, if any. */
	const waiting = async (marker: string) => {
		const { rows } = await observer.query<{ pid: number }>(
			`select pid from pg_stat_activity
			 where wait_event_type = 'Lock' and state = 'active' and query like $1 and pid <> $2`,
			[`%${marker}%`, holderPid],
		);
		return rows[0]?.pid;
	};
	/** Starts GET `path` as Ana over a real socket; resolves to its status, or "aborted". */
	const start = (path: string) => {
		const req = http.request(`${base}${path}`, {
			headers: { cookie: ana.cookie as string },
		});
		const answered = new Promise<number | "aborted">((resolve) => {
			req.on("response", (res) => {
				res.resume();
				res.on("end", () => resolve(res.statusCode ?? 0));
			});
			req.on("error", () => resolve("aborted"));
		});
		req.end();
		return { req, answered };
	};

	for (const c of [
		{
			name: "the usage slice",
			path: "/api/v1/reports/usage?limit=10",
			table: "usage_records",
			marker: "usage_records",
		},
		{
			name: "the usage tab's customer search",
			path: "/api/v1/reports/usage/customers?q=contoso",
			table: "tenants",
			marker: "domain_matches",
		},
		{
			name: "the dashboard's counts for a search",
			path: "/api/v1/claims/counts?q=contoso",
			table: "claim_search",
			marker: "claim_search",
		},
		{
			name: "the earnings report's keys",
			path: "/api/v1/reports/earnings?limit=10",
			table: "claims",
			marker: "jsonb_array_elements(c.eligibility)",
		},
	]) {
		it(`${c.name}: stopped while the lock is still held when the client goes away, and answered when it stays`, async () => {
			await holder.query("begin");
			await holder.query(`lock table ${c.table} in access exclusive mode`);
			try {
				const gone = start(c.path);
				const pid = await waitFor("the read to wait on the lock", () =>
					waiting(c.marker),
				);
				gone.req.destroy();
				expect(await gone.answered).toBe("aborted");
				// Still locked: the read can only have ended by being cancelled.
				await waitFor("the read to be cancelled", async () => {
					const { rows } = await observer.query(
						"select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'",
						[pid],
					);
					return rows.length === 0 ? true : undefined;
				});
				const { rows: stillHeld } = await observer.query(
					"select 1 from pg_locks where pid = $1 and mode = 'AccessExclusiveLock' and granted",
					[holderPid],
				);
				expect(stillHeld).toHaveLength(1);

				// A request that stays waits for the lock and is answered.
				const stays = start(c.path);
				await waitFor("the second read to wait on the lock", () =>
					waiting(c.marker),
				);
				await holder.query("rollback");
				expect(await stays.answered).toBe(200);
			} finally {
				await holder.query("rollback");
			}
			// The cancelled read's connection went back to the pool in working order.
			const again = await ana.get(c.path);
			expect(again.statusCode, again.body).toBe(200);
		});
	}
});
