/**
 * The `cpor` command line (API.md "CLI"): serve, migrate, import, demo, simulate. Each command
 * has --help; environment variables are listed there with their defaults.
 */
import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { verify } from "@node-rs/argon2";
import { Command, Option } from "commander";
import { DrizzleQueryError, eq } from "drizzle-orm";
import { listenForAuthChanges } from "../auth/auth-cache.ts";
import { type Config, loadConfig } from "../config.ts";
import type { AppContext } from "../context.ts";
import { loggableError, pgErrorCode, redactUrl } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { vacuumTables } from "../db/vacuum.ts";
import {
	importParsedDirectory,
	parseDirectoryFile,
} from "../directory/import-directory.ts";
import { type Clock, SandboxClock } from "../domain/clock.ts";
import { DomainError } from "../domain/errors.ts";
import { adminClockRoutes } from "../http/routes/admin-clock.ts";
import { devMailboxPage } from "../http/routes/dev-mailbox-page.ts";
import { buildServer } from "../http/server.ts";
import { runBackgroundWork, startSweeper } from "../jobs/sweeper.ts";
import {
	demoState,
	isEmpty,
	limitHeapGrowth,
	startRuntime,
} from "../runtime.ts";
import { addSimulateCommand, wholeNumberFlag } from "../simulate/command.ts";

/**
 * What the banner says of the sandbox clock: "on" at the real time, or how far ahead it
 * runs (moved earlier and kept across restarts: db/sandbox-clock.ts), in days and hours
 * (minutes under half an hour);
 * then where a platform admin moves it (`clockUrl`).
 */
function sandboxState(clock: Clock, clockUrl: string): string {
	const move = `platform admin: POST ${clockUrl}`;
	const leadMs = clock.now().getTime() - Date.now();
	if (leadMs < 60_000) return `on (${move})`;
	const hours = Math.round(leadMs / 3_600_000);
	const days = Math.floor(hours / 24);
	const ahead =
		days > 0
			? `${days} d ${hours % 24} h`
			: hours > 0
				? `${hours} h`
				: `${Math.round(leadMs / 60_000)} min`;
	return `on, ${ahead} ahead of real time (${clock.now().toISOString()}); ${move}`;
}

