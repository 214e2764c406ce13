/**
 * Statements rendered once per shape (src/db/shaped-statement.ts), on both databases:
 * the text and parameters are what Drizzle renders for the same values, a shape's later
 * calls reuse its text with their own values, NULL stays NULL (not JSON `null`), and a
 * part that cannot be kept is rendered per call.
 */
import { and, eq, sql } from "drizzle-orm";
import {
	integer,
	jsonb,
	PgDialect,
	pgTable,
	text,
	timestamp,
} from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import {
	executeShaped,
	renderShaped,
	type ShapedPart,
	shapeConstant,
	shapedInsert,
	shapedUpdate,
} from "../../src/db/shaped-statement.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const probes = pgTable("shaped_probe", {
	id: text("id").primaryKey(),
	note: text("note"),
	data: jsonb("data"),
	at: timestamp("at", { withTimezone: true }),
	n: integer("n").notNull().default(7),
});

const plusOne = shapeConstant("n + 1", sql`${probes.n} + 1`);
const dialect = new PgDialect();

/** A part that counts how often it is built (so a kept shape shows). */
function counted(part: ShapedPart): ShapedPart & { builds: number } {
	const out = {
		...part,
		builds: 0,
		build: (q: Db, p: Parameters<ShapedPart["build"]>[1]) => {
			out.builds++;
			return part.build(q, p);
		},
	};
	return out;
}

/** Runs one part alone (`compose` is the part itself). */
const alone = (built: readonly unknown[]) => built[0] as ReturnType<typeof sql>;

async function rows(db: Db) {
	const result = (await db.execute(
		sql`select id, note, data, data is null as data_is_sql_null, at, n from shaped_probe order by id`,
	)) as unknown as { rows: Record<string, unknown>[] };
	return result.rows;
}

