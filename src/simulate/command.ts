/**
 * The `cpor simulate` command (issue 5): option parsing, database choice (in-memory or
 * on-disk PGlite, PostgreSQL at DATABASE_URL, or a throwaway PostgreSQL with
 * --postgres), worker threads, the progress line on stderr and the report on stdout.
 * The simulation itself is in simulate.ts.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import type { Config } from "../config.ts";
import { createContext } from "../context.ts";
import {
	type Database,
	migrateDatabase,
	openDatabase,
	redactUrl,
} from "../db/client.ts";
import { loadStoredCalendar } from "../db/stored-calendar.ts";
import { systemClock } from "../domain/clock.ts";
import { isEmpty } from "../runtime.ts";
import { SIMULATION_DEFAULTS } from "./defaults.ts";
import { SimulationDocumentStore } from "./document-store.ts";
import type { SimExecutor } from "./executor.ts";
import type { ThrowawayPostgres } from "./postgres-cluster.ts";
import type { SimulationOptions, SimulationProgress } from "./simulate.ts";

interface SimulateFlags {
	partners: string;
	tenants: string;
	claims: string;
	days: string;
	reviewCapacity: string;
	optOutRate: string;
	disputeRate: string;
	competingRate: string;
	/** `--no-answer-rate` (commander names a `--no-` option after the rest). */
	answerRate: string;
	seed: string;
	concurrency?: string;
	workers?: string;
	postgres?: boolean;
	dataDir?: string;
	json?: boolean;
}

/**
 * Worker threads on PostgreSQL unless --workers says otherwise. A claim costs about twice
 * as much JavaScript CPU (use cases, Drizzle, driver) as PostgreSQL CPU, so about 60% of
 * the cores run JavaScript. On 2 cores the one main thread did as well as 2 workers in
 * measurements (a thread more costs context switches and messages).
 */
export function defaultWorkers(cores: number): number {
	return cores >= 4 ? Math.round(cores * 0.6) : 0;
}

/** Use cases in flight on PostgreSQL unless --concurrency says otherwise. */
export function defaultConcurrency(workers: number): number {
	return 8 * Math.max(1, workers);
}

/**
 * The value of the command-line option `--name` as a whole number from `min` to `max`
 * (`_` and `,` may group digits). @throws Error naming the option and the value for
 * anything else.
 */
export function wholeNumberFlag(
	name: string,
	v: string,
	min = 1,
	max = Number.MAX_SAFE_INTEGER,
): number {
	const n = Number(v.replace(/[_,]/g, ""));
	if (v.trim() === "" || !Number.isInteger(n) || n < min || n > max)
		throw new Error(
			`--${name} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}, not "${v}".`,
		);
	return n;
}
const count = wholeNumberFlag;
const rate = (name: string, v: string): number => {
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0 || n > 1)
		throw new Error(`--${name} must be between 0 and 1, not "${v}".`);
	return n;
};