const ENV_HELP = `
Environment variables (flags win):
  PORT                        HTTP port (default 3000)
  HOST                        interface to listen on (default 127.0.0.1)
  CPOR_DATA_DIR               data directory: embedded database and PoE files (default ./data)
  DATABASE_URL                PostgreSQL 15+ URL instead of the embedded database
  CPOR_ADMIN_EMAIL/PASSWORD   create the first platform admin on start
  CPOR_DEMO_PASSWORD          password of the demo accounts (default cpor-demo-2026)
  CPOR_MAX_UPLOAD_MB          PoE upload limit in MB (default 25)
  CPOR_PGLITE_CACHE_MB        page cache of the embedded database in MB (default 16; more memory, fewer reads)
  CPOR_SESSION_HOURS          serve: hours a sign-in lasts (default 12)
  CPOR_SECURE_COOKIES         serve: true marks the session cookie Secure (HTTPS only); set it when people
                              reach CPOR over HTTPS (default false, so that http://localhost works)
  CPOR_AUTH_CACHE_SECONDS     serve: seconds a resolved API token or session is reused (default 10; 0: off)
  CPOR_LOGIN_RATE_LIMIT       serve: sign-in attempts per minute from one address (default 20)
  CPOR_LOGIN_FAILURES_PER_ACCOUNT
                              serve: failed sign-ins for an account from one address in 15 minutes before
                              that address waits (default 10; ten times as many from all addresses; 0: off)
  CPOR_TRUST_PROXY            serve: whose X-Forwarded-For to believe (default loopback; IPs, CIDRs, true, false)
  CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS
                              true: webhooks may go to this machine and private addresses (default false)
  CPOR_TIME_ZONE              business-day time zone, IANA name (default UTC)
  CPOR_HOLIDAYS               public-holiday calendar, date-holidays code like NL or DE-BY (default none);
                              with CPOR_TIME_ZONE, the calendar until a platform admin sets one
  CPOR_REVIEW_START_DAYS, CPOR_DECISION_DAYS, CPOR_PARTNER_RESPONSE_DAYS, CPOR_DISPUTE_DECISION_DAYS
                              business-day SLAs and deadlines (default 5 each)
  CPOR_CONSENT_WINDOW_DAYS    customer opt-out window (default 7), unit CPOR_CONSENT_WINDOW_UNIT calendar|business
  CPOR_DISPUTE_WINDOW_DAYS    calendar days to dispute a rejection (default 30)
  SMTP_URL, SMTP_FROM          send email over SMTP (unset: kept in the dev mailbox, GET /api/v1/admin/mailbox)
  CPOR_PUBLIC_URL             the URL people reach CPOR at, for links in email (default http://HOST:PORT)
  CPOR_SECRET                 HMAC key of signed opt-out links (unset: random, kept in <data dir>/secret;
                              give every node the same value when several share one PostgreSQL)
  CPOR_DB_POOL_SIZE           connections each process keeps to PostgreSQL (default 2 × cores + 1)
  CPOR_STATEMENT_TIMEOUT_MS   serve: longest a PostgreSQL statement may run before it is stopped and
                              the request gets 503 statement_timeout (default 30000; 0: no limit)
  CPOR_COMPRESS_RESPONSES     serve: compress answers of 4 KB or more by the client's Accept-Encoding
                              (default true; false when a reverse proxy in front compresses)
  CPOR_PROCESSES              serve: HTTP server processes sharing the port (default 1; PostgreSQL only)
  LOG_LEVEL                   fatal|error|warn|info|debug|trace|silent (default info)
  CPOR_FROM_SOURCE            1: run the TypeScript sources through tsx, not the built bundle
`;

/** The end of each command's --help that does not list every variable. */
const DATABASE_HELP = `
The database: the embedded one in --data-dir (CPOR_DATA_DIR, default ./data), or PostgreSQL
when DATABASE_URL is set (e.g. DATABASE_URL=postgres://user@host/cpor). cpor --help lists
every environment variable.
`;

interface CommonFlags {
	dataDir?: string;
}

function config(flags: CommonFlags & { port?: string; host?: string }): Config {
	const c = loadConfig(process.env);
	if (flags.dataDir) c.dataDir = flags.dataDir;
	if (flags.port) {
		const port = Number(flags.port);
		if (!Number.isInteger(port) || port < 0 || port > 65535)
			throw new Error(`--port must be 0–65535, not "${flags.port}".`);
		c.port = port;
	}
	if (flags.host) c.host = flags.host;
	return c;
}

function where(c: Config): string {
	return c.databaseUrl
		? `PostgreSQL ${redactUrl(c.databaseUrl)}`
		: `embedded PGlite in ${path.resolve(c.dataDir, "pglite")}`;
}

const program = new Command()
	.name("cpor")
	.description(
		"CPOR: Claimed Partner of Record customer associations (claims, PoE, review, consent, disputes).",
	)
	.addHelpText("after", ENV_HELP)
	.showHelpAfterError("(run with --help for usage)");

