/**
 * The customer associations dashboard (R-DSH-1): the organization's claims with status,
 * the deadline that needs the partner, competing and eligibility; counts per status that
 * filter; filters, search, sort, "load more" pagination and CSV export of the same filters.
 */

import {
	Badge,
	Button,
	Caption1,
	Card,
	Field,
	Input,
	MessageBar,
	MessageBarBody,
	makeStyles,
	Select,
	Spinner,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
} from "@fluentui/react-components";
import {
	Add20Regular,
	ArrowDownload20Regular,
	Dismiss20Regular,
	Filter20Regular,
	Search20Regular,
} from "@fluentui/react-icons";
import {
	queryOptions,
	useInfiniteQuery,
	useQuery,
} from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
	Navigate,
	useLocation,
	useNavigate,
	useSearchParams,
} from "react-router";
import {
	type ClaimFilters,
	claimKeys,
	claimPagesQuery,
	cleanFilters,
	query,
} from "../../api/claims.ts";
import { api } from "../../api/client.ts";
import { mpnIdsQuery, useMpnIds } from "../../api/directory.ts";
import { PREFETCHED_FRESH_MS, queryClient } from "../../api/query-client.ts";
import { useMe, whenSignedIn } from "../../api/session.ts";
import type { Claim, ClaimStatus } from "../../api/types.ts";
import { useRememberListQuery } from "../../components/list-address.ts";
import { MessageBarClose } from "../../components/message-bar-close.tsx";
import { useNarrow } from "../../components/narrow.ts";
import { Page } from "../../components/page.tsx";
import { useRouterClick } from "../../components/router-click.ts";
import {
	SEARCH_MIN_LENGTH,
	useSearchText,
} from "../../components/search-text.ts";
import {
	EmptyState,
	ErrorMessage,
	Loading,
	ResultsStatus,
} from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDateTime, formatNumber } from "../../format.ts";
import { homeFor } from "../../shell.tsx";
import { canWrite } from "./claim/model.ts";
import {
	CompetingBadge,
	EligibilityBadges,
	PartnerDeadlineText,
	RouterLink,
	VisuallyHidden,
} from "./claim/parts.tsx";

const STATUSES: ClaimStatus[] = [
	"draft",
	"submitted",
	"under_review",
	"partner_action_required",
	"approved",
	"rejected",
];
const SORTS = ["-updatedAt", "updatedAt", "dueAt", "-dueAt"] as const;

type Sort = (typeof SORTS)[number];
const PAGE_SIZE = 50;
/** How many claims the counters look at (the API has no count endpoint). */

const useStyles = makeStyles({
	legend: {
		position: "absolute",
		width: "1px",
		height: "1px",
		overflow: "hidden",
		clip: "rect(0 0 0 0)",
		whiteSpace: "nowrap",
	},
	counters: {
		border: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		marginBottom: tokens.spacingVerticalS,
	},
	counter: {
		display: "inline-flex",
		flexDirection: "column",
		alignItems: "flex-start",
		minWidth: "120px",
		textAlign: "left",
		"@media (max-width: 760px)": {
			minWidth: 0,
			flexGrow: 1,
			flexBasis: "calc(50% - 8px)",
			flexDirection: "row",
			alignItems: "center",
			justifyContent: "space-between",
			gap: tokens.spacingHorizontalS,
			paddingTop: tokens.spacingVerticalXS,
			paddingBottom: tokens.spacingVerticalXS,
		},
		paddingTop: tokens.spacingVerticalS,
		paddingBottom: tokens.spacingVerticalS,
	},
	counterValue: {
		fontSize: tokens.fontSizeBase500,
		fontWeight: tokens.fontWeightSemibold,
		lineHeight: tokens.lineHeightBase500,
	},
	countNote: {
		display: "block",
		color: tokens.colorNeutralForeground3,
		marginBottom: tokens.spacingVerticalM,
	},
	filters: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "flex-end",
		columnGap: tokens.spacingHorizontalM,
		// Room for the search box's hint below it (searchHint).
		rowGap: tokens.spacingVerticalXL,
		marginBottom: tokens.spacingVerticalXL,
	},
	filter: { minWidth: "150px", flexGrow: 1, flexBasis: "170px" },
	sortFilter: { minWidth: "200px", flexGrow: 1, flexBasis: "220px" },
	search: {
		minWidth: "200px",
		flexGrow: 2,
		flexBasis: "260px",
		position: "relative",
	},
	// Below the box, in the row's bottom margin: showing it moves nothing else.
	searchHint: {
		position: "absolute",
		top: "100%",
		left: 0,
		right: 0,
	},
	select: { width: "100%" },
	selectEl: { width: "100%", minWidth: 0, textOverflow: "ellipsis" },
	actions: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
	},
	tableWrap: { overflowX: "auto" },
	table: { minWidth: "1100px" },
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
		color: tokens.colorNeutralForeground3,
		wordBreak: "break-all",
	},
	cellStack: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXXS,
		paddingTop: tokens.spacingVerticalS,
		paddingBottom: tokens.spacingVerticalS,
	},
	badges: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
		alignItems: "flex-start",
	},
	muted: { color: tokens.colorNeutralForeground3 },
	cards: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		listStyleType: "none",
		padding: 0,
		margin: 0,
	},
	card: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	cardRow: {
		display: "grid",
		gridTemplateColumns: "100px minmax(0, 1fr)",
		gap: tokens.spacingHorizontalS,
		alignItems: "baseline",
		"& > div": { paddingTop: 0, paddingBottom: 0 },
	},
	footer: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalM,
		marginTop: tokens.spacingVerticalL,
	},
});

