/**
 * CPU time of process trees and of the whole machine, from Linux's /proc, for the
 * benchmarks' "where does a claim's CPU go" figures (server, PostgreSQL, load process).
 * Clock ticks are 10 ms (USER_HZ 100 on Linux), so a figure over a 15 s run of two
 * cores is good to ~0.3%.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Milliseconds per clock tick of /proc's CPU counters (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

/** One process: its parent and its CPU time so far (user + system, ms). */
interface ProcEntry {
	ppid: number;
	cpuMs: number;
}

/** A snapshot of every process's CPU time and of the machine's busy and total time. */
export interface CpuSnapshot {
	processes: Map<number, ProcEntry>;
	/** The machine's non-idle CPU time (ms, all cores). */
	busyMs: number;
	/** The machine's CPU time (ms, all cores). */
	totalMs: number;
}

/** Reads every process's CPU time and the machine's (/proc/stat). Linux only. */
export function cpuSnapshot(): CpuSnapshot {
	const processes = new Map<number, ProcEntry>();
	for (const name of readdirSync("/proc")) {
		if (!/^\d+$/.test(name)) continue;
		const entry = readProc(Number(name));
		if (entry) processes.set(Number(name), entry);
	}
	const cpu = (readFileSync("/proc/stat", "utf8").split("\n")[0] as string)
		.split(/\s+/)
		.slice(1, 9)
		.map(Number);
	const totalMs = cpu.reduce((a, b) => a + b, 0) * TICK_MS;
	const idleMs = ((cpu[3] ?? 0) + (cpu[4] ?? 0)) * TICK_MS; // idle + iowait
	return { processes, busyMs: totalMs - idleMs, totalMs };
}

/**
 * The CPU time (ms) that the tree of `root` (itself and its descendants, as of `after`)
 * used between two snapshots. Processes that ended in between are not counted.
 */
export function treeCpuMs(
	before: CpuSnapshot,
	after: CpuSnapshot,
	root: number,
): number {
	const children = new Map<number, number[]>();
	for (const [pid, p] of after.processes) {
		const list = children.get(p.ppid) ?? [];
		list.push(pid);
		children.set(p.ppid, list);
	}
	let ms = 0;
	const todo = [root];
	while (todo.length > 0) {
		const pid = todo.pop() as number;
		const now = after.processes.get(pid);
		if (now) ms += now.cpuMs - (before.processes.get(pid)?.cpuMs ?? 0);
		todo.push(...(children.get(pid) ?? []));
	}
	return ms;
}

/** The parent process ID of `pid`, or undefined when it is gone. */
export function parentPid(pid: number): number | undefined {
	return readProc(pid)?.ppid;
}

/** A process's parent and CPU time from /proc/<pid>/stat, or undefined when it is gone. */
function readProc(pid: number): ProcEntry | undefined {
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	} catch {
		return undefined;
	}
	// The fields after the command (which may hold spaces and parentheses), from the state.
	const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return {
		ppid: Number(f[1]),
		cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS,
	};
}