describe.each(["pglite", "postgres"] as const)(
	"shaped statements on %s",
	(kind) => {
		let t: TestApp;
		let db: Db;
		beforeAll(async () => {
			t = await startTestApp(kind);
			db = t.ctx.db;
			await db.execute(
				sql`create table shaped_probe (id text primary key, note text, data jsonb, at timestamptz, n integer not null default 7)`,
			);
		});
		afterAll(async () => t?.close());

		it("an INSERT renders as Drizzle renders it, and a later call of its shape reuses the text with its own values", async () => {
			const first = [
				{
					id: "a",
					note: "first",
					data: { k: [1, 2] },
					at: new Date("2026-11-23T10:00:00Z"),
				},
				{ id: "b", note: null, data: null, at: null },
			];
			const part = counted(shapedInsert(probes, first));
			const shaped = renderShaped(db, `probe insert ${kind}`, [part], alone);
			const drizzle = dialect.sqlToQuery(
				db.insert(probes).values(first).getSQL(),
			);
			expect(shaped.sql).toBe(drizzle.sql);
			expect(shaped.params).toEqual(drizzle.params);
			expect(part.builds).toBe(1);

			const second = [
				{
					id: "c",
					note: "second",
					data: null,
					at: new Date("2026-11-24T11:30:00Z"),
				},
				{ id: "d", note: "x", data: ["y"], at: null },
			];
			const again = counted(shapedInsert(probes, second));
			const reused = renderShaped(db, `probe insert ${kind}`, [again], alone);
			expect(again.builds).toBe(0);
			expect(reused.sql).toBe(shaped.sql);
			expect(reused.params).toEqual(
				dialect.sqlToQuery(db.insert(probes).values(second).getSQL()).params,
			);

			await executeShaped(
				db,
				`probe insert ${kind}`,
				[shapedInsert(probes, first)],
				alone,
			);
			await executeShaped(
				db,
				`probe insert ${kind}`,
				[shapedInsert(probes, second)],
				alone,
			);
			const written = await rows(db);
			expect(written.map((r) => [r.id, r.note, r.n])).toEqual([
				["a", "first", 7],
				["b", null, 7],
				["c", "second", 7],
				["d", "x", 7],
			]);
			// A null JSON value is SQL NULL, as Drizzle writes it, not the JSON value null.
			expect(written.map((r) => r.data_is_sql_null)).toEqual([
				false,
				true,
				true,
				false,
			]);
			expect(written[0]?.data).toEqual({ k: [1, 2] });
			expect(written[3]?.data).toEqual(["y"]);
			expect(new Date(written[2]?.at as string).toISOString()).toBe(
				"2026-11-24T11:30:00.000Z",
			);
		});

		it("rows with other defined keys are another shape: a key left undefined takes the column's default", async () => {
			const withN = shapedInsert(probes, [{ id: "e", note: "n given", n: 3 }]);
			const withoutN = shapedInsert(probes, [
				{ id: "f", note: "n default", n: undefined },
			]);
			expect(withN.key).not.toBe(withoutN.key);
			await executeShaped(db, `probe insert ${kind}`, [withN], alone);
			await executeShaped(db, `probe insert ${kind}`, [withoutN], alone);
			const written = await rows(db);
			expect(written.find((r) => r.id === "e")?.n).toBe(3);
			expect(written.find((r) => r.id === "f")?.n).toBe(7);
		});

		it("an UPDATE with a constant, a match and RETURNING renders as Drizzle renders it", async () => {
			const set = { note: "updated", data: { v: 2 }, n: plusOne };
			const part = shapedUpdate(probes, set, { id: "a", n: 7 }, ["id"]);
			const shaped = renderShaped(db, `probe update ${kind}`, [part], alone);
			const drizzle = dialect.sqlToQuery(
				db
					.update(probes)
					.set(set)
					.where(and(eq(probes.id, "a"), eq(probes.n, 7)))
					.returning({ id: probes.id })
					.getSQL(),
			);
			expect(shaped.sql).toBe(drizzle.sql);
			expect(shaped.params).toEqual(drizzle.params);
			const result = (await executeShaped(
				db,
				`probe update ${kind}`,
				[part],
				alone,
			)) as {
				rows: unknown[];
			};
			expect(result.rows).toEqual([{ id: "a" }]);
			// The same shape with other values: the match no longer holds (n is 8 now).
			const stale = shapedUpdate(
				probes,
				{ note: "stale", data: null, n: plusOne },
				{ id: "a", n: 7 },
				["id"],
			);
			expect(stale.key).toBe(part.key);
			const none = (await executeShaped(
				db,
				`probe update ${kind}`,
				[stale],
				alone,
			)) as {
				rows: unknown[];
			};
			expect(none.rows).toEqual([]);
			const a = (await rows(db)).find((r) => r.id === "a");
			expect([a?.note, a?.data, a?.n]).toEqual(["updated", { v: 2 }, 8]);
		});

		it("a part with an SQL value that is not a shape constant is rendered per call, with that value", async () => {
			const first = shapedUpdate(probes, { note: sql`'one'` }, { id: "b" }, [
				"id",
			]);
			const second = shapedUpdate(probes, { note: sql`'two'` }, { id: "b" }, [
				"id",
			]);
			expect(first.key).toBeUndefined();
			expect(
				renderShaped(db, `probe sql ${kind}`, [first], alone).sql,
			).toContain("'one'");
			expect(
				renderShaped(db, `probe sql ${kind}`, [second], alone).sql,
			).toContain("'two'");
			await executeShaped(db, `probe sql ${kind}`, [second], alone);
			expect((await rows(db)).find((r) => r.id === "b")?.note).toBe("two");
		});

		it("a missing value fails before anything is written", async () => {
			const part = shapedUpdate(probes, { note: "never" }, { id: "c" });
			await executeShaped(db, `probe missing ${kind}`, [part], alone);
			const broken: ShapedPart = {
				...part,
				values: [{}, { id: "c" }],
			};
			expect(() =>
				renderShaped(db, `probe missing ${kind}`, [broken], alone),
			).toThrow(/no value for placeholder 0\/0\/note/);
			await expect(
				executeShaped(db, `probe missing ${kind}`, [broken], alone),
			).rejects.toThrow(/no value/);
			expect((await rows(db)).find((r) => r.id === "c")?.note).toBe("never");
		});

		it("parts of one statement keep their values apart", async () => {
			const parts = [
				shapedInsert(probes, [{ id: "g", note: "g" }]),
				shapedInsert(probes, [{ id: "h", note: "h" }]),
			];
			const compose = (built: readonly ReturnType<typeof sql>[]) =>
				sql`with first as (${built[0]}) ${built[1]}`;
			await executeShaped(db, `probe two ${kind}`, parts, compose);
			await executeShaped(
				db,
				`probe two ${kind}`,
				[
					shapedInsert(probes, [{ id: "i", note: "i" }]),
					shapedInsert(probes, [{ id: "j", note: "j" }]),
				],
				compose,
			);
			const written = await rows(db);
			for (const id of ["g", "h", "i", "j"])
				expect(written.find((r) => r.id === id)?.note).toBe(id);
		});
	},
);
