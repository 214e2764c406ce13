/**
 * Where the steps of `cpor simulate` run: in the simulation's own thread, or spread over
 * worker threads that each hold their own PostgreSQL pool (JavaScript of the use cases,
 * Drizzle and the driver then use more than one core). Either way a step is a call of
 * {@link performOp}; which thread runs it changes nothing in its outcome.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import { RUNNING_FROM_BUNDLE } from "../paths.ts";
import { performOp, type SimOp, type SimOpResult } from "./operations.ts";

/** Runs simulation steps. */
export interface SimExecutor {
	/** Worker threads running the steps (0: the simulation's own thread). */
	readonly workers: number;
	run(op: SimOp): Promise<SimOpResult>;
	close(): Promise<void>;
}

/** Runs the steps in this thread on `ctx`. */
export function localExecutor(ctx: AppContext): SimExecutor {
	return {
		workers: 0,
		run: (op) => performOp(ctx, op),
		close: async () => {},
	};
}

/** What a worker thread needs to build its context (plain data). */
export interface WorkerInit {
	databaseUrl: string;
	poolSize: number;
	config: Config;
	documentsDir: string;
}

/** A step's outcome as a worker sends it back: the result, or a fatal error's stack. */
export type WorkerReply =
	| { id: number; result: SimOpResult }
	| { id: number; error: string };

/** Messages to a worker: steps (batched per event-loop turn), or close. */
export type ToWorker =
	| { type: "ops"; ops: { id: number; op: SimOp }[] }
	| { type: "close" };

/** Messages from a worker: ready (or failed to start), replies (batched), closed. */
export type FromWorker =
	| { type: "ready" }
	| { type: "failed"; error: string }
	| { type: "replies"; replies: WorkerReply[] }
	| { type: "closed" };

interface Pending {
	resolve: (r: SimOpResult) => void;
	reject: (e: Error) => void;
}

/**
 * The worker thread's entry: from the server bundle, its `worker.mjs` beside this chunk;
 * from the TypeScript sources, `worker.ts` after registering tsx (as bin/cpor.js does
 * for the main thread).
 */
function bootstrap(): string {
	if (RUNNING_FROM_BUNDLE)
		return `import(${JSON.stringify(new URL("./worker.mjs", import.meta.url).href)});`;
	const loader = createRequire(import.meta.url).resolve("tsx");
	const api = pathToFileURL(
		loader.replace(/loader\.mjs$/, "esm/api/index.mjs"),
	).href;
	const entry = new URL("./worker.ts", import.meta.url).href;
	return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * Starts `workers` threads, each with a pool of `init.poolSize` connections, and waits
 * until all have connected. Each step goes to the thread with the fewest steps in flight.
 * Steps and replies travel in batches, one message per thread and event-loop turn (a
 * message wakes the other thread: measured at ~0.1 ms of CPU each on this 2-core VM).
 */
export async function startWorkerExecutor(
	workers: number,
	init: WorkerInit,
): Promise<SimExecutor> {
	const code = bootstrap();
	let nextId = 0;
	let fatal: Error | undefined;
	const threads = Array.from({ length: workers }, () => {
		const worker = new Worker(code, {
			eval: true,
			workerData: init,
			// A larger young generation: fewer scavenges of the many short-lived objects
			// (query builders, rows, claim views) a step makes.
			resourceLimits: { maxYoungGenerationSizeMb: 64 },
		});
		const pending = new Map<number, Pending>();
		const thread = {
			worker,
			pending,
			outbox: [] as { id: number; op: SimOp }[],
			ready: new Promise<void>((resolve, reject) => {
				worker.on("message", (m: FromWorker) => {
					if (m.type === "ready") resolve();
					else if (m.type === "failed") reject(new Error(m.error));
					else if (m.type === "replies")
						for (const r of m.replies) {
							const p = pending.get(r.id);
							pending.delete(r.id);
							if ("result" in r) p?.resolve(r.result);
							else p?.reject(new Error(r.error));
						}
				});
				const fail = (err: Error) => {
					fatal ??= err;
					reject(err);
					for (const p of pending.values()) p.reject(err);
					pending.clear();
				};
				worker.on("error", fail);
				worker.on("exit", (code) => {
					if (code !== 0)
						fail(new Error(`A simulation worker thread exited with ${code}.`));
				});
			}),
		};
		return thread;
	});
	try {
		await Promise.all(threads.map((t) => t.ready));
	} catch (err) {
		await Promise.all(threads.map((t) => t.worker.terminate()));
		throw err;
	}
	return {
		workers,
		run(op) {
			if (fatal) return Promise.reject(fatal);
			let best = threads[0] as (typeof threads)[number];
			for (const t of threads) if (t.pending.size < best.pending.size) best = t;
			const id = nextId++;
			const thread = best;
			return new Promise<SimOpResult>((resolve, reject) => {
				thread.pending.set(id, { resolve, reject });
				if (thread.outbox.push({ id, op }) === 1)
					setImmediate(() => {
						const ops = thread.outbox;
						thread.outbox = [];
						thread.worker.postMessage({ type: "ops", ops } satisfies ToWorker);
					});
			});
		},
		async close() {
			await Promise.all(
				threads.map(
					(t) =>
						new Promise<void>((resolve) => {
							const timer = setTimeout(() => resolve(), 10_000);
							t.worker.once("exit", () => {
								clearTimeout(timer);
								resolve();
							});
							t.worker.on("message", (m: FromWorker) => {
								if (m.type === "closed") void t.worker.terminate();
							});
							t.worker.postMessage({ type: "close" } satisfies ToWorker);
						}),
				),
			);
			await Promise.all(threads.map((t) => t.worker.terminate()));
		},
	};
}
