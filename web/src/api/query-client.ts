/** The app's one TanStack Query client, for the provider and for route loaders' prefetches. */
import { QueryClient } from "@tanstack/react-query";

export const queryClient = new QueryClient({
	defaultOptions: {
		queries: {
			retry: (n, err) =>
				n < 2 && (err as { status?: number }).status === undefined,
			refetchOnWindowFocus: false,
		},
	},
});
