/**
 * The server bundle that the benchmarks' `node bin/cpor.js` children run. bin/cpor.js
 * runs dist/server/ only while it is newer than every file in src/, else the TypeScript
 * sources through tsx, which costs ~1 s of start-up and ~80 MB per process: a benchmark
 * run after an edit (or a `git stash`, which touches the files) measured that instead
 * of the product (docs/performance.md, session 19).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

/** Builds dist/server/ (scripts/build-server.mjs, ~1–2 s); throws when the build fails. */
export function buildServerBundle(): void {
	execFileSync(
		process.execPath,
		[path.join(import.meta.dirname, "..", "scripts", "build-server.mjs")],
		{ stdio: ["ignore", "ignore", "inherit"] },
	);
}
