/**
 * Starting CPOR: open and migrate the database, build the context, create the first
 * platform admin (CPOR_ADMIN_EMAIL/PASSWORD) and, with --demo on an empty database,
 * load the demo.
 */
import v8 from "node:v8";
import { eq, sql } from "drizzle-orm";
import { ensureUser } from "./auth/accounts.ts";
import type { Config } from "./config.ts";
import { type AppContext, createContext } from "./context.ts";
import { type Database, migrateDatabase, openDatabase } from "./db/client.ts";
import { openSandboxClock } from "./db/sandbox-clock.ts";
import { demoLoads, users } from "./db/schema.ts";
import {
	loadStoredCalendar,
	watchStoredCalendar,
} from "./db/stored-calendar.ts";
import { type Clock, systemClock } from "./domain/clock.ts";

/** True when the environment names a calendar other than the default (UTC, no holidays). */
function configuresCalendar(config: Config): boolean {
	return (
		config.calendar.timeZone !== "UTC" || config.calendar.holidays !== null
	);
}

/** A running context with its database handle. */
export interface Runtime {
	ctx: AppContext;
	database: Database;
	close(): Promise<void>;
}

/**
 * Opens, migrates and builds the context. `sandbox` uses a movable clock (API.md
 * "Bootstrap and sandbox"); `serving` limits each PostgreSQL statement to
 * `config.statementTimeoutMs` (a server's requests; the CLI's own work, such as
 * `cpor vacuum`, runs as long as it needs).
 */
export async function startRuntime(
	config: Config,
	opts: {
		sandbox?: boolean;
		clock?: Clock;
		serving?: boolean;
		/**
		 * A long-running server or worker: on PostgreSQL, follow calendar changes made by
		 * other processes (db/stored-calendar.ts).
		 */
		watchCalendar?: boolean;
		/** Where warnings go (default: standard error). */
		warn?: (message: string) => void;
	} = {},
): Promise<Runtime> {
	const database = await openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.dataDir,
		poolSize: config.dbPoolSize,
		statementTimeoutMs: opts.serving ? config.statementTimeoutMs : 0,
		pgliteCacheMb: config.pgliteCacheMb,
	});
	await migrateDatabase(database);
	const clock =
		opts.clock ??
		(opts.sandbox ? await openSandboxClock(database.db) : systemClock);
	const ctx = createContext({
		db: database.db,
		dbKind: database.kind,
		clock,
		config,
	});
	const warn =
		opts.warn ?? ((m: string) => process.stderr.write(`Warning: ${m}\n`));
	const change = await loadStoredCalendar(ctx, { warn });
	if (change && configuresCalendar(config)) {
		warn(
			`CPOR_TIME_ZONE and CPOR_HOLIDAYS are ignored: the platform admin set the business calendar (${change.timeZone}, holidays ${change.holidays ?? "none"}) on ${change.at.toISOString()}; change it on the Admin page's Business calendar tab (PUT /api/v1/admin/calendar).`,
		);
	}
	const stopWatching =
		opts.watchCalendar && database.kind === "postgres"
			? watchStoredCalendar(ctx, { warn })
			: () => {};
	if (config.adminEmail && config.adminPassword) {
		await ensureUser(ctx, {
			email: config.adminEmail,
			name: "Platform admin",
			password: config.adminPassword,
			roles: ["platform_admin"],
		});
	}
	return {
		ctx,
		database,
		close: () => {
			stopWatching();
			return database.close();
		},
	};
}

/**
 * Old-space growth allowed between two full garbage collections of an embedded server,
 * in percent (V8's `--heap-growing-percent`; V8 itself lets the heap grow 10–100% at a
 * time). See {@link limitHeapGrowth}.
 */
export const EMBEDDED_HEAP_GROWING_PERCENT = 10;

/**
 * Makes V8 collect the old generation once it has grown by
 * {@link EMBEDDED_HEAP_GROWING_PERCENT} instead of letting it double first. Used by
 * `cpor serve` on the embedded database, whose process also holds PGlite (~150 MB), to
 * stay under issue 5's 300 MB: on the 100,000-claim benchmark directory the old space
 * peaked at 46–66 MB instead of 78–127 MB, for ~6–15% fewer claims/s together with the
 * 16 MB page cache (docs/performance.md).
 * A V8 flag read at every full collection; Node allows setting it at run time.
 */
export function limitHeapGrowth(): void {
	v8.setFlagsFromString(
		`--heap-growing-percent=${EMBEDDED_HEAP_GROWING_PERCENT}`,
	);
}

/**
 * True when the database has no claims and no partners yet (a fresh install). Asks
 * whether any row exists, not how many (counting 1,000,000 claims took ~0.1 s).
 */
export async function isEmpty(ctx: AppContext): Promise<boolean> {
	const res = await ctx.db.execute(
		sql`select not exists (select from organizations) and not exists (select from claims) as empty`,
	);
	const rows = (res as unknown as { rows: { empty: boolean }[] }).rows;
	return rows[0]?.empty === true;
}

/**
 * Whether the database holds the demo (`cpor serve --demo`, `cpor demo`): `loaded`, or
 * `interrupted` when its load started and never finished (Ctrl-C during the first start:
 * part of it is there), or `none`. Databases loaded before migration 0035 recorded no
 * load: there the demo is `loaded` when the user `demoEmail` (the first demo user)
 * exists. Returns `finishedAt`/`startedAt` of the load when recorded (UTC instants).
 */
export async function demoState(
	ctx: AppContext,
	demoEmail: string,
): Promise<{ state: "loaded" | "interrupted" | "none"; startedAt?: Date }> {
	const [load] = await ctx.db.select().from(demoLoads).limit(1);
	if (load)
		return {
			state: load.finishedAt ? "loaded" : "interrupted",
			startedAt: load.startedAt,
		};
	const [user] = await ctx.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, demoEmail));
	return { state: user ? "loaded" : "none" };
}
