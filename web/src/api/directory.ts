/** Directory lookups for forms: MPN IDs, products, activities. */
import { queryOptions, useQuery } from "@tanstack/react-query";
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