program
	.command("serve")
	.description(
		"Run the API and the deadline timers on the embedded database or PostgreSQL",
	)
	.option("-p, --port <port>", "HTTP port (PORT)")
	.option("--host <host>", "interface to listen on (HOST)")
	.option("-d, --data-dir <dir>", "data directory (CPOR_DATA_DIR)")
	.option(
		"--demo",
		"on an empty database, load the demo directory, accounts and claims",
	)
	.option(
		"--sandbox",
		"use a sandbox clock that admins move with POST /api/v1/admin/clock",
	)
	.option(
		"--processes <n>",
		"HTTP server processes sharing the port (node:cluster; PostgreSQL only) (CPOR_PROCESSES)",
	)
	.addHelpText(
		"after",
		`\nExamples:\n  cpor serve --demo               # what npm start runs\n  DATABASE_URL=postgres://localhost/cpor cpor serve --port 8080\n  DATABASE_URL=postgres://localhost/cpor cpor serve --processes 4   # one per core\n\nWith --processes N the first process migrates (and loads the demo), then N server\nprocesses share the port; the first of them also runs the timers. A process that dies\nis restarted. The embedded database and the sandbox clock belong to one process, so\nthey need N = 1.\n${ENV_HELP}`,
	)
	.action(
		async (
			flags: CommonFlags & {
				port?: string;
				host?: string;
				demo?: boolean;
				sandbox?: boolean;
				processes?: string;
			},
		) => {
			const c = config(flags);
			const started = Date.now();
			const processes = parseProcesses(
				flags.processes ?? process.env.CPOR_PROCESSES,
			);
			if (processes > 1 && !c.databaseUrl)
				throw new Error(
					"--processes needs PostgreSQL (set DATABASE_URL): the embedded database belongs to one process.",
				);
			if (processes > 1 && flags.sandbox)
				throw new Error(
					"--processes cannot be used with --sandbox: each process would have its own clock.",
				);
			const clusterWorker = cluster.isWorker && !!process.env.CPOR_CLUSTER;
			// Before the migrations and the demo (seconds): a port in use is told at once. (With
			// --processes the server processes listen, and one that cannot stops them all.)
			if (processes === 1) await assertPortFree(c.host, c.port);
			if (processes > 1 && cluster.isPrimary) {
				await runClusterPrimary(c, flags, processes, started);
				return;
			}
			// The embedded database shares this process: keep the JavaScript heap small.
			if (!c.databaseUrl) limitHeapGrowth();
			const rt = await startRuntime(c, {
				sandbox: flags.sandbox,
				serving: true,
				watchCalendar: true,
			});
			if (!clusterWorker && flags.demo && (await isEmpty(rt.ctx))) {
				process.stdout.write("Loading the demo (first start only)…\n");
				const summary = await (await import("../demo/seed-demo.ts")).seedDemo(
					rt.ctx,
					{
						demoPassword: c.demoPassword,
						onProgress: (m) => process.stdout.write(`  ${m}\n`),
					},
				);
				process.stdout.write(`  claims: ${JSON.stringify(summary.claims)}\n`);
			}
			const clock = rt.ctx.clock;
			const activity = { lastRequestAt: Date.now() };
			const app = await buildServer(rt.ctx, {
				activity,
				logger: c.logLevel === "silent" ? false : { level: c.logLevel },
				plugins:
					clock instanceof SandboxClock
						? [adminClockRoutes(rt.ctx, clock)]
						: [],
			});
			// PostgreSQL: this process hears of revoked tokens and ended sessions from the
			// others, and serves credentials from its cache only while it listens.
			const stopAuthListener =
				c.databaseUrl && c.authCacheSeconds > 0
					? await listenForAuthChanges(c.databaseUrl, rt.ctx.authCache, {
							onError: (err) =>
								app.log.warn(
									{ err },
									"credential-change listener lost its connection; credentials are looked up on every request until it is back",
								),
						})
					: async () => {};
			const devMailbox = clock instanceof SandboxClock && !c.smtpUrl;
			if (devMailbox) await app.register(devMailboxPage(rt.ctx));
			await app.listen({ port: c.port, host: c.host });
			const addr = app.server.address();
			const port = typeof addr === "object" && addr ? addr.port : c.port;
			// --port 0: links in email name the port the system gave (unless CPOR_PUBLIC_URL).
			c.port = port;
			// In a cluster only the first server process runs the timers and outbox.
			const stopSweeper =
				!clusterWorker || process.env.CPOR_CLUSTER_SWEEPER === "1"
					? startSweeper(rt.ctx, {
							log: (m, err) => app.log.error({ err: loggableError(err) }, m),
							info: (m) => app.log.info(m),
							lastRequestAt: () => activity.lastRequestAt,
						})
					: async () => {};
			const url = `http://${c.host.includes(":") ? `[${c.host}]` : c.host}:${port}`;
			const stop = async () => {
				await stopSweeper();
				await stopAuthListener();
				await app.close();
				await rt.close();
				process.exit(0);
			};
			process.once("SIGINT", stop);
			process.once("SIGTERM", stop);
			if (clusterWorker) {
				process.send?.({ cpor: "listening", port });
				return;
			}
			const lines = [
				"",
				`CPOR is running at ${url}  (database: ${where(c)}; ready in ${Date.now() - started} ms)`,
				`  API reference: ${url}/api/docs    OpenAPI: ${url}/api/v1/openapi.json`,
			];
			if (flags.sandbox)
				lines.push(
					`  Sandbox clock: ${sandboxState(clock, `${url}/api/v1/admin/clock`)}${devMailbox ? `\n  Dev mailbox (email is kept, not sent): ${url}/dev/mailbox` : ""}`,
				);
			if (flags.demo) lines.push(...(await demoLines(rt.ctx, c, url)));
			else if (
				(await rt.ctx.db.select({ id: users.id }).from(users).limit(1))
					.length === 0
			)
				lines.push(
					"  No accounts yet: set CPOR_ADMIN_EMAIL and CPOR_ADMIN_PASSWORD (the first platform admin) and start again, import users with cpor import, or try the demo with --demo.",
				);
			process.stdout.write(`${lines.join("\n")}\n\n`);
		},
	);

