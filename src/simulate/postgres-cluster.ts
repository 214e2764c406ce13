/**
 * `cpor simulate --postgres`: a throwaway PostgreSQL cluster for one simulation, in a
 * temporary directory, reached over its Unix socket only (no TCP port), with durability
 * off (fsync, synchronous_commit, full_page_writes: the data is discarded at the end).
 * As root the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
 * The cluster is stopped and its directory removed by `stop()`, or at process exit.
 */
import { execFile, execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";

/** Where Debian/Ubuntu put the PostgreSQL 15 server binaries (override: CPOR_PG_BIN). */
export const DEFAULT_PG_BIN_DIR = "/usr/lib/postgresql/15/bin";

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
	/** Superuser URL of its `postgres` database over the Unix socket. */
	url: string;
	/** The temporary directory (data, socket, server log). */
	dir: string;
	/** Stops the server at once and removes the directory. Idempotent. */
	stop(): Promise<void>;
}

const PORT = 5432;

function run(file: string, args: string[], cwd: string): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(
			file,
			args,
			{ cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } },
			(err, stdout, stderr) => {
				if (!err) return resolve();
				const detail = `${stderr}\n${stdout}`.trim();
				reject(
					new Error(
						`\`${file} ${args.join(" ")}\` failed: ${err.message}${detail ? `\n${detail}` : ""}`,
					),
				);
			},
		);
	});
}

/**
 * Creates and starts the cluster. `settings` are extra server settings. Throws with what
 * to install or set when the binaries are missing, and with the server log when it does
 * not start; nothing is left behind then.
 */
export async function startThrowawayPostgres(
	opts: { settings?: Record<string, string | number> } = {},
): Promise<ThrowawayPostgres> {
	const binDir = process.env.CPOR_PG_BIN ?? DEFAULT_PG_BIN_DIR;
	const initdb = join(binDir, "initdb");
	const pgCtl = join(binDir, "pg_ctl");
	for (const bin of [initdb, pgCtl, join(binDir, "postgres")]) {
		try {
			accessSync(bin, constants.X_OK);
		} catch {
			throw new Error(
				`--postgres needs the PostgreSQL 15 server binaries, not found at ${binDir} (missing ${bin}). Install postgresql-15 (apt-get install -y postgresql-15), set CPOR_PG_BIN to their directory, or set DATABASE_URL to an empty database instead.`,
			);
		}
	}
	const asPostgres =
		typeof process.getuid === "function" && process.getuid() === 0;
	const as = (bin: string, args: string[]): [string, string[]] =>
		asPostgres
			? ["runuser", ["-u", "postgres", "--", bin, ...args]]
			: [bin, args];

	const dir = await mkdtemp(join(tmpdir(), "cpor-simulate-pg-"));
	const dataDir = join(dir, "data");
	const logFile = join(dir, "postgres.log");
	let started = false;
	try {
		await chmod(dir, 0o700);
		if (asPostgres) {
			const id = (flag: string) =>
				Number(
					execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim(),
				);
			await chown(dir, id("-u"), id("-g"));
		}
		await run(
			...as(initdb, [
				"-D",
				dataDir,
				"--auth=trust",
				"-U",
				"postgres",
				"--encoding=UTF8",
				"--locale=C",
				"--no-sync",
				"--no-instructions",
			]),
			dir,
		);
		const sharedBuffersMb = Math.max(
			128,
			Math.min(4096, Math.floor(totalmem() / 1024 / 1024 / 8)),
		);
		const settings: Record<string, string | number> = {
			listen_addresses: "''",
			fsync: "off",
			synchronous_commit: "off",
			full_page_writes: "off",
			wal_level: "minimal",
			max_wal_senders: 0,
			max_wal_size: "8GB",
			checkpoint_timeout: "30min",
			shared_buffers: `${sharedBuffersMb}MB`,
			max_connections: 300,
			jit: "off",
			...opts.settings,
		};
		const serverOpts = [
			`-p ${PORT}`,
			`-k ${dir}`,
			...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
		].join(" ");
		try {
			await run(
				...as(pgCtl, [
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
				]),
				dir,
			);
		} catch (err) {
			await run(
				...as(pgCtl, ["stop", "-D", dataDir, "-m", "immediate", "-w"]),
				dir,
			).catch(() => {});
			let log = "";
			try {
				log = execFileSync("tail", ["-n", "30", logFile], {
					encoding: "utf8",
				});
			} catch {
				// no log
			}
			throw new Error(
				`PostgreSQL did not start in ${dataDir}: ${(err as Error).message}\n${log}`,
			);
		}
		started = true;
	} finally {
		if (!started) await rm(dir, { recursive: true, force: true });
	}

	const stopNow = () => {
		try {
			const [file, args] = as(pgCtl, [
				"stop",
				"-D",
				dataDir,
				"-m",
				"immediate",
				"-w",
			]);
			execFileSync(file, args, { cwd: dir, stdio: "ignore" });
		} catch {
			// already stopped
		}
		try {
			execFileSync("rm", ["-rf", dir], { stdio: "ignore" });
		} catch {
			// best effort
		}
	};
	// Last resort when stop() is never reached (an uncaught error, process.exit).
	process.on("exit", stopNow);
	let stopping: Promise<void> | undefined;
	return {
		url: `postgresql://postgres@${encodeURIComponent(dir)}:${PORT}/postgres`,
		dir,
		stop() {
			stopping ??= (async () => {
				process.off("exit", stopNow);
				await run(
					...as(pgCtl, [
						"stop",
						"-D",
						dataDir,
						"-m",
						"immediate",
						"-w",
						"-t",
						"60",
					]),
					dir,
				).catch(() => {});
				await rm(dir, { recursive: true, force: true });
			})();
			return stopping;
		},
	};
}