/** The filters kept in the address (shareable; back keeps them). */
/** The dashboard's filters in the address's query `params`. */
function filtersOf(params: URLSearchParams): ClaimFilters {
	return {
		status: params.get("status") ?? undefined,
		solutionArea: params.get("solutionArea") ?? undefined,
		activity: params.get("activity") ?? undefined,
		mpnId: params.get("mpnId") ?? undefined,
		competing:
			(params.get("competing") as "true" | "false" | null) ?? undefined,
		q: params.get("q") ?? undefined,
		sort: (SORTS as readonly string[]).includes(params.get("sort") ?? "")
			? (params.get("sort") as Sort)
			: undefined,
	};
}

function useFilterParams() {
	const [params, setParams] = useSearchParams();
	const filters = filtersOf(params);
	// The claim page's way back (and a deleted draft's) returns to these filters.
	const search = params.toString();
	useRememberListQuery("claims", search);
	const set = (key: keyof ClaimFilters, value: string | undefined) => {
		setParams(
			(prev) => {
				const next = new URLSearchParams(prev);
				if (value) next.set(key, value);
				else next.delete(key);
				return next;
			},
			{ replace: true },
		);
	};
	const clear = () => setParams(new URLSearchParams(), { replace: true });
	return { filters, set, clear };
}

/** The dashboard's list of claims under `filters`, page by page (GET /claims). */
const listQuery = (filters: ClaimFilters) =>
	claimPagesQuery(filters, PAGE_SIZE);

/** The counts per status over `filters` other than the status itself (GET /claims/counts). */
function countsQuery(filters: ClaimFilters) {
	const countFilters = cleanFilters({
		...filters,
		status: undefined,
		sort: undefined,
	});
	return queryOptions({
		queryKey: [...claimKeys.lists(), "counts", countFilters],
		queryFn: ({ signal }) =>
			api<{ counts: Record<string, number>; total: number }>(
				`/claims/counts${query({ ...countFilters })}`,
				{ signal },
			),
		staleTime: PREFETCHED_FRESH_MS,
	});
}

/**
 * The dashboard route's loader: starts its three requests for the requested address
 * while the signed-in user is still being asked for (the page's own queries wait for
 * that), one round trip sooner; when nobody was signed in, after `GET /me` and only if
 * someone is (`whenSignedIn`). Returns at once; a failure is the page's to show.
 */
export function prefetchDashboard({ request }: { request: Request }): null {
	const filters = filtersOf(new URL(request.url).searchParams);
	whenSignedIn(() => {
		void queryClient.prefetchInfiniteQuery(listQuery(filters));
		void queryClient.prefetchQuery(countsQuery(filters));
		void queryClient.prefetchQuery(mpnIdsQuery);
	}, ["partner"]);
	return null;
}

