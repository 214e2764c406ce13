/** The routes: sign-in, then the shell with each area's pages. */
import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { useMe } from "./api/session.ts";
import { RouteError } from "./components/route-error.tsx";
import { Loading } from "./components/states.tsx";
import { adminRoutes } from "./pages/admin/routes.tsx";
import { customerRoutes } from "./pages/customer/routes.tsx";
import { integrationRoutes } from "./pages/integrations/routes.tsx";
import { partnerRoutes } from "./pages/partner/routes.tsx";
import { reviewRoutes } from "./pages/review/routes.tsx";
import { registerRouter } from "./router-address.ts";
import { homeFor, NotFound, Shell } from "./shell.tsx";

function Home() {
	const me = useMe();
	if (me.isLoading) return <Loading />;
	return <Navigate to={me.data ? homeFor(me.data) : "/login"} replace />;
}

const routes: RouteObject[] = [
	{
		// On demand like the areas' pages: its form's validation (zod, react-hook-form)
		// stays out of the first page of a signed-in user.
		path: "/login",
		hydrateFallbackElement: <Loading />,
		errorElement: <RouteError />,
		lazy: async () => ({
			Component: (await import("./pages/login.tsx")).LoginPage,
		}),
	},
	{
		element: <Shell />,
		hydrateFallbackElement: <Loading />,
		errorElement: <RouteError />,
		children: [
			{
				// A page that fails (its code did not load, or it threw) shows RouteError
				// inside the shell, so the navigation stays.
				errorElement: <RouteError />,
				children: [
					{ index: true, element: <Home /> },
					...partnerRoutes,
					...reviewRoutes,
					...customerRoutes,
					...adminRoutes,
					...integrationRoutes,
					{ path: "*", element: <NotFound /> },
				],
			},
		],
	},
];

export const router = createBrowserRouter(routes);
registerRouter(router);
