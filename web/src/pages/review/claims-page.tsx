/**
 * Every claim a reviewer may see (`/review/claims`), not only the open work of the
 * queue: found by a search (name, customer domain, tenant ID) and a status,
 * newest change first, with "Load more" (GET /claims, cursor-paginated). A claim that
 * left the queue (information requested, approved, rejected) is found again here.
 */

import {
	Button,
	Caption1,
	Field,
	Input,
	makeStyles,
	Select,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
} from "@fluentui/react-components";
import { Search20Regular } from "@fluentui/react-icons";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { claimPagesQuery } from "../../api/claims.ts";
import { usePartnerNames } from "../../api/directory.ts";
import { serverNow } from "../../api/session.ts";
import type { ClaimStatus } from "../../api/types.ts";
import { useNarrow } from "../../components/narrow.ts";
import { Page } from "../../components/page.tsx";
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
import { LoadMore, OverdueBadge, RouterLink } from "./shared.tsx";

const PAGE_SIZE = 50;
/** The statuses a reviewer sees (drafts are the partner's own). */
const STATUSES: ClaimStatus[] = [
	"submitted",
	"under_review",
	"partner_action_required",
	"approved",
	"rejected",
];

const useStyles = makeStyles({
	filters: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "flex-start",
		gap: tokens.spacingHorizontalL,
		marginBottom: tokens.spacingVerticalL,
	},
	search: { width: "min(100%, 420px)" },
	status: { width: "min(100%, 240px)" },
	name: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
	mono: { overflowWrap: "anywhere" },
	cards: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	card: {
		padding: tokens.spacingVerticalS,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXXS,
	},
});

/** The orders the list offers (GET /claims `sort`); newest change first by default. */
const SORTS = ["-updatedAt", "dueAt", "-dueAt", "updatedAt"] as const;

/** The list's filters in the page's address: `q` (the search), `status` and `sort`. */
function filtersOf(params: URLSearchParams) {
	const status = params.get("status");
	const sort = params.get("sort");
	return {
		q: params.get("q") ?? undefined,
		status: STATUSES.find((s) => s === status),
		sort: SORTS.find((s) => s === sort && s !== "-updatedAt"),
	};
}

/** A deadline passed by the server's clock (the sandbox's may run ahead), as the queue judges it. */
const overdue = (dueAt: string | null) =>
	!!dueAt && new Date(dueAt).getTime() <= serverNow();

