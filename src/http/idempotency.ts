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

function requestHash(req: FastifyRequest, body: string): string {
	return createHash("sha256")
		.update(`${req.method} ${req.url}\n${body}`)
		.digest("hex");
}

/**
 * The body as JSON text, to hash. @throws `validation_failed` for a body nested too
 * deeply to write out again (thousands of levels: JSON.stringify runs out of stack).
 */
function bodyText(body: unknown): string {
	try {
		return JSON.stringify(body ?? null);
	} catch (err) {
		if (!(err instanceof RangeError)) throw err;
		throw new DomainError(
			"validation_failed",
			"The body is nested too deeply; send at most a few levels of objects and arrays.",
		);
	}
}

/** A finished earlier answer to replay (a row of `idempotency_keys`). */
type Prior = typeof idempotencyKeys.$inferSelect;

/**
 * Claims the request's Idempotency-Key for a request whose content hashes to `content`
 * (or what `content()` returns, called only when the request carries a key), or finds the finished answer of the same request to replay. Returns null when there is
 * no key (or it is now this request's: `req.idempotency` is set), else the prior answer.
 * @throws `validation_failed` for a key over 255 characters, `idempotency_key_reused`
 *   for a different request under the key, `idempotency_key_in_use` while it runs.
 */
export async function claimIdempotencyKey(
	ctx: AppContext,
	req: FastifyRequest,
	content: string | (() => string),
): Promise<Prior | null> {
	const key = req.headers["idempotency-key"];
	if (req.method !== "POST" || typeof key !== "string" || !key || !req.actor)
		return null;
	if (key.length > 255)
		throw new DomainError(
			"validation_failed",
			"Idempotency-Key is at most 255 characters.",
		);
	const principal = req.actor.userId ?? "anonymous";
	const hash = requestHash(
		req,
		typeof content === "string" ? content : content(),
	);
	const inserted = await ctx.db
		.insert(idempotencyKeys)
		.values({ principal, key, requestHash: hash, createdAt: new Date() })
		.onConflictDoNothing()
		.returning({ key: idempotencyKeys.key });
	if (inserted.length) {
		req.idempotency = { principal, key };
		return null;
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
	if (!prior) return null;
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
	return prior;
}

/** Sends the earlier answer again, marked `idempotent-replayed: true`. */
export function sendReplay(reply: FastifyReply, prior: Prior): FastifyReply {
	const headers = (prior.responseHeaders ?? {}) as Record<string, string>;
	for (const [h, v] of Object.entries(headers)) reply.header(h, v);
	reply.header("idempotent-replayed", "true");
	return reply.status(prior.statusCode ?? 200).send(prior.responseBody ?? "");
}

/**
 * Registers the hooks. Must run after authentication (the principal is the user or
 * token). Answers `409 idempotency_key_in_use` while the first request is still
 * running and `422 idempotency_key_reused` for a different request under the same key.
 * A multipart upload is left to its route, which knows its file only once it has read
 * it: two uploads under one key with different files are different requests.
 */
export function registerIdempotency(
	app: FastifyInstance,
	ctx: AppContext,
): void {
	app.addHook(
		"preHandler",
		async (req: FastifyRequest, reply: FastifyReply) => {
			if (req.isMultipart()) return;
			const prior = await claimIdempotencyKey(ctx, req, () =>
				bodyText(req.body),
			);
			if (prior) return sendReplay(reply, prior);
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
