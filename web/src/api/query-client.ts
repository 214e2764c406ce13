/** The app's one TanStack Query client, for the provider and for route loaders' prefetches. */
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

const unauthenticatedListeners = new Set<() => void>();

/**
 * Calls `listener` whenever a query or mutation is answered 401 (no valid session):
 * session.ts ends the signed-in state with it. Returns the unsubscribe.
 */
export function onUnauthenticated(listener: () => void): () => void {
	unauthenticatedListeners.add(listener);
	return () => unauthenticatedListeners.delete(listener);
}

function answered(error: unknown): void {
	if ((error as { status?: number }).status !== 401) return;
	for (const listener of unauthenticatedListeners) listener();
}

export const queryClient = new QueryClient({
	queryCache: new QueryCache({ onError: answered }),
	mutationCache: new MutationCache({ onError: answered }),
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
