/** The customer admin's routes. */
import type { RouteObject } from "react-router";

export const customerRoutes: RouteObject[] = [
	{
		path: "customer",
		lazy: async () => ({
			Component: (await import("./associations-page.tsx")).AssociationsPage,
		}),
	},
];
