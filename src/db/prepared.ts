/**
 * Statements built once per database handle (Drizzle's `.prepare(name)`): building a
 * large statement's SQL costs more CPU in Node than PostgreSQL spends running it
 * (docs/performance.md). The statement is also prepared under its name, so PostgreSQL
 * parses it once per connection, and plans it once where it settles on a generic plan
 * (with array parameters it keeps planning per call: see migration 0006). On PGlite,
 * whose own query() has no named statements, through {@link namedStatementClient}.
 */
import { PGlite } from "@electric-sql/pglite";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Pool, QueryConfig } from "pg";
import type { Db, Queryable } from "./client.ts";
import { namedStatementClient, statementNamer } from "./pglite-statements.ts";

/** What Drizzle's `.prepare()` returns, as far as {@link preparedOnce} uses it. */
export interface PreparedStatement<P, R> {
	execute(params: P): Promise<R>;
}

/**
 * Returns a runner of the statement `build` makes for a database handle: built on first
 * use per handle, then reused. Behind a transaction-pooling proxy without
 * prepared-statement support (PgBouncer before 1.21) the server connection changes
 * under the client and the named statement is missing or already there (SQLSTATE 26000
 * or 42P05): the runner then switches that handle to an unnamed statement (parsed per
 * execution, still built once) for good and runs it again. Other errors are thrown. (On
 * PGlite a statement gone after DEALLOCATE is prepared again by namedStatementClient.)
 * Inside a transaction the statement is built for that transaction and unnamed (behind
 * such a proxy a missing name would abort the transaction). `name` must be unique per
 * process.
 */
export function preparedOnce<P, R>(
	name: string,
	build: (q: Queryable, name: string) => PreparedStatement<P, R>,
): (q: Queryable, params: P) => Promise<R> {
	const byHandle = new WeakMap<
		Db,
		{
			named: PreparedStatement<P, R>;
			unnamed: PreparedStatement<P, R>;
			useNamed: boolean;
		}
	>();
	return async (q, params) => {
		if (q instanceof PgTransaction) return build(q, "").execute(params);
		const db = q as Db;
		let statements = byHandle.get(db);
		if (!statements) {
			statements = {
				named: onPglite(build(db, name), name),
				unnamed: build(db, ""),
				useNamed: true,
			};
			byHandle.set(db, statements);
		}
		if (statements.useNamed) {
			try {
				return await statements.named.execute(params);
			} catch (err) {
				if (!isPreparedStatementMismatch(err)) throw err;
				statements.useNamed = false;
			}
		}
		return statements.unnamed.execute(params);
	};
}

/**
 * Makes `pool.query()` (promise form) run each claim action's write statement (the
 * optimistic actions' and the create's one statement, which run outside a transaction)
 * and each marked read (e.g. a claim list's page) as a named statement
 * ({@link statementNamer}), so each connection parses them once, and plans them once
 * where PostgreSQL settles on a generic plan, instead of per call (pg_stat_statements:
 * 0.13–0.14 ms of planning per call for the upload's and the submit's write; parsing
 * and planning were ~30% of PostgreSQL's CPU on a list page, docs/performance.md).
 * Statements of transactions run on the pool's clients and stay unnamed, as in
 * {@link preparedOnce}. When the server connection lost or already has the name (26000
 * or 42P05: a transaction-pooling proxy without prepared-statement support), nothing of
 * the statement ran: it runs again unnamed, and the pool names no more statements.
 */
export function nameStatementsOnPool(pool: Pool): void {
	const query = pool.query.bind(pool) as (
		...args: unknown[]
	) => Promise<unknown>;
	const nameOf = statementNamer();
	let useNames = true;
	pool.query = (async (config: string | QueryConfig, ...rest: unknown[]) => {
		// Only the promise form `query(config, values?)` that Drizzle uses is named.
		const name =
			useNames &&
			typeof config === "object" &&
			!config.name &&
			rest.length <= 1 &&
			typeof rest[0] !== "function"
				? nameOf(config.text)
				: undefined;
		if (!name) return query(config, ...rest);
		try {
			return await query({ ...(config as QueryConfig), name }, ...rest);
		} catch (err) {
			if (!isPreparedStatementMismatch(err)) throw err;
			useNames = false;
			return query(config, ...rest);
		}
	}) as Pool["query"];
}

/** PostgreSQL's "prepared statement does not exist" (26000) or "already exists" (42P05). */
function isPreparedStatementMismatch(err: unknown): boolean {
	const code =
		(err as { code?: string }).code ??
		(err as { cause?: { code?: string } }).cause?.code;
	return code === "26000" || code === "42P05";
}

/**
 * Drizzle's PGlite driver drops the statement's name and calls its client's query() with
 * the text: on PGlite the prepared query gets a client that runs the text as the named
 * statement instead (Drizzle's PglitePreparedQuery keeps its client in a public field).
 * Returns `statement` (on PGlite with its client replaced).
 */
function onPglite<S>(statement: S, name: string): S {
	const prepared = statement as { client?: unknown };
	if (name && prepared.client instanceof PGlite)
		prepared.client = namedStatementClient(prepared.client, name);
	return statement;
}
