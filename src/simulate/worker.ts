/**
 * A worker thread of `cpor simulate --workers N` (see executor.ts): opens its own
 * PostgreSQL pool, builds a context like the main thread's, and runs the steps it is
 * sent with the real use cases ({@link performOp}).
 */

import { parentPort, workerData } from "node:worker_threads";
import { createContext } from "../context.ts";
import { loadStoredCalendar } from "../db/stored-calendar.ts";
import { systemClock } from "../domain/clock.ts";
import { openSimulationDatabase } from "./database.ts";
import { SimulationDocumentStore } from "./document-store.ts";
import type {
	FromWorker,
	ToWorker,
	WorkerInit,
	WorkerReply,
} from "./executor.ts";
import { performOp } from "./operations.ts";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread only");
const init = workerData as WorkerInit;
try {
	const database = await openSimulationDatabase(
		init.databaseUrl,
		init.poolSize,
	);
	const ctx = {
		...createContext({
			db: database.db,
			dbKind: "postgres",
			clock: systemClock,
			config: init.config,
		}),
		documents: new SimulationDocumentStore(
			init.documentsDir,
			init.config.maxUploadBytes,
		),
	};
	// The business calendar an admin set on this database, as the main thread uses.
	await loadStoredCalendar(ctx);
	const send = (m: FromWorker) => port.postMessage(m);
	/** Replies go back in batches, one message per event-loop turn. */
	let replies: WorkerReply[] = [];
	const reply = (r: WorkerReply) => {
		if (replies.push(r) === 1)
			setImmediate(() => {
				const batch = replies;
				replies = [];
				send({ type: "replies", replies: batch });
			});
	};
	port.on("message", (m: ToWorker) => {
		if (m.type === "close") {
			void database.close().finally(() => send({ type: "closed" }));
			return;
		}
		for (const { id, op } of m.ops)
			performOp(ctx, op).then(
				(result) => reply({ id, result }),
				(err: unknown) =>
					reply({
						id,
						error:
							err instanceof Error ? (err.stack ?? err.message) : String(err),
					}),
			);
	});
	send({ type: "ready" });
} catch (err) {
	port.postMessage({
		type: "failed",
		error: err instanceof Error ? err.message : String(err),
	} satisfies FromWorker);
}
