/** The customer admin's routes. */
import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import { ForKind } from "../../components/for-kinds.tsx";

/** The customer admin's page; anyone else is told whom it is for (ForKind). */
function forCustomers(Page: ComponentType): ComponentType {
	return function CustomerPage() {
		return (
			<ForKind kind="customer" title="nav.customer">
				<Page />
			</ForKind>
		);
	};
}

export const customerRoutes: RouteObject[] = [
	{
		path: "customer",
		lazy: async () => ({
			Component: forCustomers(
				(await import("./associations-page.tsx")).AssociationsPage,
			),
		}),
	},
];
