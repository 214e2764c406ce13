/**
 * Claim queries and mutations (one module per resource, with a query-key factory;
 * mutations invalidate the claim's detail and every list).
 */
import {
	infiniteQueryOptions,
	keepPreviousData,
	queryOptions,
	useMutation,
	useQuery,
	useQueryClient,
} from "@tanstack/react-query";
import { api, everyPage } from "./client.ts";
import { PREFETCHED_FRESH_MS, queryClient } from "./query-client.ts";
import { whenSignedIn } from "./session.ts";
import type {
	Claim,
	Comment,
	DirectoryCheck,
	HistoryEntry,
	Page,
	QueueItem,
} from "./types.ts";

/** Filters of GET /claims (docs/api.md). */
export interface ClaimFilters {
	status?: string;
	solutionArea?: string;
	activity?: string;
	mpnId?: string;
	tenantId?: string;
	competing?: "true" | "false";
	q?: string;
	sort?: "updatedAt" | "-updatedAt" | "dueAt" | "-dueAt";
	limit?: number;
	cursor?: string;
}

export const claimKeys = {
	all: ["claims"] as const,
	lists: () => [...claimKeys.all, "list"] as const,
	list: (f: ClaimFilters) => [...claimKeys.lists(), f] as const,
	detail: (id: string) => [...claimKeys.all, "detail", id] as const,
	comments: (id: string) => [...claimKeys.all, "comments", id] as const,
	history: (id: string) => [...claimKeys.all, "history", id] as const,
	competing: (id: string) => [...claimKeys.all, "competing", id] as const,
	directoryCheck: (id: string) =>
		[...claimKeys.all, "directory-check", id] as const,
	queue: (f: Record<string, string | undefined>) =>
		["review-queue", f] as const,
};

/** `filters` without the empty ones (one cache entry per list, whatever was left blank). */
export function cleanFilters(f: ClaimFilters): ClaimFilters {
	return Object.fromEntries(
		Object.entries(f).filter(([, v]) => v !== undefined && v !== ""),
	) as ClaimFilters;
}

/**
 * The claims under `filters`, `pageSize` at a time (GET /claims, cursor pages): the
 * partner's dashboard and the reviewer's list of all claims.
 */
export function claimPagesQuery(filters: ClaimFilters, pageSize: number) {
	const listFilters = cleanFilters({ ...filters, limit: pageSize });
	return infiniteQueryOptions({
		queryKey: [...claimKeys.lists(), "pages", listFilters],
		queryFn: ({ pageParam }) =>
			api<Page<Claim>>(
				`/claims${query({ ...listFilters, cursor: pageParam })}`,
			),
		initialPageParam: undefined as string | undefined,
		getNextPageParam: (last) => last.nextCursor ?? undefined,
		staleTime: PREFETCHED_FRESH_MS,
	});
}

/** Builds a query string from defined values. */
export function query(
	params: Record<string, string | number | undefined>,
): string {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== "") q.set(k, String(v));
	const s = q.toString();
	return s ? `?${s}` : "";
}

/** A claim (GET /claims/{id}); fresh for a moment, for its page's loader. */
const claimQuery = (id: string) =>
	queryOptions({
		queryKey: claimKeys.detail(id),
		queryFn: () => api<Claim>(`/claims/${id}`),
		staleTime: PREFETCHED_FRESH_MS,
	});

/** A claim's comment thread (GET /claims/{id}/comments); as {@link claimQuery}. */
const commentsQuery = (id: string) =>
	queryOptions({
		queryKey: claimKeys.comments(id),
		queryFn: ({ signal }) =>
			everyPage<Comment>(`/claims/${id}/comments`, { signal }),
		staleTime: PREFETCHED_FRESH_MS,
	});

/** A claim's history (GET /claims/{id}/history); as {@link claimQuery}. */
const historyQuery = (id: string) =>
	queryOptions({
		queryKey: claimKeys.history(id),
		queryFn: ({ signal }) =>
			everyPage<HistoryEntry>(`/claims/${id}/history`, { signal }),
		staleTime: PREFETCHED_FRESH_MS,
	});

/**
 * The loader of a claim's pages (the partner's and the reviewer's, route parameter
 * `id`): starts the claim, its comments and its history while the signed-in user is
 * still being asked for, where the page asked for the claim after that and for the
 * rest once the claim had come. A link from an email opens the page that much sooner.
 * When nobody was signed in, they start after `GET /me` and only if someone is
 * (`whenSignedIn`). Returns at once; a failure is the page's to show.
 */
