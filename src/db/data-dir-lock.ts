/**
 * One process at a time on an embedded database directory. PGlite keeps its page cache
 * and log in the process that opened the directory and takes no lock a second process
 * would see (its `postmaster.pid` holds a fixed number), so two processes on one
 * directory — `cpor import` or `cpor migrate` while `cpor serve` runs, or two servers —
 * would overwrite each other's pages. As PostgreSQL does with `postmaster.pid`, the
 * directory gets `cpor.pid` naming the process that holds it; a file left by a process
 * that is gone (a crash, a killed container) is taken over.
 *
 * A time-based lock (one refreshed by a timer, as the `proper-lockfile` package keeps)
 * does not fit: a long PGlite statement holds the event loop, the refresh comes late,
 * and another process would take the lock while this one still writes.
 */
import { readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/** The lock file in an embedded database directory. */
export const DATA_DIR_LOCK_FILE = "cpor.pid";

/** What the lock file holds. */
interface LockOwner {
	pid: number;
	host: string;
	/** ISO 8601 UTC. */
	since: string;
}

/**
 * The lock files this process holds, by resolved directory (a second open in this
 * process is refused too); removed when the process exits.
 */
const held = new Map<string, string>();
let exitHookSet = false;

function removeHeldOnExit(): void {
	if (exitHookSet) return;
	exitHookSet = true;
	process.on("exit", () => {
		for (const file of held.values()) {
			try {
				if (ownerOf(file)?.pid === process.pid) unlinkSync(file);
			} catch {
				// Already gone.
			}
		}
	});
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		// EPERM: it exists, under another user.
		return (err as NodeJS.ErrnoException).code === "EPERM";
	}
}

function ownerOf(file: string): LockOwner | null {
	try {
		const o = JSON.parse(readFileSync(file, "utf8")) as Partial<LockOwner>;
		return typeof o.pid === "number" && typeof o.host === "string"
			? { pid: o.pid, host: o.host, since: String(o.since ?? "") }
			: null;
	} catch {
		return null;
	}
}

/**
 * Takes the embedded database directory `dir` (which must exist) for this process, and
 * returns the function that gives it back (idempotent; also done when the process
 * exits).
 * @throws an Error that names the holder and says what to do, when another live process
 *   (or this one) holds it, or a process on another host does.
 */
export function lockDataDir(dir: string): () => void {
	const resolved = path.resolve(dir);
	const file = path.join(resolved, DATA_DIR_LOCK_FILE);
	const me: LockOwner = {
		pid: process.pid,
		host: hostname(),
		since: new Date().toISOString(),
	};
	const inUse = (o: LockOwner | null) =>
		new Error(
			`The embedded database in ${resolved} is in use by another CPOR process (${o ? `pid ${o.pid} on ${o.host}, since ${o.since}` : "starting now"}). ` +
				"Stop that process first; while a server runs, use its HTTP API (e.g. POST /api/v1/admin/directory/import) instead of a second command. " +
				`If no CPOR process uses this directory any more, delete ${file}.`,
		);
	if (held.has(resolved)) throw inUse(me);
	for (let attempt = 0; ; attempt++) {
		try {
			writeFileSync(file, JSON.stringify(me), { flag: "wx" });
			break;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
			// Another process took it over in between.
			if (attempt > 0) throw inUse(ownerOf(file));
		}
		const owner = ownerOf(file);
		// An unreadable file is a lock being written right now, or a torn one.
		if (!owner && Date.now() - statSync(file).mtimeMs < 5_000)
			throw inUse(null);
		const gone =
			!owner ||
			(owner.host === me.host &&
				// Our own pid in the file is a previous process's (held is checked above).
				(owner.pid === process.pid || !alive(owner.pid)));
		if (!gone) throw inUse(owner);
		unlinkSync(file);
	}
	held.set(resolved, file);
	removeHeldOnExit();
	let released = false;
	return () => {
		if (released) return;
		released = true;
		held.delete(resolved);
		try {
			if (ownerOf(file)?.pid === me.pid) unlinkSync(file);
		} catch {
			// Already gone.
		}
	};
}