export function DashboardPage() {
	const { t } = useTranslation("dashboard");
	const styles = useStyles();
	const me = useMe();
	const narrow = useNarrow();
	const { filters, set, clear } = useFilterParams();
	// A draft deleted on its page comes back here with its name (router state).
	const location = useLocation();
	const navigate = useNavigate();
	const [deleted, setDeleted] = useState<string | null>(
		(location.state as { deleted?: string } | null)?.deleted ?? null,
	);
	// Said once: Back or a reload to this entry does not say it again.
	// biome-ignore lint/correctness/useExhaustiveDependencies: only when the page opens
	useEffect(() => {
		if ((location.state as { deleted?: string } | null)?.deleted)
			void navigate(`${location.pathname}${location.search}`, {
				replace: true,
				state: null,
			});
	}, []);
	const writer = canWrite(me.data);
	const newClaimClick = useRouterClick("/claims/new");

	// The search box updates the address after a pause (debounced), from
	// SEARCH_MIN_LENGTH characters on; shorter text searches nothing and says so (a rare
	// pair of letters had the server read Fabrikam's 170,120 claims: 12 s warm, 39 s cold).
	const {
		search,
		setSearch,
		tooShort: searchTooShort,
	} = useSearchText(filters.q, (q) => set("q", q));

	const list = useInfiniteQuery({
		...listQuery(filters),
		enabled: me.data?.kind === "partner",
	});
	// Counts per status over the other filters (not the status itself).
	const counts = useQuery({
		...countsQuery(filters),
		enabled: me.data?.kind === "partner",
	});
	const tally = useMemo(
		() => new Map(Object.entries(counts.data?.counts ?? {})),
		[counts.data],
	);

	const { data: mpnIds } = useMpnIds();
	const csvHref = `/api/v1/claims${query({ ...cleanFilters({ ...filters }), format: "csv" })}`;
	const anyFilter = Object.values(filters).some(Boolean);
	const activeFilters = [
		filters.solutionArea,
		filters.activity,
		filters.mpnId,
		filters.competing,
		filters.sort,
	].filter(Boolean).length;
	const [showFilters, setShowFilters] = useState(false);
	const filtersVisible = !narrow || showFilters;

	if (me.isLoading) return <Loading />;
	if (me.data && me.data.kind !== "partner")
		return <Navigate to={homeFor(me.data)} replace />;

	const claims = list.data?.pages.flatMap((p) => p.items) ?? [];
	// How many claims the filters match, from the counters (for "50 of 54").
	const total = counts.data
		? filters.status
			? filters.status
					.split(",")
					.reduce((sum, s) => sum + (tally.get(s) ?? 0), 0)
			: counts.data.total
		: undefined;
	const countText = (n: number | undefined) =>
		counts.isLoading || n === undefined ? "…" : formatNumber(n);

	const newClaim = writer ? (
		<Button
			as="a"
			href="/claims/new"
			onClick={newClaimClick}
			appearance="primary"
			icon={<Add20Regular />}
		>
			{t("common:nav.newClaim")}
		</Button>
	) : null;

	return (
		<Page
			title={t("common:nav.claims")}
			actions={
				<div className={styles.actions}>
					{newClaim}
					<Button
						as="a"
						href={csvHref}
						download="claims.csv"
						icon={<ArrowDownload20Regular />}
					>
						{t("exportCsv")}
					</Button>
				</div>
			}
		>
			{deleted && (
				<MessageBar intent="success" role="status" data-testid="draft-deleted">
					<MessageBarBody>
						{t("draftDeleted", { name: deleted })}
					</MessageBarBody>
					<MessageBarClose onClose={() => setDeleted(null)} />
				</MessageBar>
			)}
			<fieldset className={styles.counters}>
				<legend className={styles.legend}>{t("countsLabel")}</legend>
				<Button
					className={styles.counter}
					appearance={filters.status ? "secondary" : "primary"}
					aria-pressed={!filters.status}
					onClick={() => set("status", undefined)}
					data-testid="status-count-all"
				>
					<span>{t("all")}</span>
					<span className={styles.counterValue}>
						{countText(counts.data?.total)}
					</span>
				</Button>
				{STATUSES.map((s) => (
					<Button
						key={s}
						className={styles.counter}
						appearance={filters.status === s ? "primary" : "secondary"}
						aria-pressed={filters.status === s}
						onClick={() => set("status", filters.status === s ? undefined : s)}
						data-testid={`status-count-${s}`}
						data-count={counts.data ? (tally.get(s) ?? 0) : undefined}
					>
						<span>{t(`common:status.${s}`)}</span>
						<span className={styles.counterValue}>
							{countText(counts.data ? (tally.get(s) ?? 0) : undefined)}
						</span>
					</Button>
				))}
			</fieldset>
			<Caption1 className={styles.countNote}>
				{counts.isError ? t("countsFailed") : t("countsNote")}
			</Caption1>

			<search className={styles.filters} aria-label={t("filtersLabel")}>
				<Field
					label={t("search")}
					className={styles.search}
					hint={
						searchTooShort
							? {
									className: styles.searchHint,
									children: t("searchMinLength", {
										count: SEARCH_MIN_LENGTH,
									}),
								}
							: undefined
					}
				>
					<Input
						type="search"
						value={search}
						onChange={(_, d) => setSearch(d.value)}
						contentBefore={<Search20Regular aria-hidden />}
						placeholder={t("searchPlaceholder")}
						data-testid="claims-search"
					/>
				</Field>
				{narrow && (
					<Button
						icon={<Filter20Regular />}
						aria-expanded={showFilters}
						onClick={() => setShowFilters(!showFilters)}
					>
						{activeFilters
							? t("filtersButtonCount", { n: activeFilters })
							: t("filtersButton")}
					</Button>
				)}
				{filtersVisible && (
					<>
						<Field label={t("solutionArea")} className={styles.filter}>
							<Select
								className={styles.select}
								select={{ className: styles.selectEl }}
								value={filters.solutionArea ?? ""}
								onChange={(_, d) => set("solutionArea", d.value || undefined)}
							>
								<option value="">{t("any")}</option>
								<option value="business_applications">
									{t("common:solutionArea.business_applications")}
								</option>
								<option value="microsoft_365">
									{t("common:solutionArea.microsoft_365")}
								</option>
							</Select>
						</Field>
						<Field label={t("activity")} className={styles.filter}>
							<Select
								className={styles.select}
								select={{ className: styles.selectEl }}
								value={filters.activity ?? ""}
								onChange={(_, d) => set("activity", d.value || undefined)}
							>
								<option value="">{t("any")}</option>
								{(["presales", "usage", "revenue_association"] as const).map(
									(a) => (
										<option key={a} value={a}>
											{t(`common:activity.${a}`)}
										</option>
									),
								)}
							</Select>
						</Field>
						<Field label={t("mpnId")} className={styles.filter}>
							<Select
								className={styles.select}
								select={{ className: styles.selectEl }}
								value={filters.mpnId ?? ""}
								onChange={(_, d) => set("mpnId", d.value || undefined)}
							>
								<option value="">{t("any")}</option>
								{(mpnIds ?? []).map((m) => (
									<option key={m.mpnId} value={m.mpnId}>
										{m.mpnId}
									</option>
								))}
								{filters.mpnId &&
									!(mpnIds ?? []).some((m) => m.mpnId === filters.mpnId) && (
										<option value={filters.mpnId}>{filters.mpnId}</option>
									)}
							</Select>
						</Field>
						<Field label={t("competingFilter")} className={styles.filter}>
							<Select
								className={styles.select}
								select={{ className: styles.selectEl }}
								value={filters.competing ?? ""}
								onChange={(_, d) => set("competing", d.value || undefined)}
							>
								<option value="">{t("any")}</option>
								<option value="true">{t("competingOnly")}</option>
								<option value="false">{t("notCompeting")}</option>
							</Select>
						</Field>
						<Field label={t("sort")} className={styles.sortFilter}>
							<Select
								className={styles.select}
								select={{ className: styles.selectEl }}
								value={filters.sort ?? "-updatedAt"}
								onChange={(_, d) =>
									set("sort", d.value === "-updatedAt" ? undefined : d.value)
								}
							>
								{SORTS.map((s) => (
									<option key={s} value={s}>
										{t(`sortBy.${s}`)}
									</option>
								))}
							</Select>
						</Field>
					</>
				)}
				{anyFilter && (
					<Button
						icon={<Dismiss20Regular />}
						onClick={() => {
							setSearch("");
							clear();
						}}
					>
						{t("clearFilters")}
					</Button>
				)}
			</search>

			<ResultsStatus
				ready={!list.isLoading && !list.isError}
				count={claims.length}
				empty={anyFilter ? t("noMatchTitle") : t("emptyTitle")}
				shown={t("showing", {
					count: claims.length,
					n: formatNumber(claims.length),
				})}
			/>
			{list.isLoading ? (
				<Loading label={t("loadingClaims")} />
			) : list.isError ? (
				<ErrorMessage error={list.error} onRetry={() => list.refetch()} />
			) : claims.length === 0 ? (
				anyFilter ? (
					<EmptyState title={t("noMatchTitle")}>
						<Text block align="center">
							{t("noMatchText")}
						</Text>
						<Button
							style={{ marginTop: 12 }}
							onClick={() => {
								setSearch("");
								clear();
							}}
						>
							{t("clearFilters")}
						</Button>
					</EmptyState>
				) : (
					<EmptyState title={t("emptyTitle")}>
						<Text block align="center">
							{writer ? t("emptyText") : t("emptyTextViewer")}
						</Text>
						{newClaim && <div style={{ marginTop: 12 }}>{newClaim}</div>}
					</EmptyState>
				)
			) : narrow ? (
				<ClaimCards claims={claims} />
			) : (
				<ClaimTable claims={claims} />
			)}

			{claims.length > 0 && (
				<div className={styles.footer}>
					<Text data-testid="claims-shown">
						{list.hasNextPage && total !== undefined && total > claims.length
							? t("showingOf", {
									count: total,
									n: formatNumber(claims.length),
									total: formatNumber(total),
								})
							: t("showing", {
									count: claims.length,
									n: formatNumber(claims.length),
								})}
					</Text>
					{list.hasNextPage && (
						<Button
							onClick={() => list.fetchNextPage()}
							disabledFocusable={list.isFetchingNextPage}
							icon={
								list.isFetchingNextPage ? <Spinner size="tiny" /> : undefined
							}
						>
							{t("loadMore")}
						</Button>
					)}
				</div>
			)}
			{list.isFetchNextPageError && (
				<ErrorMessage error={list.error} onRetry={() => list.fetchNextPage()} />
			)}
		</Page>
	);
}

