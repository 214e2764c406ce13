/**
 * Embedded benchmark (issue 5, benchmark 4): CPOR on PGlite, in one process tree:
 * a) a PGlite data directory (CPOR_DATA_DIR, no DATABASE_URL) is migrated and loaded with
 *    `--claims` claims (default 100,000) by bench/bulk-claims.ts, then closed;
 * b) start-up: `node bin/cpor.js serve` on that directory (no --demo), timed from spawn
 *    to the first 200 of GET /healthz, `--starts` times (default 3; median reported);
 *    the last server stays up;
 * c) the read paths on the loaded data are checked once (partner list, counts, claim,
 *    history; reviewer queue), then a separate load process (this file with `--load`)
 *    runs `--clients` concurrent loops (default 32) of create + upload a tiny PDF (unique per claim) + submit
 *    of Microsoft 365 usage claims for `--seconds` (default 20), each on a tenant ×
 *    workload no claim holds yet; meanwhile the server's resident memory (VmRSS of
 *    /proc/<pid>/status) is sampled every 250 ms;
 * d) prints one JSON object with the figures and the goals (≥ 300 claims/s, start-up
 *    < 3 s, RSS < 300 MB) met or missed.
 *
 * Usage: npx tsx bench/embedded.ts [--claims 100000] [--partners 100] [--seconds 20]
 *          [--clients 32] [--starts 3] [--data-dir <dir>]
 * `--data-dir` keeps the data directory and reuses it when it was loaded before (the
 * write load then continues with unused tenant × workload pairs); without it a temporary
 * directory is loaded and removed. BENCH_CPU_PROF=<dir> profiles the server under load.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import http from "node:http";
import os, { tmpdir } from "node:os";
import path from "node:path";
import {
	closeAgent,
	type LoadCombo,
	percentile,
	runCreateSubmitLoad,
	send,
} from "./load-client.ts";
import { cpuSnapshot, treeCpuMs } from "./proc-cpu.ts";
import { recordResult } from "./record.ts";
import { buildServerBundle } from "./server-bundle.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const CLAIMS = Number(flag("--claims") ?? 100_000);
const PARTNERS = Number(flag("--partners") ?? 100);
const SECONDS = Number(flag("--seconds") ?? 20);
const CLIENTS = Number(flag("--clients") ?? 32);
const STARTS = Math.max(1, Number(flag("--starts") ?? 3));
const GOALS = { claimsPerSecond: 300, startupMs: 3000, rssMB: 300 };
const ROOT = path.resolve(import.meta.dirname, "..");

// ---------------------------------------------------------------- load process
async function runLoad(): Promise<void> {
	const result = await runCreateSubmitLoad({
		base: process.env.BENCH_URL as string,
		token: process.env.BENCH_TOKEN as string,
		mpnId: process.env.BENCH_MPN as string,
		partner: JSON.parse(process.env.BENCH_PARTNER as string),
		combos: JSON.parse(
			readFileSync(process.env.BENCH_COMBOS as string, "utf8"),
		) as LoadCombo[],
		clients: CLIENTS,
		seconds: SECONDS,
	});
	process.stdout.write(`${JSON.stringify(result)}\n`);
	closeAgent();
}

function load(env: Record<string, string>): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				"--import",
				"tsx",
				import.meta.filename,
				"--load",
				"cpor",
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

// ---------------------------------------------------------------- server
interface Server {
	child: ChildProcess;
	base: string;
	/** Spawn → first 200 of GET /healthz. */
	startupMs: number;
	/** What the server printed as "ready in N ms" (its own measure, after the import of the code). */
	reportedReadyMs: number | null;
}

/** One GET without keep-alive (for polling before the server listens). */
function probe(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent: false }, (res) => {
			res.resume();
			res.on("end", () => resolve(res.statusCode ?? 0));
		});
		req.on("error", reject);
	});
}

