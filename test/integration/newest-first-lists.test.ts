/**
 * GET /api-tokens and GET /webhooks: newest first, a page at a time (API.md "Lists are
 * cursor-paginated"; src/db/newest-first.ts), on both databases.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followPages } from "../support/follow-pages.ts";
import {
	type DbKind,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

type Listed = { id: string; createdAt: string };

/** The rows' IDs in the order the database holds for newest first (its microseconds). */
async function newestFirstIds(
	t: TestApp,
	table: "api_tokens" | "webhooks",
	ids: readonly string[],
): Promise<string[]> {
	const res = (await t.ctx.db.execute(
		sql`select id from ${sql.identifier(table)} where id in ${ids} order by created_at desc, id desc`,
	)) as unknown as { rows: { id: string }[] };
	return res.rows.map((r) => r.id);
}

for (const kind of ["pglite", "postgres"] as DbKind[]) {
	describe(`newest-first lists on ${kind}`, () => {
		let t: TestApp;
		beforeAll(async () => {
			t = await startTestApp(kind);
		});
		afterAll(async () => t?.close());

		it("R-NTF-1 GET /webhooks lists the organization's live subscriptions newest first, each once across pages, even within one millisecond", async () => {
			const [ana, nora] = await Promise.all([
				t.login(USERS.ana),
				t.login(USERS.nora),
			]);
			const ids: string[] = [];
			for (let i = 0; i < 7; i++) {
				const res = await ana.post(`${API}/webhooks`, {
					url: `https://crm.fabrikam.example/hook/${i}`,
				});
				expect(res.statusCode, res.body).toBe(201);
				ids.push(res.json().id);
			}
			const [oldest, , , , , sameMsA, sameMsB] = ids as [
				string,
				string,
				string,
				string,
				string,
				string,
				string,
			];
			// The sandbox clock stands still: the first five share their time and go by ID.
			// Two share a millisecond but not a microsecond; one is a day older.
			await t.ctx.db.execute(
				sql`update webhooks set created_at = created_at + interval '1 hour 0.000100 second' where id = ${sameMsA}`,
			);
			await t.ctx.db.execute(
				sql`update webhooks set created_at = created_at + interval '1 hour 0.000900 second' where id = ${sameMsB}`,
			);
			await t.ctx.db.execute(
				sql`update webhooks set created_at = created_at - interval '1 day' where id = ${oldest}`,
			);
			const deleted = ids[2] as string;
			expect((await ana.del(`${API}/webhooks/${deleted}`)).statusCode).toBe(
				204,
			);
			const other = await nora.post(`${API}/webhooks`, {
				url: "https://crm.northwind.example/hook",
			});
			expect(other.statusCode, other.body).toBe(201);

			const live = ids.filter((id) => id !== deleted);
			const expected = await newestFirstIds(t, "webhooks", live);
			expect(expected.slice(0, 2)).toEqual([sameMsB, sameMsA]);
			expect(expected.at(-1)).toBe(oldest);
			for (const limit of [1, 2, 4, 50]) {
				const pages = await followPages<Listed>(ana, "/webhooks", limit);
				expect(
					pages.flat().map((w) => w.id),
					`limit ${limit}`,
				).toEqual(expected);
				expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
			}
			// A cursor naming another organization's row reads nothing of Northwind's (its one
			// subscription is older than that row) and says nothing of Fabrikam's.
			const foreign = Buffer.from(JSON.stringify([sameMsB])).toString(
				"base64url",
			);
			const probe = await nora.get(`${API}/webhooks?cursor=${foreign}`);
			expect(probe.statusCode, probe.body).toBe(200);
			expect(probe.json()).toEqual({ items: [], nextCursor: null });
			expect(
				(await nora.get(`${API}/webhooks`))
					.json()
					.items.map((w: Listed) => w.id),
			).toEqual([other.json().id]);
			// Without a limit: 50 a page, and a last page says there is no next.
			const first = (await ana.get(`${API}/webhooks`)).json();
			expect(first.items.map((w: Listed) => w.id)).toEqual(expected);
			expect(first.nextCursor).toBeNull();
		});

		it("R-NTF-1 GET /api-tokens lists the user's live tokens newest first, a page at a time, and refuses a cursor it did not issue", async () => {
			const daan = await t.login(USERS.daan);
			const ids: string[] = [];
			for (let i = 0; i < 5; i++) {
				const res = await daan.post(`${API}/api-tokens`, { name: `sync ${i}` });
				expect(res.statusCode, res.body).toBe(201);
				ids.push(res.json().id);
			}
			// Two made in one millisecond, apart by microseconds.
			await t.ctx.db.execute(
				sql`update api_tokens set created_at = '2030-01-01T00:00:00.000700Z' where id = ${ids[0] as string}`,
			);
			await t.ctx.db.execute(
				sql`update api_tokens set created_at = '2030-01-01T00:00:00.000200Z' where id = ${ids[1] as string}`,
			);
			const revoked = ids[3] as string;
			expect((await daan.del(`${API}/api-tokens/${revoked}`)).statusCode).toBe(
				204,
			);
			const ana = await t.login(USERS.ana);
			const anas = await ana.post(`${API}/api-tokens`, { name: "ana's" });
			expect(anas.statusCode).toBe(201);

			const expected = await newestFirstIds(
				t,
				"api_tokens",
				ids.filter((id) => id !== revoked),
			);
			expect(expected.slice(0, 2)).toEqual([ids[0], ids[1]]);
			for (const limit of [1, 3, 200]) {
				const pages = await followPages<Listed>(daan, "/api-tokens", limit);
				expect(
					pages.flat().map((k) => k.id),
					`limit ${limit}`,
				).toEqual(expected);
			}

			for (const [query, path, code] of [
				["cursor=not-a-cursor", "cursor", "invalid_cursor"],
				[
					`cursor=${Buffer.from('{"id":1}').toString("base64url")}`,
					"cursor",
					"invalid_cursor",
				],
				["limit=0", "querystring.limit", undefined],
				["limit=201", "querystring.limit", undefined],
			] as const) {
				const res = await daan.get(`${API}/api-tokens?${query}`);
				expect(res.statusCode, query).toBe(422);
				expect(res.headers["content-type"]).toContain(
					"application/problem+json",
				);
				const problem = res.json();
				expect(problem.code).toBe("validation_failed");
				const error = problem.errors.find((e: { path: string }) =>
					e.path.endsWith(path.split(".").at(-1) as string),
				);
				expect(error, JSON.stringify(problem.errors)).toBeDefined();
				if (code) expect(error.code).toBe(code);
			}
			const badWebhookCursor = await ana.get(`${API}/webhooks?cursor=zz`);
			expect(badWebhookCursor.statusCode).toBe(422);
			expect(badWebhookCursor.json().errors[0].code).toBe("invalid_cursor");
		});
	});
}
