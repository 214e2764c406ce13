/**
 * `cpor vacuum`: VACUUM (ANALYZE) of every table, largest first; and the embedded
 * server's VACUUM of the tables that need it while it is idle ({@link vacuumDueTables}).
 * PostgreSQL's autovacuum does this by itself; PGlite has none, so on the embedded
 * database the row versions that updates and deletes leave behind, and their index
 * entries, stay until one of these runs.
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
		const entry = await vacuumTable(db, table, before.get(table) ?? 0, true);
		done.push(entry);
		onTable(entry, i, tables.length);
	}
	return done;
}

/** VACUUM of one table (with ANALYZE if `analyze`), timed, with its size after. */
async function vacuumTable(
	db: Db,
	table: string,
	bytesBefore: number,
	analyze: boolean,
): Promise<TableVacuum> {
	const started = performance.now();
	await db.execute(
		analyze
			? sql`vacuum (analyze) ${sql.identifier(table)}`
			: sql`vacuum ${sql.identifier(table)}`,
	);
	const ms = performance.now() - started;
	const after = await db.execute(
		sql`select pg_total_relation_size(quote_ident(${table})::regclass)::float8 as bytes`,
	);
	const bytesAfter = Number(
		(after as unknown as { rows: { bytes: number }[] }).rows[0]?.bytes ?? 0,
	);
	return { table, bytesBefore, bytesAfter, ms };
}

/**
 * A table is due for VACUUM when its dead row versions pass this many plus
 * {@link VACUUM_SCALE} of its live rows (PostgreSQL's autovacuum defaults)…
 */
export const VACUUM_DEAD_THRESHOLD = 50;
/**
 * …or when the rows inserted since its last VACUUM pass this many plus
 * {@link VACUUM_SCALE} of its live rows (autovacuum's insert threshold: VACUUM sets the
 * visibility map, which index-only scans read).
 */
export const VACUUM_INSERT_THRESHOLD = 1000;
/** The share of a table's live rows added to either threshold. */
export const VACUUM_SCALE = 0.2;

/**
 * The tables of the public schema that autovacuum's default thresholds would vacuum
 * ({@link VACUUM_DEAD_THRESHOLD}, {@link VACUUM_INSERT_THRESHOLD}), most dead row
 * versions first, with their sizes in bytes. Reads PostgreSQL's cumulative statistics
 * after making this connection report its pending counts (PGlite reports them only
 * now and then otherwise).
 */
export async function tablesDueForVacuum(
	db: Db,
): Promise<{ table: string; bytes: number }[]> {
	await db.execute(sql`select pg_stat_force_next_flush()`);
	const due = (await db.execute(sql`
		select relname as "table", pg_total_relation_size(relid)::float8 as bytes
		from pg_stat_user_tables
		where schemaname = 'public'
			and (
				n_dead_tup > ${VACUUM_DEAD_THRESHOLD}::int + ${VACUUM_SCALE}::float8 * n_live_tup
				or n_ins_since_vacuum > ${VACUUM_INSERT_THRESHOLD}::int + ${VACUUM_SCALE}::float8 * n_live_tup
			)
		order by n_dead_tup desc, relname
	`)) as unknown as { rows: { table: string; bytes: number }[] };
	return due.rows.map((r) => ({ table: r.table, bytes: Number(r.bytes) }));
}

/**
 * VACUUM (without ANALYZE: the background work keeps the planner statistics) of each
 * table {@link tablesDueForVacuum} names, one at a time while `stillIdle()` says the
 * server has no work, which it asks before each table. For the embedded database, which
 * has no autovacuum and runs each statement on the server's one thread (the claims
 * table of a 100,000-claim directory with 30,000-60,000 dead rows: 1.3-1.7 s). Returns
 * what each took.
 */
export async function vacuumDueTables(
	db: Db,
	stillIdle: () => boolean,
): Promise<TableVacuum[]> {
	const done: TableVacuum[] = [];
	for (const { table, bytes } of await tablesDueForVacuum(db)) {
		if (!stillIdle()) break;
		done.push(await vacuumTable(db, table, bytes, false));
	}
	return done;
}
