/**
 * Keeps a benchmark's last result in the repository: with `--record` on the command line
 * (the `npm run bench*` scripts pass it), `recordResult` writes docs/bench/<name>.json
 * with the machine it ran on (CPUs, memory, OS, Node), the commit and the time, beside
 * the curated figures of docs/performance.md. Without `--record` it does nothing, so a
 * run while developing leaves the docs alone.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where recorded results go (relative to the repository root). */
export const RESULTS_DIR = path.join(
	import.meta.dirname,
	"..",
	"docs",
	"bench",
);

/** The machine, as recorded with each result. */
export function machineDescription() {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		cpuModel: cpus[0]?.model.trim() ?? "unknown",
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
	};
}

/**
 * The commit the benchmark ran on, `-dirty` when tracked files outside docs/ had
 * changes: docs/bench/ changes as a benchmark that records two results (the write path
 * over TCP and then over the socket) writes the first, and the other docs cannot change
 * a result, so editing them during a run does not mark it; null outside git.
 */
function commit(): string | null {
	const git = (...args: string[]) =>
		execFileSync("git", args, {
			cwd: path.join(import.meta.dirname, ".."),
			encoding: "utf8",
			stdio: ["ignore", "pipe", "ignore"],
		}).trim();
	try {
		const head = git("rev-parse", "--short", "HEAD");
		return git(
			"status",
			"--porcelain",
			"--untracked-files=no",
			"--",
			".",
			":(exclude)docs",
		)
			? `${head}-dirty`
			: head;
	} catch {
		return null;
	}
}

/**
 * Writes `result` to docs/bench/<name>.json when the process was started with
 * `--record`. Returns the file written, or null. `name` is a file name stem such as
 * `write-path-tcp`.
 */
export function recordResult(name: string, result: unknown): string | null {
	if (!process.argv.includes("--record")) return null;
	if (!/^[a-z0-9-]+$/.test(name))
		throw new Error(`bench result name "${name}": use a-z, 0-9 and -`);
	mkdirSync(RESULTS_DIR, { recursive: true });
	const file = path.join(RESULTS_DIR, `${name}.json`);
	writeFileSync(
		file,
		`${JSON.stringify(
			{
				benchmark: name,
				recordedAt: new Date().toISOString(),
				commit: commit(),
				command:
					`npx tsx ${path.relative(process.cwd(), process.argv[1] ?? "")} ${process.argv.slice(2).join(" ")}`.trim(),
				machine: machineDescription(),
				result,
			},
			null,
			2,
		)}\n`,
	);
	process.stderr.write(`recorded ${path.relative(process.cwd(), file)}\n`);
	return file;
}
