/**
 * A partner organization's integrations (docs/api.md "Authentication", "Webhooks"): the
 * user's API tokens (`/api-tokens`) and the organization's webhook subscriptions
 * (`/webhooks`). Who may manage them, their shapes, queries and mutations, and the
 * Integrations page's route loader (this module is in the first page; the page's own code
 * loads meanwhile).
 */
import {
	infiniteQueryOptions,
	useInfiniteQuery,
	useMutation,
	useQueryClient,
} from "@tanstack/react-query";
import { api } from "./client.ts";
import { PREFETCHED_FRESH_MS, queryClient } from "./query-client.ts";
import { meQuery } from "./session.ts";
import type { Me, Page, Role } from "./types.ts";

/**
 * The roles with the `manageIntegrations` capability (src/auth/actor.ts): `GET /me` lists
 * the user's roles, not capabilities, so the web app keeps this copy of the server's list.
 */
export const INTEGRATION_ROLES: readonly Role[] = [
	"global_admin",
	"incentives_admin",
	"platform_admin",
];

/** True when the signed-in user may manage API tokens and webhooks (the nav link, the page). */
export function canManageIntegrations(me: Me | null | undefined): boolean {
	return !!me?.roles.some((r) => INTEGRATION_ROLES.includes(r));
}

/** Webhook subscriptions belong to a partner organization (not to platform admins). */
export function hasWebhooks(me: Me | null | undefined): boolean {
	return me?.kind === "partner" && !!me.organization;
}

/**
 * The event types a webhook can subscribe to (docs/api.md "Events"), in the server's order:
 * a copy of `EVENT_TYPES` in src/claims/history.ts, as the web app imports no server code
 * (web/tsconfig.json includes only web/src; that module needs Node and the database).
 */
export const EVENT_TYPES = [
	"claim.submitted",
	"claim.review_started",
	"claim.information_requested",
	"claim.resubmitted",
	"claim.approved",
	"claim.rejected",
	"claim.disputed",
	"claim.dispute_decided",
	"claim.consent_declined",
	"association.activated",
	"eligibility.evaluated",
] as const;
/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/** An API token as `GET /api-tokens` lists it (never its secret). */
export interface ApiToken {
	id: string;
	name: string;
	roles: Role[];
	createdAt: string;
	/** When it last authenticated a request (to the minute); null when never. */
	lastUsedAt: string | null;
}
/** `POST /api-tokens`: the token with its secret, shown this once. */
export interface NewApiToken extends ApiToken {
	token: string;
}

/** A webhook subscription as `GET /webhooks` lists it (never its secret). */
export interface Webhook {
	id: string;
	url: string;
	/** The event types it receives (all of them when it was made without a choice). */
	eventTypes: EventType[];
	createdBy: string;
	createdAt: string;
}
/** `POST /webhooks`: the subscription with its signing secret, shown this once. */
export interface NewWebhook extends Webhook {
	secret: string;
}

/** The query keys of the integrations' lists (`all` for both). */
export const integrationKeys = {
	all: ["integrations"] as const,
	tokens: ["integrations", "api-tokens"] as const,
	webhooks: ["integrations", "webhooks"] as const,
};

/** Items per page of `GET /api-tokens` and `GET /webhooks` (the server's largest page). */
const PAGE = 200;

/** A list the server pages newest first (`?limit=&cursor=` → `nextCursor`). */
function newestFirstQuery<T>(queryKey: readonly string[], path: string) {
	return infiniteQueryOptions({
		queryKey,
		queryFn: ({ pageParam, signal }) => {
			const q = new URLSearchParams({ limit: String(PAGE) });
			if (pageParam) q.set("cursor", pageParam);
			return api<Page<T>>(`${path}?${q}`, { signal });
		},
		initialPageParam: "",
		getNextPageParam: (last: Page<T>) => last.nextCursor ?? undefined,
		staleTime: PREFETCHED_FRESH_MS,
	});
}

/** The user's API tokens (GET /api-tokens), newest first, a page at a time. */
export const apiTokensQuery = newestFirstQuery<ApiToken>(
	integrationKeys.tokens,
	"/api-tokens",
);

/** The organization's webhook subscriptions (GET /webhooks), newest first, a page at a time. */
export const webhooksQuery = newestFirstQuery<Webhook>(
	integrationKeys.webhooks,
	"/webhooks",
);

/** The Integrations page's tabs (`?tab=`). */
export const INTEGRATION_TABS = ["tokens", "webhooks"] as const;
export type IntegrationTab = (typeof INTEGRATION_TABS)[number];

/** The tab an address asks for: tokens unless it names webhooks. */
export function integrationTab(requested: string | null): IntegrationTab {
	return requested === "webhooks" ? "webhooks" : "tokens";
}

/**
 * The Integrations page's loader: once the signed-in user is known, and only for one who
 * may manage integrations, starts the shown tab's list. Returns at once.
 */
export function prefetchIntegrations({ request }: { request: Request }): null {
	const tab = integrationTab(new URL(request.url).searchParams.get("tab"));
	void queryClient.ensureQueryData(meQuery).then(
		(me) => {
			if (!canManageIntegrations(me)) return;
			if (tab === "tokens")
				void queryClient.prefetchInfiniteQuery(apiTokensQuery);
			else if (hasWebhooks(me))
				void queryClient.prefetchInfiniteQuery(webhooksQuery);
		},
		() => undefined,
	);
	return null;
}

/** The user's API tokens, a page at a time ({@link apiTokensQuery}). */
export function useApiTokens() {
	return useInfiniteQuery(apiTokensQuery);
}

/** Creates an API token with the user's roles; the answer holds the secret (shown once). */
export function useCreateApiToken() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (input: { name: string }) =>
			api<NewApiToken>("/api-tokens", { body: input }),
		onSettled: () => qc.invalidateQueries({ queryKey: integrationKeys.tokens }),
	});
}

/** Revokes one of the user's API tokens: it is refused from the next request on. */
export function useRevokeApiToken() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (id: string) =>
			api<void>(`/api-tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
		onSettled: () => qc.invalidateQueries({ queryKey: integrationKeys.tokens }),
	});
}

/** The organization's webhook subscriptions, a page at a time ({@link webhooksQuery}). */
export function useWebhooks() {
	return useInfiniteQuery(webhooksQuery);
}

/** Subscribes the organization; the answer holds the signing secret (shown once). */
export function useCreateWebhook() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (input: { url: string; eventTypes?: EventType[] }) =>
			api<NewWebhook>("/webhooks", { body: input }),
		onSettled: () =>
			qc.invalidateQueries({ queryKey: integrationKeys.webhooks }),
	});
}

/** Deletes a subscription; its unsent deliveries are dropped. */
export function useDeleteWebhook() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (id: string) =>
			api<void>(`/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" }),
		onSettled: () =>
			qc.invalidateQueries({ queryKey: integrationKeys.webhooks }),
	});
}