/**
 * The banner's lines about the demo (`--demo`) at `url`: its sign-ins, with the password
 * when `c.demoPassword` is still the demo accounts' one; that the database held other data
 * and the demo was not loaded; or that the demo's load was cut off and how to load it
 * whole (runtime.ts, demoState).
 */
async function demoLines(
	ctx: AppContext,
	c: Config,
	url: string,
): Promise<string[]> {
	// The demo modules (and faker) load only with --demo: start-up and memory.
	const { DEMO_USERS } = await import("../demo/generate-directory.ts");
	const first = DEMO_USERS[0]?.email ?? "";
	const { state, startedAt } = await demoState(ctx, first);
	if (state === "none")
		return [
			"  --demo: the database held data already, so the demo was not loaded; sign in with the accounts it has.",
		];
	const lines: string[] = [];
	if (state === "interrupted")
		lines.push(
			`  The demo's load was cut off (it started ${startedAt?.toISOString()}): this database holds part of it. To load it whole, stop CPOR, ${c.databaseUrl ? "drop and create the database" : `remove the data directory ${path.resolve(c.dataDir)}`}, and start again with --demo.`,
		);
	const [user] = await ctx.db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.email, first));
	if (!user) return lines;
	const samePassword = await verify(user.passwordHash, c.demoPassword).catch(
		() => false,
	);
	lines.push(
		samePassword
			? `  Demo sign-ins (password: ${c.demoPassword}):`
			: "  Demo sign-ins (password: the one CPOR_DEMO_PASSWORD had when the demo was loaded, not the one it has now):",
	);
	for (const u of DEMO_USERS)
		lines.push(
			`    ${u.role.padEnd(17)} ${u.email.padEnd(36)} ${u.demonstrates}`,
		);
	if (samePassword)
		lines.push(
			`  Sign in: curl -c cookies.txt -H 'content-type: application/json' -d '{"email":"${first}","password":"${c.demoPassword}"}' ${url}/api/v1/auth/login`,
		);
	return lines;
}

/**
 * For commands that work on a database that exists (`vacuum`, `worker`): on the embedded
 * database, refuses a data directory that holds none (a mistyped path would otherwise
 * become a new, empty database). @throws Error naming the directory.
 */
