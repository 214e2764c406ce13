/**
 * Planner statistics on the embedded database. PostgreSQL's autovacuum runs ANALYZE as
 * tables grow; PGlite has no background workers, so its tables keep whatever statistics
 * they had, none for data that an import or the app itself wrote. Without them the
 * planner falls back to fixed guesses: on a 100,000-claim directory a submit's competitor
 * check (a generic plan, `cpor_competitors`) then read the claims' product lines whole,
 * ~370 ms per submit, and the write load fell from 110.6 to 2.8 claims/s. The background
 * work therefore analyzes the tables that were never analyzed or grew since.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";

/** A table is analyzed again when its pages grew by more than this share since. */
export const ANALYZE_GROWTH = 0.1;

/** …and by more than this many pages (8 KB each), so small tables are left alone. */
export const ANALYZE_MIN_PAGES = 8;

/**
 * Sampled rows per column are 300 × this (PostgreSQL's default is 100): 3,000 rows are
 * enough to tell a key from a flag, and ANALYZE of 100,000 claims on PGlite, which holds
 * the server's one thread meanwhile, takes 0.1-0.4 s instead of 1.6-2.3 s.
 */
export const ANALYZE_STATISTICS_TARGET = 10;

type Rows<T> = { rows: T[] };

/**
 * Runs ANALYZE on the tables of the public schema that have pages but were never
 * analyzed, that have rows but no statistics, or whose pages grew by more than
 * {@link ANALYZE_GROWTH} (and {@link ANALYZE_MIN_PAGES}) since the last ANALYZE
 * (PostgreSQL's `pg_class.relpages` and `reltuples`, which ANALYZE sets), in one ANALYZE
 * at {@link ANALYZE_STATISTICS_TARGET}. Meant for PGlite (it reads `pg_statistic`, which
 * needs a superuser). Returns the tables analyzed, by name.
 */
export async function analyzeGrownTables(db: Db): Promise<string[]> {
	const due = (await db.execute(sql`
		select c.relname as name
		from pg_class c
		cross join lateral (
			select pg_relation_size(c.oid) / current_setting('block_size')::int as pages
		) size
		where c.relnamespace = 'public'::regnamespace
			and c.relkind = 'r'
			and size.pages > 0
			and (
				-- never analyzed (an index built on the rows sets reltuples, not statistics;
				-- a table whose rows are all gone gets none from ANALYZE, and reltuples 0)
				c.reltuples < 0
				or (c.reltuples > 0 and not exists (select 1 from pg_statistic s where s.starelid = c.oid))
				or size.pages > greatest(c.relpages, 0) * ${1 + ANALYZE_GROWTH}::float8 + ${ANALYZE_MIN_PAGES}::int
			)
		order by c.relname
	`)) as unknown as Rows<{ name: string }>;
	const tables = due.rows.map((r) => r.name);
	if (tables.length === 0) return [];
	await db.transaction(async (tx) => {
		await tx.execute(
			sql.raw(
				`set local default_statistics_target = ${ANALYZE_STATISTICS_TARGET}`,
			),
		);
		await tx.execute(
			sql`analyze ${sql.join(
				tables.map((t) => sql.identifier(t)),
				sql`, `,
			)}`,
		);
	});
	return tables;
}
