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

/**
 * How long a page's first queries count as fresh when its route loader prefetched
 * them: the page, mounted once the signed-in user is known, uses what its loader fetched
 * just before instead of asking again. An action invalidates them at once
 * (useInvalidateClaim).
 */
export const PREFETCHED_FRESH_MS = 5_000;
