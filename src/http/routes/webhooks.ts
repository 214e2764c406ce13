/** Webhook subscriptions (API.md `/webhooks`, "Events"; R-NTF-1): partner admins. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { EVENT_TYPES } from "../../claims/history.ts";
import type { AppContext } from "../../context.ts";
import {
	createWebhook,
	deleteWebhook,
	listWebhooks,
} from "../../webhooks/subscriptions.ts";
import { authorize } from "../auth-hooks.ts";
import { pageQuery } from "../page-query.ts";

/** Registers POST/GET /webhooks and DELETE /webhooks/{id}. */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.post(
			"/webhooks",
			{
				schema: {
					tags: ["webhooks"],
					summary:
						"Subscribe the organization to events (partner admins); the signing secret is shown once",
					body: z.object({
						url: z
							.url({
								protocol: /^https?$/,
								error: "Must be an absolute http(s) URL.",
							})
							.max(2000),
						eventTypes: z
							.array(z.enum(EVENT_TYPES))
							.max(EVENT_TYPES.length * 2)
							.optional()
							.describe("Event types to receive; all when omitted or empty"),
						description: z
							.string()
							.trim()
							.max(500)
							.optional()
							.describe("Accepted for compatibility; not stored yet"),
					}),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "manageIntegrations");
				return reply.status(201).send(
					await createWebhook(ctx, actor, {
						url: req.body.url,
						eventTypes: req.body.eventTypes,
					}),
				);
			},
		);

		app.get(
			"/webhooks",
			{
				schema: {
					tags: ["webhooks"],
					summary:
						"The organization's webhook subscriptions, newest first, a page at a time (never their secrets)",
					querystring: pageQuery,
				},
			},
			async (req) => {
				const actor = authorize(req, "manageIntegrations");
				return listWebhooks(ctx, actor, req.query);
			},
		);

		app.delete(
			"/webhooks/:id",
			{
				schema: {
					tags: ["webhooks"],
					summary:
						"Delete a webhook subscription; its unsent deliveries are dropped",
					params: z.object({ id: z.string().max(100) }),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "manageIntegrations");
				await deleteWebhook(ctx, actor, req.params.id);
				return reply.status(204).send();
			},
		);
	};
}
