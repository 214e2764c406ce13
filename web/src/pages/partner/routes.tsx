/** The partner area's routes; pages load on demand (smaller first page). */
import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import { prefetchClaim } from "../../api/claims.ts";
import { prefetchInsights } from "../../api/reports.ts";
import { forKind } from "../../components/for-kinds.tsx";

/** A partner's page; anyone else is told whom it is for (forKind). */
const forPartners = (
	Page: ComponentType,
	title: string,
	review?: (id: string) => string,
) => forKind("partner", Page, title, review ? { reviewer: review } : undefined);

export const partnerRoutes: RouteObject[] = [
	{
		path: "claims",
		lazy: async () => {
			const { DashboardPage, prefetchDashboard } = await import(
				"./dashboard.tsx"
			);
			return {
				// A reviewer finds claims in the reviewer's list of them.
				Component: forPartners(
					DashboardPage,
					"nav.claims",
					() => "/review/claims",
				),
				loader: prefetchDashboard,
			};
		},
	},
	{
		path: "claims/new",
		lazy: async () => ({
			Component: forPartners(
				(await import("./wizard/wizard-page.tsx")).WizardPage,
				"nav.newClaim",
			),
		}),
	},
	{
		path: "claims/:id",
		loader: prefetchClaim,
		lazy: async () => ({
			Component: forPartners(
				(await import("./claim-page.tsx")).ClaimPage,
				"nav.claims",
				(id) => `/review/claims/${encodeURIComponent(id)}`,
			),
		}),
	},
	{
		path: "mpn-ids",
		lazy: async () => ({
			Component: forPartners(
				(await import("./mpn-ids-page.tsx")).MpnIdsPage,
				"nav.mpnIds",
			),
		}),
	},
	{
		path: "insights",
		loader: prefetchInsights,
		lazy: async () => ({
			Component: forPartners(
				(await import("./insights.tsx")).InsightsPage,
				"nav.insights",
			),
		}),
	},
];
