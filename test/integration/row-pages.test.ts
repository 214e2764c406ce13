/**
 * rowPages (src/db/row-pages.ts): a large read a page at a time through a cursor, on
 * PostgreSQL (pg-cursor on a connection of its own) and on PGlite (WITH HOLD). The
 * cursor and the connection are given back at the end, on an error, and when the
 * consumer stops early, even before its first page.
 */
import { sql } from "drizzle-orm";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROW_PAGE_READERS, rowPages } from "../../src/db/row-pages.ts";
import type { DomainError } from "../../src/domain/errors.ts";
import { DB_KINDS, startTestApp, type TestApp } from "../support/test-app.ts";

describe.each(DB_KINDS)("rowPages on %s", (kind) => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp(kind);
	});
	afterAll(async () => t?.close());

	const numbers = (n: number) =>
		sql`select g as n from generate_series(1, ${n}::int) g order by g`;

	/** Open cursors (PGlite: this session's) and connections taken from the pool. */
	async function inUse(): Promise<{ cursors: number; taken: number }> {
		if (kind === "postgres") {
			const pool = (t.ctx.db as unknown as { $client: Pool }).$client;
			return { cursors: 0, taken: pool.totalCount - pool.idleCount };
		}
		const r = (await t.ctx.db.execute(
			sql`select count(*)::int as n from pg_cursors where name like 'cpor_rows_%'`,
		)) as unknown as { rows: { n: number }[] };
		return { cursors: r.rows[0]?.n ?? -1, taken: 0 };
	}

	it("reads every row in pages, in order, and gives everything back at the end", async () => {
		const pages: number[][] = [];
		for await (const page of await rowPages<{ n: number }>(
			t.ctx,
			numbers(5),
			2,
		))
			pages.push(page.map((r) => r.n));
		expect(pages).toEqual([[1, 2], [3, 4], [5]]);
		const empty: unknown[] = [];
		for await (const page of await rowPages(t.ctx, numbers(0), 2))
			empty.push(page);
		expect(empty).toEqual([]);
		expect(await inUse()).toEqual({ cursors: 0, taken: 0 });
	});

	it("gives everything back when the consumer stops after a page, or before the first, more times than it has readers", async () => {
		for (let i = 0; i < ROW_PAGE_READERS + 2; i++) {
			const pages = (await rowPages<{ n: number }>(t.ctx, numbers(10), 3))[
				Symbol.asyncIterator
			]();
			if (i % 2 === 0)
				expect(
					((await pages.next()).value as { n: number }[]).map((r) => r.n),
				).toEqual([1, 2, 3]);
			await pages.return?.();
		}
		expect(await inUse()).toEqual({ cursors: 0, taken: 0 });
	});

	it.runIf(kind === "postgres")(
		"holds a connection for at most ROW_PAGE_READERS reads at once; one more waits for a free one, or is refused with rate_limited",
		async () => {
			const held = await Promise.all(
				Array.from({ length: ROW_PAGE_READERS }, () =>
					rowPages<{ n: number }>(t.ctx, numbers(10), 2),
				),
			);
			expect((await inUse()).taken).toBe(ROW_PAGE_READERS);
			const refused = await rowPages(t.ctx, numbers(10), 2, {
				readerWaitMs: 50,
			}).catch((err: DomainError) => err);
			expect((refused as DomainError).code).toBe("rate_limited");
			// The answer tells the client when to try again (Retry-After, in seconds).
			expect((refused as DomainError).headers).toEqual({ "retry-after": "60" });
			// A waiting read gets the first connection given back.
			const waiting = rowPages<{ n: number }>(t.ctx, numbers(3), 10, {
				readerWaitMs: 10_000,
			});
			await held[0]?.[Symbol.asyncIterator]().return?.();
			const rows: number[] = [];
			for await (const page of await waiting)
				rows.push(...page.map((r) => r.n));
			expect(rows).toEqual([1, 2, 3]);
			for (const pages of held) await pages[Symbol.asyncIterator]().return?.();
			expect(await inUse()).toEqual({ cursors: 0, taken: 0 });
		},
	);

	it("throws a failing statement's error before any page, and gives everything back", async () => {
		const failed = await rowPages(
			t.ctx,
			sql`select 1 / (g - 3) from generate_series(1, 5) g`,
			10,
		).catch((err: Error & { cause?: Error }) => err);
		expect(failed).toBeInstanceOf(Error);
		expect(
			`${(failed as Error).message} ${(failed as Error & { cause?: Error }).cause?.message ?? ""}`,
		).toMatch(/division by zero/);
		expect(await inUse()).toEqual({ cursors: 0, taken: 0 });
		// The next read works (a reader slot and the session are free).
		const pages: number[] = [];
		for await (const page of await rowPages<{ n: number }>(
			t.ctx,
			numbers(3),
			10,
		))
			pages.push(...page.map((r) => r.n));
		expect(pages).toEqual([1, 2, 3]);
	});
});
