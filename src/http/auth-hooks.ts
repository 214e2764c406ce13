/**
 * Authentication for every request: a session cookie (browser, with CSRF on writes) or
 * `Authorization: Bearer` (API tokens). Routes then ask for a capability (R-ROL-1..3).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
	type Actor,
	type Capability,
	requireCapability,
} from "../auth/actor.ts";
import { resolveApiToken, resolveSession } from "../auth/accounts.ts";
import type { AppContext } from "../context.ts";
import { DomainError } from "../domain/errors.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "cpor_session";

declare module "fastify" {
	interface FastifyRequest {
		actor: Actor | null;
		authVia: "cookie" | "token" | null;
		csrfToken: string | null;
	}
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Registers the authentication and CSRF hooks. */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
	app.decorateRequest("actor", null);
	app.decorateRequest("authVia", null);
	app.decorateRequest("csrfToken", null);
	app.addHook("preHandler", async (req) => {
		const auth = req.headers.authorization;
		if (auth?.startsWith("Bearer ")) {
			const actor = await resolveApiToken(ctx, auth.slice(7).trim());
			if (!actor)
				throw new DomainError(
					"unauthenticated",
					"The API token is not valid or was revoked.",
				);
			req.actor = actor;
			req.authVia = "token";
			return;
		}
		const cookie = req.cookies?.[SESSION_COOKIE];
		if (!cookie) return;
		const session = await resolveSession(ctx, cookie);
		if (!session) return;
		req.actor = session.actor;
		req.authVia = "cookie";
		req.csrfToken = session.csrfToken;
		if (!SAFE.has(req.method) && !req.routeOptions.config?.skipCsrf) {
			if (req.headers["x-csrf-token"] !== session.csrfToken) {
				throw new DomainError(
					"forbidden",
					"Missing or wrong X-CSRF-Token header; read it from GET /api/v1/me.",
				);
			}
		}
	});
}

declare module "fastify" {
	interface FastifyContextConfig {
		skipCsrf?: boolean;
	}
}

/** The signed-in actor, or 401 `unauthenticated`. */
export function requireActor(req: FastifyRequest): Actor {
	if (!req.actor)
		throw new DomainError(
			"unauthenticated",
			"Sign in (POST /api/v1/auth/login) or send an API token.",
		);
	return req.actor;
}

/** The signed-in actor with the capability, or 401 / 403. */
export function authorize(req: FastifyRequest, capability: Capability): Actor {
	const actor = requireActor(req);
	requireCapability(actor, capability);
	return actor;
}
