/**
 * Throwaway PostgreSQL 15 clusters for integration tests and benchmarks: the product's
 * own throwaway clusters (src/db/throwaway-postgres.ts, also behind `cpor simulate
 * --postgres`), listening on 127.0.0.1 on a free port as well as on their Unix socket.
 */
import {
	startThrowawayPostgres,
	type ThrowawayPostgres,
} from "../../src/db/throwaway-postgres.ts";

export {
	DEFAULT_PG_BIN_DIR,
	freePort,
} from "../../src/db/throwaway-postgres.ts";

/** Options for {@link startPgCluster}. */
export interface PgClusterOptions {
	/** Directory holding initdb, pg_ctl and postgres. Default: env `CPOR_PG_BIN`, else Debian's. */
	binDir?: string;
	/** TCP port to listen on. Default: a free port picked on 127.0.0.1. */
	port?: number;
	/** Extra server settings passed as `-c key=value`. */
	settings?: Record<string, string | number>;
}

/** A running throwaway cluster (`url` over TCP on 127.0.0.1, `socketUrl` over its Unix socket). */
export type PgCluster = ThrowawayPostgres;

/**
 * Creates and starts a fresh PostgreSQL 15 cluster in a temporary directory, on
 * 127.0.0.1 (`port`, or a free one) and its Unix socket, with durability off and
 * `max_connections` 300. Throws with what to install or set when the binaries are
 * missing, and with the server log's tail when it does not start.
 */
export function startPgCluster(
	opts: PgClusterOptions = {},
): Promise<PgCluster> {
	return startThrowawayPostgres({
		...(opts.binDir ? { binDir: opts.binDir } : {}),
		tcp: opts.port ?? "free",
		settings: { max_connections: 300, ...opts.settings },
		missingBinariesHint: "or set CPOR_TEST_DATABASE_URL to an existing server",
	});
}
