/**
 * Directory lookups for forms: MPN IDs, products, activities; partners' names for
 * reviewers; the directory itself for platform admins and reviewers.
 */
import {
	keepPreviousData,
	queryOptions,
	useInfiniteQuery,
	useQuery,
	useQueryClient,
} from "@tanstack/react-query";
import { api } from "./client.ts";
import type {
	DirectoryPartner,
	DirectoryTenant,
	DirectoryUser,
	MpnId,
	Product,
} from "./types.ts";

/** The query of the organization's MPN IDs (GET /mpn-ids). */
export const mpnIdsQuery = queryOptions({
	queryKey: ["mpn-ids"],
	queryFn: async () => (await api<{ items: MpnId[] }>("/mpn-ids")).items,
	staleTime: 300_000,
});

export function useMpnIds() {
	return useQuery(mpnIdsQuery);
}

export function useProducts(solutionArea?: string) {
	return useQuery({
		queryKey: ["products", solutionArea ?? "all"],
		queryFn: async () =>
			(
				await api<{ items: Product[] }>(
					`/products${solutionArea ? `?solutionArea=${solutionArea}` : ""}`,
				)
			).items,
		staleTime: 300_000,
	});
}

export interface ActivityInfo {
	solutionArea: string;
	activity: string;
	meaning: string;
	feeds: string;
}

export function useActivities() {
	return useQuery({
		queryKey: ["activities"],
		queryFn: async () =>
			(await api<{ items: ActivityInfo[] }>("/activities")).items,
		staleTime: 300_000,
	});
}

/** How many organization IDs one GET /partners may name (the server's limit). */
const PARTNER_LOOKUP_MAX = 200;

const partnerNameKey = (organizationId: string) => [
	"partner-name",
	organizationId,
];

/**
 * Partner organizations' names for a reviewer's page (GET /partners): returns a function
 * from an organization ID to its name, or to the ID itself while the names load, when
 * the lookup fails, or for an ID the directory does not know. Each name is asked for
 * once and kept in the query cache (one request per page of new IDs).
 */
export function usePartnerNames(
	organizationIds: readonly string[],
): (organizationId: string) => string {
	const client = useQueryClient();
	const missing = [...new Set(organizationIds)]
		.filter((id) => client.getQueryData(partnerNameKey(id)) === undefined)
		.sort()
		.slice(0, PARTNER_LOOKUP_MAX);
	useQuery({
		queryKey: ["partner-names", missing.join(",")],
		queryFn: async () => {
			const { items } = await api<{
				items: { organizationId: string; name: string }[];
			}>(`/partners?ids=${encodeURIComponent(missing.join(","))}`);
			const names = new Map(items.map((p) => [p.organizationId, p.name]));
			for (const id of missing)
				client.setQueryData(partnerNameKey(id), names.get(id) ?? null);
			return items;
		},
		enabled: missing.length > 0,
		staleTime: Number.POSITIVE_INFINITY,
	});
	return (organizationId) =>
		client.getQueryData<string | null>(partnerNameKey(organizationId)) ??
		organizationId;
}

/** Which of the directory's lists: customer tenants or partner organizations. */
/** What the directory look-up lists; `users` is the platform admin's alone. */
export type DirectoryKind = "tenants" | "partners" | "users";

/** Entries per page of the directory look-up. */
const DIRECTORY_PAGE = 20;

/**
 * The directory's customers, partners or people whose name starts with `q`, or with an
 * ID equal to it (all when empty), a page of 20 at a time (GET /admin/directory/tenants,
 * /partners and /users). While a new search loads, the last answer of the same kind
 * stays.
 */
export function useDirectoryLookup(kind: DirectoryKind, q: string) {
	return useInfiniteQuery({
		queryKey: ["admin", "directory", kind, q],
		queryFn: ({ pageParam, signal }) => {
			const params = new URLSearchParams({ limit: String(DIRECTORY_PAGE) });
			if (q) params.set("q", q);
			if (pageParam) params.set("cursor", pageParam);
			return api<{
				items: (DirectoryTenant | DirectoryPartner | DirectoryUser)[];
				nextCursor: string | null;
			}>(`/admin/directory/${kind}?${params}`, { signal });
		},
		initialPageParam: "",
		getNextPageParam: (last) => last.nextCursor ?? undefined,
		// Not another kind's answer.
		placeholderData: (previous, previousQuery) =>
			previousQuery?.queryKey[2] === kind
				? keepPreviousData(previous)
				: undefined,
	});
}