function requireEmbeddedDatabase(c: Config): void {
	if (c.databaseUrl) return;
	const dir = path.resolve(c.dataDir);
	if (!existsSync(path.join(dir, "pglite", "PG_VERSION")))
		throw new Error(
			`No database in ${dir}: check --data-dir or CPOR_DATA_DIR (cpor serve, cpor migrate and cpor demo make a new one).`,
		);
}

/**
 * Throws the listen error (EADDRINUSE, EACCES…) when `host:port` cannot be listened on
 * now; port 0 (any free port) passes. Only an early check: the server listens later.
 */
async function assertPortFree(host: string, port: number): Promise<void> {
	if (port === 0) return;
	await new Promise<void>((resolve, reject) => {
		const probe = net.createServer();
		probe.once("error", reject);
		probe.listen({ port, host, exclusive: true }, () =>
			probe.close(() => resolve()),
		);
	});
}

/** Parses --processes / CPOR_PROCESSES (default 1). @throws on anything but 1–64. */
function parseProcesses(value: string | undefined): number {
	if (value === undefined || value === "") return 1;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 64)
		throw new Error(
			`--processes must be a whole number from 1 to 64, not "${value}".`,
		);
	return n;
}

/**
 * The primary of `cpor serve --processes N`: migrates (and loads the demo) once, forks N
 * server processes sharing the port (node:cluster), the first of which runs the timers,
 * restarts one that dies, and stops them all on SIGINT/SIGTERM.
 */
async function runClusterPrimary(
	c: Config,
	flags: { demo?: boolean },
	processes: number,
	started: number,
): Promise<void> {
	const rt = await startRuntime(c);
	if (flags.demo && (await isEmpty(rt.ctx))) {
		process.stdout.write("Loading the demo (first start only)…\n");
		await (await import("../demo/seed-demo.ts")).seedDemo(rt.ctx, {
			demoPassword: c.demoPassword,
			onProgress: (m) => process.stdout.write(`  ${m}\n`),
		});
	}
	// Read while the database is open; the URL they name is known once a process listens.
	const demoAt = flags.demo ? await demoLines(rt.ctx, c, "{url}") : [];
	await rt.close();
	let stopping = false;
	let listening = 0;
	/** All N listened once: from then on a process that dies is started again. */
	let startedUp = false;
	const fork = (sweeper: boolean) => {
		const worker = cluster.fork({
			CPOR_CLUSTER: "1",
			CPOR_CLUSTER_SWEEPER: sweeper ? "1" : "0",
		});
		let listened = false;
		worker.on("message", (m: { cpor?: string; port?: number }) => {
			if (m?.cpor !== "listening") return;
			listened = true;
			listening++;
			if (listening === processes) {
				startedUp = true;
				const url = `http://${c.host.includes(":") ? `[${c.host}]` : c.host}:${m.port}`;
				const lines = [
					"",
					`CPOR is running at ${url} in ${processes} processes  (database: ${where(c)}; ready in ${Date.now() - started} ms)`,
					`  API reference: ${url}/api/docs    OpenAPI: ${url}/api/v1/openapi.json`,
					...demoAt.map((l) => l.replaceAll("{url}", url)),
				];
				process.stdout.write(`${lines.join("\n")}\n\n`);
			}
		});
		worker.on("exit", (code, signal) => {
			if (stopping) return;
			// At the first start, one that never listened would fail again (a port in use, a
			// bad setting, whose error it printed): stop, rather than start it again every
			// second forever. Later (a replacement that meets a database briefly away) the
			// healthy ones go on, and it is started again.
			if (!listened && !startedUp) {
				process.stderr.write(
					`cpor serve: a server process failed to start (${signal ?? code}; its error is above); stopping.\n`,
				);
				stop(1);
				return;
			}
			process.stderr.write(
				`cpor serve: server process ${worker.process.pid} exited (${signal ?? code}); starting another\n`,
			);
			setTimeout(() => fork(sweeper), 1_000);
		});
	};
	const stop = (exitCode = 0) => {
		stopping = true;
		const workers = Object.values(cluster.workers ?? {}).filter(
			(w) => w && !w.isDead(),
		);
		let left = workers.length;
		if (left === 0) process.exit(exitCode);
		for (const w of workers) {
			w?.once("exit", () => {
				if (--left === 0) process.exit(exitCode);
			});
			w?.process.kill("SIGTERM");
		}
	};
	for (let i = 0; i < processes; i++) fork(i === 0);
	process.once("SIGINT", () => stop());
	process.once("SIGTERM", () => stop());
}

