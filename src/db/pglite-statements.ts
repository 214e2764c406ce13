/**
 * Named prepared statements on PGlite. PGlite's `query()` sends Parse, Describe, Bind,
 * Describe, Execute and Sync for every call under an unnamed statement, so PostgreSQL
 * parses and plans the statement each time; for the claim-with-parts read on the
 * embedded database that was ~1.2 ms of a 1.46-ms call (0.30 ms named; docs/
 * performance.md). {@link namedStatementClient} runs one statement text under a name
 * instead: parsed, and its parameter types described, once per database; then each call
 * is Bind, Describe, Execute and Sync in one protocol exchange, under the same locks as
 * `query()`, with the same parameter serializers and result parsers, so the caller
 * (Drizzle's PGlite driver) sees the same results.
 */
import {
	type PGlite,
	parse,
	protocol,
	type QueryOptions,
	type Results,
} from "@electric-sql/pglite";

const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/** The part of PGlite's client interface Drizzle's prepared queries call. */
export interface QueryClient {
	query<T>(
		text: string,
		params?: unknown[],
		options?: QueryOptions,
	): Promise<Results<T>>;
}

/**
 * A client whose `query(text, params, options)` runs `text` as the prepared statement
 * `name` of `pg` (prepared on first use; a second text for the same name is an error).
 * Throws what PGlite's `query()` throws for the statement; when the statement is gone
 * (`DEALLOCATE`, SQLSTATE 26000) it is prepared again on the next call.
 */
export function namedStatementClient(pg: PGlite, name: string): QueryClient {
	let prepared: { text: string; paramTypes: number[] } | undefined;
	return {
		async query<T>(
			text: string,
			params: unknown[] = [],
			options?: QueryOptions,
		): Promise<Results<T>> {
			await pg._checkReady();
			return pg._runExclusiveTransaction(() =>
				pg._runExclusiveQuery(async () => {
					if (prepared && prepared.text !== text)
						throw new Error(
							`prepared statement ${name} was prepared for another text`,
						);
					if (!prepared) {
						const described = await pg.execProtocolStream(
							concat([
								serialize.parse({ name, text, types: [] }),
								serialize.describe({ type: "S", name }),
								serialize.sync(),
							]),
							{ syncToFs: false },
						);
						prepared = {
							text,
							paramTypes: parse.parseDescribeStatementResults(described),
						};
					}
					const { paramTypes } = prepared;
					// As PGlite's query() serializes parameters.
					const values = params.map((value, i) => {
						if (value === null || value === undefined) return null;
						const type = paramTypes[i] as number;
						const serializer =
							options?.serializers?.[type] ?? pg.serializers[type];
						return serializer ? serializer(value) : String(value);
					});
					let messages: Awaited<ReturnType<PGlite["execProtocolStream"]>>;
					try {
						messages = await pg.execProtocolStream(
							concat([
								serialize.bind({ statement: name, values }),
								serialize.describe({ type: "P" }),
								serialize.execute({}),
								serialize.sync(),
							]),
							{ syncToFs: false },
						);
					} catch (err) {
						if ((err as { code?: string }).code === "26000")
							prepared = undefined;
						throw err;
					}
					await pg.syncToFs();
					return parse.parseResults(
						messages,
						pg.parsers,
						options,
					)[0] as Results<T>;
				}),
			);
		},
	};
}