function CustomerCell({ claim }: { claim: Claim }) {
	const styles = useStyles();
	const { t } = useTranslation("dashboard");
	return (
		<div className={styles.cellStack}>
			<Text>{claim.customer.domain}</Text>
			<span className={styles.mono}>
				<VisuallyHidden>{t("tenantId")}: </VisuallyHidden>
				{claim.customer.tenantId}
			</span>
		</div>
	);
}

function ProductsCell({ claim }: { claim: Claim }) {
	const styles = useStyles();
	const { t } = useTranslation("dashboard");
	if (claim.products.length === 0)
		return <Text className={styles.muted}>{t("noProducts")}</Text>;
	return (
		<div className={styles.cellStack}>
			{claim.products.map((p) => (
				<Text key={`${p.productId}-${p.subscriptionId ?? ""}`}>{p.name}</Text>
			))}
		</div>
	);
}

function StatusCell({ claim }: { claim: Claim }) {
	const styles = useStyles();
	const { t } = useTranslation("dashboard");
	return (
		<div className={`${styles.cellStack} ${styles.badges}`}>
			<span data-testid="claim-row-status">
				<StatusBadge status={claim.status} />
			</span>
			{claim.competing && <CompetingBadge />}
			{claim.dispute?.status === "open" && (
				<Badge appearance="outline" color="informative">
					{t("disputeOpen")}
				</Badge>
			)}
		</div>
	);
}

