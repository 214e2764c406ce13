/** The platform admin's routes; the page loads on demand. */
import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import { ForKind } from "../../components/for-kinds.tsx";

/** The admin page; anyone else is told whom it is for (ForKind), with a link home. */
function forPlatformAdmins(Page: ComponentType): ComponentType {
	return function PlatformAdminPage() {
		return (
			<ForKind kind="platform_admin" title="nav.admin">
				<Page />
			</ForKind>
		);
	};
}

export const adminRoutes: RouteObject[] = [
	{
		path: "admin",
		lazy: async () => ({
			Component: forPlatformAdmins(
				(await import("./admin-page.tsx")).AdminPage,
			),
		}),
	},
];
