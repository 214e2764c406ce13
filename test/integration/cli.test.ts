import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startCporProcess } from "../support/cpor-processes.ts";
import { createTestDatabase } from "../support/test-app.ts";

const dirs: string[] = [];
const tmp = () => {
	const d = mkdtempSync(path.join(tmpdir(), "cpor-cli-"));
	dirs.push(d);
	return d;
};
const cpor = (args: string[], env: Record<string, string> = {}) =>
	spawnSync(process.execPath, ["bin/cpor.js", ...args], {
		encoding: "utf8",
		env: { ...process.env, LOG_LEVEL: "silent", ...env },
		timeout: 60_000,
	});

describe("the cpor command line", () => {
	afterAll(() => {
		for (const d of dirs) rmSync(d, { recursive: true, force: true });
	});

	it("every command has --help that names its flags and the environment", () => {
		const top = cpor(["--help"]);
		expect(top.status).toBe(0);
		for (const c of ["serve", "worker", "migrate", "import", "demo", "vacuum"])
			expect(top.stdout).toContain(c);
		const serve = cpor(["serve", "--help"]);
		for (const f of [
			"--port",
			"--host",
			"--data-dir",
			"--demo",
			"--sandbox",
			"DATABASE_URL",
			"CPOR_DATA_DIR",
		]) {
			expect(serve.stdout).toContain(f);
		}
		expect(cpor(["import", "--help"]).stdout).toMatch(/All-or-nothing/);
	});

	it("R-DIR-6 cpor import loads a file, and a bad row is reported with its line and nothing is loaded", () => {
		const dataDir = tmp();
		const bad = cpor([
			"import",
			"test/fixtures/import/partners-invalid.csv",
			"--data-dir",
			dataDir,
		]);
		expect(bad.status).toBe(1);
		expect(bad.stderr).toMatch(/line 3: partners\[\d+\]\.mpnIds/);
		const good = cpor([
			"import",
			"test/fixtures/import/valid-directory.json",
			"--data-dir",
			dataDir,
		]);
		expect(good.status, good.stderr).toBe(0);
		expect(good.stdout).toMatch(/partners\s+\d+ inserted/);
		const again = cpor([
			"import",
			"test/fixtures/import/valid-directory.json",
			"--data-dir",
			dataDir,
		]);
		expect(again.stdout).toMatch(/0 inserted, 0 updated/);
		expect(again.stdout).not.toMatch(/[1-9]\d* inserted/);
	});

	it("cpor demo loads only into an empty database: after an import of partners, or a first demo, it exits with the reason", () => {
		const imported = tmp();
		expect(
			cpor([
				"import",
				"test/fixtures/import/valid-directory.json",
				"--data-dir",
				imported,
			]).status,
		).toBe(0);
		const refused = cpor(["demo", "--data-dir", imported]);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toMatch(
			/already has data; the demo loads only into an empty one/,
		);
		const fresh = tmp();
		const first = cpor(["demo", "--data-dir", fresh, "--claims", "20"]);
		expect(first.status, first.stderr).toBe(0);
		expect(cpor(["demo", "--data-dir", fresh]).stderr).toMatch(
			/already has data/,
		);
	});

	it("cpor serve --demo lists the demo sign-ins with their password only when they work: not for another CPOR_DEMO_PASSWORD, nor on a database without the demo", async () => {
		const dir = tmp();
		expect(cpor(["demo", "--claims", "0", "--data-dir", dir]).status).toBe(0);
		const banner = async (
			dataDir: string,
			env: Record<string, string> = {},
		) => {
			const serve = await startCporProcess({
				name: "serve --demo",
				command: "serve",
				args: ["--demo", "--data-dir", dataDir],
				env: { LOG_LEVEL: "warn", DATABASE_URL: "", ...env },
			});
			await new Promise((r) => setTimeout(r, 300));
			await serve.stop();
			return serve.output();
		};
		const same = await banner(dir);
		expect(same).toContain("Demo sign-ins (password: cpor-demo-2026):");
		expect(same).toContain("ana.global@fabrikam.example");
		const other = await banner(dir, { CPOR_DEMO_PASSWORD: "another-pass-1" });
		expect(other).toContain(
			"password: the one CPOR_DEMO_PASSWORD had when the demo was loaded",
		);
		expect(other).not.toContain("another-pass-1");
		// A database with other data: the demo is not loaded, and no sign-in is offered.
		const imported = tmp();
		const file = path.join(imported, "partners.json");
		writeFileSync(
			file,
			JSON.stringify({
				partners: [
					{
						organizationId: "acme",
						name: "Acme",
						mpnIds: [{ mpnId: "7654321", programs: [] }],
					},
				],
			}),
		);
		expect(cpor(["import", file, "--data-dir", imported]).status).toBe(0);
		const none = await banner(imported);
		expect(none).toContain("the demo was not loaded");
		expect(none).not.toContain("Demo sign-ins");
	}, 120_000);

	it("R-NTF-1 cpor serve --port 0: links in email name the port the system gave the server, not port 0", async () => {
		const dir = tmp();
		expect(cpor(["demo", "--claims", "0", "--data-dir", dir]).status).toBe(0);
		// The demo's approved claims leave consent notices in the outbox; the sandbox's
		// sweeper writes them, with their links, into the dev mailbox once the server runs.
		const serve = await startCporProcess({
			name: "serve --sandbox --port 0",
			command: "serve",
			args: ["--sandbox", "--data-dir", dir],
			env: { LOG_LEVEL: "warn", DATABASE_URL: "", CPOR_PUBLIC_URL: "" },
		});
		try {
			const url = serve.url as string;
			expect(url).not.toMatch(/:0$/);
			let message = "";
			for (let i = 0; i < 100 && !message; i++) {
				const list = await (await fetch(`${url}/dev/mailbox`)).text();
				const id = /href="\/dev\/mailbox\/(\d+)"/.exec(list)?.[1];
				if (id)
					message = await (await fetch(`${url}/dev/mailbox/${id}`)).text();
				else await new Promise((r) => setTimeout(r, 100));
			}
			expect(message, serve.output()).toContain(`${url}/claims/`);
			expect(message).not.toContain(":0/");
		} finally {
			await serve.stop();
		}
	}, 120_000);

	it("cpor vacuum vacuums every table of the embedded database, largest first, and reports their sizes", () => {
		const dataDir = tmp();
		expect(cpor(["demo", "--data-dir", dataDir]).status).toBe(0);
		const run = cpor(["vacuum", "--data-dir", dataDir]);
		expect(run.status, run.stderr).toBe(0);
		const lines = run.stdout.trim().split("\n");
		expect(lines[0]).toBe(
			`Vacuuming embedded PGlite in ${path.join(dataDir, "pglite")}…`,
		);
		const tables = lines
			.slice(1, -1)
			.map((l) =>
				/^ {2}\[(\d+)\/(\d+)\] (\w+): ([\d.]+) MB → [\d.]+ MB \([\d.]+ s\)$/.exec(
					l,
				),
			);
		expect(tables.every(Boolean), run.stdout).toBe(true);
		const names = tables.map((m) => m?.[3]);
		for (const table of ["claims", "claim_history", "usage_records", "tenants"])
			expect(names).toContain(table);
		const sizes = tables.map((m) => Number(m?.[4]));
		expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
		expect(lines.at(-1)).toMatch(
			new RegExp(`^Vacuumed ${tables.length} tables in [\\d.]+ s: `),
		);
		expect(cpor(["vacuum", "--help"]).stdout).toMatch(/no autovacuum/);
	});

	it("cpor migrate as a role that may not create in its database says what the role needs; with CREATE it applies every migration, pg_trgm included", async () => {
		const url = new URL(await createTestDatabase("cpor_role"));
		const database = url.pathname.slice(1);
		const role = `cpor_app_${randomBytes(4).toString("hex")}`;
		const admin = new pg.Client({ connectionString: url.toString() });
		await admin.connect();
		try {
			await admin.query(`create role ${role} login`);
			await admin.query(`alter schema public owner to ${role}`);
			const asRole = new URL(url);
			asRole.username = role;
			asRole.password = "";
			const env = { DATABASE_URL: asRole.toString() };
			const refused = cpor(["migrate"], env);
			expect(refused.status).toBe(1);
			expect(refused.stderr).toMatch(
				/^cpor: permission denied for database \S+ \(in: CREATE SCHEMA/,
			);
			expect(refused.stderr).toMatch(/needs CREATE on its database/);
			expect(refused.stderr).not.toMatch(/\n\s+at /);
			// pg_trgm is a trusted extension: CREATE on the database is enough.
			await admin.query(`grant create on database ${database} to ${role}`);
			const applied = cpor(["migrate"], env);
			expect(applied.stderr).toBe("");
			expect(applied.status).toBe(0);
			const extension = await admin.query(
				"select extowner::regrole::text as owner from pg_extension where extname = 'pg_trgm'",
			);
			expect(extension.rows).toEqual([{ owner: role }]);
		} finally {
			await admin.query(`drop owned by ${role}`).catch(() => {});
			await admin.query(`drop role if exists ${role}`).catch(() => {});
			await admin.end();
		}
	});

	it("a missing file and a bad flag get clear errors, not stack traces", async () => {
		const missing = cpor(["import", "nope.json", "--data-dir", tmp()]);
		expect(missing.status).toBe(1);
		expect(missing.stderr).toMatch(/^cpor: Cannot read nope\.json/);
		const badPort = cpor(["serve", "--port", "http", "--data-dir", tmp()]);
		expect(badPort.status).toBe(1);
		expect(badPort.stderr).toMatch(/--port must be/);
		// Numbers are checked before a database is opened: nothing is created.
		for (const [args, message] of [
			[
				["worker", "--interval", "abc"],
				'--interval must be a whole number from 10 to 86400000, not "abc"',
			],
			[
				["worker", "--interval", "0"],
				"--interval must be a whole number from 10",
			],
			// Past 2^31 - 1 ms Node's timers fire at once: sweeps back to back.
			[
				["worker", "--interval", "3000000000"],
				'--interval must be a whole number from 10 to 86400000, not "3000000000"',
			],
			[
				["demo", "--claims", "-5"],
				'--claims must be a whole number ≥ 0, not "-5"',
			],
			[["demo", "--claims", "many"], "--claims must be a whole number"],
		] as [string[], string][]) {
			const dir = path.join(tmp(), "never-made");
			const run = cpor([...args, "--data-dir", dir]);
			expect(run.status, args.join(" ")).toBe(1);
			expect(run.stderr).toContain(message);
			expect(existsSync(dir)).toBe(false);
		}
		// A mistyped data directory is not made into a new database by vacuum or worker,
		// nor by an import whose file is bad; a file in the way is named.
		const typo = path.join(tmp(), "typo");
		for (const args of [["vacuum"], ["worker", "--once"]]) {
			const run = cpor([...args, "--data-dir", typo]);
			expect(run.status, args.join(" ")).toBe(1);
			expect(run.stderr).toContain(`No database in ${typo}`);
		}
		const badJson = path.join(tmp(), "bad.json");
		writeFileSync(badJson, "{bad");
		const badImport = cpor(["import", badJson, "--data-dir", typo]);
		expect(badImport.status).toBe(1);
		expect(badImport.stderr).toContain("the file is not valid JSON");
		expect(badImport.stderr).not.toContain(": :");
		expect(existsSync(typo)).toBe(false);
		const aFile = path.join(tmp(), "a-file");
		writeFileSync(aFile, "");
		const inTheWay = cpor(["migrate", "--data-dir", aFile]);
		expect(inTheWay.status).toBe(1);
		expect(inTheWay.stderr).toMatch(
			/a file is in the way\): choose another data directory/,
		);
		// A port in use is told before the database is made and the demo loaded.
		const taken = net.createServer();
		await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
		try {
			const { port } = taken.address() as net.AddressInfo;
			const busy = await new Promise<{ status: number | null; stderr: string }>(
				(resolve) => {
					const child = spawn(
						process.execPath,
						[
							"bin/cpor.js",
							"serve",
							"--demo",
							"--port",
							String(port),
							"--data-dir",
							typo,
						],
						{ env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "" } },
					);
					let stderr = "";
					child.stderr.on("data", (d: Buffer) => {
						stderr += d.toString("utf8");
					});
					child.on("exit", (status) => resolve({ status, stderr }));
				},
			);
			expect(busy.status).toBe(1);
			expect(busy.stderr).toContain(
				`127.0.0.1:${port} is in use by another program: stop it, or choose another port with --port or PORT.`,
			);
			expect(existsSync(typo)).toBe(false);
		} finally {
			taken.close();
		}
		// The first platform admin needs both settings.
		const half = cpor(["migrate", "--data-dir", typo], {
			CPOR_ADMIN_EMAIL: "admin@example.com",
		});
		expect(half.status).toBe(1);
		expect(half.stderr).toContain("CPOR_ADMIN_PASSWORD: set it too");
		expect(existsSync(typo)).toBe(false);
	});
});
