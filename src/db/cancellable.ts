/**
 * Slow reads that stop when their request is abandoned (the client went away before the
 * answer was sent): a user who reloads a slow report page does not leave the old statement
 * holding one of the process's few pool connections for its whole run (up to
 * CPOR_STATEMENT_TIMEOUT_MS). Given the request's signal explicitly: a store that follows
 * every request (AsyncLocalStorage) cost a list page 40% more server CPU on Node 20
 * (docs/performance.md, session 21).
 */
import type { SQL } from "drizzle-orm";
import type pg from "pg";
import type { Db } from "./client.ts";

/**
 * Runs `query` like `db.execute(query)`. On PostgreSQL, with a `signal`, it runs on a pool
 * connection of its own, and when the signal aborts while it runs it sends PostgreSQL's
 * CancelRequest for that connection's backend (a new socket: no authentication, no pool
 * slot): the statement fails with 57014 (`statement_timeout`, 503, for a client that has
 * gone). The connection goes back to the pool only after PostgreSQL has closed the
 * cancel's socket, by which time it has signalled the backend, so a cancel that arrives
 * after the statement finished finds the backend waiting for a command (which ignores it)
 * and never reaches the next request's statement. A signal that aborted before the read
 * began changes nothing. On PGlite, or without a signal, it is `db.execute(query)`.
 */
export async function executeCancellable(
	db: Db,
	query: SQL,
	signal: AbortSignal | undefined,
): Promise<unknown> {
	const pool = (db as unknown as { $client?: unknown }).$client as
		| pg.Pool
		| undefined;
	if (!signal || !isPool(pool)) return db.execute(query);
	const [{ default: pgModule }, { drizzle }] = await Promise.all([
		import("pg"),
		import("drizzle-orm/node-postgres"),
	]);
	const client = await pool.connect();
	let cancelling: Promise<void> | undefined;
	const onAbort = () => {
		cancelling = sendCancel(pgModule, client);
	};
	signal.addEventListener("abort", onAbort, { once: true });
	try {
		return await drizzle(client).execute(query);
	} finally {
		signal.removeEventListener("abort", onAbort);
		if (cancelling) await cancelling;
		client.release();
	}
}

/** Whether `db.$client` is a node-postgres pool (PostgreSQL), not PGlite. */
function isPool(client: unknown): client is pg.Pool {
	return (
		typeof client === "object" &&
		client !== null &&
		"totalCount" in client &&
		typeof (client as pg.Pool).connect === "function"
	);
}

/**
 * Sends PostgreSQL's CancelRequest for `client`'s backend over a new connection to the same
 * server (pg's wire `Connection`, as `Client.cancel` does); resolves when the server has
 * closed it, or after 5 s. Never rejects: a cancel that cannot be sent leaves the
 * statement to finish.
 */
function sendCancel(pgModule: typeof pg, client: pg.PoolClient): Promise<void> {
	const c = client as unknown as {
		host: string;
		port: number;
		processID: number | null;
		secretKey: number | null;
	};
	const { processID, secretKey } = c;
	if (processID == null || secretKey == null) return Promise.resolve();
	const WireConnection = (
		pgModule as unknown as {
			Connection: new () => {
				connect(portOrPath: number | string, host?: string): void;
				cancel(processID: number, secretKey: number): void;
				on(event: string, listener: () => void): void;
				once(event: string, listener: () => void): void;
			};
		}
	).Connection;
	return new Promise((resolve) => {
		const con = new WireConnection();
		const done = () => {
			clearTimeout(timer);
			resolve();
		};
		const timer = setTimeout(done, 5000);
		timer.unref();
		con.on("end", done);
		con.on("error", done);
		con.once("connect", () => con.cancel(processID, secretKey));
		if (c.host?.startsWith("/")) con.connect(`${c.host}/.s.PGSQL.${c.port}`);
		else con.connect(c.port, c.host);
	});
}
