/**
 * Write-path benchmark (issue 5, benchmark 1), in one process tree against one throwaway
 * PostgreSQL 15 cluster (test/support/pg-cluster.ts):
 * 1. pgbench TPC-B: `pgbench -i -s 10`, then `pgbench -c 32 -j 2 -T 20 -M prepared` → tps;
 * 2. a bare Fastify route doing one INSERT (pg pool of 20, like CPOR), loaded by 32
 *    concurrent clients for 20 s → inserts/s;
 * 3. CPOR itself: a `node bin/cpor.js serve` child process on the same cluster, with
 *    100,000 claims of 200 partners loaded first (`--claims`, bench/bulk-claims.ts), an API
 *    token of Fabrikam's partner admin Ana; 32 concurrent clients in a separate load process each loop create (Microsoft 365 usage claim, a distinct tenant ×
 *    workload each time so R-CMP-1 never refuses) + upload a tiny PDF (unique per claim) + submit, for 20 s →
 *    claims/s and p50/p99 latency of the sequence and of each request.
 * The load runs in a child process (this file with `--load`), so the client's CPU is not
 * the server's event loop. Prints one JSON object.
 *
 * Usage: npx tsx bench/write-path.ts [--seconds 20] [--clients 32] [--processes N] [--only cpor]
 *          [--socket] [--claims 100000]
 * (`--processes`: `cpor serve --processes`, default one per core; `--only cpor` skips 1 and 2;
 * `--socket`: pgbench, the bare route and CPOR all reach PostgreSQL over its Unix socket
 * instead of TCP on 127.0.0.1; a loopback TCP write costs ~0.1–0.2 ms of CPU on this VM.)
 * (BENCH_CPU_PROF=<dir> writes a CPU profile of the CPOR server there.)
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os, { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import pg from "pg";
import {
	closeAgent,
	type LoadCombo,
	percentile,
	runCreateSubmitLoad,
	send,
} from "./load-client.ts";
import { cpuSnapshot, parentPid, treeCpuMs } from "./proc-cpu.ts";
import { recordResult } from "./record.ts";
import { buildServerBundle } from "./server-bundle.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const SECONDS = Number(flag("--seconds") ?? 20);
const CLIENTS = Number(flag("--clients") ?? 32);
/** `--only cpor`: skip pgbench and the bare route (for profiling CPOR alone). */
const ONLY_CPOR = flag("--only") === "cpor";
/** `--socket`: connect over the cluster's Unix socket instead of TCP (all three phases). */
const SOCKET = args.includes("--socket");
/** `cpor serve --processes` (default: one per core). */
const PROCESSES = Number(flag("--processes") ?? os.cpus().length);
/**
 * `--claims N`: claims loaded before the load (bench/bulk-claims.ts, 200 partners, then
 * ANALYZE), so that the load meets the tables, statistics and cached plans of a database
 * in use. `--claims 0`: the demo directory only (how sessions 1–6 measured).
 */
const PRELOAD = Number(flag("--claims") ?? 100_000);

// ---------------------------------------------------------------- load process
/**
 * The load process: `cpor` runs bench/load-client.ts's create + upload + submit loops;
 * `bare` loops POST /insert against the bare route. Prints one JSON line.
 */
async function runLoad(): Promise<void> {
	const kind = flag("--load") as "bare" | "cpor";
	const base = process.env.BENCH_URL as string;
	const cpuBefore = process.cpuUsage();
	/** This load process's CPU time since the load began (ms, user + system). */
	const loadCpuMs = () => {
		const used = process.cpuUsage(cpuBefore);
		return Math.round((used.user + used.system) / 1000);
	};
	if (kind === "cpor") {
		const result = await runCreateSubmitLoad({
			base,
			token: process.env.BENCH_TOKEN ?? "",
			mpnId: process.env.BENCH_MPN ?? "",
			partner: { name: "Ana Garcia", email: "ana.global@fabrikam.example" },
			combos: process.env.BENCH_COMBOS
				? JSON.parse(readFileSync(process.env.BENCH_COMBOS, "utf8"))
				: [],
			clients: CLIENTS,
			seconds: SECONDS,
		});
		process.stdout.write(
			`${JSON.stringify({ ...result, loadCpuMs: loadCpuMs() })}\n`,
		);
		closeAgent();
		return;
	}
	const latencies: number[] = [];
	const errors: Record<string, number> = {};
	let done = 0;
	const deadline = performance.now() + SECONDS * 1000;
	async function bareClient() {
		while (performance.now() < deadline) {
			const t = performance.now();
			const r = await send(
				`${base}/insert`,
				"POST",
				{ "content-type": "application/json" },
				'{"v":"x"}',
			);
			latencies.push(performance.now() - t);
			if (r.status === 201) done++;
			else {
				const key = `insert ${r.status} ${r.body.slice(0, 120)}`;
				errors[key] = (errors[key] ?? 0) + 1;
			}
		}
	}
	const started = performance.now();
	await Promise.all(Array.from({ length: CLIENTS }, () => bareClient()));
	const elapsed = (performance.now() - started) / 1000;
	const latency = {
		sequence: {
			n: latencies.length,
			p50: percentile(latencies, 50),
			p99: percentile(latencies, 99),
		},
	};
	process.stdout.write(
		`${JSON.stringify({ done, seconds: Math.round(elapsed * 10) / 10, perSecond: Math.round((done / elapsed) * 10) / 10, latency, errors, exhausted: false })}\n`,
	);
	closeAgent();
}

