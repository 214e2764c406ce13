/**
 * The sandbox's dev mailbox page (R-NTF-1): with `--sandbox` and no SMTP_URL, every
 * email stays in `deliveries`; this page lists them and shows each one as its recipient
 * would see it, so a demo user can read the consent notice and click its opt-out link.
 * Registered only in sandbox mode without SMTP (like MailHog in a dev setup): it needs
 * no sign-in, so it must never run against real customers.
 */
import { and, desc, eq } from "drizzle-orm";
import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../../context.ts";
import { deliveries } from "../../db/schema.ts";
import { escapeHtml } from "../../notifications/render.ts";

const STYLE = `body{margin:0;padding:24px;background:#f5f5f5;font-family:'Segoe UI',Arial,sans-serif;color:#242424}
main{max-width:960px;margin:0 auto;background:#fff;padding:24px 28px;border-radius:6px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #e0e0e0;font-size:14px}
a{color:#0f6cbd}iframe{width:100%;height:70vh;border:1px solid #e0e0e0}.meta{color:#616161;font-size:14px}`;

function page(title: string, body: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · CPOR dev mailbox</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** Registers GET /dev/mailbox and GET /dev/mailbox/{id} (HTML). */
export function devMailboxPage(ctx: AppContext): FastifyPluginAsync {
	return async (app) => {
		app.get("/dev/mailbox", { schema: { hide: true } }, async (req, reply) => {
			const to = String((req.query as { to?: string }).to ?? "")
				.trim()
				.toLowerCase();
			const rows = await ctx.db
				.select()
				.from(deliveries)
				.where(
					to
						? and(eq(deliveries.channel, "email"), eq(deliveries.target, to))
						: eq(deliveries.channel, "email"),
				)
				.orderBy(desc(deliveries.id))
				.limit(200);
			const items = rows
				.map(
					(r) =>
						`<tr><td>${escapeHtml(r.createdAt.toISOString().replace("T", " ").slice(0, 19))}</td><td><a href="/dev/mailbox?to=${encodeURIComponent(r.target)}">${escapeHtml(r.target)}</a></td><td><a href="/dev/mailbox/${r.id}">${escapeHtml(r.subject ?? "(no subject)")}</a></td><td>${escapeHtml(r.locale)}</td></tr>`,
				)
				.join("");
			const body = rows.length
				? `<table><thead><tr><th>Time (UTC)</th><th>To</th><th>Subject</th><th>Language</th></tr></thead><tbody>${items}</tbody></table>`
				: `<p>No messages yet. Messages appear here when claims are submitted, reviewed, approved (the customer's consent notice) or rejected; the timers and deliveries run every second, or when the platform admin moves the sandbox clock.</p>`;
			return reply
				.type("text/html; charset=utf-8")
				.header("cache-control", "no-store")
				.send(
					page(
						"Mailbox",
						`<h1>Dev mailbox${to ? ` for ${escapeHtml(to)}` : ""}</h1><p class="meta">Email is not sent (no SMTP_URL); it is kept here. ${to ? '<a href="/dev/mailbox">All messages</a>' : `${rows.length} newest messages.`}</p>${body}`,
					),
				);
		});

		app.get(
			"/dev/mailbox/:id",
			{ schema: { hide: true } },
			async (req, reply) => {
				const id = Number((req.params as { id: string }).id);
				const [r] = Number.isSafeInteger(id)
					? await ctx.db
							.select()
							.from(deliveries)
							.where(
								and(eq(deliveries.id, id), eq(deliveries.channel, "email")),
							)
					: [];
				if (!r) {
					return reply
						.status(404)
						.type("text/html; charset=utf-8")
						.send(
							page(
								"Not found",
								`<h1>No such message</h1><p><a href="/dev/mailbox">Back to the mailbox</a></p>`,
							),
						);
				}
				return reply
					.type("text/html; charset=utf-8")
					.header("cache-control", "no-store")
					.send(
						page(
							r.subject ?? "Message",
							`<p><a href="/dev/mailbox">← Mailbox</a></p><h1>${escapeHtml(r.subject ?? "(no subject)")}</h1><p class="meta">To ${escapeHtml(r.target)} · ${escapeHtml(r.createdAt.toISOString())} · ${escapeHtml(r.locale)}</p><iframe title="Message" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(r.bodyHtml ?? `<pre>${escapeHtml(r.bodyText ?? "")}</pre>`)}"></iframe>`,
						),
					);
			},
		);
	};
}