function EligibilityCell({ claim }: { claim: Claim }) {
	const styles = useStyles();
	const { t } = useTranslation("dashboard");
	if (claim.eligibility.length === 0)
		return (
			<Text className={styles.muted}>
				<span aria-hidden>—</span>
				<VisuallyHidden>{t("notEvaluated")}</VisuallyHidden>
			</Text>
		);
	return <EligibilityBadges eligibility={claim.eligibility} />;
}

function ClaimTable({ claims }: { claims: Claim[] }) {
	const { t } = useTranslation("dashboard");
	const styles = useStyles();
	return (
		<div className={styles.tableWrap}>
			<Table
				className={styles.table}
				aria-label={t("tableLabel")}
				data-testid="claims-table"
			>
				<TableHeader>
					<TableRow>
						<TableHeaderCell style={{ width: "19%" }}>
							{t("col.name")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "175px" }}>
							{t("col.status")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "20%" }}>
							{t("col.customer")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "13%" }}>
							{t("col.products")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "90px" }}>
							{t("col.mpnId")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "13%" }}>
							{t("col.deadline")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "17%" }}>
							{t("col.eligibility")}
						</TableHeaderCell>
						<TableHeaderCell style={{ width: "12%" }}>
							{t("col.updated")}
						</TableHeaderCell>
					</TableRow>
				</TableHeader>
				<TableBody>
					{claims.map((c) => (
						<TableRow
							key={c.id}
							data-testid="claim-row"
							data-claim-id={c.id}
							data-status={c.status}
						>
							<TableCell>
								<div className={styles.cellStack}>
									<RouterLink to={`/claims/${c.id}`}>{c.name}</RouterLink>
									<Caption1 className={styles.muted}>
										{t(`common:solutionArea.${c.solutionArea}`)} ·{" "}
										{t(`common:activity.${c.activity}`)}
									</Caption1>
								</div>
							</TableCell>
							<TableCell>
								<StatusCell claim={c} />
							</TableCell>
							<TableCell>
								<CustomerCell claim={c} />
							</TableCell>
							<TableCell>
								<ProductsCell claim={c} />
							</TableCell>
							<TableCell>{c.mpnId}</TableCell>
							<TableCell>
								<PartnerDeadlineText claim={c} />
							</TableCell>
							<TableCell>
								<EligibilityCell claim={c} />
							</TableCell>
							<TableCell>{formatDateTime(c.updatedAt)}</TableCell>
						</TableRow>
					))}
				</TableBody>
			</Table>
		</div>
	);
}

