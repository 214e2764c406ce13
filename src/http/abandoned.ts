/**
 * A request abandoned by its client: the connection closed before the answer was sent.
 */
import type { FastifyReply } from "fastify";

/**
 * An AbortSignal that aborts when `reply`'s connection closes before the answer was sent
 * (the user reloaded or left the page), for reads that can stop early
 * (src/db/cancellable.ts). Never aborts once the answer has been sent.
 */
export function abandonedSignal(reply: FastifyReply): AbortSignal {
	const abandoned = new AbortController();
	reply.raw.once("close", () => {
		if (!reply.raw.writableFinished) abandoned.abort();
	});
	return abandoned.signal;
}
