/**
 * Authentication for every request: a session cookie (browser, with CSRF on writes) or
 * `Authorization: Bearer` (API tokens). Routes then ask for a capability (R-ROL-1..3).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { resolveApiToken, resolveSession } from "../auth/accounts.ts";
import {
	type Actor,
	type Capability,
	requireCapability,
} from "../auth/actor.ts";
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

/**
 * Registers the authentication and CSRF hooks. They run before the request's schema is
 * checked (`preValidation`), so that a request without a valid token or CSRF header is
 * told so, not what is wrong with a body it may not send.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
	app.decorateRequest("actor", null);
	app.decorateRequest("authVia", null);
	app.decorateRequest("csrfToken", null);
	app.addHook("preValidation", async (req) => {
		const auth = req.headers.authorization;
		// The scheme's name is case-insensitive (RFC 9110 section 11.1).
		if (auth && /^bearer /i.test(auth)) {
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
		/** A route of the API that answers without anyone signed in (sign-in, sign-out). */
		anonymous?: boolean;
		/**
		 * Error statuses the route answers besides those its options imply (the OpenAPI
		 * document lists them: openapi-problems.ts), e.g. a sign-in's 401.
		 */
		problems?: readonly string[];
	}
}

/**
 * Registers, on the API's routes, the answer `401 unauthenticated` to a request from
 * nobody signed in, before its schema is checked (a route marked `anonymous` excepted):
 * not a `422` that lists what is wrong with a body that could not be accepted anyway.
 */
export function registerSignInRequired(api: FastifyInstance): void {
	api.addHook("preValidation", async (req) => {
		if (!req.routeOptions.config?.anonymous) requireActor(req);
	});
}

/** True when `text` is valid JSON to `JSON.parse` (which knows no prototype poisoning). */
function parsesAsJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/**
 * Registers, on the API's routes, JSON as the only body type except where a route's
 * schema `consumes` another (PoE uploads and the directory import take multipart files,
 * the import CSV too): a text/plain or multipart body elsewhere gets `415
 * unsupported_media_type`, not a `422` saying a string is not an object. An empty
 * text/plain or application/json body (what some HTTP clients send with a POST that has
 * none) is no body. A JSON body with a `__proto__` key gets a 422 that names it.
 * A multipart body is refused after the sign-in check (401 first); a text/plain one
 * when it is read, before it.
 */
export function registerJsonOnly(api: FastifyInstance): void {
	// An empty body sent as JSON is no body (as an empty text/plain one is below), so that
	// actions whose body is optional (submit, approve, logout) take it; a route that needs
	// a body still says it is missing.
	const json = api.getDefaultJsonParser("error", "error");
	api.removeContentTypeParser("application/json");
	api.addContentTypeParser(
		"application/json",
		{ parseAs: "string" },
		(req, body, done) => {
			if (body === "") return done(null, undefined);
			void json(req, body as string, (err, value) => {
				if (err && parsesAsJson(body as string))
					// Valid JSON that the parser refused: a `__proto__` or
					// `constructor.prototype` key (prototype poisoning).
					return done(
						new DomainError(
							"validation_failed",
							"The body has a key named __proto__ (or constructor.prototype), which is not accepted: remove it.",
							[
								{
									path: "body",
									code: "forbidden_key",
									message: "No __proto__ or constructor.prototype keys.",
								},
							],
						),
						undefined,
					);
				done(err, value);
			});
		},
	);
	api.removeContentTypeParser("text/plain");
	api.addContentTypeParser(
		"text/plain",
		{ parseAs: "string" },
		(_req, body, done) => {
			if (body === "") return done(null, undefined);
			done(
				new DomainError(
					"unsupported_media_type",
					"Send the body as JSON (application/json), not as text/plain.",
				),
			);
		},
	);
	api.addHook("preValidation", async (req) => {
		const consumes = req.routeOptions.schema?.consumes as string[] | undefined;
		if (req.isMultipart() && !consumes?.includes("multipart/form-data"))
			throw new DomainError(
				"unsupported_media_type",
				"Send the body as JSON (application/json); multipart/form-data is for PoE uploads and the directory import.",
			);
	});
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
