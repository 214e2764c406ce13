/** Customer admin routes (R-ROL-3, R-CON-2). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listCustomerAssociations } from "../../consent/list-associations.ts";
import { optOut } from "../../consent/opt-out.ts";
import type { AppContext } from "../../context.ts";
import { consentLinkActor } from "../../notifications/consent-opt-out.ts";
import { authorize } from "../auth-hooks.ts";
import { sendClaim } from "./claims.ts";

/** Registers /customer/associations and the opt-out. */
export function customerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/customer/associations",
			{
				schema: { tags: ["customer"], summary: "Associations on your tenant" },
			},
			async (req) => {
				const actor = authorize(req, "customer");
				return { items: await listCustomerAssociations(ctx, actor) };
			},
		);

		app.post(
			"/customer/associations/:claimId/opt-out",
			{
				// The signed link's token stands in for a session (checked in the handler):
				// 401 without either, 403 for a session of another role.
				config: { anonymous: true, problems: ["401", "403"] },
				// A POST without a body is `{}` (the comment is optional).
				preValidation: async (req) => {
					req.body ??= {};
				},
				schema: {
					tags: ["customer"],
					summary:
						"Opt out during the consent window (R-CON-2): as the tenant's customer admin, or with the signed link's token (?token=…)",
					params: z.object({ claimId: z.string().min(1).max(100) }),
					querystring: z.object({
						// A wrong token is a 401 (checked in the handler); one over 2,000
						// characters is no token at all (422).
						token: z.string().max(2000).optional(),
					}),
					body: z
						.object({ comment: z.string().trim().max(2000).optional() })
						.default({}),
				},
			},
			async (req, reply) => {
				const token = req.query.token;
				const actor = token
					? await consentLinkActor(ctx, token, req.params.claimId)
					: authorize(req, "customer");
				const body = (req.body ?? {}) as { comment?: string };
				return sendClaim(
					reply,
					await optOut(ctx, {
						actor,
						claimId: req.params.claimId,
						comment: body.comment,
					}),
				);
			},
		);
	};
}
