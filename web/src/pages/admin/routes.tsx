/** The platform admin's routes; the page loads on demand. */
import type { RouteObject } from "react-router";
import { forKind } from "../../components/for-kinds.tsx";

export const adminRoutes: RouteObject[] = [
	{
		path: "admin",
		lazy: async () => ({
			Component: forKind(
				"platform_admin",
				(await import("./admin-page.tsx")).AdminPage,
				"nav.admin",
			),
		}),
	},
];