program
	.command("worker")
	.description(
		"Run only the background work (deadline timers, reminders, event deliveries; no HTTP), for scale-out next to `cpor serve` nodes on one PostgreSQL",
	)
	.option("-d, --data-dir <dir>", "data directory (CPOR_DATA_DIR)")
	.option(
		"--interval <ms>",
		"milliseconds between sweeps (a whole number from 10 to 86400000, a day)",
		"1000",
	)
	.option(
		"--once",
		"run every due timer once and exit (prints the counts as JSON)",
	)
	.addHelpText(
		"after",
		`\nSeveral workers may run at once: each claim is taken by one (FOR UPDATE SKIP LOCKED) and every timer fires once.\n\nExample:\n  DATABASE_URL=postgres://user@db.example/cpor cpor worker --interval 500\n${DATABASE_HELP}`,
	)
	.action(async (flags: CommonFlags & { interval: string; once?: boolean }) => {
		const c = config(flags);
		// Checked before anything is opened; a 0 or NaN interval would run sweeps back to back.
		const intervalMs = wholeNumberFlag(
			"interval",
			flags.interval,
			10,
			86_400_000,
		);
		requireEmbeddedDatabase(c);
		const rt = await startRuntime(c, { watchCalendar: !flags.once });
		if (flags.once) {
			const started = Date.now();
			const { timers, events, deliveries } = await runBackgroundWork(rt.ctx);
			await rt.close();
			process.stdout.write(
				`${JSON.stringify({ ...timers, events, deliveries, ms: Date.now() - started })}\n`,
			);
			return;
		}
		const stop = startSweeper(rt.ctx, {
			intervalMs,
			log: (m, err) =>
				process.stderr.write(
					`${m}: ${(loggableError(err) as Error | undefined)?.message}\n`,
				),
		});
		process.stdout.write(
			`CPOR worker running on ${where(c)} (every ${flags.interval} ms); Ctrl-C stops it.\n`,
		);
		const shutdown = async () => {
			await stop();
			await rt.close();
			process.exit(0);
		};
		process.once("SIGINT", shutdown);
		process.once("SIGTERM", shutdown);
		setInterval(() => {}, 1 << 30);
	});

program
	.command("migrate")
	.description(
		"Apply the database migrations and exit (serve does this at start too)",
	)
	.option("-d, --data-dir <dir>", "data directory (CPOR_DATA_DIR)")
	.addHelpText(
		"after",
		`\nExamples:\n  cpor migrate --data-dir ./data\n  DATABASE_URL=postgres://owner@db.example/cpor cpor migrate   # as the database's owner\n${DATABASE_HELP}`,
	)
	.action(async (flags: CommonFlags) => {
		const c = config(flags);
		const rt = await startRuntime(c);
		await rt.close();
		process.stdout.write(`Migrations applied to ${where(c)}.\n`);
	});

