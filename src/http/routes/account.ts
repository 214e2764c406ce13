/** Sign-in, the current user, and API tokens (API.md "Authentication"). */
import { eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
	createApiToken,
	listApiTokens,
	login,
	logout,
	revokeApiToken,
	setUserLocale,
} from "../../auth/accounts.ts";
import { type Actor, ROLES } from "../../auth/actor.ts";
import type { AppContext } from "../../context.ts";
import { organizations, tenants } from "../../db/schema.ts";
import { LOCALES } from "../../domain/catalog.ts";
import { authorize, requireActor, SESSION_COOKIE } from "../auth-hooks.ts";
import { pageQuery } from "../page-query.ts";

/** Registers /auth/login, /auth/logout, /me and /api-tokens. */
export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.post(
			"/auth/login",
			{
				config: {
					skipCsrf: true,
					anonymous: true,
					rateLimit: { max: ctx.config.loginRateLimit, timeWindow: "1 minute" },
					// A wrong email or password; too many failed sign-ins (login-throttle.ts).
					problems: ["401", "429"],
				},
				schema: {
					tags: ["auth"],
					summary: "Sign in; sets an HttpOnly session cookie",
					body: z.object({
						email: z.string().trim().max(320),
						password: z.string().max(1000),
					}),
				},
			},
			async (req, reply) => {
				const s = await login(ctx, req.body.email, req.body.password, req.ip);
				reply.setCookie(SESSION_COOKIE, s.sessionToken, {
					httpOnly: true,
					sameSite: "lax",
					secure: ctx.config.secureCookies,
					path: "/",
					expires: s.expiresAt,
				});
				return { user: s.actor, csrfToken: s.csrfToken };
			},
		);

		app.post(
			"/auth/logout",
			{
				config: { skipCsrf: true, anonymous: true },
				schema: { tags: ["auth"], summary: "Sign out" },
			},
			async (req, reply) => {
				const cookie = req.cookies[SESSION_COOKIE];
				if (cookie) await logout(ctx, cookie);
				reply.clearCookie(SESSION_COOKIE, { path: "/" });
				return reply.status(204).send();
			},
		);

		/** GET /me's answer for `actor`. */
		const me = async (actor: Actor, csrfToken: string | null) => {
			const [org] = actor.organizationId
				? await ctx.db
						.select()
						.from(organizations)
						.where(eq(organizations.id, actor.organizationId))
				: [];
			const [tenant] = actor.tenantId
				? await ctx.db
						.select()
						.from(tenants)
						.where(eq(tenants.tenantId, actor.tenantId))
				: [];
			return {
				user: {
					id: actor.userId,
					name: actor.name,
					email: actor.email,
					locale: actor.locale ?? "en",
				},
				roles: actor.roles,
				kind: actor.kind,
				organization: org ? { id: org.id, name: org.name } : null,
				tenant: tenant
					? { tenantId: tenant.tenantId, name: tenant.name }
					: null,
				csrfToken,
				/** The server's current time (the sandbox clock in sandbox mode), for "overdue" and windows. */
				now: ctx.clock.now().toISOString(),
				/**
				 * The SLA lengths of SPEC section 5 as configured (CPOR_*_DAYS), for texts
				 * such as "a reviewer starts the review within N business days".
				 */
				deadlinePolicy: ctx.config.deadlines,
			};
		};

		app.get(
			"/me",
			{
				schema: {
					tags: ["auth"],
					summary:
						"The signed-in user, organization or tenant, roles and CSRF token",
				},
			},
			async (req) => me(requireActor(req), req.csrfToken),
		);

		app.patch(
			"/me",
			{
				schema: {
					tags: ["auth"],
					summary:
						"Set the signed-in user's language (the web app's and the email's); answers as GET /me",
					body: z.object({ locale: z.enum(LOCALES) }),
				},
			},
			async (req) => {
				const actor = requireActor(req);
				await setUserLocale(ctx, actor, req.body.locale);
				return me({ ...actor, locale: req.body.locale }, req.csrfToken);
			},
		);

		app.post(
			"/api-tokens",
			{
				schema: {
					tags: ["auth"],
					summary:
						"Create an API token (organization admins); the secret is shown once",
					body: z.object({
						name: z.string().trim().min(1).max(100),
						roles: z.array(z.enum(ROLES)).optional(),
					}),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "manageIntegrations");
				return reply
					.status(201)
					.send(await createApiToken(ctx, actor, req.body));
			},
		);

		app.get(
			"/api-tokens",
			{
				schema: {
					tags: ["auth"],
					summary:
						"Your API tokens, newest first, a page at a time (never their secrets)",
					querystring: pageQuery,
				},
			},
			async (req) => {
				const actor = authorize(req, "manageIntegrations");
				return listApiTokens(ctx, actor, req.query);
			},
		);

		app.delete(
			"/api-tokens/:id",
			{
				schema: {
					tags: ["auth"],
					summary: "Revoke an API token",
					params: z.object({ id: z.string().max(100) }),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "manageIntegrations");
				await revokeApiToken(ctx, actor, req.params.id);
				return reply.status(204).send();
			},
		);
	};
}
