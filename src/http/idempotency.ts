/**
 * Idempotency keys (API.md): a POST with `Idempotency-Key` is done once; a retry with
 * the same key and the same request replays the first answer. The key is claimed with
 * an INSERT before the work, so two concurrent retries cannot both run.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.ts";
import { idempotencyKeys } from "../db/schema.ts";
import { DomainError } from "../domain/errors.ts";

declare module "fastify" {
	interface FastifyRequest {
		idempotency?: { principal: string; key: string };
	}
}

function requestHash(req: FastifyRequest): string {
	const body = req.isMultipart()
		? "multipart"
		: JSON.stringify(req.body ?? null);
	return createHash("sha256")
		.update(`${req.method} ${req.url}\n${body}`)
		.digest("hex");
}

/**
 * Registers the hooks. Must run after authentication (the principal is the user or
 * token). Answers `409 idempotency_key_in_use` while the first request is still
 * running and `422 idempotency_key_reused` for a different request under the same key.
 */
export function registerIdempotency(
	app: FastifyInstance,
	ctx: AppContext,
): void {
	app.addHook(
		"preHandler",
		async (req: FastifyRequest, reply: FastifyReply) => {
			const key = req.headers["idempotency-key"];
			if (
				req.method !== "POST" ||
				typeof key !== "string" ||
				!key ||
				!req.actor
			)
				return;
			if (key.length > 255)
				throw new DomainError(
					"validation_failed",
					"Idempotency-Key is at most 255 characters.",
				);
			const principal = req.actor.userId ?? "anonymous";
			const hash = requestHash(req);
			const inserted = await ctx.db
				.insert(idempotencyKeys)
				.values({ principal, key, requestHash: hash, createdAt: new Date() })
				.onConflictDoNothing()
				.returning({ key: idempotencyKeys.key });
			if (inserted.length) {
				req.idempotency = { principal, key };
				return;
			}
			const [prior] = await ctx.db
				.select()
				.from(idempotencyKeys)
				.where(
					and(
						eq(idempotencyKeys.principal, principal),
						eq(idempotencyKeys.key, key),
					),
				);
			if (!prior) return;
			if (prior.requestHash !== hash) {
				throw new DomainError(
					"idempotency_key_reused",
					"This Idempotency-Key was used for a different request; use a new key.",
				);
			}
			if (prior.statusCode == null) {
				throw new DomainError(
					"idempotency_key_in_use",
					"A request with this Idempotency-Key is still being processed; retry shortly.",
				);
			}
			const headers = (prior.responseHeaders ?? {}) as Record<string, string>;
			for (const [h, v] of Object.entries(headers)) reply.header(h, v);
			reply.header("idempotent-replayed", "true");
			return reply.status(prior.statusCode).send(prior.responseBody ?? "");
		},
	);

	app.addHook("onSend", async (req, reply, payload) => {
		const idem = req.idempotency;
		if (!idem) return payload;
		const where = and(
			eq(idempotencyKeys.principal, idem.principal),
			eq(idempotencyKeys.key, idem.key),
		);
		if (reply.statusCode >= 500) {
			await ctx.db.delete(idempotencyKeys).where(where);
			return payload;
		}
		const keep = ["content-type", "etag", "location"];
		const headers: Record<string, string> = {};
		for (const h of keep) {
			const v = reply.getHeader(h);
			if (v !== undefined) headers[h] = String(v);
		}
		await ctx.db
			.update(idempotencyKeys)
			.set({
				statusCode: reply.statusCode,
				responseBody: typeof payload === "string" ? payload : "",
				responseHeaders: headers,
			})
			.where(where);
		return payload;
	});
}
