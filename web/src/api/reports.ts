/**
 * The partner's reports (docs/api.md "Reports (shapes)"): the shapes, and the Insights
 * page's first queries, which its route loader starts with `GET /me` (this module is in
 * the first page; the page's own code loads meanwhile).
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { query } from "./claims.ts";
import { api } from "./client.ts";
import { PREFETCHED_FRESH_MS, queryClient } from "./query-client.ts";
import { meQuery } from "./session.ts";
import type { Role } from "./types.ts";

/** The incentive programs, in the report's order (R-ELG-2). */
export const PROGRAMS = ["osa_sell", "osu_m365", "osu_bizapps"] as const;
/** One of {@link PROGRAMS}. */
export type Program = (typeof PROGRAMS)[number];

/** An eligible active association in the earnings report. */
export interface EarningsAssociation {
	claimId: string;
	claimName?: string;
	tenantId: string;
	customerName: string | null;
	solutionArea?: string;
	activity?: string;
	subscriptionIds: string[];
	products: {
		productId: string;
		name: string;
		subscriptionId: string | null;
	}[];
	dateAssociated: string | null;
}
/** A group of the report in slices (`limit`): its first associations, total and cursor. */
export interface EarningsGroup {
	mpnId: string;
	program: Program;
	associations: EarningsAssociation[];
	total: number;
	nextCursor: string | null;
}
/** The earnings report in slices: its groups, and the distinct claims over them. */
export interface EarningsSlices {
	items: EarningsGroup[];
	/** Distinct claims over all groups. */
	claimCount: number;
}
/** The usage report in slices (`limit`): rows, cursor, total and the charts' sums. */
export interface UsageSlice {
	items: UsageRow[];
	nextCursor: string | null;
	total: number;
	/** Distinct customers (tenants) over all the rows. */
	customers: number;
	series: {
		workload: string;
		month: string;
		monthlyActiveUsers: number;
		paidAvailableUnits: number;
	}[];
}
/** A row of the usage report: one claim's product in one month (R-ACC-2). */
export interface UsageRow {
	month: string;
	tenantId: string;
	customerName: string | null;
	productId: string;
	workload: string;
	monthlyActiveUsers: number;
	paidAvailableUnits: number;
	claimId: string;
	mpnId: string;
	dateAssociated: string | null;
	attributionType: string;
}

/** Roles that see earnings (R-ROL-1, R-ELG-2). */
export const EARNINGS_ROLES: Role[] = [
	"global_admin",
	"billing_admin",
	"incentives_admin",
];

/** Table rows shown at first; more on request. */
export const ROWS_SHOWN = 100;
/** Rows each "show more" adds. */
export const MORE_ROWS = ROWS_SHOWN * 5;

/** The usage tab's filters: a tenant ID and a month range (`YYYY-MM`), "" for none. */
export interface UsageFilters {
	tenantId: string;
	from: string;
	to: string;
}

/**
 * The earnings report in slices (`GET /reports/earnings?limit=`): each group's first
 * {@link ROWS_SHOWN} associations with its total; `program` "" for all.
 */
export const earningsSlicesQuery = (program: Program | "") =>
	queryOptions({
		queryKey: ["reports", "earnings", program],
		queryFn: ({ signal }) =>
			api<EarningsSlices>(
				`/reports/earnings${query({ program, limit: ROWS_SHOWN })}`,
				{ signal },
			),
		staleTime: PREFETCHED_FRESH_MS,
	});

/**
 * The usage report in slices (`GET /reports/usage?limit=`): the first
 * {@link ROWS_SHOWN} rows with the total and the charts' sums, then
 * {@link MORE_ROWS} per page by cursor.
 */
export const usageSlicesQuery = (filters: UsageFilters) =>
	infiniteQueryOptions({
		queryKey: ["reports", "usage", filters],
		queryFn: ({ pageParam, signal }) =>
			api<UsageSlice>(
				`/reports/usage${query({
					...filters,
					limit: pageParam ? MORE_ROWS : ROWS_SHOWN,
					cursor: pageParam,
				})}`,
				{ signal },
			),
		initialPageParam: undefined as string | undefined,
		getNextPageParam: (last) => last.nextCursor ?? undefined,
		staleTime: PREFETCHED_FRESH_MS,
	});

/** A customer of `GET /reports/usage/customers` (the usage tab's customer filter). */
export interface UsageCustomer {
	tenantId: string;
	name: string | null;
	domain: string;
}

/**
 * The first `limit` customers of the partner's active associations whose name, domain or
 * tenant ID contains `search` ("" for all), by name (`GET /reports/usage/customers`).
 */
export const usageCustomersQuery = (search: string, limit: number) =>
	queryOptions({
		queryKey: ["reports", "usage", "customers", search, limit],
		queryFn: ({ signal }) =>
			api<{ items: UsageCustomer[]; nextCursor: string | null }>(
				`/reports/usage/customers${query({ q: search, limit })}`,
				{ signal },
			),
		staleTime: 60_000,
	});

/** The Insights page's tab: `?tab=`, else earnings for those who see them, else usage. */
export function insightsTab(
	requested: string | null,
	roles: readonly Role[] | undefined,
): "earnings" | "usage" {
	if (requested === "earnings" || requested === "usage") return requested;
	return roles?.some((r) => EARNINGS_ROLES.includes(r)) ? "earnings" : "usage";
}

/**
 * The Insights route's loader: once `GET /me` (already on its way) says who is signed
 * in, starts the shown tab's first request, while the page's code loads. Returns at
 * once; nothing for anyone but a partner, nor earnings for roles that do not see them.
 */
export function prefetchInsights({ request }: { request: Request }): null {
	const requested = new URL(request.url).searchParams.get("tab");
	void queryClient.ensureQueryData(meQuery).then(
		(me) => {
			if (me?.kind !== "partner") return;
			const tab = insightsTab(requested, me.roles);
			if (tab === "usage")
				void queryClient.prefetchInfiniteQuery(
					usageSlicesQuery({ tenantId: "", from: "", to: "" }),
				);
			else if (me.roles.some((r) => EARNINGS_ROLES.includes(r)))
				void queryClient.prefetchQuery(earningsSlicesQuery(""));
		},
		() => undefined,
	);
	return null;
}