/** Phone layout: one card per claim with the same facts. */
function ClaimCards({ claims }: { claims: Claim[] }) {
	const { t } = useTranslation("dashboard");
	const styles = useStyles();
	return (
		<ul className={styles.cards} aria-label={t("tableLabel")}>
			{claims.map((c) => (
				<li
					key={c.id}
					data-testid="claim-row"
					data-claim-id={c.id}
					data-status={c.status}
				>
					<Card className={styles.card}>
						<Text weight="semibold">
							<RouterLink to={`/claims/${c.id}`}>{c.name}</RouterLink>
						</Text>
						<StatusCell claim={c} />
						<PartnerDeadlineText claim={c} />
						<div className={styles.cardRow}>
							<Caption1 className={styles.muted}>{t("col.customer")}</Caption1>
							<CustomerCell claim={c} />
						</div>
						<div className={styles.cardRow}>
							<Caption1 className={styles.muted}>{t("col.products")}</Caption1>
							<ProductsCell claim={c} />
						</div>
						<div className={styles.cardRow}>
							<Caption1 className={styles.muted}>{t("col.mpnId")}</Caption1>
							<Text>{c.mpnId}</Text>
						</div>
						{c.eligibility.length > 0 && (
							<div className={styles.cardRow}>
								<Caption1 className={styles.muted}>
									{t("col.eligibility")}
								</Caption1>
								<EligibilityBadges eligibility={c.eligibility} />
							</div>
						)}
						<div className={styles.cardRow}>
							<Caption1 className={styles.muted}>{t("col.updated")}</Caption1>
							<Text>{formatDateTime(c.updatedAt)}</Text>
						</div>
					</Card>
				</li>
			))}
		</ul>
	);
}
