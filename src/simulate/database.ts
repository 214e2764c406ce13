/**
 * The PostgreSQL connection of `cpor simulate`: the ordinary Drizzle node-postgres
 * database, with two things for a long run of the same few statements:
 *
 * - a pool as large as the number of use cases in flight;
 * - named (server-side prepared) statements: each distinct SELECT/INSERT/UPDATE/DELETE
 *   text gets a name derived from its hash, so each connection parses and analyzes it
 *   once instead of at every call (a third less PostgreSQL CPU per claim: 25–31 s
 *   instead of 38–46 s for 5,000 claims, measured). The SQL sent is the same; only the
 *   protocol messages change. PostgreSQL then plans a named statement once for all parameter values (a
 *   generic plan) when that looks as cheap as planning it per call. A generic plan cannot
 *   use a partial index whose predicate the statement tests with a parameter
 *   (`"live" = $3` against `... WHERE live`), and the first calls, on small tables, made
 *   it look as cheap: the competitor search became a sequential scan at every call (0.7
 *   ms at 5,000 claims, growing with the table). So a statement whose WHERE compares a
 *   column of a partial index's predicate (read from the schema) with a parameter stays
 *   unnamed and is planned per call, as before.
 */
import { createHash } from "node:crypto";
import { is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { getTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { checkPool, type Database, type Db } from "../db/client.ts";
import * as schema from "../db/schema.ts";

/** Distinct statement texts given a name, at most (the rest run unnamed). */
const MAX_NAMED = 2_000;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** The columns the predicates of the schema's partial indexes test. */
export function partialIndexColumns(): string[] {
	const dialect = new PgDialect();
	const found = new Set<string>();
	for (const table of Object.values(schema)) {
		if (!is(table, PgTable)) continue;
		const config = getTableConfig(table);
		const columns = new Set(config.columns.map((c) => c.name));
		for (const index of config.indexes) {
			const where = index.config.where;
			if (!where) continue;
			const text = dialect.sqlToQuery(where).sql.replace(/'[^']*'/g, " ");
			for (const word of text.match(/[a-z_][a-z0-9_]*/gi) ?? [])
				if (columns.has(word)) found.add(word);
		}
	}
	return [...found].sort();
}

/** `"column" = $n` (or <>, <, >, <=, >=, in ($n…), = any($n)) for those columns. */
const PARAMETER_ON_PARTIAL_PREDICATE = new RegExp(
	`"(?:${partialIndexColumns().join("|")})"\\s*(?:=|<>|!=|<=?|>=?|in\\s*\\(|=\\s*any\\s*\\()\\s*\\$`,
	"i",
);

/** Statement text → name, or null for a statement that stays unnamed. */
const names = new Map<string, string | null>();

function nameOf(text: string): string | undefined {
	const known = names.get(text);
	if (known !== undefined) return known ?? undefined;
	if (names.size >= MAX_NAMED || text.length > 20_000) return undefined;
	const where = text.search(/\swhere\s/i);
	const name =
		!NAMEABLE.test(text) ||
		(where >= 0 && PARAMETER_ON_PARTIAL_PREDICATE.test(text.slice(where)))
			? null
			: `cpor_sim_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
	names.set(text, name);
	return name ?? undefined;
}

/** A pg client that names the statements it sends (see the module comment). */
class NamedStatementClient extends pg.Client {
	// biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads
	override query(config: any, values?: any, callback?: any): any {
		let named = config;
		if (typeof config === "string") {
			const name = nameOf(config);
			if (name) named = { text: config, name };
		} else if (
			config &&
			typeof config === "object" &&
			typeof config.text === "string" &&
			!config.name &&
			typeof config.submit !== "function"
		) {
			const name = nameOf(config.text);
			if (name) named = { ...config, name };
		}
		return super.query(named, values, callback);
	}
}

/**
 * Opens PostgreSQL at `url` with a pool of `poolSize` and named statements. Throws with
 * a clear message when it cannot connect. Does not migrate.
 */
export async function openSimulationDatabase(
	url: string,
	poolSize: number,
): Promise<Database> {
	const pool = new pg.Pool({
		connectionString: url,
		max: poolSize,
		Client: NamedStatementClient,
	});
	await checkPool(pool, url);
	const db = drizzle(pool, { schema }) as unknown as Db;
	return { db, kind: "postgres", close: () => pool.end() };
}
