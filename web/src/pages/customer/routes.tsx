/** The customer admin's routes. */
import type { RouteObject } from "react-router";
import { forKind } from "../../components/for-kinds.tsx";

export const customerRoutes: RouteObject[] = [
	{
		path: "customer",
		lazy: async () => ({
			Component: forKind(
				"customer",
				(await import("./associations-page.tsx")).AssociationsPage,
				"nav.customer",
			),
		}),
	},
];