async function startServer(
	dataDir: string,
	port: number,
	extraNodeArgs: string[] = [],
): Promise<Server> {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		CPOR_DATA_DIR: dataDir,
		LOG_LEVEL: "warn",
		PORT: String(port),
	};
	delete env.DATABASE_URL;
	const base = `http://127.0.0.1:${port}`;
	const t0 = performance.now();
	const child = spawn(
		process.execPath,
		[...extraNodeArgs, "bin/cpor.js", "serve", "--port", String(port)],
		{ cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] },
	);
	let reportedReadyMs: number | null = null;
	let out = "";
	child.stdout?.on("data", (d: Buffer) => {
		out += d.toString("utf8");
		let nl = out.indexOf("\n");
		while (nl >= 0) {
			const line = out.slice(0, nl);
			out = out.slice(nl + 1);
			const ready = /ready in (\d+) ms/.exec(line);
			if (ready) reportedReadyMs = Number(ready[1]);
			// Log lines (pino JSON: warnings and errors) go to stderr; the banner does not.
			if (line.startsWith("{")) process.stderr.write(`[server] ${line}\n`);
			nl = out.indexOf("\n");
		}
	});
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`cpor serve exited with ${child.exitCode}`);
		try {
			if ((await probe(`${base}/healthz`)) === 200) break;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 10));
		if (performance.now() - t0 > 120_000)
			throw new Error("cpor serve did not answer /healthz within 120 s");
	}
	const startupMs = Math.round(performance.now() - t0);
	// The banner is written right after listen; give it a moment to arrive.
	for (let i = 0; i < 50 && reportedReadyMs === null; i++)
		await new Promise((r) => setTimeout(r, 10));
	return { child, base, startupMs, reportedReadyMs };
}

async function stopServer(s: Server): Promise<void> {
	if (s.child.exitCode !== null) return;
	const exited = new Promise((r) => s.child.once("exit", r));
	s.child.kill("SIGTERM");
	await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
	if (s.child.exitCode === null && s.child.signalCode === null) {
		s.child.kill("SIGKILL");
		await exited;
	}
}

/** VmRSS and VmHWM (peak) of a process in MB, from /proc. */
function memoryOf(pid: number): { rssMB: number; hwmMB: number } | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, "utf8");
		const kb = (key: string) =>
			Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
		return {
			rssMB: Math.round(kb("VmRSS") / 102.4) / 10,
			hwmMB: Math.round(kb("VmHWM") / 102.4) / 10,
		};
	} catch {
		return null;
	}
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2
		? (s[m] as number)
		: ((s[m - 1] as number) + (s[m] as number)) / 2;
};

// ---------------------------------------------------------------- orchestrator
/** What the loaded data directory holds (kept in it as bench-embedded.json). */
interface Meta {
	claims: number;
	loadMs: number;
	loadTimings: Record<string, number>;
	byStatus: Record<string, number>;
	partner: {
		organizationId: string;
		mpnId: string;
		name: string;
		email: string;
		claims: number;
		token: string;
	};
	reviewer: { email: string; token: string };
	combos: LoadCombo[];
	/** Combos already used by earlier write loads on this directory. */
	nextCombo: number;
}

async function loadDataDir(dataDir: string): Promise<Meta> {
	const { migrateDatabase, openDatabase } = await import("../src/db/client.ts");
	const { bulkLoadClaims, issueApiToken } = await import("./bulk-claims.ts");
	const t0 = performance.now();
	const database = await openDatabase({ dataDir });
	await migrateDatabase(database);
	// Enough unused tenant × workload pairs for ~1,500 claims/s over the load.
	const freshTenants = Math.max(500, Math.ceil((SECONDS * 1500) / 11));
	const r = await bulkLoadClaims(database, {
		claims: CLAIMS,
		partners: PARTNERS,
		dataDir,
		freshTenants,
	});
	const partner = r.partners[0] as (typeof r.partners)[number];
	const reviewer = r.reviewers[0] as (typeof r.reviewers)[number];
	const meta: Meta = {
		claims: r.claims,
		loadMs: 0,
		loadTimings: r.timings,
		byStatus: r.byStatus,
		partner: {
			organizationId: partner.organizationId,
			mpnId: partner.mpnId,
			name: partner.adminName,
			email: partner.adminEmail,
			claims: partner.claims,
			token: await issueApiToken(database, partner.adminEmail, "embedded"),
		},
		reviewer: {
			email: reviewer.email,
			token: await issueApiToken(database, reviewer.email, "embedded"),
		},
		combos: r.freshTenants.flatMap((t) =>
			r.m365Workloads.map((productId) => ({
				tenantId: t.tenantId,
				domain: t.domain,
				productId,
			})),
		),
		nextCombo: 0,
	};
	await database.close();
	meta.loadMs = Math.round(performance.now() - t0);
	return meta;
}

