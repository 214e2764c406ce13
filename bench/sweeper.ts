/**
 * Timer benchmark: N due claims (90% partner_action_required past the response deadline,
 * 10% approved past the consent window), swept
 * - `--mode in-process` (default): by one in-process runDueTimers, on PGlite, or on
 *   PostgreSQL when DATABASE_URL is set (or a throwaway cluster with `--postgres`);
 * - `--mode workers --workers K`: by K `node bin/cpor.js worker --once` processes in
 *   parallel against one PostgreSQL (DATABASE_URL, or a throwaway cluster started with
 *   test/support/pg-cluster.ts).
 * Checks that every claim transitioned exactly once (claim statuses, one history row and
 * the expected events per claim) and prints transitions per second as JSON.
 *
 * Usage: npx tsx bench/sweeper.ts [N] [--mode in-process|workers] [--workers K] [--postgres]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import { createContext } from "../src/context.ts";
import { migrateDatabase, openDatabase } from "../src/db/client.ts";
import { generateDemoDirectory } from "../src/demo/generate-directory.ts";
import { importDirectory } from "../src/directory/import-directory.ts";
import { systemClock } from "../src/domain/clock.ts";
import { runDueTimers } from "../src/jobs/sweeper.ts";
import { type PgCluster, startPgCluster } from "../test/support/pg-cluster.ts";
import { recordResult } from "./record.ts";
import { buildServerBundle } from "./server-bundle.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
const mode = flag("--mode") ?? "in-process";
const workers = Number(flag("--workers") ?? 1);
const consent = Math.round(n / 10);
const par = n - consent;

// `cpor worker` children run the bundle, not the sources through tsx.
if (mode === "workers") buildServerBundle();
const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-bench-"));
let cluster: PgCluster | undefined;
let url = process.env.DATABASE_URL;
if (!url && (mode === "workers" || args.includes("--postgres"))) {
	cluster = await startPgCluster();
	url = cluster.url;
}
const database = await openDatabase(
	url ? { databaseUrl: url } : { dataDir: "memory://" },
);
await migrateDatabase(database);
const config = loadConfig({ CPOR_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
const ctx = createContext({
	db: database.db,
	dbKind: database.kind,
	clock: systemClock,
	config,
});
type Rows = { rows: Record<string, unknown>[] };
const q = async (query: ReturnType<typeof sql>) =>
	((await database.db.execute(query)) as unknown as Rows).rows;

await database.db.execute(
	sql`truncate claims, claim_history, claim_sla_exits, claim_comments, outbox cascade`,
);
const dir = generateDemoDirectory();
await importDirectory(ctx.db, { ...dir, users: [], usage: [] });
await database.db.execute(sql`
  insert into claims (id, name, status, version, partner_organization_id, mpn_id, tenant_id, domain,
    solution_area, activity, contacts, partner_response_due, due_at, information_request, created_by, created_at, updated_at)
  select 'bench-par-' || g, 'Bench ' || g, 'partner_action_required', 3, 'fabrikam', '4471023',
    '6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31', 'contoso.com', 'microsoft_365', 'usage', '{}'::jsonb,
    now() - interval '1 hour', now() - interval '1 hour', '{"reasons":["missing_all_poe"]}'::jsonb, 'bench', now(), now()
  from generate_series(1, ${par}) g`);
await database.db.execute(sql`
  insert into claims (id, name, status, version, partner_organization_id, mpn_id, tenant_id, domain,
    solution_area, activity, contacts, consent_ends_at, due_at, association, created_by, created_at, updated_at)
  select 'bench-con-' || g, 'Bench approved ' || g, 'approved', 5, 'fabrikam', '4471023',
    '6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31', 'contoso.com', 'microsoft_365', 'usage', '{}'::jsonb,
    now() - interval '1 minute', now() - interval '1 minute',
    jsonb_build_object('status','pending_consent','approvedAt', now() - interval '8 days', 'consentEndsAt', now() - interval '1 minute', 'activatedAt', null, 'declinedAt', null),
    'bench', now(), now()
  from generate_series(1, ${consent}) g`);
await database.db.execute(sql`analyze claims`);

function runWorker(): Promise<Record<string, number>> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ["bin/cpor.js", "worker", "--once"], {
			env: {
				...process.env,
				DATABASE_URL: url,
				CPOR_DATA_DIR: dataDir,
				LOG_LEVEL: "silent",
			},
			stdio: ["ignore", "pipe", "pipe"],
		});
		let out = "";
		let err = "";
		child.stdout.on("data", (d) => {
			out += d;
		});
		child.stderr.on("data", (d) => {
			err += d;
		});
		child.on("exit", (code) => {
			if (code !== 0) return reject(new Error(`worker exited ${code}: ${err}`));
			resolve(JSON.parse(out.trim().split("\n").pop() as string));
		});
	});
}

const due = async () =>
	Number(
		(
			await q(sql`select count(*)::int as n from claims
        where status = 'partner_action_required' or association->>'status' = 'pending_consent'`)
		)[0]?.n,
	);

const started = performance.now();
let transitionsMs: number;
let sweepWindowMs: number | undefined;
let perWorker: Record<string, number>[] = [];
if (mode === "workers") {
	const running = Promise.all(
		Array.from({ length: workers }, () => runWorker()),
	);
	// Each worker also fans the new events out after its timers; the transition rate is
	// measured until no due claim is left (polled), including process start-up.
	let failed: unknown;
	running.catch((e) => {
		failed = e;
	});
	while ((await due()) > 0) {
		if (failed) throw failed;
		await new Promise((r) => setTimeout(r, 250));
	}
	transitionsMs = performance.now() - started;
	const [first] = await q(
		sql`select extract(epoch from (now() - min(at))) * 1000 as ms from claim_history`,
	);
	sweepWindowMs = Number(first?.ms);
	perWorker = await running;
} else {
	const r = await runDueTimers(ctx);
	transitionsMs = performance.now() - started;
	perWorker = [{ ...r }];
}
const totalMs = performance.now() - started;

// Exactly once: every claim transitioned, one history row and the expected events each.
const statuses = await q(
	sql`select status, association->>'status' as a, count(*)::int as n from claims group by 1, 2 order by 1, 2`,
);
const history = await q(
	sql`select action, count(*)::int as n, count(distinct claim_id)::int as claims from claim_history group by 1 order by 1`,
);
const events = await q(
	sql`select type, count(*)::int as n, count(distinct claim_id)::int as claims from outbox group by 1 order by 1`,
);
const expect = (what: string, got: unknown, want: unknown) => {
	if (JSON.stringify(got) !== JSON.stringify(want))
		throw new Error(
			`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
		);
};
expect("statuses", statuses, [
	...(consent ? [{ status: "approved", a: "active", n: consent }] : []),
	{ status: "rejected", a: null, n: par },
]);
expect("history", history, [
	...(consent
		? [{ action: "activate_association", n: consent, claims: consent }]
		: []),
	{ action: "expire_partner_response", n: par, claims: par },
]);
expect("events", events, [
	...(consent
		? [{ type: "association.activated", n: consent, claims: consent }]
		: []),
	{ type: "claim.rejected", n: par, claims: par },
	...(consent
		? [{ type: "eligibility.evaluated", n: consent, claims: consent }]
		: []),
]);
const transitioned = perWorker.reduce(
	(s, w) => s + (w.expired ?? 0) + (w.activated ?? 0),
	0,
);
expect("transitions reported by the workers", transitioned, n);

const result = {
	database: database.kind,
	mode,
	workers: mode === "workers" ? workers : 1,
	claims: n,
	expired: par,
	activated: consent,
	exactlyOnce: true,
	transitionsMs: Math.round(transitionsMs),
	perSecond: Math.round((n * 1000) / transitionsMs),
	...(sweepWindowMs !== undefined
		? {
				sweepWindowMs: Math.round(sweepWindowMs),
				perSecondInSweepWindow: Math.round((n * 1000) / sweepWindowMs),
			}
		: {}),
	totalMsInclEventFanOut: Math.round(totalMs),
	perWorker,
};
console.log(JSON.stringify(result));
recordResult(
	`timers-${database.kind}-${mode}-${mode === "workers" ? workers : 1}`,
	result,
);
await database.close();
await cluster?.stop();
rmSync(dataDir, { recursive: true, force: true });
