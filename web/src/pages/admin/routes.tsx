/** The platform admin's routes. */
import type { RouteObject } from "react-router";

export const adminRoutes: RouteObject[] = [
	{
		path: "admin",
		lazy: async () => ({
			Component: (await import("./admin-page.tsx")).AdminPage,
		}),
	},
];