/** GETs the read paths on the loaded data (each twice: cold, warm) and checks them. */
async function readChecks(base: string, meta: Meta) {
	const partner = { authorization: `Bearer ${meta.partner.token}` };
	const reviewer = { authorization: `Bearer ${meta.reviewer.token}` };
	const out: Record<string, { status: number; ms: number[]; note?: string }> =
		{};
	const get = async (
		name: string,
		url: string,
		headers: Record<string, string>,
	) => {
		const ms: number[] = [];
		let r = { status: 0, body: "" };
		for (let i = 0; i < 2; i++) {
			const t = performance.now();
			r = await send(`${base}${url}`, "GET", headers);
			ms.push(Math.round((performance.now() - t) * 10) / 10);
		}
		out[name] = { status: r.status, ms };
		if (r.status !== 200)
			throw new Error(
				`${name}: GET ${url} → ${r.status} ${r.body.slice(0, 300)}`,
			);
		return JSON.parse(r.body);
	};
	const list = await get("partnerList", "/api/v1/claims?limit=50", partner);
	const counts = await get("partnerCounts", "/api/v1/claims/counts", partner);
	// Equal on a fresh load; earlier write loads on a reused directory add claims.
	if (
		meta.nextCombo === 0
			? counts.total !== meta.partner.claims
			: counts.total < meta.partner.claims
	)
		throw new Error(
			`counts.total ${counts.total} does not match the ${meta.partner.claims} loaded claims of ${meta.partner.organizationId}`,
		);
	(out.partnerCounts as { note?: string }).note = `total ${counts.total}`;
	const first = list.items?.[0]?.id as string;
	if (!first || !list.nextCursor) throw new Error("partner list is empty");
	await get(
		"partnerNextPage",
		`/api/v1/claims?limit=50&cursor=${encodeURIComponent(list.nextCursor)}`,
		partner,
	);
	await get(
		"partnerOpenByDue",
		"/api/v1/claims?status=submitted,under_review,partner_action_required&sort=dueAt&limit=50",
		partner,
	);
	await get("claim", `/api/v1/claims/${first}`, partner);
	await get("claimHistory", `/api/v1/claims/${first}/history`, partner);
	const queue = await get(
		"reviewQueue",
		"/api/v1/review-queue?limit=50",
		reviewer,
	);
	if (!queue.items?.length) throw new Error("review queue is empty");
	(out.reviewQueue as { note?: string }).note =
		`${queue.items.length} items, first due ${queue.items[0].dueAt}, overdue ${queue.items.filter((i: { overdue: boolean }) => i.overdue).length}`;
	await get(
		"reviewerClaim",
		`/api/v1/claims/${queue.items[0].claim.id}`,
		reviewer,
	);
	await get("reviewerCounts", "/api/v1/claims/counts", reviewer);
	return out;
}