program
	.command("vacuum")
	.description(
		"Reclaim the space of old row versions and refresh the planner's statistics (VACUUM ANALYZE of every table); the embedded database has no autovacuum",
	)
	.option("-d, --data-dir <dir>", "data directory (CPOR_DATA_DIR)")
	.addHelpText(
		"after",
		`\nOn the embedded database updates leave old row versions behind. \`cpor serve\` vacuums the tables that need it once it has had no request for 30 s (as autovacuum would; each table holds the server meanwhile: ~1.3 s for the claims table at 100,000 claims). This command vacuums and analyzes every table at once, while no server uses the data directory (it says so otherwise): after a large import, say, or for a server that is never idle. On PostgreSQL autovacuum does this by itself; the command runs VACUUM ANALYZE once (after a bulk load, say).\nThe space becomes free for new writes; files shrink only where their end is empty.\n\nExample:\n  cpor vacuum --data-dir ./data\n${DATABASE_HELP}`,
	)
	.action(async (flags: CommonFlags) => {
		const c = config(flags);
		requireEmbeddedDatabase(c);
		const rt = await startRuntime(c);
		const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
		try {
			process.stdout.write(`Vacuuming ${where(c)}…\n`);
			const started = performance.now();
			const tables = await vacuumTables(rt.ctx.db, (t, i, n) =>
				process.stdout.write(
					`  [${i + 1}/${n}] ${t.table}: ${mb(t.bytesBefore)} → ${mb(t.bytesAfter)} (${(t.ms / 1000).toFixed(1)} s)\n`,
				),
			);
			const before = tables.reduce((s, t) => s + t.bytesBefore, 0);
			const after = tables.reduce((s, t) => s + t.bytesAfter, 0);
			process.stdout.write(
				`Vacuumed ${tables.length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s: ${mb(before)} → ${mb(after)}.\n`,
			);
		} finally {
			await rt.close();
		}
	});

program
	.command("import")
	.description(
		"Import directory data (partners, MPN IDs, tenants, domains, subscriptions, products, users, usage) from JSON or CSV",
	)
	.argument(
		"<file>",
		"a JSON document, or one CSV per section named after it (subscriptions.csv, partners.csv, …)",
	)
	.option("-d, --data-dir <dir>", "data directory (CPOR_DATA_DIR)")
	.addOption(
		new Option(
			"--format <format>",
			"override the format the file name implies",
		).choices(["json", "csv"]),
	)
	.addHelpText(
		"after",
		`\nAll-or-nothing: any bad row rejects the whole file, listed with its line and reason.\nImporting the same file twice changes nothing. A CSV file holds one section, named by the\nfile (partners.csv, subscriptions.csv, …) or known by its header; list cells (programs,\ndomains) separate their values with ';'. docs/api.md lists each section's columns.\n\nExamples:\n  cpor import directory.json\n  cpor import subscriptions.csv --data-dir ./data\n${DATABASE_HELP}`,
	)
	.action(
		async (file: string, flags: CommonFlags & { format?: "json" | "csv" }) => {
			const c = config(flags);
			const content = await readFile(file).catch((e: Error) => {
				throw new Error(`Cannot read ${file}: ${e.message}`);
			});
			// A file that cannot be read is refused before a database is opened (or made).
			const document = parseDirectoryFile({
				content,
				fileName: path.basename(file),
				...(flags.format ? { format: flags.format } : {}),
			});
			const rt = await startRuntime(c);
			try {
				const summary = await importParsedDirectory(rt.ctx.db, document, {
					onProgress: (done, total, section) =>
						process.stderr.write(`\r  ${section}: ${done}/${total}   `),
				});
				process.stderr.write("\n");
				for (const [section, n] of Object.entries(summary)) {
					const s = n as {
						inserted: number;
						updated: number;
						unchanged: number;
					};
					if (s.inserted + s.updated + s.unchanged > 0)
						process.stdout.write(
							`${section.padEnd(14)} ${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged\n`,
						);
				}
			} finally {
				await rt.close();
			}
		},
	);

