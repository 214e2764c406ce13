/**
 * Throwaway PostgreSQL 15 clusters: for the tests and benchmarks (test/support/pg-cluster.ts)
 * and for `cpor simulate --postgres`.
 *
 * Each cluster lives in its own temporary directory (data + Unix socket + log), listens
 * on its Unix socket and, when asked, on 127.0.0.1 (a free port or a given one), trusts
 * every local connection and runs with durability switched off (fsync,
 * synchronous_commit, full_page_writes) because the data is thrown away afterwards. When
 * the current process is root, the server runs as the `postgres` OS user via `runuser`,
 * since PostgreSQL refuses to run as root. A cluster not stopped is stopped, and its
 * directory removed, when the process exits.
 */
import { execFile, execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Default location of the PostgreSQL 15 server binaries on Debian/Ubuntu. */
export const DEFAULT_PG_BIN_DIR = "/usr/lib/postgresql/15/bin";

/** Options for {@link startThrowawayPostgres}. */
export interface ThrowawayPostgresOptions {
	/** Directory holding initdb, pg_ctl and postgres. Default: env `CPOR_PG_BIN`, else {@link DEFAULT_PG_BIN_DIR}. */
	binDir?: string;
	/**
	 * TCP on 127.0.0.1: a port, or "free" for one picked (retried if taken meanwhile).
	 * Default: none, the Unix socket only (port number 5432 for the socket's name).
	 */
	tcp?: number | "free";
	/** Server settings passed as `-c key=value`, over the durability-off defaults. */
	settings?: Record<string, string | number>;
	/** Prefix of the temporary directory's name (default `cpor-pg-`). */
	prefix?: string;
	/** What else the user can do when the binaries are missing (ends the error message). */
	missingBinariesHint?: string;
}

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
	/** Superuser URL of the `postgres` database: over TCP when listening on it (`postgres://postgres@127.0.0.1:54321/postgres`), else over the Unix socket. */
	url: string;
	/** Superuser URL of the `postgres` database over the Unix socket. */
	socketUrl: string;
	/** The port: TCP on 127.0.0.1 when listening on it, and the socket's number. */
	port: number;
	/** Temporary directory holding the data directory, socket and log; removed by {@link PgCluster.stop}. */
	dir: string;
	/** Stops the server immediately (`pg_ctl stop -m immediate`) and removes its directory. Idempotent. */
	stop(): Promise<void>;
}

const BASE_SETTINGS: Record<string, string | number> = {
	fsync: "off",
	synchronous_commit: "off",
	full_page_writes: "off",
	max_connections: 300,
};

/** Data directories of clusters started by this process and not yet stopped; stopped on process exit. */
const live = new Map<
	string,
	{ pgCtl: string; dataDir: string; dir: string; asPostgres: boolean }
>();
let exitHookInstalled = false;

function isRoot(): boolean {
	return typeof process.getuid === "function" && process.getuid() === 0;
}

function postgresIds(): { uid: number; gid: number } {
	try {
		const uid = Number(
			execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim(),
		);
		const gid = Number(
			execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim(),
		);
		if (!Number.isInteger(uid) || !Number.isInteger(gid))
			throw new Error("unparsable id output");
		return { uid, gid };
	} catch (err) {
		throw new Error(
			"Running as root, but the `postgres` OS user does not exist; PostgreSQL cannot run as root. " +
				"Install postgresql-15 (apt-get install -y postgresql-15), which creates it.",
			{ cause: err },
		);
	}
}

/** Builds the argv for running a PostgreSQL binary, through `runuser -u postgres` when root. */
function command(
	bin: string,
	args: string[],
	asPostgres: boolean,
): [string, string[]] {
	return asPostgres
		? ["runuser", ["-u", "postgres", "--", bin, ...args]]
		: [bin, args];
}

function run(
	bin: string,
	args: string[],
	asPostgres: boolean,
	cwd: string,
): Promise<{ stdout: string; stderr: string }> {
	const [file, argv] = command(bin, args, asPostgres);
	return new Promise((resolve, reject) => {
		execFile(
			file,
			argv,
			{ cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } },
			(err, stdout, stderr) => {
				if (err) {
					const detail = [stderr, stdout]
						.map((s) => s.trim())
						.filter(Boolean)
						.join("\n");
					reject(
						new Error(
							`\`${file} ${argv.join(" ")}\` failed: ${err.message}${detail ? `\n${detail}` : ""}`,
						),
					);
				} else {
					resolve({ stdout, stderr });
				}
			},
		);
	});
}

function logTail(logFile: string, lines = 30): string {
	try {
		const text = readFileSync(logFile, "utf8").trimEnd().split("\n");
		return text.slice(-lines).join("\n");
	} catch {
		return "(no server log)";
	}
}

