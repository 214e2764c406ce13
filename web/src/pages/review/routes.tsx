/** The reviewer workbench's routes; pages load on demand. */
import type { RouteObject } from "react-router";
import { prefetchClaim } from "../../api/claims.ts";

export const reviewRoutes: RouteObject[] = [
	{
		path: "review",
		lazy: async () => {
			const { QueuePage, prefetchQueue } = await import("./queue-page.tsx");
			return { Component: QueuePage, loader: prefetchQueue };
		},
	},
	{
		path: "review/claims/:id",
		loader: prefetchClaim,
		lazy: async () => ({
			Component: (await import("./review-claim-page.tsx")).ReviewClaimPage,
		}),
	},
	{
		path: "review/arbitration/:id",
		lazy: async () => ({
			Component: (await import("./arbitration-page.tsx")).ArbitrationPage,
		}),
	},
	{
		path: "review/sla",
		lazy: async () => ({ Component: (await import("./sla-page.tsx")).SlaPage }),
	},
];