export function prefetchClaim({
	params,
}: {
	params: { id?: string | undefined };
}): null {
	const { id } = params;
	if (id)
		whenSignedIn(() => {
			void queryClient.prefetchQuery(claimQuery(id));
			void queryClient.prefetchQuery(commentsQuery(id));
			void queryClient.prefetchQuery(historyQuery(id));
		}, ["partner", "reviewer"]);
	return null;
}

export function useClaim(id: string | undefined) {
	return useQuery({ ...claimQuery(id ?? ""), enabled: !!id });
}

export function useComments(id: string) {
	return useQuery(commentsQuery(id));
}

export function useHistory(id: string) {
	return useQuery(historyQuery(id));
}

export function useCompeting(id: string, enabled = true) {
	return useQuery({
		queryKey: claimKeys.competing(id),
		queryFn: async () =>
			(await api<{ items: Claim[] }>(`/claims/${id}/competing`)).items,
		enabled,
	});
}

/** What a claim was validated against and the directory now (GET /claims/{id}/directory-check, R-DIR-6). */
export function useDirectoryCheck(id: string, enabled = true) {
	return useQuery({
		queryKey: claimKeys.directoryCheck(id),
		queryFn: () => api<DirectoryCheck>(`/claims/${id}/directory-check`),
		enabled,
	});
}

/** Filters of the reviewer queue (GET /review-queue). */
export type QueueFilters = {
	sla?: string;
	competing?: string;
	cursor?: string;
	limit?: number;
};

/** A page of the reviewer queue under `filters` (fresh for a moment, for its loader). */
export function reviewQueueQuery(filters: QueueFilters) {
	return queryOptions({
		queryKey: claimKeys.queue(filters as Record<string, string | undefined>),
		queryFn: () => api<Page<QueueItem>>(`/review-queue${query(filters)}`),
		staleTime: PREFETCHED_FRESH_MS,
	});
}

export function useReviewQueue(filters: QueueFilters) {
	return useQuery({
		...reviewQueueQuery(filters),
		placeholderData: keepPreviousData,
	});
}

/** Invalidates a claim's detail, thread, history and every list after a change. */
export function useInvalidateClaim() {
	const qc = useQueryClient();
	return async (id?: string) => {
		await Promise.all([
			qc.invalidateQueries({ queryKey: claimKeys.lists() }),
			qc.invalidateQueries({ queryKey: ["review-queue"] }),
			id ? qc.invalidateQueries({ queryKey: claimKeys.detail(id) }) : undefined,
			id
				? qc.invalidateQueries({ queryKey: claimKeys.comments(id) })
				: undefined,
			id
				? qc.invalidateQueries({ queryKey: claimKeys.history(id) })
				: undefined,
			id
				? qc.invalidateQueries({ queryKey: claimKeys.competing(id) })
				: undefined,
			id
				? qc.invalidateQueries({ queryKey: claimKeys.directoryCheck(id) })
				: undefined,
		]);
	};
}

/** A claim action (`submit`, `start-review`, `approve` …) with the version the user saw. */
export function useClaimAction(action: string) {
	const invalidate = useInvalidateClaim();
	return useMutation({
		mutationFn: (v: { id: string; version?: number; body?: unknown }) =>
			api<Claim>(`/claims/${v.id}/${action}`, {
				method: "POST",
				body: v.body ?? {},
				version: v.version,
			}),
		onSuccess: (claim) => invalidate(claim.id),
	});
}

/** Creates a draft. */
export function useCreateClaim() {
	const invalidate = useInvalidateClaim();
	return useMutation({
		mutationFn: (body: unknown) => api<Claim>("/claims", { body }),
		onSuccess: (claim) => invalidate(claim.id),
	});
}

/** Edits a claim (PATCH with If-Match). */
export function useUpdateClaim() {
	const invalidate = useInvalidateClaim();
	return useMutation({
		mutationFn: (v: { id: string; version: number; body: unknown }) =>
			api<Claim>(`/claims/${v.id}`, {
				method: "PATCH",
				body: v.body,
				version: v.version,
			}),
		onSuccess: (claim) => invalidate(claim.id),
	});
}

/** Deletes a draft. */
export function useDeleteClaim() {
	const invalidate = useInvalidateClaim();
	return useMutation({
		mutationFn: (v: { id: string; version: number }) =>
			api(`/claims/${v.id}`, { method: "DELETE", version: v.version }),
		onSuccess: () => invalidate(),
	});
}

/** Posts a comment. */
export function useAddComment(id: string) {
	const invalidate = useInvalidateClaim();
	return useMutation({
		mutationFn: (body: string) =>
			api<Comment>(`/claims/${id}/comments`, { body: { body } }),
		onSuccess: () => invalidate(id),
	});
}
