/**
 * `cpor simulate` (issue 5): a small ecosystem run through the real use cases on a
 * sandbox clock is deterministic for a seed, ends every claim in a SPEC section 4 status,
 * its counts add up, and the R-TIME-4 / R-TIME-6 timers fire.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createContext } from "../../src/context.ts";
import { migrateDatabase, openDatabase } from "../../src/db/client.ts";
import { systemClock } from "../../src/domain/clock.ts";
import {
	runSimulation,
	type SimulationOptions,
	type SimulationReport,
} from "../../src/simulate/simulate.ts";

const OPTIONS: SimulationOptions = {
	partners: 3,
	tenants: 20,
	claims: 60,
	days: 10,
	reviewCapacity: 8,
	optOutRate: 0.2,
	disputeRate: 0.5,
	competingRate: 0.1,
	noAnswerRate: 0.5,
	seed: 42,
};

async function simulate(): Promise<SimulationReport> {
	const database = await openDatabase({ dataDir: "memory://" });
	const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-sim-test-"));
	try {
		await migrateDatabase(database);
		const ctx = createContext({
			db: database.db,
			dbKind: database.kind,
			clock: systemClock,
			config: loadConfig({ CPOR_DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
		});
		return await runSimulation(ctx, OPTIONS);
	} finally {
		await database.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const withoutWallTime = ({
	wallSeconds: _w,
	claimsPerSecond: _c,
	...rest
}: SimulationReport) => rest;

describe("cpor simulate", () => {
	it("R-TIME-4 R-TIME-6 R-CMP-3: a seeded run is deterministic, ends in valid statuses and fires timers", async () => {
		const a = await simulate();
		const b = await simulate();
		expect(withoutWallTime(b)).toEqual(withoutWallTime(a));

		const statuses = Object.keys(a.claimsByStatus);
		const valid = [
			"draft",
			"submitted",
			"under_review",
			"partner_action_required",
			"approved",
			"rejected",
		];
		for (const s of statuses) expect(valid).toContain(s);
		const total = Object.values(a.claimsByStatus).reduce((x, y) => x + y, 0);
		expect(total).toBe(a.claimsCreated);
		expect(a.claimsCreated + a.claimsRefused).toBe(OPTIONS.claims);
		expect(a.claimsCreated).toBeGreaterThan(50);
		// Every created claim was submitted; none is left as a draft.
		expect(a.claimsByStatus.draft ?? 0).toBe(0);
		expect(a.actions.start_review ?? 0).toBeGreaterThan(0);
		expect(a.actions.approve ?? 0).toBeGreaterThan(0);
		expect(a.timers.associationsActivated).toBeGreaterThan(0);
		expect(a.timers.partnerResponseExpired).toBeGreaterThan(0);
		expect(
			a.timers.partnerResponseExpired + a.timers.associationsActivated,
		).toBeGreaterThan(0);
		expect(a.timeToDecisionHours.count).toBeGreaterThan(0);
		expect(a.timeToDecisionHours.p90).toBeGreaterThanOrEqual(
			a.timeToDecisionHours.median,
		);
		expect(a.claimsPerSecond).toBeGreaterThan(0);
	}, 120_000);

	it("cpor simulate --json runs on an in-memory database and --help names its flags", () => {
		const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
		delete env.DATABASE_URL;
		const run = (args: string[]) =>
			spawnSync(process.execPath, ["bin/cpor.js", "simulate", ...args], {
				encoding: "utf8",
				env,
				timeout: 90_000,
			});
		const help = run(["--help"]);
		for (const f of [
			"--partners",
			"--tenants",
			"--claims",
			"--days",
			"--review-capacity",
			"--opt-out-rate",
			"--dispute-rate",
			"--competing-rate",
			"--no-answer-rate",
			"--seed",
			"--data-dir",
			"--json",
		])
			expect(help.stdout).toContain(f);
		const r = run([
			"--partners",
			"2",
			"--tenants",
			"5",
			"--claims",
			"10",
			"--days",
			"3",
			"--no-answer-rate",
			"1",
			"--json",
		]);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stderr).toMatch(/in-memory PGlite/);
		const report = JSON.parse(r.stdout) as SimulationReport;
		expect(report.parameters.noAnswerRate).toBe(1);
		expect(report.claimsCreated).toBe(10);
		expect(run(["--opt-out-rate", "2"]).stderr).toMatch(/between 0 and 1/);
	}, 120_000);
});
