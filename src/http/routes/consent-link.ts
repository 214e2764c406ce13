/**
 * The public pages of the consent notice's signed link (R-CON-1, R-CON-2), outside
 * /api/v1 and without a session: GET shows what the customer would opt out of, the
 * form POSTs the token back and opts out. No CSRF token is needed (the signed token is
 * the authority); a bad, expired or used link gets a clear page and changes nothing.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import {
	inspectConsentLink,
	type LinkState,
	optOutWithLink,
} from "../../notifications/consent-opt-out.ts";
import { OPT_OUT_PATH } from "../../notifications/consent-url.ts";
import { fromAcceptLanguage } from "../../notifications/i18n.ts";
import { PAGE_HEADERS, renderConsentPage } from "../../notifications/pages.ts";

const RATE_LIMIT = { rateLimit: { max: 60, timeWindow: "1 minute" } };

function tokenOf(source: unknown): string | undefined {
	const t = (source as { token?: unknown } | null | undefined)?.token;
	return typeof t === "string" ? t : undefined;
}

function sendPage(
	ctx: AppContext,
	req: FastifyRequest,
	reply: FastifyReply,
	state: LinkState,
	token?: string,
) {
	const locale =
		state.locale ?? fromAcceptLanguage(req.headers["accept-language"]) ?? "en";
	return reply
		.status(state.status)
		.headers(PAGE_HEADERS)
		.send(
			renderConsentPage(state.page, {
				locale,
				timeZone: ctx.calendar.timeZone,
				facts: state.facts,
				...(token ? { token } : {}),
			}),
		);
}

/** Registers GET and POST /consent/opt-out. */
export function consentLinkRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		// The page's form posts application/x-www-form-urlencoded (this plugin only).
		app.addContentTypeParser(
			"application/x-www-form-urlencoded",
			{ parseAs: "string", bodyLimit: 16 * 1024 },
			(_req, body, done) =>
				done(null, Object.fromEntries(new URLSearchParams(String(body)))),
		);

		app.get(
			OPT_OUT_PATH,
			{ schema: { hide: true }, config: RATE_LIMIT },
			async (req, reply) => {
				const token = tokenOf(req.query);
				const state = await inspectConsentLink(ctx, token);
				return sendPage(ctx, req, reply, state, token);
			},
		);

		app.post(
			OPT_OUT_PATH,
			{ schema: { hide: true }, config: { ...RATE_LIMIT, skipCsrf: true } },
			async (req, reply) => {
				const token = tokenOf(req.body) ?? tokenOf(req.query);
				const state = await optOutWithLink(ctx, token);
				return sendPage(ctx, req, reply, state);
			},
		);
	};
}
