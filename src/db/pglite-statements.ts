/**
 * Named prepared statements on PGlite. PGlite's `query()` sends Parse, Describe, Bind,
 * Describe, Execute and Sync for every call under an unnamed statement, so PostgreSQL
 * parses and plans the statement each time; for the claim-with-parts read on the
 * embedded database that was ~1.2 ms of a 1.46-ms call (0.30 ms named; docs/
 * performance.md). {@link namedStatementClient} runs one statement text under a name
 * instead: parsed, and its parameter types and result rows described, once per database;
 * then each call is Bind, Execute and Sync in one protocol exchange (describing the
 * result again on every call cost ~40% of a one-row read of a claim's 38 columns,
 * ~70 of ~180 µs of CPU; docs/performance.md, session 32), under the same locks as
 * `query()`, with the same parameter serializers and result parsers, so the caller
 * (Drizzle's PGlite driver) sees the same results (see {@link queryNamed} for what it
 * leaves out). preparedOnce (src/db/prepared.ts)
 * uses it for its statements, and {@link nameStatements} for the claim actions' write
 * statements and the claim lists' pages.
 */
import { createHash } from "node:crypto";
import {
	type PGlite,
	parse,
	protocol,
	type QueryOptions,
	type Results,
} from "@electric-sql/pglite";

const { serialize } = protocol;

/** A message PostgreSQL sends (PGlite's parser's type; its package does not export it). */
type BackendMessage = Parameters<typeof parse.parseResults>[0][number];

/** The part of PGlite's client interface Drizzle's prepared queries call. */
export interface QueryClient {
	query<T>(
		text: string,
		params?: unknown[],
		options?: QueryOptions,
	): Promise<Results<T>>;
}

/**
 * A statement prepared on a PGlite database: its text, parameter types, and the
 * description of its result rows (none for a statement that returns no rows).
 */
interface Prepared {
	text: string;
	paramTypes: number[];
	rowDescription: BackendMessage | undefined;
}

/** The statements prepared per PGlite database, by name. */
const preparedOn = new WeakMap<PGlite, Map<string, Prepared>>();

/**
 * Runs `text` as the prepared statement `name` of `pg` (prepared on first use; a second
 * text for the same name is an error), as PGlite's `query()` would run it unnamed, but
 * without what Drizzle does not use: blobs (`/dev/blob`), `onNotice`, `paramTypes`
 * (PostgreSQL infers the types), and the `query`/`params` fields query() adds to errors.
 * When the statement is gone (`DEALLOCATE`, SQLSTATE 26000) it is prepared again and
 * run once more. Throws what `query()` throws.
 */
async function queryNamed<T>(
	pg: PGlite,
	name: string,
	text: string,
	params: unknown[],
	options: QueryOptions | undefined,
	retry = true,
): Promise<Results<T>> {
	await pg._checkReady();
	const known = preparedOn.get(pg) ?? new Map<string, Prepared>();
	preparedOn.set(pg, known);
	try {
		return await pg._runExclusiveTransaction(() =>
			pg._runExclusiveQuery(async () => {
				let prepared = known.get(name);
				if (prepared && prepared.text !== text)
					throw new Error(
						`prepared statement ${name} was prepared for another text`,
					);
				if (!prepared) {
					const described = await pg.execProtocolStream(
						Buffer.concat([
							serialize.parse({ name, text, types: [] }),
							serialize.describe({ type: "S", name }),
							serialize.sync(),
						]),
						{ syncToFs: false },
					);
					prepared = {
						text,
						paramTypes: parse.parseDescribeStatementResults(described),
						rowDescription: described.find(
							(message) => message.name === "rowDescription",
						),
					};
					known.set(name, prepared);
				}
				const { paramTypes, rowDescription } = prepared;
				// As PGlite's query() serializes parameters.
				const values = params.map((value, i) => {
					if (value === null || value === undefined) return null;
					const type = paramTypes[i] as number;
					const serializer =
						options?.serializers?.[type] ?? pg.serializers[type];
					return serializer ? serializer(value) : String(value);
				});
				// No Describe: the statement's row description does not change while it
				// is prepared (PostgreSQL refuses a plan whose result type changed).
				const messages = await pg.execProtocolStream(
					Buffer.concat([
						serialize.bind({ statement: name, values }),
						serialize.execute({}),
						serialize.sync(),
					]),
					{ syncToFs: false },
				);
				await pg.syncToFs();
				return parse.parseResults(
					rowDescription ? [rowDescription, ...messages] : messages,
					pg.parsers,
					withoutDrizzleParsers(options),
				)[0] as Results<T>;
			}),
		);
	} catch (err) {
		if ((err as { code?: string }).code !== "26000") throw err;
		known.delete(name);
		if (!retry) throw err;
		return queryNamed(pg, name, text, params, options, false);
	}
}

/**
 * A client whose `query(text, params, options)` runs `text` as the prepared statement
 * `name` of `pg` ({@link queryNamed}).
 */
export function namedStatementClient(pg: PGlite, name: string): QueryClient {
	return {
		query: <T>(text: string, params: unknown[] = [], options?: QueryOptions) =>
			queryNamed<T>(pg, name, text, params, options),
	};
}

/**
 * The types Drizzle's PGlite driver asks PGlite to leave as text with every query
 * (drizzle-orm/pglite/session.js: timestamp, timestamptz, interval, date, and the arrays
 * of those and of numeric), to map them itself. test/integration/prepared-statements.test.ts
 * checks that Drizzle still passes exactly these, each as the identity.
 */