function load(
	kind: "bare" | "cpor",
	env: Record<string, string>,
): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				"--import",
				"tsx",
				import.meta.filename,
				"--load",
				kind,
				"--seconds",
				String(SECONDS),
				"--clients",
				String(CLIENTS),
			],
			{ env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
		);
		let out = "";
		child.stdout.on("data", (d) => {
			out += d;
		});
		child.on("exit", (code) => {
			if (code !== 0) return reject(new Error(`load process exited ${code}`));
			resolve(JSON.parse(out.trim().split("\n").pop() as string));
		});
	});
}

// ---------------------------------------------------------------- orchestrator
async function main(): Promise<void> {
	const { startPgCluster, freePort } = await import(
		"../test/support/pg-cluster.ts"
	);
	const { generateDemoDirectory, DEMO_IDS } = await import(
		"../src/demo/generate-directory.ts"
	);
	const { importDirectory } = await import(
		"../src/directory/import-directory.ts"
	);
	const { migrateDatabase, openDatabase } = await import("../src/db/client.ts");
	const { loadConfig } = await import("../src/config.ts");
	const { createContext } = await import("../src/context.ts");
	const { systemClock } = await import("../src/domain/clock.ts");

	// pg_stat_statements counts the statements per claim (where the time goes).
	const cluster = await startPgCluster({
		settings: {
			shared_preload_libraries: "pg_stat_statements",
			"pg_stat_statements.track_planning": "on",
		},
	});
	const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-bench-"));
	const dbUrl = SOCKET ? cluster.socketUrl : cluster.url;
	let server: ChildProcess | undefined;
	try {
		const root = typeof process.getuid === "function" && process.getuid() === 0;
		const pgbench = (a: string[]) =>
			new Promise<string>((resolve, reject) => {
				const bin = "/usr/lib/postgresql/15/bin/pgbench";
				const conn = [
					"-h",
					SOCKET ? cluster.dir : "127.0.0.1",
					"-p",
					String(cluster.port),
					"-U",
					"postgres",
				];
				const [file, argv] = root
					? [
							"runuser",
							["-u", "postgres", "--", bin, ...conn, ...a, "postgres"],
						]
					: [bin, [...conn, ...a, "postgres"]];
				execFile(
					file,
					argv,
					{ cwd: "/tmp", maxBuffer: 1 << 24 },
					(err, stdout, stderr) =>
						err
							? reject(new Error(`${err.message}\n${stderr}`))
							: resolve(stdout),
				);
			});

		// 1. pgbench
		if (!ONLY_CPOR) await pgbench(["-i", "-s", "10", "-q"]);
		const out = ONLY_CPOR
			? ""
			: await pgbench([
					"-c",
					String(CLIENTS),
					"-j",
					"2",
					"-T",
					String(SECONDS),
					"-M",
					"prepared",
				]);
		const tps = Number(
			/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1],
		);
		const pgbenchLatency = Number(
			/latency average = ([\d.]+) ms/.exec(out)?.[1],
		);
		const admin = new pg.Client({ connectionString: dbUrl });
		admin.on("error", () => {});
		await admin.connect();
		const version = (await admin.query("show server_version")).rows[0]
			.server_version as string;
		await admin.query(
			"drop table if exists pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history",
		);
		await admin.query("checkpoint");

		// 2. bare Fastify INSERT
		await admin.query(
			"create table bench_insert (id bigserial primary key, v text not null, at timestamptz not null default now())",
		);
		const pool = new pg.Pool({ connectionString: dbUrl, max: 20 });
		const bare = Fastify({ logger: false });
		bare.post("/insert", async (req, reply) => {
			await pool.query("insert into bench_insert (v) values ($1)", [
				(req.body as { v: string }).v,
			]);
			return reply.status(201).send({ ok: true });
		});
		const barePort = await freePort();
		await bare.listen({ port: barePort, host: "127.0.0.1" });
		const bareResult = ONLY_CPOR
			? { perSecond: Number.NaN }
			: await load("bare", { BENCH_URL: `http://127.0.0.1:${barePort}` });
		await bare.close();
		await pool.end();
		await admin.query("drop table bench_insert");

		// 3. CPOR
		const directory = generateDemoDirectory(20261121, "bench-password-123");
		const database = await openDatabase({ databaseUrl: dbUrl });
		await migrateDatabase(database);
		// --claims N: a database in use (the first partner is Fabrikam, signed in as Ana);
		// the load claims the fresh tenants' workloads.
		let preloaded:
			| { token: string; mpnId: string; combos: LoadCombo[] }
			| undefined;
		if (PRELOAD > 0) {
			const { bulkLoadClaims, issueApiToken } = await import(
				"./bulk-claims.ts"
			);
			const r = await bulkLoadClaims(database, {
				claims: PRELOAD,
				partners: 200,
				dataDir,
				// Enough unused tenant × workload pairs for ~1,500 claims/s.
				freshTenants: Math.max(500, Math.ceil((SECONDS * 1500) / 11)),
			});
			const partner = r.partners[0] as (typeof r.partners)[number];
			if (partner.adminEmail !== "ana.global@fabrikam.example")
				throw new Error(`unexpected first partner ${partner.adminEmail}`);
			preloaded = {
				token: await issueApiToken(database, partner.adminEmail, "write-path"),
				mpnId: partner.mpnId,
				combos: r.freshTenants.flatMap((t) =>
					r.m365Workloads.map((productId) => ({
						tenantId: t.tenantId,
						domain: t.domain,
						productId,
					})),
				),
			};
		} else {
			const ctx = createContext({
				db: database.db,
				dbKind: database.kind,
				clock: systemClock,
				config: loadConfig({ CPOR_DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
			});
			await importDirectory(ctx.db, directory);
		}
		await database.close();
		await admin.query("analyze");
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		server = spawn(
			process.execPath,
			[
				// BENCH_CPU_PROF=dir: profile the CPOR server (node --cpu-prof).
				...(process.env.BENCH_CPU_PROF
					? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF]
					: []),
				"bin/cpor.js",
				"serve",
				"--port",
				String(port),
				"--processes",
				String(PROCESSES),
			],
			{
				env: {
					...process.env,
					DATABASE_URL: dbUrl,
					CPOR_DATA_DIR: dataDir,
					LOG_LEVEL: "warn",
					PORT: String(port),
				},
				stdio: ["ignore", "inherit", "inherit"],
			},
		);
		for (let i = 0; ; i++) {
			const r = await send(`${base}/readyz`, "GET", {}).catch(() => undefined);
			if (r?.status === 200) break;
			if (i > 600) throw new Error("cpor serve did not become ready in 60 s");
			await new Promise((r) => setTimeout(r, 100));
		}
		/** Signs in as the demo directory's Ana and makes an API token (`--claims 0`). */
		const demoToken = async (): Promise<string> => {
			let login: { status: number; body: string; cookie?: string } | undefined;
			for (let i = 0; i < 240; i++) {
				try {
					login = await new Promise((resolve, reject) => {
						const req = http.request(
							`${base}/api/v1/auth/login`,
							{
								method: "POST",
								headers: { "content-type": "application/json" },
							},
							(res) => {
								let b = "";
								res.on("data", (c) => {
									b += c;
								});
								res.on("end", () =>
									resolve({
										status: res.statusCode ?? 0,
										body: b,
										cookie: String(res.headers["set-cookie"]?.[0] ?? "").split(
											";",
										)[0],
									}),
								);
							},
						);
						req.on("error", reject);
						req.end(
							JSON.stringify({
								email: "ana.global@fabrikam.example",
								password: "bench-password-123",
							}),
						);
					});
					break;
				} catch {
					await new Promise((r) => setTimeout(r, 250));
				}
			}
			if (login?.status !== 200)
				throw new Error(`login failed: ${login?.status} ${login?.body}`);
			const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
			const tok = await send(
				`${base}/api/v1/api-tokens`,
				"POST",
				{
					"content-type": "application/json",
					cookie: login.cookie ?? "",
					"x-csrf-token": csrf,
				},
				JSON.stringify({ name: "write-path bench" }),
			);
			if (tok.status !== 201)
				throw new Error(`api token: ${tok.status} ${tok.body}`);
			return (JSON.parse(tok.body) as { token: string }).token;
		};
		const token = preloaded?.token ?? (await demoToken());
		const workloads = (directory.products ?? [])
			.filter((p) => p.solutionArea === "microsoft_365")
			.map((p) => p.productId);
		const combos =
			preloaded?.combos ??
			(directory.tenants ?? []).flatMap((t) =>
				workloads.map((productId) => ({
					tenantId: t.tenantId,
					domain: t.domains[0] as string,
					productId,
				})),
			);
		await admin.query("create extension if not exists pg_stat_statements");
		await admin.query("select pg_stat_statements_reset()");
		const xacts = async () =>
			Number(
				(
					await admin.query(
						"select xact_commit + xact_rollback as n from pg_stat_database where datname = 'postgres'",
					)
				).rows[0].n,
			);
		const xactsBefore = await xacts();
		// Where the CPU goes: the server's processes, PostgreSQL's (the postmaster's tree)
		// and the load process's, during the load.
		const postmaster = parentPid(
			(await admin.query("select pg_backend_pid() as pid")).rows[0].pid,
		);
		const cpuBefore = cpuSnapshot();
		const combosFile = path.join(dataDir, "bench-combos.json");
		writeFileSync(combosFile, JSON.stringify(combos));
		const cpor = await load("cpor", {
			BENCH_URL: base,
			BENCH_TOKEN: token,
			BENCH_MPN: preloaded?.mpnId ?? DEMO_IDS.mpnIds.fabrikamEnrolled,
			BENCH_COMBOS: combosFile,
		});
		const cpuAfter = cpuSnapshot();
		const done = cpor.done as number;
		const cpuMsPerClaim = (ms: number) => Math.round((ms / done) * 100) / 100;
		const cpu = {
			serverMsPerClaim: cpuMsPerClaim(
				treeCpuMs(cpuBefore, cpuAfter, server.pid as number),
			),
			postgresMsPerClaim: cpuMsPerClaim(
				postmaster ? treeCpuMs(cpuBefore, cpuAfter, postmaster) : Number.NaN,
			),
			loadMsPerClaim: cpuMsPerClaim(cpor.loadCpuMs as number),
			machineBusyMsPerClaim: cpuMsPerClaim(cpuAfter.busyMs - cpuBefore.busyMs),
			machineBusyPercent: Math.round(
				((cpuAfter.busyMs - cpuBefore.busyMs) /
					(cpuAfter.totalMs - cpuBefore.totalMs)) *
					100,
			),
		};
		const transactionsPerClaim =
			Math.round((((await xacts()) - xactsBefore) / done) * 10) / 10;
		const statements = (
			await admin.query(
				`select calls::int, round(total_exec_time::numeric, 0)::int as ms, round(total_plan_time::numeric, 0)::int as "planMs", left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
				 from pg_stat_statements where query not ilike '%pg_stat%' order by calls desc`,
			)
		).rows as { calls: number; ms: number; planMs: number; query: string }[];
		const statementsPerClaim =
			Math.round((statements.reduce((a, r) => a + r.calls, 0) / done) * 10) /
			10;
		const perClaim = (ms: number) => Math.round((ms / done) * 100) / 100;
		const dbExecMsPerClaim = perClaim(statements.reduce((a, r) => a + r.ms, 0));
		const dbPlanMsPerClaim = perClaim(
			statements.reduce((a, r) => a + r.planMs, 0),
		);
		await admin.end();

		const claimsPerSecond = cpor.perSecond as number;
		const insertsPerSecond = bareResult.perSecond as number;
		const p99 = (cpor.latency as Record<string, { p99: number }>).sequence?.p99;
		const result = {
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version}`,
			seconds: SECONDS,
			clients: CLIENTS,
			serverProcesses: PROCESSES,
			preloadedClaims: PRELOAD,
			transport: SOCKET ? "unix socket" : "tcp 127.0.0.1",
			pgbench: {
				tps: Math.round(tps * 10) / 10,
				latencyAverageMs: pgbenchLatency,
			},
			bareInsert: bareResult,
			cpor,
			cporDatabase: {
				statementsPerClaim,
				transactionsPerClaim,
				dbExecMsPerClaim,
				dbPlanMsPerClaim,
				topStatements: statements.slice(0, ONLY_CPOR ? 60 : 12).map((r) => ({
					callsPerClaim: Math.round((r.calls / done) * 100) / 100,
					execMsPerClaim: perClaim(r.ms),
					planMsPerClaim: perClaim(r.planMs),
					query: r.query,
				})),
			},
			cporCpu: cpu,
			ratios: {
				claimsPerPgbenchTps: Math.round((claimsPerSecond / tps) * 1000) / 1000,
				claimsPerBareInsert:
					Math.round((claimsPerSecond / insertsPerSecond) * 1000) / 1000,
			},
			goals: {
				halfOfPgbench: claimsPerSecond >= tps / 2,
				p99Under50ms: p99 !== undefined && p99 < 50,
			},
		};
		console.log(JSON.stringify(result, null, 2));
		recordResult(SOCKET ? "write-path-socket" : "write-path-tcp", result);
	} catch (err) {
		console.error(err);
		process.exitCode = 1;
	} finally {
		if (server && server.exitCode === null) {
			const exited = new Promise((r) => server?.once("exit", r));
			server.kill("SIGTERM");
			await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		}
		await cluster.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

if (flag("--load")) await runLoad();
else {
	buildServerBundle();
	await main();
}
