/**
 * `cpor serve --processes N` (issue 5, docs/operations.md): N HTTP server processes share
 * one port on PostgreSQL (node:cluster); the first also runs the timers; one that dies
 * is replaced; the embedded database and the sandbox clock refuse N > 1 with a clear
 * message.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import {
	type CporProcess,
	closeHttpConnections,
	request,
	startCporProcess,
} from "../support/cpor-processes.ts";

/** PIDs of the processes whose parent is `pid` (from /proc). */
function childPids(pid: number): number[] {
	const out: number[] = [];
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			// Field 4 (after "pid (comm) state") is the parent PID.
			const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
			if (ppid === pid) out.push(Number(entry));
		} catch {
			/* the process ended while we looked */
		}
	}
	return out;
}

async function until<T>(
	what: string,
	probe: () => T | undefined,
	ms = 30_000,
): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = probe();
		if (v !== undefined) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe("cpor serve --processes", () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-processes-"));
	const dbName = `cpor_processes_${process.pid}`;
	let adminUrl = "";
	let serve: CporProcess | undefined;

	afterAll(async () => {
		closeHttpConnections();
		await serve?.stop();
		if (adminUrl) {
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			await admin.query(`drop database if exists ${dbName} with (force)`);
			await admin.end();
		}
		rmSync(dataDir, { recursive: true, force: true });
	});

	it("N server processes share one port on PostgreSQL, a dead one is replaced, and SIGTERM stops them all", async () => {
		adminUrl = inject("pgUrl");
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		await admin.query(`create database ${dbName}`);
		await admin.end();
		const url = new URL(adminUrl);
		url.pathname = `/${dbName}`;
		serve = await startCporProcess({
			name: "serve --processes 2",
			command: "serve",
			args: ["--processes", "2"],
			env: {
				DATABASE_URL: url.toString(),
				CPOR_DATA_DIR: dataDir,
				LOG_LEVEL: "warn",
			},
		});
		expect(serve.output()).toMatch(/CPOR is running at \S+ in 2 processes/);
		const primary = serve.child.pid as number;
		const first = childPids(primary);
		expect(first).toHaveLength(2);
		for (let i = 0; i < 20; i++) {
			const res = await request(`${serve.url}/readyz`, { method: "GET" });
			expect(res.status).toBe(200);
		}

		// A server process that dies is replaced, and the port keeps answering.
		process.kill(first[0] as number, "SIGKILL");
		const next = await until("a replacement server process", () => {
			const now = childPids(primary);
			return now.length === 2 && !now.includes(first[0] as number)
				? now
				: undefined;
		});
		expect(next).toContain(first[1]);
		await until("the replacement to answer", () =>
			/exited \(SIGKILL\); starting another/.test(serve?.output() ?? "")
				? true
				: undefined,
		);
		let ok = 0;
		for (let i = 0; i < 20; i++) {
			const res = await request(`${serve.url}/readyz`, { method: "GET" }).catch(
				() => undefined,
			);
			if (res?.status === 200) ok++;
		}
		expect(ok).toBeGreaterThan(0);

		// SIGTERM to the primary stops every server process, and no restart follows.
		closeHttpConnections();
		await serve.stop();
		expect(serve.exit()).toBe("code 0");
		for (const pid of next)
			expect(() => process.kill(pid, 0), `server process ${pid}`).toThrow();
	});

	it("stops with exit 1 when its server processes cannot start (the port is taken), instead of starting them again forever", async () => {
		const taken = net.createServer();
		await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
		const { port } = taken.address() as net.AddressInfo;
		adminUrl = inject("pgUrl");
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		// Made by the test before, unless this one runs alone.
		await admin.query(`create database ${dbName}`).catch(() => {});
		await admin.end();
		const url = new URL(adminUrl);
		url.pathname = `/${dbName}`;
		try {
			const started = Date.now();
			const run = await new Promise<{ code: number | null; stderr: string }>(
				(resolve) => {
					const child = spawn(
						process.execPath,
						[
							"bin/cpor.js",
							"serve",
							"--processes",
							"2",
							"--port",
							String(port),
						],
						{
							env: {
								...process.env,
								LOG_LEVEL: "silent",
								DATABASE_URL: url.toString(),
								CPOR_DATA_DIR: dataDir,
							},
							stdio: ["ignore", "ignore", "pipe"],
						},
					);
					let stderr = "";
					child.stderr.on("data", (d: Buffer) => {
						stderr += d.toString("utf8");
					});
					const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
					child.on("exit", (code) => {
						clearTimeout(timer);
						resolve({ code, stderr });
					});
				},
			);
			expect(run.code, run.stderr).toBe(1);
			expect(run.stderr).toContain(
				`127.0.0.1:${port} is in use by another program`,
			);
			expect(run.stderr).toContain("a server process failed to start");
			expect(run.stderr).not.toContain("starting another");
			expect(Date.now() - started).toBeLessThan(30_000);
		} finally {
			taken.close();
		}
	});

	it("refuses --processes with the embedded database, with --sandbox, and out of range, saying why", () => {
		const run = (args: string[], env: Record<string, string> = {}) =>
			spawnSync(process.execPath, ["bin/cpor.js", "serve", ...args], {
				encoding: "utf8",
				env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "", ...env },
				timeout: 60_000,
			});
		const embedded = run(["--processes", "2", "--data-dir", dataDir]);
		expect(embedded.status).not.toBe(0);
		expect(embedded.stderr).toContain("--processes needs PostgreSQL");
		const sandbox = run(["--processes", "2", "--sandbox"], {
			DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
		});
		expect(sandbox.status).not.toBe(0);
		expect(sandbox.stderr).toContain("cannot be used with --sandbox");
		const zero = run(["--processes", "0"]);
		expect(zero.status).not.toBe(0);
		expect(zero.stderr).toContain("--processes must be a whole number");
		for (const r of [embedded, sandbox, zero])
			expect(r.stderr).not.toMatch(/\n\s+at /);
	});
});
