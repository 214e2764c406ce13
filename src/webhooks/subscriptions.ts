/**
 * Webhook subscriptions of a partner organization (API.md `/webhooks`, R-NTF-1): create
 * (the Standard Webhooks secret is shown once), list (never the secret), delete.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Actor, partnerOrganizationOf } from "../auth/actor.ts";
import { EVENT_TYPES, type EventType } from "../claims/history.ts";
import type { AppContext } from "../context.ts";
import {
	type NewestFirstQuery,
	newestFirst,
	newestFirstPage,
} from "../db/newest-first.ts";
import { deliveries, webhooks } from "../db/schema.ts";
import { DomainError, notFound } from "../domain/errors.ts";
import {
	ALLOW_PRIVATE_NETWORKS_SETTING,
	privateHostOf,
} from "./network-policy.ts";

/** A subscription as the API shows it (no secret). */
export interface WebhookView {
	id: string;
	url: string;
	eventTypes: EventType[];
	createdBy: string;
	createdAt: string;
}

/** A page of subscriptions (API.md cursor pagination). */
export interface WebhookPage {
	items: WebhookView[];
	nextCursor: string | null;
}

/** A new Standard Webhooks secret: `whsec_` + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
	return `whsec_${randomBytes(24).toString("base64")}`;
}

function view(row: typeof webhooks.$inferSelect): WebhookView {
	return {
		id: row.id,
		url: row.url,
		eventTypes: row.eventTypes as EventType[],
		createdBy: row.createdBy,
		createdAt: row.createdAt.toISOString(),
	};
}

/** The actor's partner organization; subscriptions belong to one. @throws `forbidden`. */
function organizationOf(actor: Actor): string {
	return partnerOrganizationOf(
		actor,
		"Webhook subscriptions belong to a partner organization; sign in as its global or incentives admin.",
	);
}

/**
 * Subscribes the actor's organization. Returns the subscription with its secret (shown
 * once). @throws `validation_failed` (`url`, `private_address`) for a URL whose host is
 * this machine or a private address, unless the configuration allows private networks;
 * (`url`, `credentials_in_url`) for a URL with a user name or password, which every
 * admin of the organization would see in the list;
 * (`url`, `https_required`) for an http:// URL of a public host: the events carry the
 * claim, its customer contacts included, which do not travel in the clear. Plain http
 * is taken only for a URL that names `localhost` or a private address (allowed with
 * private networks); a name is public here, whatever it later resolves to.
 */
export async function createWebhook(
	ctx: AppContext,
	actor: Actor,
	input: { url: string; eventTypes?: readonly EventType[] | undefined },
): Promise<WebhookView & { secret: string }> {
	const organizationId = organizationOf(actor);
	const privateHost = ctx.config.webhookAllowPrivateNetworks
		? null
		: privateHostOf(new URL(input.url));
	if (privateHost)
		throw new DomainError(
			"validation_failed",
			`Webhooks go to public addresses, and ${privateHost}. Use your endpoint's public URL; an operator who runs receivers on a private network can set ${ALLOW_PRIVATE_NETWORKS_SETTING}=true.`,
			[
				{
					path: "url",
					code: "private_address",
					message: `${privateHost}.`,
				},
			],
		);
	const url = new URL(input.url);
	if (url.username || url.password)
		throw new DomainError(
			"validation_failed",
			"A webhook URL cannot hold a user name or password: it is shown to every admin of your organization. Verify deliveries with their signature (the `webhook-signature` header, signed with the subscription's secret) instead.",
			[
				{
					path: "url",
					code: "credentials_in_url",
					message: "Remove the user:password@ part.",
				},
			],
		);
	if (url.protocol === "http:" && !privateHostOf(url))
		throw new DomainError(
			"validation_failed",
			"Webhooks to a public address go over HTTPS: they carry the claim with its customer contacts. Use your endpoint's https:// URL.",
			[
				{
					path: "url",
					code: "https_required",
					message: "Use an https:// URL.",
				},
			],
		);
	const requested = input.eventTypes?.length ? input.eventTypes : EVENT_TYPES;
	// Stored in the canonical order of EVENT_TYPES, without duplicates.
	const eventTypes = EVENT_TYPES.filter((t) => requested.includes(t));
	const [row] = await ctx.db
		.insert(webhooks)
		.values({
			id: randomUUID(),
			organizationId,
			url: input.url,
			secret: newWebhookSecret(),
			eventTypes,
			createdBy: actor.userId ?? actor.name,
			createdAt: ctx.clock.now(),
		})
		.returning();
	if (!row) throw new Error("insert into webhooks returned no row");
	return { ...view(row), secret: row.secret };
}

/**
 * The live subscriptions of the actor's organization, newest first, a page at a time
 * (`limit` 1–200, default 50). @throws `forbidden` (not a partner's user),
 * `validation_failed` (`cursor`) for a cursor this API did not issue.
 */
export async function listWebhooks(
	ctx: AppContext,
	actor: Actor,
	page: NewestFirstQuery = {},
): Promise<WebhookPage> {
	const organizationId = organizationOf(actor);
	const owned = eq(webhooks.organizationId, organizationId);
	const { after, orderBy, read, limit } = newestFirst(
		{
			table: webhooks,
			createdAt: webhooks.createdAt,
			id: webhooks.id,
			owned,
		},
		page,
	);
	const rows = await ctx.db
		.select()
		.from(webhooks)
		.where(and(owned, isNull(webhooks.deletedAt), after))
		.orderBy(...orderBy)
		.limit(read);
	const { rows: listed, nextCursor } = newestFirstPage(rows, limit);
	return { items: listed.map(view), nextCursor };
}

/**
 * Deletes a subscription of the actor's organization. Its deliveries not yet sent are
 * closed in the same transaction (`outcome = failed`, `lastError` says why), so nothing
 * more reaches the URL, and the endpoint copy (URL and secret) is removed from all of
 * its delivery rows. @throws `not_found` (also for another organization's).
 */
export async function deleteWebhook(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<void> {
	const organizationId = organizationOf(actor);
	await ctx.db.transaction(async (tx) => {
		const now = ctx.clock.now();
		const [row] = await tx
			.update(webhooks)
			.set({ deletedAt: now })
			.where(
				and(
					eq(webhooks.id, id),
					eq(webhooks.organizationId, organizationId),
					isNull(webhooks.deletedAt),
				),
			)
			.returning({ id: webhooks.id });
		if (!row) throw notFound("webhook subscription");
		const ofThisSubscription = and(
			eq(deliveries.channel, "webhook"),
			eq(deliveries.target, id),
		);
		await tx
			.update(deliveries)
			.set({
				deliveredAt: now,
				outcome: "failed",
				lastError: "not sent: the webhook subscription was deleted",
			})
			.where(and(ofThisSubscription, isNull(deliveries.deliveredAt)));
		await tx
			.update(deliveries)
			.set({ payload: sql`${deliveries.payload} - 'endpoint'` })
			.where(ofThisSubscription);
	});
}
