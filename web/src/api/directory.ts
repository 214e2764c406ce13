/** Directory lookups for forms: MPN IDs, products, activities; partners' names for reviewers. */
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { MpnId, Product } from "./types.ts";

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
