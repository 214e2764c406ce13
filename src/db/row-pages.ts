/**
 * The rows of one large read, a page at a time, as the consumer asks for them: for
 * exports whose whole result would not fit in the server's memory (a large partner's
 * usage report is 690,000 rows, 257 MB as JSON).
 */
import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Pool, PoolClient } from "pg";
import type Cursor from "pg-cursor";
import type { AppContext } from "../context.ts";
import { rateLimited } from "../domain/errors.ts";

/** Rows per page (one FETCH). */
export const ROW_PAGE_SIZE = 2000;

/**
 * Reads that may hold a PostgreSQL connection of their own at once, per process; more
 * wait for one to finish. The pool's other connections stay for the API.
 */
export const ROW_PAGE_READERS = 2;

/** How long (ms) a read waits for one of the {@link ROW_PAGE_READERS} before it is refused. */
export const ROW_PAGE_READER_WAIT_MS = 30_000;

const dialect = new PgDialect();
let readers = 0;
const waiting: (() => void)[] = [];

/**
 * One of the {@link ROW_PAGE_READERS}, waiting up to `waitMs` for one; returns its
 * release (idempotent). @throws `rate_limited` when none came free in time.
 */
async function acquireReader(waitMs: number): Promise<() => void> {
	if (readers < ROW_PAGE_READERS) readers++;
	else
		await new Promise<void>((resolve, reject) => {
			const take = () => {
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(() => {
				waiting.splice(waiting.indexOf(take), 1);
				reject(
					rateLimited(
						`${ROW_PAGE_READERS} exports are being read from this server already; try again in a minute.`,
						60,
					),
				);
			}, waitMs);
			waiting.push(take);
		});
	let released = false;
	return () => {
		if (released) return;
		released = true;
		// The slot passes to the next waiting read, or becomes free.
		const next = waiting.shift();
		if (next) next();
		else readers--;
	};
}

/**
 * The rows of `query` (one read-only SELECT) in pages of up to `pageSize`, each read when
 * the consumer asks for it; the statement runs before this resolves, so an error in it
 * comes before any byte is sent. Stopping early (a stream's `return()`, e.g. when the
 * client goes away) closes the cursor.
 *
 * - PostgreSQL: a cursor (`pg-cursor`) on a connection of its own, taken from the pool
 *   and held until the last page or until the consumer stops; at most
 *   {@link ROW_PAGE_READERS} per process at once (more wait, up to `readerWaitMs`,
 *   default {@link ROW_PAGE_READER_WAIT_MS}, then `rate_limited` is thrown).
 * - PGlite (one session for everything): a `WITH HOLD` cursor, which the statement fills
 *   at once; each page is then its own `FETCH`, so other requests run between pages.
 */
export async function rowPages<T>(
	ctx: AppContext,
	query: SQL,
	pageSize = ROW_PAGE_SIZE,
	opts: { readerWaitMs?: number } = {},
): Promise<AsyncIterable<T[]>> {
	if (ctx.dbKind === "postgres")
		return postgresPages<T>(
			ctx,
			query,
			pageSize,
			opts.readerWaitMs ?? ROW_PAGE_READER_WAIT_MS,
		);
	return pglitePages<T>(ctx, query, pageSize);
}

/**
 * The pages as an async iterable: `first`, then `fetch()` while pages come full; `end`
 * runs once, after the last page, on an error, or when the consumer stops early (also
 * before it has asked for anything, which an async generator would not notice).
 */
function pagesOf<T>(
	first: T[],
	pageSize: number,
	fetch: () => Promise<T[]>,
	end: (err?: unknown) => Promise<void>,
): AsyncIterable<T[]> & AsyncIterator<T[]> {
	let next: T[] | undefined = first;
	let last = false;
	let finished = false;
	const finish = async (err?: unknown): Promise<IteratorResult<T[]>> => {
		if (!finished) {
			finished = true;
			await end(err);
		}
		return { done: true, value: undefined };
	};
	return {
		[Symbol.asyncIterator]() {
			return this;
		},
		async next() {
			if (finished) return { done: true, value: undefined };
			let page = next;
			next = undefined;
			if (page === undefined) {
				if (last) return finish();
				try {
					page = await fetch();
				} catch (err) {
					await finish(err);
					throw err;
				}
			}
			if (page.length === 0) return finish();
			if (page.length < pageSize) last = true;
			return { done: false, value: page };
		},
		return: () => finish(),
	};
}

async function postgresPages<T>(
	ctx: AppContext,
	query: SQL,
	pageSize: number,
	readerWaitMs: number,
): Promise<AsyncIterable<T[]>> {
	const pool = (ctx.db as unknown as { $client: Pool }).$client;
	const release = await acquireReader(readerWaitMs);
	let client: PoolClient | undefined;
	let cursor: Cursor<T> | undefined;
	const end = async (err?: unknown) => {
		await cursor?.close().catch(() => {});
		// A connection whose cursor failed is not given back for reuse.
		client?.release(err instanceof Error ? err : undefined);
		release();
	};
	try {
		// Loaded here: the embedded server never needs it (~1 MB of heap with the parts
		// of pg it loads).
		const { default: PgCursor } = await import("pg-cursor");
		const connected = await pool.connect();
		client = connected;
		const { sql: text, params } = dialect.sqlToQuery(query);
		const opened = connected.query(new PgCursor<T>(text, params as unknown[]));
		cursor = opened;
		const first = await opened.read(pageSize);
		return pagesOf(first, pageSize, () => opened.read(pageSize), end);
	} catch (err) {
		await end(err);
		throw err;
	}
}

let cursorCount = 0;

async function pglitePages<T>(
	ctx: AppContext,
	query: SQL,
	pageSize: number,
): Promise<AsyncIterable<T[]>> {
	const name = sql.identifier(`cpor_rows_${++cursorCount}`);
	await ctx.db.execute(
		sql`declare ${name} no scroll cursor with hold for ${query}`,
	);
	const fetch = async () =>
		(
			(await ctx.db.execute(
				sql`fetch forward ${sql.raw(String(pageSize))} from ${name}`,
			)) as unknown as { rows: T[] }
		).rows;
	const close = async () => {
		await ctx.db.execute(sql`close ${name}`).catch(() => {});
	};
	try {
		return pagesOf(await fetch(), pageSize, fetch, close);
	} catch (err) {
		await close();
		throw err;
	}
}
