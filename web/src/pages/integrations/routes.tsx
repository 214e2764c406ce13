/** The Integrations page's route (API tokens and webhooks); the page loads on demand. */
import type { RouteObject } from "react-router";
import { prefetchIntegrations } from "../../api/integrations.ts";

export const integrationRoutes: RouteObject[] = [
	{
		path: "integrations",
		loader: prefetchIntegrations,
		lazy: async () => ({
			Component: (await import("./integrations-page.tsx")).IntegrationsPage,
		}),
	},
];
