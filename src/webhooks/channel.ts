/**
 * The webhook delivery channel (API.md "Events", R-NTF-1): each outbox event of a partner
 * organization becomes one delivery per live subscription of that organization to its
 * type, sent as a Standard Webhooks request (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). The dispatcher retries failures with backoff and keeps a
 * claim's events in order per subscription.
 *
 * The delivery row carries a copy of the endpoint (URL and secret) taken at fan-out, so
 * `send` needs no query (it runs outside any transaction, the delivery reserved for it:
 * `deliverDue`). Deleting a subscription closes its unsent deliveries and removes those
 * copies (`deleteWebhook`); a call already under way ends, and the delivery stays
 * closed unless that call went through (then it is recorded as sent). Fan-out reads
 * subscriptions `FOR SHARE`, so a delete never races with a fan-out into a delivery for
 * a deleted subscription.
 */
import { and, asc, inArray, isNull } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { webhooks } from "../db/schema.ts";
import type { Channel, Delivery, NewDelivery } from "../jobs/dispatcher.ts";
import {
	PUBLIC_ADDRESSES_ONLY,
	privateHostOf,
	publicOnlyDispatcher,
} from "./network-policy.ts";

/** The channel name in `deliveries.channel`. */
export const WEBHOOK_CHANNEL = "webhook";

/** What a webhook delivery row's `payload` holds. */
const deliveryPayload = z.object({
	event: z.object({
		type: z.string(),
		timestamp: z.string(),
		data: z.unknown(),
	}),
	endpoint: z.object({ url: z.string(), secret: z.string() }),
});
export type WebhookDeliveryPayload = z.infer<typeof deliveryPayload>;

/** Thrown by `send` so the dispatcher retries (non-2xx answer, network error, timeout). */
export class WebhookSendError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = "WebhookSendError";
	}
}

/** Options of {@link webhookChannel} (tests replace the transport or the time). */
export interface WebhookChannelOptions {
	fetch?: typeof fetch;
	/** Per-request timeout (default 10 s). */
	timeoutMs?: number;
	/**
	 * The wall clock for `webhook-timestamp`. Deliberately the real time, not the
	 * (sandbox) application clock: receivers check it against their own clock to
	 * reject replays (Standard Webhooks allows ±5 minutes). The event's own time is
	 * the body's `timestamp`.
	 */
	now?: () => Date;
	/**
	 * Send to loopback, private and link-local addresses too (`CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS`);
	 * by default a delivery whose host is, or resolves to, one of them fails.
	 */
	allowPrivateNetworks?: boolean;
}

function describe(err: unknown): string {
	const e = err as Error & { cause?: { message?: string; code?: string } };
	if (e?.name === "TimeoutError") return "the request timed out";
	// A refusal by the network policy says why and what to do.
	if (e?.cause?.code === "EPRIVATEADDRESS") return String(e.cause.message);
	const cause = e?.cause?.code ?? e?.cause?.message;
	return `${e?.message ?? String(err)}${cause ? ` (${cause})` : ""}`;
}

/** The webhook channel. */
export function webhookChannel(opts: WebhookChannelOptions = {}): Channel {
	const doFetch = opts.fetch ?? fetch;
	const timeoutMs = opts.timeoutMs ?? 10_000;
	const now = opts.now ?? (() => new Date());
	const publicOnly = !opts.allowPrivateNetworks;
	return {
		name: WEBHOOK_CHANNEL,

		async plan(tx, events) {
			const organizationIds = [
				...new Set(events.flatMap((e) => e.organizationId ?? [])),
			];
			if (organizationIds.length === 0) return [];
			// The live subscriptions of every organization of the batch, in one query.
			const subscriptions = await tx
				.select()
				.from(webhooks)
				.where(
					and(
						inArray(webhooks.organizationId, organizationIds),
						isNull(webhooks.deletedAt),
					),
				)
				.orderBy(asc(webhooks.createdAt), asc(webhooks.id))
				.for("share");
			const byOrganization = new Map<string, typeof subscriptions>();
			for (const s of subscriptions) {
				const list = byOrganization.get(s.organizationId);
				if (list) list.push(s);
				else byOrganization.set(s.organizationId, [s]);
			}
			return events.flatMap((event) =>
				(event.organizationId
					? (byOrganization.get(event.organizationId) ?? [])
					: []
				)
					.filter((s) => s.eventTypes.includes(event.type))
					.map(
						(s): NewDelivery => ({
							dedupeKey: `webhook:${event.eventId}:${s.id}`,
							channel: WEBHOOK_CHANNEL,
							eventId: event.eventId,
							eventType: event.type,
							claimId: event.claimId,
							target: s.id,
							payload: {
								event: event.payload,
								endpoint: { url: s.url, secret: s.secret },
							},
						}),
					),
			);
		},

		async send(delivery: Delivery) {
			const parsed = deliveryPayload.safeParse(delivery.payload);
			if (!parsed.success)
				throw new WebhookSendError(
					"the delivery has no endpoint (was its subscription deleted?)",
				);
			const { event, endpoint } = parsed.data;
			const privateHost = publicOnly
				? privateHostOf(new URL(endpoint.url))
				: null;
			if (privateHost)
				throw new WebhookSendError(
					`webhook not delivered: ${privateHost}; ${PUBLIC_ADDRESSES_ONLY}`,
				);
			const body = JSON.stringify({
				type: event.type,
				timestamp: event.timestamp,
				data: event.data,
			});
			// Stable across retries, so receivers can deduplicate (at least once).
			const msgId = delivery.eventId ?? delivery.dedupeKey;
			const sentAt = now();
			const signature = new Webhook(endpoint.secret).sign(msgId, sentAt, body);
			// Connections to public addresses only (network-policy.ts).
			const dispatcher = publicOnly ? await publicOnlyDispatcher() : undefined;
			let res: Response;
			try {
				res = await doFetch(endpoint.url, {
					method: "POST",
					headers: {
						"content-type": "application/json",
						"user-agent": "CPOR-Webhooks/1",
						"webhook-id": msgId,
						"webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
						"webhook-signature": signature,
					},
					body,
					redirect: "manual",
					signal: AbortSignal.timeout(timeoutMs),
					...(dispatcher ? { dispatcher } : {}),
				} as RequestInit);
			} catch (err) {
				throw new WebhookSendError(`webhook not delivered: ${describe(err)}`, {
					cause: err,
				});
			}
			await res.body?.cancel().catch(() => {});
			if (res.status < 200 || res.status >= 300)
				throw new WebhookSendError(
					`webhook not delivered: the endpoint answered HTTP ${res.status}`,
				);
			return "sent";
		},
	};
}
