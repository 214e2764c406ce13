/**
 * `cpor vacuum`: VACUUM (ANALYZE) of every table, largest first. PostgreSQL's autovacuum
 * does this by itself; PGlite has none, so on the embedded database the row versions
 * that updates and deletes leave behind, and their index entries, stay until this runs.
 * VACUUM marks their space for reuse (a file shrinks only where its end is empty) and
 * updates the visibility map, which index-only scans read.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";

/** One table's vacuum: its size (bytes, with indexes and TOAST) before and after. */
export interface TableVacuum {
	table: string;
	bytesBefore: number;
	bytesAfter: number;
	ms: number;
}

async function tableSizes(db: Db): Promise<Map<string, number>> {
	const result = (await db.execute(sql`
		select c.relname as name, pg_total_relation_size(c.oid)::float8 as bytes
		from pg_class c
		where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
		order by bytes desc, name
	`)) as unknown as { rows: { name: string; bytes: number }[] };
	return new Map(result.rows.map((r) => [r.name, Number(r.bytes)]));
}

/**
 * Vacuums and analyzes every table of the public schema, largest first, one statement
 * per table (VACUUM runs outside a transaction), and calls `onTable` after each.
 * Returns what each took. On PGlite each statement holds the process's one connection
 * (~3 s for the claims table at 100,000 claims).
 */
export async function vacuumTables(
	db: Db,
	onTable: (done: TableVacuum, index: number, count: number) => void = () => {},
): Promise<TableVacuum[]> {
	const before = await tableSizes(db);
	const tables = [...before.keys()];
	const done: TableVacuum[] = [];
	for (const [i, table] of tables.entries()) {
		const started = performance.now();
		await db.execute(sql`vacuum (analyze) ${sql.identifier(table)}`);
		const ms = performance.now() - started;
		const after = await db.execute(
			sql`select pg_total_relation_size(quote_ident(${table})::regclass)::float8 as bytes`,
		);
		const bytesAfter = Number(
			(after as unknown as { rows: { bytes: number }[] }).rows[0]?.bytes ?? 0,
		);
		const entry = {
			table,
			bytesBefore: before.get(table) ?? 0,
			bytesAfter,
			ms,
		};
		done.push(entry);
		onTable(entry, i, tables.length);
	}
	return done;
}
