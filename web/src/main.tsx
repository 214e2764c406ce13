import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { i18nReady } from "./i18n/index.ts";
import { router } from "./routes.tsx";

const queryClient = new QueryClient({
	defaultOptions: {
		queries: {
			retry: (n, err) =>
				n < 2 && (err as { status?: number }).status === undefined,
			refetchOnWindowFocus: false,
		},
	},
});

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