export function ReviewClaimsPage() {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const narrow = useNarrow();
	const [params, setParams] = useSearchParams();
	const filters = filtersOf(params);
	// From the address as it is then (a search that lands after a status pick keeps it).
	const set = (key: "q" | "status" | "sort", value: string | undefined) =>
		setParams(
			(current) => {
				const next = new URLSearchParams(current);
				if (value) next.set(key, value);
				else next.delete(key);
				return next;
			},
			{ replace: true },
		);

	// The search updates the address after a pause, from SEARCH_MIN_LENGTH characters.
	const { search, setSearch, tooShort } = useSearchText(filters.q, (q) =>
		set("q", q),
	);

	const list = useInfiniteQuery(claimPagesQuery(filters, PAGE_SIZE));
	const claims = list.data?.pages.flatMap((p) => p.items) ?? [];
	const partnerName = usePartnerNames(
		claims.map((c) => c.partnerOrganizationId),
	);
	const filtered = !!filters.q || !!filters.status;

	return (
		<Page title={t("claims.title")}>
			<Text block style={{ marginBottom: 12 }}>
				{t("claims.intro")}
			</Text>
			<search className={styles.filters} aria-label={t("claims.filtersLabel")}>
				<Field
					label={t("claims.search")}
					className={styles.search}
					hint={
						tooShort
							? t("claims.searchMinLength", { count: SEARCH_MIN_LENGTH })
							: undefined
					}
				>
					<Input
						type="search"
						value={search}
						onChange={(_, d) => setSearch(d.value)}
						contentBefore={<Search20Regular aria-hidden />}
						placeholder={t("claims.searchPlaceholder")}
						maxLength={200}
						data-testid="review-claims-search"
					/>
				</Field>
				<Field label={t("claims.status")} className={styles.status}>
					<Select
						value={filters.status ?? ""}
						onChange={(_, d) => set("status", d.value || undefined)}
						data-testid="review-claims-status"
					>
						<option value="">{t("claims.allStatuses")}</option>
						{STATUSES.map((s) => (
							<option key={s} value={s}>
								{t(`common:status.${s}`)}
							</option>
						))}
					</Select>
				</Field>
				<Field label={t("dashboard:sort")} className={styles.status}>
					<Select
						value={filters.sort ?? "-updatedAt"}
						onChange={(_, d) =>
							set("sort", d.value === "-updatedAt" ? undefined : d.value)
						}
						data-testid="review-claims-sort"
					>
						{SORTS.map((s) => (
							<option key={s} value={s}>
								{t(`dashboard:sortBy.${s}`)}
							</option>
						))}
					</Select>
				</Field>
			</search>

			<ResultsStatus
				ready={!list.isLoading && !list.isError}
				count={claims.length}
				empty={filtered ? t("claims.emptyFiltered") : t("claims.empty")}
				shown={t("queue.shown", {
					count: claims.length,
					n: formatNumber(claims.length),
				})}
			/>
			{list.isLoading ? (
				<Loading />
			) : list.isError && !list.isFetchNextPageError ? (
				<ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
			) : claims.length === 0 ? (
				<EmptyState
					title={filtered ? t("claims.emptyFiltered") : t("claims.empty")}
				>
					{filtered && (
						<Button
							onClick={() => {
								setSearch("");
								setParams({}, { replace: true });
							}}
						>
							{t("queue.clearFilters")}
						</Button>
					)}
				</EmptyState>
			) : (
				<>
					{narrow ? (
						<ul className={styles.cards} data-testid="review-claims">
							{claims.map((c) => (
								<li
									key={c.id}
									className={styles.card}
									data-testid="review-claims-row"
								>
									<span className={styles.name}>
										<RouterLink to={`/review/claims/${c.id}`}>
											{c.name}
										</RouterLink>
									</span>
									<span>
										<StatusBadge status={c.status} />
									</span>
									<Caption1 className={styles.mono}>
										{partnerName(c.partnerOrganizationId)} · {c.customer.domain}
									</Caption1>
									<Caption1>
										{t("claims.updated", { at: formatDateTime(c.updatedAt) })}
									</Caption1>
									{c.dueAt && (
										<Caption1>
											{t("queue.col.due")}: {formatDateTime(c.dueAt)}
											{overdue(c.dueAt) && (
												<>
													{" "}
													<OverdueBadge />
												</>
											)}
										</Caption1>
									)}
								</li>
							))}
						</ul>
					) : (
						<Table size="small" data-testid="review-claims">
							<TableHeader>
								<TableRow>
									<TableHeaderCell>{t("queue.col.claim")}</TableHeaderCell>
									<TableHeaderCell>{t("queue.col.partner")}</TableHeaderCell>
									<TableHeaderCell>{t("queue.col.customer")}</TableHeaderCell>
									<TableHeaderCell>{t("queue.col.status")}</TableHeaderCell>
									<TableHeaderCell>{t("queue.col.due")}</TableHeaderCell>
									<TableHeaderCell>{t("claims.col.updated")}</TableHeaderCell>
								</TableRow>
							</TableHeader>
							<TableBody>
								{claims.map((c) => (
									<TableRow key={c.id} data-testid="review-claims-row">
										<TableCell className={styles.name}>
											<RouterLink to={`/review/claims/${c.id}`}>
												{c.name}
											</RouterLink>
										</TableCell>
										<TableCell>
											{partnerName(c.partnerOrganizationId)}
										</TableCell>
										<TableCell className={styles.mono}>
											{c.customer.domain}
										</TableCell>
										<TableCell>
											<StatusBadge status={c.status} />
										</TableCell>
										<TableCell data-testid="review-claims-due">
											{formatDateTime(c.dueAt)}
											{overdue(c.dueAt) && (
												<>
													{" "}
													<OverdueBadge />
												</>
											)}
										</TableCell>
										<TableCell>{formatDateTime(c.updatedAt)}</TableCell>
									</TableRow>
								))}
							</TableBody>
						</Table>
					)}
					<LoadMore
						shown={claims.length}
						more={list.hasNextPage}
						loading={list.isFetchingNextPage}
						onMore={() => void list.fetchNextPage()}
					/>
					{list.isFetchNextPageError && (
						<ErrorMessage
							error={list.error}
							onRetry={() => void list.fetchNextPage()}
						/>
					)}
				</>
			)}
		</Page>
	);
}