program
	.command("demo")
	.description(
		"Load the demo directory, accounts and claims into an empty database",
	)
	.option("-d, --data-dir <dir>", "data directory (CPOR_DATA_DIR)")
	.option("--claims <n>", "number of generated ecosystem claims", "160")
	.addHelpText(
		"after",
		`\nThe accounts' password is CPOR_DEMO_PASSWORD (default cpor-demo-2026). cpor serve --demo\ndoes the same on a first start.\n\nExample:\n  cpor demo --data-dir ./demo-data --claims 500\n${DATABASE_HELP}`,
	)
	.action(async (flags: CommonFlags & { claims: string }) => {
		const c = config(flags);
		const claims = wholeNumberFlag("claims", flags.claims, 0);
		const rt = await startRuntime(c);
		try {
			if (!(await isEmpty(rt.ctx))) {
				const { DEMO_USERS } = await import("../demo/generate-directory.ts");
				const { state } = await demoState(rt.ctx, DEMO_USERS[0]?.email ?? "");
				throw new Error(
					state === "interrupted"
						? `The database (${where(c)}) holds part of the demo: its load was cut off. The demo loads only into an empty database: ${c.databaseUrl ? "drop and create the database" : `remove the data directory ${path.resolve(c.dataDir)}`} and run cpor demo again.`
						: `The database (${where(c)}) already has data; the demo loads only into an empty one.`,
				);
			}
			const summary = await (await import("../demo/seed-demo.ts")).seedDemo(
				rt.ctx,
				{
					demoPassword: c.demoPassword,
					claims,
					onProgress: (m) => process.stdout.write(`${m}\n`),
				},
			);
			process.stdout.write(
				`Claims by status: ${JSON.stringify(summary.claims)}\nDemo password: ${c.demoPassword}\n`,
			);
		} finally {
			await rt.close();
		}
	});

addSimulateCommand(program, () => loadConfig(process.env));

program.parseAsync(process.argv).catch((err: unknown) => {
	if (err instanceof DomainError) {
		process.stderr.write(`cpor: ${err.message}\n`);
		for (const e of err.errors.slice(0, 50))
			process.stderr.write(
				`  ${e.line ? `line ${e.line}: ` : ""}${e.path ? `${e.path}: ` : ""}${e.message}\n`,
			);
		if (err.errors.length > 50)
			process.stderr.write(`  … and ${err.errors.length - 50} more\n`);
	} else {
		process.stderr.write(`cpor: ${failureMessage(err)}\n`);
	}
	process.exit(1);
});

/**
 * What a failed command prints: for a port in use or a data directory that cannot be
 * made, what to do; for a failed statement (Drizzle's `DrizzleQueryError`),
 * PostgreSQL's own message and hint first, then the statement's first line; for a
 * refused privilege (42501), what the role needs.
 */
function failureMessage(err: unknown): string {
	const sys = err as NodeJS.ErrnoException & {
		address?: string;
		port?: number;
	};
	if (sys?.code === "EADDRINUSE")
		return `${sys.address ?? "the host"}:${sys.port ?? "?"} is in use by another program: stop it, or choose another port with --port or PORT.`;
	if (
		sys?.syscall === "mkdir" &&
		(sys.code === "ENOTDIR" || sys.code === "EEXIST" || sys.code === "EACCES")
	)
		return `Cannot make ${sys.path ?? "the data directory"} (${sys.code === "EACCES" ? "permission denied" : "a file is in the way"}): choose another data directory with --data-dir or CPOR_DATA_DIR. (${sys.message})`;
	if (!(err instanceof DrizzleQueryError))
		return (err as Error)?.message ?? String(err);
	const cause = err.cause as { message?: string; hint?: string } | undefined;
	const statement = err.query.split("\n")[0]?.slice(0, 120);
	let text = `${cause?.message ?? err.message} (in: ${statement})`;
	if (cause?.hint) text += `\n  hint: ${cause.hint}`;
	if (pgErrorCode(err) === "42501")
		text +=
			"\n  Migrations create tables, schemas and the pg_trgm extension: the role in DATABASE_URL needs CREATE on its database (the database's owner has it). Run `cpor migrate` once as the owner, or grant it.";
	return text;
}
