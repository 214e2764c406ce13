/** The reviewer workbench's routes; pages load on demand. */
import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import { prefetchClaim } from "../../api/claims.ts";
import { forKind } from "../../components/for-kinds.tsx";

/** A reviewer's page; anyone else is told whom it is for (forKind). */
const forReviewers = (
	Page: ComponentType,
	title: string,
	partner?: (id: string) => string,
) => forKind("reviewer", Page, title, partner ? { partner } : undefined);

export const reviewRoutes: RouteObject[] = [
	{
		path: "review",
		lazy: async () => {
			const { QueuePage, prefetchQueue } = await import("./queue-page.tsx");
			return {
				Component: forReviewers(QueuePage, "nav.queue"),
				loader: prefetchQueue,
			};
		},
	},
	{
		path: "review/claims",
		lazy: async () => ({
			Component: forReviewers(
				(await import("./claims-page.tsx")).ReviewClaimsPage,
				"nav.reviewClaims",
			),
		}),
	},
	{
		path: "review/claims/:id",
		loader: prefetchClaim,
		lazy: async () => ({
			Component: forReviewers(
				(await import("./review-claim-page.tsx")).ReviewClaimPage,
				"nav.queue",
				(id) => `/claims/${encodeURIComponent(id)}`,
			),
		}),
	},
	{
		path: "review/arbitration/:id",
		lazy: async () => ({
			Component: forReviewers(
				(await import("./arbitration-page.tsx")).ArbitrationPage,
				"nav.queue",
			),
		}),
	},
	{
		path: "review/sla",
		lazy: async () => ({
			Component: forReviewers(
				(await import("./sla-page.tsx")).SlaPage,
				"nav.sla",
			),
		}),
	},
	{
		path: "review/directory",
		lazy: async () => ({
			Component: forReviewers(
				(await import("./directory-page.tsx")).ReviewDirectoryPage,
				"nav.directory",
			),
		}),
	},
];
