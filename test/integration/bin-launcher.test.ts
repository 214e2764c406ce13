/**
 * bin/cpor.js chooses what to run: the server bundle dist/server/main.mjs while it is
 * newer than every file in src/ and scripts/build-server.mjs, else the TypeScript sources
 * through tsx, so an edited source file is never shadowed by an old bundle (an old bundle
 * silently served stale code during a benchmark in session 5). The launcher is copied into
 * a scratch checkout whose bundle and sources each print which one ran.
 */
import { execFile } from "node:child_process";
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	rmSync,
	symlinkSync,
	utimesSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

describe("bin/cpor.js: bundle or sources", () => {
	let dir: string;
	const file = (relative: string) => path.join(dir, relative);
	/** Sets a file's modification time to `secondsAgo` before now. */
	const age = (relative: string, secondsAgo: number) => {
		const t = new Date(Date.now() - secondsAgo * 1000);
		utimesSync(file(relative), t, t);
	};
	const launch = async (env: Record<string, string> = {}) => {
		const { stdout } = await run(process.execPath, [file("bin/cpor.js")], {
			env: { ...process.env, CPOR_FROM_SOURCE: "", ...env },
		});
		return stdout.trim();
	};

	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), "cpor-launcher-"));
		mkdirSync(file("bin"));
		cpSync(path.join(ROOT, "bin/cpor.js"), file("bin/cpor.js"));
		writeFileSync(file("package.json"), '{ "type": "module" }\n');
		// tsx is resolved from the checkout's node_modules, as in a real install.
		symlinkSync(path.join(ROOT, "node_modules"), file("node_modules"), "dir");
		mkdirSync(file("scripts"));
		writeFileSync(file("scripts/build-server.mjs"), "// build\n");
		mkdirSync(file("src/cli"), { recursive: true });
		writeFileSync(
			file("src/cli/main.ts"),
			'const from: string = "sources";\nconsole.log(from);\n',
		);
		writeFileSync(file("src/cli/other.ts"), "export {};\n");
		mkdirSync(file("dist/server"), { recursive: true });
		writeFileSync(file("dist/server/main.mjs"), 'console.log("bundle");\n');
	});
	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("runs the bundle when it is newer than every source file", async () => {
		age("scripts/build-server.mjs", 60);
		age("src/cli/main.ts", 60);
		age("src/cli/other.ts", 60);
		// Directories count too: adding or removing a file changes theirs.
		age("src/cli", 60);
		age("dist/server/main.mjs", 10);
		expect(await launch()).toBe("bundle");
	});

	it("runs the sources when any source file is newer than the bundle", async () => {
		age("src/cli/other.ts", 1);
		expect(await launch()).toBe("sources");
		age("src/cli/other.ts", 60);
		age("scripts/build-server.mjs", 1);
		expect(await launch()).toBe("sources");
		age("scripts/build-server.mjs", 60);
		writeFileSync(file("src/cli/added.ts"), "export {};\n");
		age("src/cli/added.ts", 60);
		expect(await launch()).toBe("sources");
		age("src/cli", 60);
		expect(await launch()).toBe("bundle");
	});

	it("runs the sources with CPOR_FROM_SOURCE=1 or without a bundle", async () => {
		expect(await launch({ CPOR_FROM_SOURCE: "1" })).toBe("sources");
		rmSync(file("dist/server/main.mjs"));
		expect(await launch()).toBe("sources");
	});
});