export const DRIZZLE_TEXT_TYPES: readonly number[] = [
	1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182,
];

/** The identity for each of {@link DRIZZLE_TEXT_TYPES}. */
const DRIZZLE_TEXT_PARSERS: Record<number, (value: string) => string> =
	Object.fromEntries(DRIZZLE_TEXT_TYPES.map((t) => [t, (v: string) => v]));

const drizzleTextTypes = new Set(DRIZZLE_TEXT_TYPES.map(String));

/**
 * `options` without its `parsers` when those only leave {@link DRIZZLE_TEXT_TYPES} as
 * text (what Drizzle passes): PGlite merges a query's parsers into a copy of its own
 * 318 for every call, ~0.1 ms a statement, 9% of the embedded server's CPU under the
 * write load (docs/performance.md, session 8). After {@link keepDrizzleTypesAsText}
 * set PGlite's own parsers for those types the same way, the result is the same.
 */
function withoutDrizzleParsers(
	options: QueryOptions | undefined,
): QueryOptions | undefined {
	const parsers = options?.parsers;
	if (!parsers) return options;
	for (const type in parsers) if (!drizzleTextTypes.has(type)) return options;
	return { ...options, parsers: undefined };
}

/**
 * Sets `pg`'s own parsers of {@link DRIZZLE_TEXT_TYPES} to the identity (what Drizzle
 * asks with every query), then makes `pg.query()` and the queries of its transactions
 * drop Drizzle's per-query parsers ({@link withoutDrizzleParsers}). Call it once `pg` is
 * ready: PGlite's start-up sets the parsers of array types (and `refreshArrayTypes()`
 * would set them again).
 */
export function keepDrizzleTypesAsText(pg: PGlite): void {
	Object.assign(pg.parsers, DRIZZLE_TEXT_PARSERS);
	const query = pg.query.bind(pg);
	pg.query = (<T>(text: string, params?: unknown[], options?: QueryOptions) =>
		query<T>(text, params, withoutDrizzleParsers(options))) as PGlite["query"];
	const transaction = pg.transaction.bind(pg);
	pg.transaction = ((callback) =>
		transaction((tx) => {
			const txQuery = tx.query.bind(tx);
			tx.query = (<T>(
				text: string,
				params?: unknown[],
				options?: QueryOptions,
			) =>
				txQuery<T>(
					text,
					params,
					withoutDrizzleParsers(options),
				)) as typeof tx.query;
			return callback(tx);
		})) as PGlite["transaction"];
}

/** The one statement of a claim action's write (src/claims/history.ts). */
const CLAIM_WRITE = /^with change_0 as \(/;
/** Distinct claim-write texts given a name, at most (the rest run unnamed). */
const MAX_NAMED_WRITES = 100;

/**
 * What a read statement built per request begins with to be run as a named statement,
 * one per distinct text ({@link statementNamer}; e.g. the claim lists' pages,
 * src/claims/list-claims.ts).
 */
export const NAMED_READ_MARKER = "/* cpor:named */ ";
/** Distinct marked read texts given a name, at most (the rest run unnamed). */
const MAX_NAMED_READS = 50;

/** Names texts by a hash (`prefix` and 24 hex digits), at most `max` of them. */
function namesByHash(
	prefix: string,
	max: number,
): (text: string) => string | undefined {
	const names = new Map<string, string>();
	return (text) => {
		let name = names.get(text);
		if (!name) {
			if (names.size >= max) return undefined;
			name = `${prefix}${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
			names.set(text, name);
		}
		return name;
	};
}

/**
 * Returns a namer of the statements run as named statements although their text is
 * built per call: claim action writes (`with change_0 as (…`, src/claims/history.ts: the
 * claim's INSERT or UPDATE with its history and event rows) get `cpor_write_` and a hash
 * of the text, reads that begin with {@link NAMED_READ_MARKER} `cpor_read_` and a hash
 * (the same name each time). Undefined for any other text, and for new texts once
 * {@link MAX_NAMED_WRITES} writes or {@link MAX_NAMED_READS} reads have a name. Used on
 * both databases ({@link nameStatements}, `nameStatementsOnPool` in src/db/prepared.ts).
 */
export function statementNamer(): (text: string) => string | undefined {
	const writes = namesByHash("cpor_write_", MAX_NAMED_WRITES);
	const reads = namesByHash("cpor_read_", MAX_NAMED_READS);
	return (text) =>
		CLAIM_WRITE.test(text)
			? writes(text)
			: text.startsWith(NAMED_READ_MARKER)
				? reads(text)
				: undefined;
}

/**
 * Makes `pg.query()` run each claim action's write statement and each marked read
 * ({@link statementNamer}) as a named statement, one per distinct text (a write's text
 * per action and set of changed columns): planning one took PGlite more than running
 * it. The writes are by primary key, so their generic plan is the custom one. Statements
 * inside a PGlite transaction run as before (its transaction object has a query() of
 * its own).
 */
export function nameStatements(pg: PGlite): void {
	const query = pg.query.bind(pg);
	const nameOf = statementNamer();
	pg.query = (<T>(
		text: string,
		params?: unknown[],
		options?: QueryOptions,
	): Promise<Results<T>> => {
		const name = nameOf(text);
		if (!name) return query<T>(text, params, options);
		return queryNamed<T>(pg, name, text, params ?? [], options);
	}) as PGlite["query"];
}
