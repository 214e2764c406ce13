/**
 * `cpor simulate --postgres`: a throwaway PostgreSQL cluster for one simulation
 * (src/db/throwaway-postgres.ts), reached over its Unix socket only (no TCP port), with
 * durability off and settings for a long bulk run: minimal WAL, rare checkpoints, an
 * eighth of the machine's memory (128 MB to 4 GB) as shared buffers, no JIT. The cluster
 * is stopped and its directory removed by `stop()`, or at process exit.
 */
import { totalmem } from "node:os";
import {
	startThrowawayPostgres,
	type ThrowawayPostgres,
} from "../db/throwaway-postgres.ts";

export type { ThrowawayPostgres } from "../db/throwaway-postgres.ts";

/**
 * Creates and starts the simulation's cluster. `settings` are extra server settings.
 * Throws with what to install or set when the binaries are missing, and with the server
 * log when it does not start; nothing is left behind then.
 */
export function startSimulationPostgres(
	opts: { settings?: Record<string, string | number> } = {},
): Promise<ThrowawayPostgres> {
	const sharedBuffersMb = Math.max(
		128,
		Math.min(4096, Math.floor(totalmem() / 1024 / 1024 / 8)),
	);
	return startThrowawayPostgres({
		prefix: "cpor-simulate-pg-",
		settings: {
			wal_level: "minimal",
			max_wal_senders: 0,
			max_wal_size: "8GB",
			checkpoint_timeout: "30min",
			shared_buffers: `${sharedBuffersMb}MB`,
			max_connections: 300,
			jit: "off",
			...opts.settings,
		},
		missingBinariesHint:
			"or set DATABASE_URL to an empty database instead of --postgres",
	});
}
