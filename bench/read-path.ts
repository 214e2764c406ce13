/**
 * Read-path benchmark (issue 5, benchmark 2), in one process tree against one throwaway
 * PostgreSQL 15 cluster (test/support/pg-cluster.ts):
 * 1. bulk-load `--claims` claims (default 1,000,000) over `--partners` partner
 *    organizations (default 200) with bench/bulk-claims.ts (set-based SQL, then ANALYZE);
 * 2. start `cpor serve --processes N` on it (N: one per core by default);
 * 3. EXPLAIN: with auto_explain switched on for a moment, request each scenario once and
 *    keep the plans PostgreSQL logged for it: the indexes used, and any sequential scan
 *    of a claim table;
 * 4. load each scenario from a separate load process (this file with `--load`): 32
 *    concurrent keep-alive clients for `--seconds` (default 8) each → requests/s, p50 and
 *    p99 latency, and non-200 answers.
 * Scenarios: the partner dashboard list of the largest partner (Fabrikam, about 1/6 of
 * all claims) and of a mid-sized one: first page, each status filter, the other filters,
 * search, sort by due date, keyset pages deep into the list (page 200+), the dashboard's
 * counts; the reviewer queue (first and deep pages); the claim page (claim, history,
 * comments). Prints one JSON object with the goal (p99 < 20 ms) per scenario, and the
 * machine's floor under the same load: a bare Fastify route answering the claim page's
 * JSON from memory (`floor.static`), one reading the claim's row by primary key
 * (`floor.pk`) and one answering Fabrikam's first page from the claims' copies of their
 * resource with one statement on the same index (`floor.list`), so a scenario's p99 can
 * be compared with what any server gets here.
 *
 * Usage: npx tsx bench/read-path.ts [--claims 1000000] [--partners 200] [--seconds 8]
 *        [--clients 32] [--processes N] [--only name,name] [--accept-encoding br]
 * `--accept-encoding` sends that Accept-Encoding with every scenario's requests, so the
 * servers compress what they answer (the load reads the bytes without decoding them); by
 * default the load asks for none and gets the JSON as it is.
 * BENCH_DATABASE_URL=<url of an already loaded database> skips the cluster and the load;
 * with BENCH_PG_LOG=<that server's log file> (the server preloading auto_explain, the
 * URL's user allowed ALTER SYSTEM) the EXPLAIN step runs on it too.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there when it exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import pg from "pg";
import { closeAgent, getDiscarding, percentile, send } from "./load-client.ts";
import { recordResult } from "./record.ts";
import { buildServerBundle } from "./server-bundle.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const CLAIMS = Number(flag("--claims") ?? 1_000_000);
const PARTNERS = Number(flag("--partners") ?? 200);
const SECONDS = Number(flag("--seconds") ?? 8);
const CLIENTS = Number(flag("--clients") ?? 32);
const PROCESSES = Number(flag("--processes") ?? os.cpus().length);
const ONLY = flag("--only")?.split(",");
const ACCEPT_ENCODING = flag("--accept-encoding");
const API = "/api/v1";
const GOAL_P99_MS = 20;

/** One scenario: requests drawn from `urls` (round robin) with the given headers. */
interface Scenario {
	name: string;
	what: string;
	urls: string[];
	headers: Record<string, string>;
}