async function main(): Promise<void> {
	const { freePort } = await import("../test/support/pg-cluster.ts");
	const keep = flag("--data-dir");
	const dataDir = keep
		? path.resolve(keep)
		: mkdtempSync(path.join(tmpdir(), "cpor-embedded-"));
	const metaFile = path.join(dataDir, "bench-embedded.json");
	let server: Server | undefined;
	try {
		// a) load
		let meta: Meta;
		let loaded = false;
		if (existsSync(metaFile)) {
			meta = JSON.parse(readFileSync(metaFile, "utf8")) as Meta;
			process.stderr.write(
				`[embedded] reusing ${dataDir} (${meta.claims.toLocaleString("en")} claims loaded before)\n`,
			);
		} else {
			meta = await loadDataDir(dataDir);
			loaded = true;
			writeFileSync(metaFile, JSON.stringify(meta));
		}

		// b) start-up, STARTS times; the last server stays up for the load
		const port = await freePort();
		const startups: number[] = [];
		const reported: (number | null)[] = [];
		let rssAfterStart: number | undefined;
		for (let i = 0; i < STARTS; i++) {
			const last = i === STARTS - 1;
			server = await startServer(
				dataDir,
				port,
				last && process.env.BENCH_CPU_PROF
					? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF]
					: [],
			);
			startups.push(server.startupMs);
			reported.push(server.reportedReadyMs);
			process.stderr.write(
				`[embedded] start-up ${i + 1}/${STARTS}: ${server.startupMs} ms (server says ready in ${server.reportedReadyMs} ms)\n`,
			);
			if (last) rssAfterStart = memoryOf(server.child.pid as number)?.rssMB;
			else await stopServer(server);
		}
		if (!server) throw new Error("no server");
		const pid = server.child.pid as number;

		// c) read checks, then the write load with RSS sampling
		const reads = await readChecks(server.base, meta);
		await new Promise((r) => setTimeout(r, 2000)); // first sweeper ticks
		const rssBeforeLoad = memoryOf(pid)?.rssMB;
		const samples: number[] = [];
		const sampler = setInterval(() => {
			const m = memoryOf(pid);
			if (m) samples.push(m.rssMB);
		}, 250);
		const combos = meta.combos.slice(meta.nextCombo);
		const combosFile = path.join(dataDir, "bench-combos.json");
		writeFileSync(combosFile, JSON.stringify(combos));
		let cpor: Record<string, unknown>;
		// The server's CPU during the load (its one process: the server thread, PGlite and
		// Node's helper threads), and the machine's.
		const cpuBefore = cpuSnapshot();
		try {
			cpor = await load({
				BENCH_URL: server.base,
				BENCH_TOKEN: meta.partner.token,
				BENCH_MPN: meta.partner.mpnId,
				BENCH_PARTNER: JSON.stringify({
					name: meta.partner.name,
					email: meta.partner.email,
				}),
				BENCH_COMBOS: combosFile,
			});
		} finally {
			clearInterval(sampler);
			rmSync(combosFile, { force: true });
		}
		const cpuAfter = cpuSnapshot();
		const memEnd = memoryOf(pid);
		meta.nextCombo +=
			(cpor.done as number) +
			Object.values(cpor.errors as Record<string, number>).reduce(
				(a, b) => a + b,
				0,
			) +
			CLIENTS;
		writeFileSync(metaFile, JSON.stringify(meta));
		await stopServer(server);

		// d) report
		const startupMedian = median(startups);
		const rssMax = samples.length ? Math.max(...samples) : null;
		const claimsPerSecond = cpor.perSecond as number;
		const result = {
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(" ")}`,
			database: "PGlite (embedded, data directory on disk)",
			data: {
				claims: meta.claims,
				byStatus: meta.byStatus,
				loadedNow: loaded,
				loadSeconds: loaded ? Math.round(meta.loadMs / 100) / 10 : null,
				loadTimingsMs: meta.loadTimings,
				partner: `${meta.partner.organizationId} (${meta.partner.claims.toLocaleString("en")} claims)`,
			},
			startup: {
				medianMs: startupMedian,
				runsMs: startups,
				serverReportedReadyMs: reported,
			},
			reads,
			writeLoad: { clients: CLIENTS, seconds: SECONDS, ...cpor },
			cpu: {
				serverMsPerClaim:
					Math.round(
						(treeCpuMs(cpuBefore, cpuAfter, pid) / (cpor.done as number)) * 100,
					) / 100,
				machineBusyPercent: Math.round(
					((cpuAfter.busyMs - cpuBefore.busyMs) /
						(cpuAfter.totalMs - cpuBefore.totalMs)) *
						100,
				),
			},
			memory: {
				rssAfterStartMB: rssAfterStart ?? null,
				rssAtLoadStartMB: rssBeforeLoad ?? null,
				rssMaxDuringLoadMB: rssMax,
				rssP50DuringLoadMB: percentile(samples, 50),
				rssAtEndMB: memEnd?.rssMB ?? null,
				peakHwmMB: memEnd?.hwmMB ?? null,
				samples: samples.length,
			},
			goals: {
				claimsPerSecondAtLeast300: claimsPerSecond >= GOALS.claimsPerSecond,
				startupUnder3s: startupMedian < GOALS.startupMs,
				rssUnder300MB: rssMax !== null && rssMax < GOALS.rssMB,
			},
		};
		console.log(JSON.stringify(result, null, 2));
		recordResult("embedded", result);
	} catch (err) {
		console.error(err);
		process.exitCode = 1;
	} finally {
		if (server) await stopServer(server);
		closeAgent();
		if (!keep) rmSync(dataDir, { recursive: true, force: true });
	}
}

if (flag("--load")) await runLoad();
else {
	buildServerBundle();
	await main();
}
