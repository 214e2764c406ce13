/**
 * Timer benchmark (first cut): N claims whose partner-response deadlines have passed,
 * swept by one in-process runDueTimers on PGlite, or on PostgreSQL when DATABASE_URL is
 * set. Prints transitions per second. Usage: npx tsx bench/sweeper.ts [N]
 */
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

const n = Number(process.argv[2] ?? 2000);
const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-bench-"));
const url = process.env.DATABASE_URL;
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
await database.db.execute(sql`truncate claims, claim_history, outbox cascade`);
const dir = generateDemoDirectory();
await importDirectory(ctx.db, { ...dir, users: [], usage: [] });
await database.db.execute(sql`
  insert into claims (id, name, status, version, partner_organization_id, mpn_id, tenant_id, domain,
    solution_area, activity, contacts, partner_response_due, due_at, created_by, created_at, updated_at)
  select 'bench-' || g, 'Bench ' || g, 'partner_action_required', 3, 'fabrikam', '4471023',
    '6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31', 'contoso.com', 'microsoft_365', 'usage', '{}'::jsonb,
    now() - interval '1 hour', now() - interval '1 hour', 'bench', now(), now()
  from generate_series(1, ${n}) g`);
const started = performance.now();
const result = await runDueTimers(ctx);
const ms = performance.now() - started;
console.log(
	JSON.stringify({
		database: database.kind,
		claims: n,
		expired: result.expired,
		ms: Math.round(ms),
		perSecond: Math.round((result.expired * 1000) / ms),
	}),
);
await database.close();
rmSync(dataDir, { recursive: true, force: true });