// ---------------------------------------------------------------- load process
async function runLoad(): Promise<void> {
	const s = JSON.parse(
		readFileSync(process.env.BENCH_SCENARIO as string, "utf8"),
	) as Scenario;
	const base = process.env.BENCH_URL as string;
	const until = Date.now() + SECONDS * 1000;
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	let next = 0;
	const started = performance.now();
	const cpu0 = process.cpuUsage();
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			while (Date.now() < until) {
				const url = s.urls[next++ % s.urls.length] as string;
				const t0 = performance.now();
				const res = await getDiscarding(`${base}${url}`, s.headers);
				latencies.push(performance.now() - t0);
				statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			}
		}),
	);
	const elapsed = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpu0);
	closeAgent();
	process.stdout.write(
		`${JSON.stringify({
			requests: latencies.length,
			perSecond: Math.round(latencies.length / elapsed),
			p50: percentile(latencies, 50),
			p99: percentile(latencies, 99),
			statuses,
			// The load process's own CPU per request (it shares the machine's cores).
			loadCpuMsPerRequest: latencies.length
				? Math.round(
						((cpu.user + cpu.system) / 1000 / latencies.length) * 100,
					) / 100
				: null,
		})}\n`,
	);
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
	const { startPgCluster } = await import("../test/support/pg-cluster.ts");
	const { openDatabase, migrateDatabase } = await import("../src/db/client.ts");
	const { bulkLoadClaims, issueApiToken } = await import("./bulk-claims.ts");
	const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-read-bench-"));
	let cluster: Awaited<ReturnType<typeof startPgCluster>> | undefined;
	let server: ChildProcess | undefined;
	const log = (m: string) => process.stderr.write(`read-path: ${m}\n`);
	try {
		let url = process.env.BENCH_DATABASE_URL;
		// The server's log, where auto_explain writes the plans of the EXPLAIN step: the
		// cluster's own, or BENCH_PG_LOG's for a database given by BENCH_DATABASE_URL.
		let logFile = process.env.BENCH_PG_LOG;
		if (!url) {
			cluster = await startPgCluster({
				settings: {
					shared_preload_libraries: "auto_explain,pg_stat_statements",
					// (auto_explain.log_min_duration stays off, its default, until the EXPLAIN
					// step sets it with ALTER SYSTEM: a -c setting would override that.)
					shared_buffers: "1GB",
					work_mem: "16MB",
					max_wal_size: "4GB",
				},
			});
			url = cluster.url;
			logFile = path.join(cluster.dir, "postgres.log");
		}
		const database = await openDatabase({ databaseUrl: url });
		await migrateDatabase(database);
		const admin = new pg.Client({ connectionString: url });
		admin.on("error", () => {});
		await admin.connect();
		const loaded = Number(
			(await admin.query("select count(*)::int as n from claims")).rows[0].n,
		);
		let load: Awaited<ReturnType<typeof bulkLoadClaims>> | undefined;
		const t0 = Date.now();
		if (loaded === 0) {
			load = await bulkLoadClaims(database, {
				claims: CLAIMS,
				partners: PARTNERS,
				dataDir,
				log,
			});
		}
		const loadSeconds = Math.round((Date.now() - t0) / 100) / 10;
		// Steady state: autovacuum would have set the visibility map by now (index-only scans).
		if (load) await admin.query("vacuum analyze");
		const partnerRows = (
			await admin.query(
				// Each organization's first global admin, joined once (users has no index by
				// organization: a lookup per organization read every user, for hours with
				// 200,000 partners).
				`with admins as (
				   select distinct on (organization_id) organization_id, email from users
				   where 'global_admin' = any(roles) order by organization_id, email)
				 select c.org, c.n, a.email
				 from (select partner_organization_id as org, count(*)::int as n
				       from claims group by 1) c
				 left join admins a on a.organization_id = c.org
				 order by c.n desc, c.org`,
			)
		).rows as { org: string; n: number; email: string }[];
		const big = partnerRows[0];
		const mid = partnerRows[Math.floor(partnerRows.length / 2)];
		if (!big?.email || !mid?.email)
			throw new Error("no partner admins found in the loaded data");
		const reviewer = "rita.reviewer@cpor.example";
		const tokens = {
			big: await issueApiToken(database, big.email),
			mid: await issueApiToken(database, mid.email),
			reviewer: await issueApiToken(database, reviewer),
		};
		await database.close();
		const claimCount = Number(
			(await admin.query("select count(*)::int as n from claims")).rows[0].n,
		);

		// The server: N processes sharing one port.
		const port = 20000 + Math.floor(Math.random() * 20000);
		const base = `http://127.0.0.1:${port}`;
		server = spawn(
			process.execPath,
			[
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
					DATABASE_URL: url,
					CPOR_DATA_DIR: dataDir,
					LOG_LEVEL: "warn",
				},
				stdio: ["ignore", "inherit", "inherit"],
			},
		);
		for (let i = 0; ; i++) {
			const r = await send(`${base}/readyz`, "GET", {}).catch(() => undefined);
			if (r?.status === 200) break;
			if (i > 600) throw new Error("cpor serve did not become ready");
			await new Promise((r) => setTimeout(r, 100));
		}
		// Warm up every process's pool and caches.
		const auth = (t: string) => ({ authorization: `Bearer ${t}` });
		const get = async (u: string, t: string) => {
			const r = await send(`${base}${u}`, "GET", auth(t));
			if (r.status !== 200) throw new Error(`GET ${u}: ${r.status} ${r.body}`);
			return JSON.parse(r.body) as {
				items: { id?: string; claim?: { id: string } }[];
				nextCursor: string | null;
			};
		};

		// Deep keyset cursors: walk the largest partner's list and the queue.
		const deepCursors = async (
			u: string,
			t: string,
			from: number,
			to: number,
		) => {
			const out: string[] = [];
			let cursor: string | null = null;
			for (let page = 1; page <= to; page++) {
				const sep = u.includes("?") ? "&" : "?";
				const body = await get(
					cursor ? `${u}${sep}cursor=${encodeURIComponent(cursor)}` : u,
					t,
				);
				cursor = body.nextCursor;
				if (!cursor) break;
				if (page >= from)
					out.push(`${u}${sep}cursor=${encodeURIComponent(cursor)}`);
			}
			return out;
		};
		log("walking keyset pages for the deep-page scenarios");
		const deepList = await deepCursors(
			`${API}/claims?limit=50`,
			tokens.big,
			200,
			260,
		);
		const deepQueue = await deepCursors(
			`${API}/review-queue?limit=50`,
			tokens.reviewer,
			100,
			130,
		);
		const sample = (
			await admin.query(
				`select id from claims where partner_organization_id = $1 and status <> 'draft'
				 order by md5(id) limit 2000`,
				[big.org],
			)
		).rows.map((r) => r.id as string);
		const nameWord = (
			await admin.query(
				"select split_part(name, ' ', 1) as w from claims where partner_organization_id = $1 limit 1",
				[big.org],
			)
		).rows[0]?.w as string;
		const tenant = (
			await admin.query(
				"select tenant_id from claims where partner_organization_id = $1 group by 1 order by count(*) desc limit 1",
				[big.org],
			)
		).rows[0]?.tenant_id as string;
		const statuses = (
			await admin.query("select status from claims group by 1 order by 1")
		).rows.map((r) => r.status as string);

		const list = `${API}/claims?limit=50`;
		const scenarios: Scenario[] = [
			{
				name: "dashboard.first",
				what: "Fabrikam's dashboard list, first page (newest first)",
				urls: [list],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.first.mid",
				what: `a mid-sized partner's (${mid.n} claims) first page`,
				urls: [list],
				headers: auth(tokens.mid),
			},
			...statuses.map((s) => ({
				name: `dashboard.status.${s}`,
				what: `Fabrikam's list filtered to ${s}`,
				urls: [`${list}&status=${s}`],
				headers: auth(tokens.big),
			})),
			{
				name: "dashboard.solutionArea",
				what: "filter: Business Applications",
				urls: [`${list}&solutionArea=business_applications`],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.activity",
				what: "filter: activity usage",
				urls: [`${list}&activity=usage`],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.competing",
				what: "filter: competing claims",
				urls: [`${list}&competing=true`],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.tenant",
				what: "filter: one customer tenant",
				urls: [`${list}&tenantId=${tenant}`],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.search",
				what: `search q=${nameWord}`,
				urls: [`${list}&q=${encodeURIComponent(nameWord)}`],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.sortDue",
				what: "sorted by due date",
				urls: [`${list}&sort=dueAt`],
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.deep",
				what: "keyset pages 200–260 of Fabrikam's list (10,000+ claims deep)",
				urls: deepList,
				headers: auth(tokens.big),
			},
			{
				name: "dashboard.counts",
				what: "Fabrikam's counts per status (the dashboard's tabs)",
				urls: [`${API}/claims/counts`],
				headers: auth(tokens.big),
			},
			{
				name: "queue.first",
				what: "the reviewer queue, first page (soonest due)",
				urls: [`${API}/review-queue?limit=50`],
				headers: auth(tokens.reviewer),
			},
			{
				name: "queue.deep",
				what: "reviewer queue pages 100–130",
				urls: deepQueue,
				headers: auth(tokens.reviewer),
			},
			{
				name: "claim.get",
				what: "the claim page: GET /claims/{id} (2,000 different claims)",
				urls: sample.map((id) => `${API}/claims/${id}`),
				headers: auth(tokens.big),
			},
			{
				name: "claim.history",
				what: "the claim page: its history",
				urls: sample.map((id) => `${API}/claims/${id}/history`),
				headers: auth(tokens.big),
			},
			{
				name: "claim.comments",
				what: "the claim page: its comments",
				urls: sample.map((id) => `${API}/claims/${id}/comments`),
				headers: auth(tokens.big),
			},
		]
			.filter((s) => {
				if (s.urls.length === 0)
					log(`${s.name}: skipped (the loaded data has no such pages)`);
				return (
					s.urls.length > 0 && (!ONLY || ONLY.some((o) => s.name.startsWith(o)))
				);
			})
			// `--accept-encoding`: every scenario's requests ask for compressed answers.
			.map((s) =>
				ACCEPT_ENCODING
					? {
							...s,
							headers: { ...s.headers, "accept-encoding": ACCEPT_ENCODING },
						}
					: s,
			);

		// EXPLAIN: auto_explain logs the plan of every statement of one request per scenario.
		const plans: Record<
			string,
			{ indexes: string[]; seqScans: string[]; ms: number }
		> = {};
		if (logFile) {
			await admin.query("alter system set auto_explain.log_min_duration = 0");
			await admin.query("alter system set auto_explain.log_analyze = on");
			await admin.query("select pg_reload_conf()");
			await new Promise((r) => setTimeout(r, 300));
			for (const s of scenarios) {
				// Twice: the first request of a process may still warm a connection.
				await send(`${base}${s.urls[0]}`, "GET", s.headers);
				await new Promise((r) => setTimeout(r, 100));
				const before = statSync(logFile).size;
				await send(`${base}${s.urls[0]}`, "GET", s.headers);
				await new Promise((r) => setTimeout(r, 300));
				// The plans of this request's statements: skip the background work's (timers,
				// outbox and deliveries run in the first server process meanwhile).
				const text = readFileSync(logFile)
					.subarray(before)
					.toString("utf8")
					.split(/\n(?=\S.*LOG: {2}duration:)/)
					.filter(
						// timers, outbox, deliveries, the reminder sweep and the counter fold
						(block) =>
							!/skip locked|advisory|outbox|deliveries|"updated_at" >=|delete from claim_status_deltas/i.test(
								block,
							),
					)
					.join("\n");
				const indexes = [
					...new Set(
						[
							...text.matchAll(
								/(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/g,
							),
						].map((m) => m[1] as string),
					),
				];
				const seqScans = [
					...new Set(
						[...text.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1] as string),
					),
					// (the counters' delta table holds a few rows between folds: a scan is right)
				].filter((t) => /^claim/.test(t) && t !== "claim_status_deltas");
				const ms = [...text.matchAll(/duration: ([\d.]+) ms/g)].reduce(
					(a, m) => a + Number(m[1]),
					0,
				);
				plans[s.name] = { indexes, seqScans, ms: Math.round(ms * 100) / 100 };
				if (process.env.BENCH_PLANS)
					writeFileSync(
						path.join(process.env.BENCH_PLANS, `${s.name}.log`),
						text,
					);
			}
			await admin.query("alter system set auto_explain.log_min_duration = -1");
			await admin.query("select pg_reload_conf()");
		}

		// The load: one scenario at a time from a separate process.
		const results: Record<string, unknown> = {};
		for (const s of scenarios) {
			const file = path.join(dataDir, "scenario.json");
			writeFileSync(file, JSON.stringify(s));
			// Warm-up: a short pass, not measured.
			const r = await runLoadProcess(base, file);
			const p99 = r.p99 as number;
			results[s.name] = {
				what: s.what,
				...r,
				goalP99: p99 !== null && p99 < GOAL_P99_MS,
				explain: plans[s.name],
			};
			log(`${s.name}: ${JSON.stringify(r)}`);
		}
		// The floor: what this machine gives any HTTP server under the same load, measured
		// with a bare Fastify process (this one; CPOR's servers idle meanwhile). `static`
		// answers a claim page's JSON from memory; `pk` reads the claim's row by primary key
		// (named prepared statement, pg pool of 20) and answers it as JSON; `list` answers
		// a first page of 50 claims from their copies of the resource.
		const floor: Record<string, unknown> = {};
		if (
			!ONLY ||
			ONLY.some((o) => "floor".startsWith(o) || o.startsWith("floor"))
		) {
			const claimBody = sample[0]
				? (
						await send(
							`${base}${API}/claims/${sample[0]}`,
							"GET",
							auth(tokens.big),
						)
					).body
				: "{}";
			const pool = new pg.Pool({ connectionString: url, max: 20 });
			const bare = Fastify({ logger: false });
			bare.get("/static/:id", async (_req, reply) =>
				reply.type("application/json").send(claimBody),
			);
			bare.get<{ Params: { id: string } }>("/pk/:id", async (req) => {
				const r = await pool.query({
					name: "floor_pk",
					text: "select * from claims where id = $1",
					values: [req.params.id],
				});
				return r.rows[0] ?? {};
			});
			// A list page as any server on this schema would read it: the 51 newest copies of
			// the claim resource of Fabrikam's dashboard (the same index as CPOR's first page),
			// joined into a page. What CPOR adds to a page is the rest of its work.
			bare.get("/list/:id", async (_req, reply) => {
				const r = await pool.query<{ json: string }>({
					name: "floor_list",
					text: `select resource_json as json from claims where partner_organization_id = $1
					       order by updated_at desc, id desc limit 51`,
					values: [big.org],
				});
				return reply.type("application/json; charset=utf-8").send(
					`{"items":[${r.rows
						.slice(0, 50)
						.map((row) => row.json)
						.join(",")}],"nextCursor":null}`,
				);
			});
			await bare.listen({ port: 0, host: "127.0.0.1" });
			const address = bare.server.address();
			const barePort =
				typeof address === "object" && address ? address.port : 0;
			for (const [name, what, prefix] of [
				[
					"floor.static",
					"bare Fastify: a claim page's JSON from memory (no database)",
					"/static",
				],
				[
					"floor.pk",
					"bare Fastify: the claim's row by primary key, as JSON (pg pool of 20)",
					"/pk",
				],
				[
					"floor.list",
					"bare Fastify: Fabrikam's first page, the 50 newest copies of the claim resource (pg pool of 20)",
					"/list",
				],
			] as const) {
				const file = path.join(dataDir, "scenario.json");
				writeFileSync(
					file,
					JSON.stringify({
						name,
						what,
						urls: sample.map((id) => `${prefix}/${id}`),
						headers: {},
					}),
				);
				const r = await runLoadProcess(`http://127.0.0.1:${barePort}`, file);
				floor[name] = { what, ...r };
				log(`${name}: ${JSON.stringify(r)}`);
			}
			await bare.close();
			await pool.end();
		}
		await admin.end();
		const met = Object.values(results).filter(
			(r) => (r as { goalP99: boolean }).goalP99,
		).length;
		const result = {
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
			claims: claimCount,
			partners: partnerRows.length,
			loadSeconds: load ? loadSeconds : "reused",
			largestPartner: { org: big.org, claims: big.n },
			midPartner: { org: mid.org, claims: mid.n },
			serverProcesses: PROCESSES,
			clients: CLIENTS,
			acceptEncoding: ACCEPT_ENCODING ?? null,
			secondsPerScenario: SECONDS,
			goal: `p99 < ${GOAL_P99_MS} ms`,
			scenariosMeetingGoal: `${met} of ${scenarios.length}`,
			results,
			floor,
		};
		console.log(JSON.stringify(result, null, 2));
		recordResult("read-path", result);
	} catch (err) {
		console.error(err);
		process.exitCode = 1;
	} finally {
		if (server && server.exitCode === null) {
			const exited = new Promise((r) => server?.once("exit", r));
			server.kill("SIGTERM");
			await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		}
		await cluster?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

/** Runs the load of one scenario in a child process and returns its JSON line. */
function runLoadProcess(
	base: string,
	scenarioFile: string,
): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				"--import",
				"tsx",
				path.join(import.meta.dirname, "read-path.ts"),
				"--load",
				"1",
				...args,
			],
			{
				env: { ...process.env, BENCH_URL: base, BENCH_SCENARIO: scenarioFile },
				stdio: ["ignore", "pipe", "inherit"],
			},
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

if (flag("--load")) await runLoad();
else {
	buildServerBundle();
	await main();
}
