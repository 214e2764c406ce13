/**
 * GET /claims/{id}/comments and GET /claims/{id}/history a page at a time (API.md "Lists
 * are cursor-paginated"), oldest first, on both databases: every entry once across the
 * pages, internal entries left out for partners before the page is cut, bad cursors and
 * limits refused.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followPages } from "../support/follow-pages.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DB_KINDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

type Entry = { id: string | number; body?: string; action?: string };

describe.each(DB_KINDS)(
	"a claim's comments and history by page on %s",
	(kind) => {
		let t: TestApp;
		let ana: Client;
		let rita: Client;
		let id = "";
		beforeAll(async () => {
			t = await startTestApp(kind);
			[ana, rita] = await Promise.all([
				t.login(USERS.ana),
				t.login(USERS.rita),
			]);
			const c = (
				await ana.post(
					`${API}/claims`,
					m365ClaimBody({
						name: "Paged thread",
						products: [{ productId: "microsoft-teams" }],
					}),
				)
			).json();
			id = c.id;
			await ana.upload(`${API}/claims/${id}/documents`, samplePdf(), "poe.pdf");
			expect((await ana.post(`${API}/claims/${id}/submit`)).statusCode).toBe(
				200,
			);
			for (let i = 1; i <= 7; i++) {
				const res = await (i % 2 ? ana : rita).post(
					`${API}/claims/${id}/comments`,
					{ body: `comment ${i}` },
				);
				expect(res.statusCode, res.body).toBe(201);
			}
			// A reviewer's internal note in the thread and in the history, between the others.
			await t.ctx.db.execute(sql`
			insert into claim_comments (id, claim_id, author_name, author_role, kind, body, internal, created_at)
			values ('internal-note', ${id}, 'Rita', 'reviewer', 'comment', 'internal note', true, now())`);
			await t.ctx.db.execute(sql`
			insert into claim_history (claim_id, at, actor_name, actor_role, action, before, after, internal)
			values (${id}, now(), 'Rita', 'reviewer', 'comment', null, '{"note":"internal"}', true)`);
			for (const i of [8, 9]) {
				const res = await ana.post(`${API}/claims/${id}/comments`, {
					body: `comment ${i}`,
				});
				expect(res.statusCode, res.body).toBe(201);
			}
		});
		afterAll(async () => t?.close());

		it("R-REV-3 the thread pages oldest first, each comment once; a partner's pages leave out the internal note", async () => {
			const whole = (await ana.get(`${API}/claims/${id}/comments`)).json();
			expect(whole.nextCursor).toBeNull();
			expect(whole.items.map((c: Entry) => c.body)).toEqual(
				Array.from({ length: 9 }, (_, i) => `comment ${i + 1}`),
			);
			const partnerPages = await followPages<Entry>(
				ana,
				`/claims/${id}/comments`,
				4,
			);
			expect(partnerPages.map((p) => p.length)).toEqual([4, 4, 1]);
			expect(partnerPages.flat()).toEqual(whole.items);
			const reviewerPages = await followPages<Entry>(
				rita,
				`/claims/${id}/comments`,
				3,
			);
			expect(reviewerPages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
			expect(reviewerPages.flat().map((c) => c.body)).toEqual([
				...whole.items.slice(0, 7).map((c: Entry) => c.body),
				"internal note",
				"comment 8",
				"comment 9",
			]);
			// A page that ends at the last comment says there is no next one.
			const exact = await followPages<Entry>(ana, `/claims/${id}/comments`, 9);
			expect(exact).toEqual([whole.items]);
		});

		it("R-HIS-1 the history pages oldest first, each entry once; a partner's pages leave out the internal entry", async () => {
			const whole = (await rita.get(`${API}/claims/${id}/history`)).json();
			expect(whole.nextCursor).toBeNull();
			const ids = whole.items.map((h: Entry) => h.id);
			expect(ids).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
			expect(
				(await followPages<Entry>(rita, `/claims/${id}/history`, 2)).flat(),
			).toEqual(whole.items);
			const partner = (
				await followPages<Entry>(ana, `/claims/${id}/history`, 5)
			).flat();
			expect(partner).toEqual(
				whole.items.filter(
					(h: { after: unknown }) =>
						JSON.stringify(h.after) !== '{"note":"internal"}',
				),
			);
			expect(partner.length).toBe(whole.items.length - 1);
		});

		it("R-HIS-1 a cursor this API did not issue and a limit out of range are refused with what to do", async () => {
			for (const path of ["comments", "history"]) {
				for (const cursor of ["nonsense", "WyIxMiJd-x", btoa('["-1"]')]) {
					const res = await ana.get(
						`${API}/claims/${id}/${path}?cursor=${encodeURIComponent(cursor)}`,
					);
					expect(res.statusCode, `${path} ${cursor}`).toBe(422);
					expect(res.json()).toMatchObject({
						code: "validation_failed",
						errors: [{ path: "cursor", code: "invalid_cursor" }],
					});
				}
				for (const limit of ["0", "201", "ten"]) {
					const res = await ana.get(
						`${API}/claims/${id}/${path}?limit=${limit}`,
					);
					expect(res.statusCode, `${path} limit=${limit}`).toBe(422);
					expect(res.json().code).toBe("validation_failed");
				}
			}
			// Another organization's partner learns nothing, with or without a cursor.
			const nora = await t.login(USERS.nora);
			const first = (
				await ana.get(`${API}/claims/${id}/comments?limit=1`)
			).json();
			const res = await nora.get(
				`${API}/claims/${id}/comments?limit=1&cursor=${first.nextCursor}`,
			);
			expect(res.statusCode).toBe(404);
		});
	},
);