/** Asks the kernel for a currently free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on("error", reject);
		srv.listen(0, "127.0.0.1", () => {
			const addr = srv.address();
			srv.close(() => {
				if (addr && typeof addr === "object") resolve(addr.port);
				else reject(new Error("could not determine a free port"));
			});
		});
	});
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// Last resort if stop() was never awaited (crash, process.exit): the postmaster is
	// detached from us and would otherwise outlive the test run.
	process.on("exit", () => {
		for (const c of live.values()) {
			try {
				const [file, argv] = command(
					c.pgCtl,
					["stop", "-D", c.dataDir, "-m", "immediate", "-w"],
					c.asPostgres,
				);
				execFileSync(file, argv, { cwd: c.dir, stdio: "ignore" });
			} catch {
				// already gone
			}
			try {
				execFileSync("rm", ["-rf", c.dir], { stdio: "ignore" });
			} catch {
				// best effort
			}
		}
		live.clear();
	});
}

/**
 * Creates and starts a fresh PostgreSQL 15 cluster in a temporary directory.
 *
 * Throws with an actionable message when the binaries are missing, initdb fails, or the
 * server does not come up (including the tail of the server log). On failure nothing is
 * left behind.
 */
export async function startThrowawayPostgres(
	opts: ThrowawayPostgresOptions = {},
): Promise<ThrowawayPostgres> {
	const binDir = opts.binDir ?? process.env.CPOR_PG_BIN ?? DEFAULT_PG_BIN_DIR;
	const initdb = join(binDir, "initdb");
	const pgCtl = join(binDir, "pg_ctl");
	for (const bin of [initdb, pgCtl, join(binDir, "postgres")]) {
		try {
			accessSync(bin, constants.X_OK);
		} catch {
			throw new Error(
				`PostgreSQL 15 server binaries not found at ${binDir} (missing ${bin}). Install postgresql-15 (apt-get install -y postgresql-15) or set CPOR_PG_BIN to their directory${opts.missingBinariesHint ? `; ${opts.missingBinariesHint}` : ""}.`,
			);
		}
	}

	const asPostgres = isRoot();
	const ids = asPostgres ? postgresIds() : undefined;

	// mkdtemp creates the directory with mode 0700; /tmp itself is world-traversable.
	const dir = await mkdtemp(join(tmpdir(), opts.prefix ?? "cpor-pg-"));
	const dataDir = join(dir, "data");
	const logFile = join(dir, "postgres.log");
	let started = false;
	try {
		await chmod(dir, 0o700);
		if (ids) await chown(dir, ids.uid, ids.gid);

		await run(
			initdb,
			[
				"-D",
				dataDir,
				"--auth=trust",
				"-U",
				"postgres",
				"--encoding=UTF8",
				"--locale=C",
				"--no-sync",
				"--no-instructions",
			],
			asPostgres,
			dir,
		).catch((err: Error) => {
			throw new Error(`initdb failed for ${dataDir}: ${err.message}`, {
				cause: err,
			});
		});

		const settings = {
			...BASE_SETTINGS,
			listen_addresses: opts.tcp === undefined ? "''" : "127.0.0.1",
			...opts.settings,
		};
		let lastError: unknown;
		// A port picked by freePort() can be grabbed by someone else before the server
		// binds it; retry with a new port unless the caller fixed one.
		for (let attempt = 0; attempt < (opts.tcp === "free" ? 3 : 1); attempt++) {
			const port =
				opts.tcp === undefined
					? 5432
					: opts.tcp === "free"
						? await freePort()
						: opts.tcp;
			const serverOpts = [
				`-p ${port}`,
				`-k ${dir}`,
				...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
			].join(" ");
			try {
				await run(
					pgCtl,
					[
						"start",
						"-w",
						"-t",
						"60",
						"-D",
						dataDir,
						"-l",
						logFile,
						"-o",
						serverOpts,
					],
					asPostgres,
					dir,
				);
				started = true;
				live.set(dataDir, { pgCtl, dataDir, dir, asPostgres });
				installExitHook();
				return makeHandle(
					port,
					opts.tcp !== undefined,
					dir,
					dataDir,
					pgCtl,
					asPostgres,
				);
			} catch (err) {
				lastError = err;
				// pg_ctl may have timed out with a server half-up; make sure it is gone.
				await run(
					pgCtl,
					["stop", "-D", dataDir, "-m", "immediate", "-w"],
					asPostgres,
					dir,
				).catch(() => {});
			}
		}
		const message =
			lastError instanceof Error ? lastError.message : String(lastError);
		throw new Error(
			`PostgreSQL failed to start (data dir ${dataDir}): ${message}\n--- server log (tail) ---\n${logTail(logFile)}`,
			{
				cause: lastError,
			},
		);
	} finally {
		if (!started) await rm(dir, { recursive: true, force: true });
	}
}

function makeHandle(
	port: number,
	tcp: boolean,
	dir: string,
	dataDir: string,
	pgCtl: string,
	asPostgres: boolean,
): ThrowawayPostgres {
	let stopping: Promise<void> | undefined;
	const socketUrl = `postgres:///postgres?host=${encodeURIComponent(dir)}&port=${port}&user=postgres`;
	return {
		url: tcp ? `postgres://postgres@127.0.0.1:${port}/postgres` : socketUrl,
		socketUrl,
		port,
		dir,
		stop() {
			stopping ??= (async () => {
				try {
					if (existsSync(join(dataDir, "postmaster.pid"))) {
						// A server that already died leaves a stale pid file: nothing to stop.
						await run(
							pgCtl,
							["stop", "-D", dataDir, "-m", "immediate", "-w", "-t", "60"],
							asPostgres,
							dir,
						).catch(() => {});
					}
				} finally {
					live.delete(dataDir);
					await rm(dir, { recursive: true, force: true });
				}
			})();
			return stopping;
		},
	};
}
