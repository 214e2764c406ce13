/** The partner area's routes; pages load on demand (smaller first page). */
import type { RouteObject } from "react-router";
import { prefetchClaim } from "../../api/claims.ts";
import { prefetchInsights } from "../../api/reports.ts";

export const partnerRoutes: RouteObject[] = [
	{
		path: "claims",
		lazy: async () => {
			const { DashboardPage, prefetchDashboard } = await import(
				"./dashboard.tsx"
			);
			return { Component: DashboardPage, loader: prefetchDashboard };
		},
	},
	{
		path: "claims/new",
		lazy: async () => ({
			Component: (await import("./wizard/wizard-page.tsx")).WizardPage,
		}),
	},
	{
		path: "claims/:id",
		loader: prefetchClaim,
		lazy: async () => ({
			Component: (await import("./claim-page.tsx")).ClaimPage,
		}),
	},
	{
		path: "insights",
		loader: prefetchInsights,
		lazy: async () => ({
			Component: (await import("./insights.tsx")).InsightsPage,
		}),
	},
];
