/**
 * The `cpor simulate` command (issue 5): option parsing, database choice, progress line
 * on stderr and the report on stdout. The simulation itself is in simulate.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import type { Config } from "../config.ts";
import { DocumentStore } from "../documents/document-store.ts";
import { isEmpty, startRuntime } from "../runtime.ts";
import {
	formatReport,
	runSimulation,
	SIMULATION_DEFAULTS,
	type SimulationOptions,
} from "./simulate.ts";

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
	dataDir?: string;
	json?: boolean;
}

const count = (name: string, v: string, min = 1): number => {
	const n = Number(v.replace(/[_,]/g, ""));
	if (!Number.isInteger(n) || n < min)
		throw new Error(`--${name} must be a whole number ≥ ${min}, not "${v}".`);
	return n;
};
const rate = (name: string, v: string): number => {
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0 || n > 1)
		throw new Error(`--${name} must be between 0 and 1, not "${v}".`);
	return n;
};

/** Adds `simulate` to the program; `loadConfig` gives the environment's configuration. */
export function addSimulateCommand(
	program: Command,
	loadConfig: () => Config,
): void {
	const d = SIMULATION_DEFAULTS;
	program
		.command("simulate")
		.description(
			"Run a time-compressed ecosystem (partners, tenants, claims, reviewers, timers) through the real use cases on a sandbox clock and report statuses, SLA breaches and throughput",
		)
		.option("--partners <n>", "partner organizations", String(d.partners))
		.option("--tenants <n>", "customer tenants", String(d.tenants))
		.option("--claims <n>", "claims arriving over the run", String(d.claims))
		.option("--days <n>", "simulated calendar days", String(d.days))
		.option(
			"--review-capacity <n>",
			"claims (or disputes) reviewers handle per business day",
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
		.option("--seed <n>", "PRNG seed (same seed, same run)", String(d.seed))
		.option(
			"-d, --data-dir <dir>",
			"database to write into: memory:// (default: an in-memory PGlite, discarded) or a data directory; DATABASE_URL for PostgreSQL. Must be empty",
		)
		.option("--json", "print the report as JSON")
		.addHelpText(
			"after",
			"\nExamples:\n  cpor simulate --claims 10000 --days 60 --review-capacity 200\n  cpor simulate --partners 3 --tenants 20 --claims 60 --days 10 --json\n",
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
			const c = loadConfig();
			if (flags.dataDir) {
				c.dataDir = flags.dataDir;
				c.databaseUrl = undefined;
			} else if (!c.databaseUrl) c.dataDir = "memory://";
			const memory = !c.databaseUrl && c.dataDir === "memory://";
			const where = c.databaseUrl
				? "PostgreSQL (DATABASE_URL)"
				: memory
					? "an in-memory PGlite (discarded at the end; --data-dir to keep it)"
					: `PGlite in ${path.resolve(c.dataDir, "pglite")}`;
			process.stderr.write(`Simulating on ${where}\n`);
			const docsDir = memory
				? mkdtempSync(path.join(tmpdir(), "cpor-simulate-"))
				: null;
			const rt = await startRuntime(c);
			try {
				if (!(await isEmpty(rt.ctx)))
					throw new Error(
						"The database already has partners or claims; simulate writes only into an empty one.",
					);
				const ctx = docsDir
					? {
							...rt.ctx,
							documents: new DocumentStore(docsDir, c.maxUploadBytes),
						}
					: rt.ctx;
				const report = await runSimulation(ctx, {
					...opts,
					onProgress: (p) =>
						process.stderr.write(
							`\r  day ${p.day}/${p.days}  claims ${p.claimsCreated.toLocaleString("en")}/${p.claims.toLocaleString("en")}   `,
						),
				});
				process.stderr.write("\n");
				process.stdout.write(
					flags.json
						? `${JSON.stringify(report, null, 2)}\n`
						: formatReport(report),
				);
			} finally {
				await rt.close();
				if (docsDir) rmSync(docsDir, { recursive: true, force: true });
			}
		});
}