const duration = (s: number) => {
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	return h > 0
		? `${h}h${String(m).padStart(2, "0")}m`
		: `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
};

/** The progress line: on a terminal rewritten in place, otherwise a line every 30 s. */
function progressPrinter(): (p: SimulationProgress) => void {
	const tty = process.stderr.isTTY;
	let lastLine = 0;
	return (p) => {
		const rate = p.claimsCreated / Math.max(p.elapsedSeconds, 0.001);
		const left = p.claims - p.claimsCreated;
		const eta = rate > 0 && left > 0 ? `  ETA ${duration(left / rate)}` : "";
		const text = `day ${p.day}/${p.days}  claims ${p.claimsCreated.toLocaleString("en")}/${p.claims.toLocaleString("en")}  ${rate.toFixed(1)} claims/s  ${duration(p.elapsedSeconds)} elapsed${eta}`;
		if (tty) process.stderr.write(`\r  ${text}   `);
		else if (p.elapsedSeconds - lastLine >= 30 || p.day === p.days) {
			lastLine = p.elapsedSeconds;
			process.stderr.write(`  ${text}\n`);
		}
	};
}

/** Adds `simulate` to the program; `loadConfig` gives the environment's configuration. */
export function addSimulateCommand(
	program: Command,
	loadConfig: () => Config,
): void {
	const d = SIMULATION_DEFAULTS;
	program
		.command("simulate")
		.description(
			"Run a time-compressed ecosystem (partners, tenants, claims, reviewers, timers) through the real use cases on a sandbox clock and report statuses, SLA breaches, time to decision and throughput. Deterministic for a seed.",
		)
		.option(
			"--partners <n>",
			"partner organizations (one MPN ID each, enrolled in every program)",
			String(d.partners),
		)
		.option(
			"--tenants <n>",
			"customer tenants; each claim takes a tenant × Microsoft 365 workload (11 per tenant) no other claim took, so give at least claims ÷ 5",
			String(d.tenants),
		)
		.option(
			"--claims <n>",
			"claims arriving over the run (spread evenly over its business days)",
			String(d.claims),
		)
		.option("--days <n>", "simulated calendar days", String(d.days))
		.option(
			"--review-capacity <n>",
			"claims (or disputes) reviewers handle per business day, most urgent first; below the daily arrivals the queue grows and SLAs are breached",
			String(d.reviewCapacity),
		)
		.option(
			"--opt-out-rate <r>",
			"share of approvals the customer opts out of",
			String(d.optOutRate),
		)
		.option(
			"--dispute-rate <r>",
			"share of rejections the partner disputes",
			String(d.disputeRate),
		)
		.option(
			"--competing-rate <r>",
			"share of claims competing with another partner's",
			String(d.competingRate),
		)
		.option(
			"--no-answer-rate <r>",
			"share of information requests never answered (R-TIME-4 rejects them)",
			String(d.noAnswerRate),
		)
		.option("--seed <n>", "PRNG seed (same seed, same report)", String(d.seed))
		.option(
			"--postgres",
			"run on a throwaway PostgreSQL 15 cluster started for the run and removed at its end (binaries in /usr/lib/postgresql/15/bin or CPOR_PG_BIN; as root it runs as the postgres user). The fast way for large runs",
		)
		.option(
			"--concurrency <n>",
			"use cases in flight at once, on claims of different customers/workloads (default on PostgreSQL: 8 per thread running them; PGlite: 1, it runs one statement at a time). Does not change the report",
		)
		.option(
			"--workers <n>",
			"worker threads running the use cases, each with its own PostgreSQL connections (0: this thread runs them). Default on PostgreSQL: 60% of the CPU cores from 4 cores up, else 0; PGlite: 0, it lives in this thread. Does not change the report",
		)
		.option(
			"-d, --data-dir <dir>",
			"database to write into: memory:// (default: an in-memory PGlite, discarded) or a data directory; DATABASE_URL for PostgreSQL. Must be empty",
		)
		.option("--json", "print the report as JSON")
		.addHelpText(
			"after",
			`
The same seed and parameters give the same report (except wall time and throughput),
whatever the database, --concurrency and --workers.

Examples:
  cpor simulate --claims 10000 --tenants 2000 --days 60 --review-capacity 200
  cpor simulate --partners 3 --tenants 20 --claims 60 --days 10 --json
  # A million claims over a year on a throwaway PostgreSQL (about 2 hours on 2 cores):
  cpor simulate --postgres --claims 1000000 --days 365 --partners 2000 \\
    --tenants 200000 --review-capacity 5000
  # The same into an empty database of your own:
  DATABASE_URL=postgres://user@host/empty_db cpor simulate --claims 1000000 ...
`,
		)
		.action(async (flags: SimulateFlags) => {
			const opts: SimulationOptions = {
				partners: count("partners", flags.partners),
				tenants: count("tenants", flags.tenants),
				claims: count("claims", flags.claims, 0),
				days: count("days", flags.days),
				reviewCapacity: count("review-capacity", flags.reviewCapacity, 0),
				optOutRate: rate("opt-out-rate", flags.optOutRate),
				disputeRate: rate("dispute-rate", flags.disputeRate),
				competingRate: rate("competing-rate", flags.competingRate),
				noAnswerRate: rate("no-answer-rate", flags.answerRate),
				seed: count("seed", flags.seed, 0),
			};
			if (flags.postgres && flags.dataDir)
				throw new Error(
					"--postgres and --data-dir exclude each other: --postgres starts its own database.",
				);
			const c = loadConfig();
			if (flags.dataDir) {
				c.dataDir = flags.dataDir;
				c.databaseUrl = undefined;
			} else if (!c.databaseUrl && !flags.postgres) c.dataDir = "memory://";
			const onPostgres = Boolean(flags.postgres || c.databaseUrl);
			const workers = flags.workers
				? count("workers", flags.workers, 0)
				: onPostgres
					? defaultWorkers(availableParallelism())
					: 0;
			const concurrency = flags.concurrency
				? count("concurrency", flags.concurrency)
				: onPostgres
					? defaultConcurrency(workers)
					: 1;
			if (workers > 0 && !onPostgres)
				throw new Error(
					"--workers needs PostgreSQL (--postgres or DATABASE_URL): PGlite lives inside this thread.",
				);
			const memory = !onPostgres && c.dataDir === "memory://";
			// The simulation, its PostgreSQL pieces and faker load only when it runs.
			const [
				{ openSimulationDatabase },
				{ startWorkerExecutor },
				{ startSimulationPostgres },
				{ formatReport, runSimulation },
			] = await Promise.all([
				import("./database.ts"),
				import("./executor.ts"),
				import("./postgres-cluster.ts"),
				import("./simulate.ts"),
			]);
			let cluster: ThrowawayPostgres | undefined;
			const cleanups: (() => Promise<void> | void)[] = [];
			let database: Database | undefined;
			let executor: SimExecutor | undefined;
			try {
				if (flags.postgres) {
					process.stderr.write("Starting a throwaway PostgreSQL cluster…\n");
					cluster = await startSimulationPostgres();
					const stopped = cluster;
					cleanups.push(() => stopped.stop());
					// Ctrl-C: exit through process.exit, whose hook stops the cluster.
					const onSignal = () => process.exit(130);
					process.once("SIGINT", onSignal);
					process.once("SIGTERM", onSignal);
					cleanups.push(() => {
						process.off("SIGINT", onSignal);
						process.off("SIGTERM", onSignal);
					});
				}
				const url = cluster?.url ?? c.databaseUrl;
				const where = cluster
					? `a throwaway PostgreSQL in ${cluster.dir} (removed at the end)`
					: url
						? `PostgreSQL at ${redactUrl(url)} (DATABASE_URL)`
						: memory
							? "an in-memory PGlite (discarded at the end; --data-dir to keep it)"
							: `PGlite in ${path.resolve(c.dataDir, "pglite")}`;
				process.stderr.write(
					`Simulating on ${where}, ${concurrency} use case${concurrency === 1 ? "" : "s"} in flight${workers ? ` on ${workers} worker thread${workers === 1 ? "" : "s"}` : ""}\n`,
				);
				database = url
					? await openSimulationDatabase(url, workers ? 4 : concurrency + 4)
					: await openDatabase({
							dataDir: c.dataDir,
							pgliteCacheMb: c.pgliteCacheMb,
						});
				await migrateDatabase(database);
				const docsDir =
					memory || cluster
						? mkdtempSync(path.join(tmpdir(), "cpor-simulate-"))
						: path.resolve(c.dataDir, "documents");
				if (memory || cluster)
					cleanups.push(() =>
						rmSync(docsDir, { recursive: true, force: true }),
					);
				const ctx = {
					...createContext({
						db: database.db,
						dbKind: database.kind,
						clock: systemClock,
						config: c,
					}),
					documents: new SimulationDocumentStore(docsDir, c.maxUploadBytes),
				};
				// The business calendar an admin set on this database (R-ROL-2), if any.
				await loadStoredCalendar(ctx);
				if (!(await isEmpty(ctx)))
					throw new Error(
						"The database already has partners or claims; simulate writes only into an empty one.",
					);
				if (url && workers > 0)
					executor = await startWorkerExecutor(workers, {
						databaseUrl: url,
						poolSize: Math.ceil(concurrency / workers) + 2,
						config: c,
						documentsDir: docsDir,
					});
				const report = await runSimulation(ctx, {
					...opts,
					concurrency,
					...(executor ? { executor } : {}),
					onProgress: progressPrinter(),
				});
				if (process.stderr.isTTY) process.stderr.write("\n");
				process.stdout.write(
					flags.json
						? `${JSON.stringify(report, null, 2)}\n`
						: formatReport(report),
				);
			} finally {
				await executor?.close();
				await database?.close();
				for (const cleanup of cleanups.reverse()) await cleanup();
			}
		});
}
