/**
 * The dev mailbox (R-NTF-1): email deliveries as stored in `deliveries`, for platform
 * admins. Without SMTP_URL every message stays here (`outcome: kept`), so a demo user
 * can read the consent notice and follow its link.
 */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { deliveries } from "../../db/schema.ts";
import { notFound } from "../../domain/errors.ts";
import { PAGE_HEADERS } from "../../notifications/pages.ts";
import { authorize } from "../auth-hooks.ts";

type Row = typeof deliveries.$inferSelect;

function summary(r: Row) {
	return {
		id: String(r.id),
		to: r.target,
		subject: r.subject,
		locale: r.locale,
		kind: ((r.payload as { kind?: string } | null)?.kind ?? null) as
			| string
			| null,
		eventType: r.eventType,
		claimId: r.claimId,
		outcome: r.outcome ?? "pending",
		attempts: r.attempts,
		lastError: r.lastError,
		createdAt: r.createdAt.toISOString(),
		deliveredAt: r.deliveredAt?.toISOString() ?? null,
	};
}

const idParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });

/** Registers GET /admin/mailbox and GET /admin/mailbox/{id}. */
export function mailboxRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/admin/mailbox",
			{
				schema: {
					tags: ["admin"],
					summary:
						"The dev mailbox: email notifications, newest first (filter `to`)",
					querystring: z.object({
						to: z.string().trim().max(320).optional(),
						limit: z.coerce.number().int().min(1).max(200).default(50),
						cursor: z
							.string()
							.regex(/^\d{1,18}$/)
							.optional(),
					}),
				},
			},
			async (req) => {
				authorize(req, "administer");
				const q = req.query as { to?: string; limit: number; cursor?: string };
				const where: SQL[] = [eq(deliveries.channel, "email")];
				if (q.to) where.push(eq(deliveries.target, q.to.toLowerCase()));
				if (q.cursor) where.push(lt(deliveries.id, Number(q.cursor)));
				const rows = await ctx.db
					.select()
					.from(deliveries)
					.where(and(...where))
					.orderBy(desc(deliveries.id))
					.limit(q.limit + 1);
				const page = rows.slice(0, q.limit);
				return {
					items: page.map(summary),
					nextCursor:
						rows.length > q.limit ? String(page[page.length - 1]?.id) : null,
				};
			},
		);

		app.get(
			"/admin/mailbox/:id",
			{
				schema: {
					tags: ["admin"],
					summary:
						"One message with its text and HTML (`format=html` or `format=text` returns just that body)",
					params: idParams,
					querystring: z.object({
						format: z.enum(["json", "html", "text"]).default("json"),
					}),
				},
			},
			async (req, reply) => {
				authorize(req, "administer");
				const { id } = req.params as { id: string };
				const { format } = req.query as { format: "json" | "html" | "text" };
				const [row] = await ctx.db
					.select()
					.from(deliveries)
					.where(
						and(eq(deliveries.id, Number(id)), eq(deliveries.channel, "email")),
					);
				if (!row) throw notFound("message");
				if (format === "html")
					return reply
						.headers({
							...PAGE_HEADERS,
							"content-security-policy":
								"default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
						})
						.send(row.bodyHtml ?? "");
				if (format === "text")
					return reply
						.type("text/plain; charset=utf-8")
						.send(row.bodyText ?? "");
				return { ...summary(row), text: row.bodyText, html: row.bodyHtml };
			},
		);
	};
}
