import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { queryClient } from "./api/query-client.ts";
import { meQuery } from "./api/session.ts";
import { reloadForNewBuild } from "./components/route-error.tsx";
import { i18nReady } from "./i18n/index.ts";
import { router } from "./routes.tsx";

// A page's chunk that fails to load is most often one a deployment removed: load the
// page again, once, from the new build (the route's RouteError shows what happened if that does not help).
window.addEventListener("vite:preloadError", () => {
	const next = router.state.navigation.location;
	reloadForNewBuild(next ? router.createHref(next) : undefined);
});
// Who is signed in is asked for now, while the language's translations (and the page's
// code) load, instead of after the first render: one round trip less before a page.
void queryClient.prefetchQuery(meQuery);
// The first render waits for the language's translations (one round trip after this file).
void i18nReady.then(() =>
	createRoot(document.getElementById("root") as HTMLElement).render(
		<StrictMode>
			<FluentProvider theme={webLightTheme} style={{ minHeight: "100vh" }}>
				<QueryClientProvider client={queryClient}>
					<RouterProvider router={router} />
				</QueryClientProvider>
			</FluentProvider>
		</StrictMode>,
	),
);
