/**
 * The review queue (`/review`): open work soonest due first, as the API orders it, with
 * the SLA that runs (R-TIME-2 review start, R-TIME-3 decision, R-TIME-8 dispute answer),
 * its due time, overdue and competing flags (R-CMP-2). Filters by SLA and competing;
 * cursor pagination with "Load more".
 */

import {
	Badge,
	Button,
	Caption1,
	Field,
	makeStyles,
	Select,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { useQueries } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { reviewQueueQuery, useReviewQueue } from "../../api/claims.ts";
import { usePartnerNames } from "../../api/directory.ts";
import { queryClient } from "../../api/query-client.ts";
import { whenSignedIn } from "../../api/session.ts";
import type { QueueItem } from "../../api/types.ts";
import { useRememberListQuery } from "../../components/list-address.ts";
import { Page } from "../../components/page.tsx";
import {
	EmptyState,
	ErrorMessage,
	Loading,
	ResultsStatus,
} from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDateTime, formatNumber } from "../../format.ts";
import {
	CompetingBadge,
	LoadMore,
	OverdueBadge,
	RouterLink,
	SLA_KINDS,
	SLA_RULES,
} from "./shared.tsx";

const PAGE_SIZE = 50;

const useStyles = makeStyles({
	filters: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "flex-end",
		gap: tokens.spacingHorizontalL,
		marginBottom: tokens.spacingVerticalL,
	},
	filter: { minWidth: "200px", "@media (max-width: 480px)": { flexGrow: 1 } },
	table: {
		width: "100%",
		borderCollapse: "collapse",
		"& th": {
			textAlign: "left",
			fontWeight: tokens.fontWeightSemibold,
			color: tokens.colorNeutralForeground2,
			padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
			borderBottom: `2px solid ${tokens.colorNeutralStroke1}`,
			whiteSpace: "nowrap",
		},
		"& td": {
			padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
			borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
			verticalAlign: "top",
		},
		"@media (max-width: 860px)": {
			"& thead": {
				position: "absolute",
				width: "1px",
				height: "1px",
				overflow: "hidden",
				clip: "rect(0 0 0 0)",
			},
			"& tr": {
				display: "block",
				padding: tokens.spacingVerticalS,
				marginBottom: tokens.spacingVerticalM,
				border: `1px solid ${tokens.colorNeutralStroke2}`,
				borderRadius: tokens.borderRadiusLarge,
			},
			"& td": {
				display: "grid",
				gridTemplateColumns: "124px minmax(0, 1fr)",
				gap: tokens.spacingHorizontalS,
				borderBottom: "none",
				padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
			},
			"& td::before": {
				content: "attr(data-label)",
				fontWeight: tokens.fontWeightSemibold,
				color: tokens.colorNeutralForeground3,
			},
		},
	},
	overdueRow: {
		backgroundColor: tokens.colorPaletteRedBackground1,
	},
	name: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
	cell: { display: "flex", flexDirection: "column", gap: "2px", minWidth: 0 },
	flags: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
		alignItems: "flex-start",
	},
	mono: { overflowWrap: "anywhere" },
	nowrap: { whiteSpace: "nowrap" },
});

type Filters = { sla?: string; competing?: string };

/** The queue's filters in the address's query `params`. */
function filtersOf(params: URLSearchParams): Filters {
	const competing = params.get("competing");
	return {
		sla: SLA_KINDS.find((s) => s === params.get("sla")),
		competing:
			competing === "true" || competing === "false" ? competing : undefined,
	};
}

/**
 * The queue route's loader: starts the first page's request for the requested address
 * while the signed-in user is still being asked for (the page waits for that), one
 * round trip sooner; when nobody was signed in, after `GET /me` and only if someone is
 * (`whenSignedIn`). Returns at once; a failure is the page's to show.
 */
export function prefetchQueue({ request }: { request: Request }): null {
	const filters = filtersOf(new URL(request.url).searchParams);
	whenSignedIn(
		() =>
			void queryClient.prefetchQuery(
				reviewQueueQuery({ ...filters, limit: PAGE_SIZE }),
			),
		["reviewer"],
	);
	return null;
}

export function QueuePage() {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const [params, setParams] = useSearchParams();
	const filters = filtersOf(params);
	const { sla, competing } = filters;
	// The claim page's way back returns to these filters.
	const search = params.toString();
	useRememberListQuery("queue", search);
	const [cursors, setCursors] = useState<string[]>([]);
	// biome-ignore lint/correctness/useExhaustiveDependencies: a filter change starts over at the first page
	useEffect(() => setCursors([]), [sla, competing]);

	const first = useReviewQueue({ ...filters, limit: PAGE_SIZE });
	const more = useQueries({
		// Later pages are never prefetched: stale at once, as by default.
		queries: cursors.map((cursor) => ({
			...reviewQueueQuery({ ...filters, limit: PAGE_SIZE, cursor }),
			staleTime: 0,
		})),
	});

	const setFilter = (key: "sla" | "competing", value: string) => {
		const next = new URLSearchParams(params);
		if (value) next.set(key, value);
		else next.delete(key);
		setParams(next, { replace: true });
	};

	const pages = [first.data, ...more.map((m) => m.data)];
	const seen = new Set<string>();
	const items: QueueItem[] = [];
	for (const p of pages)
		for (const item of p?.items ?? []) {
			const key = `${item.claim.id}:${item.sla}`;
			if (seen.has(key)) continue;
			seen.add(key);
			items.push(item);
		}
	const partnerName = usePartnerNames(
		items.map((i) => i.claim.partnerOrganizationId),
	);
	const last = more.length > 0 ? more[more.length - 1] : undefined;
	const nextCursor = last ? last.data?.nextCursor : first.data?.nextCursor;
	const loadingMore = more.some((m) => m.isLoading);
	const moreError = more.find((m) => m.isError)?.error;
	const filtered = !!sla || !!competing;

	return (
		<Page
			title={t("queue.title")}
			actions={
				<Button
					icon={
						first.isFetching ? (
							<Spinner size="tiny" />
						) : (
							<ArrowClockwiseRegular />
						)
					}
					onClick={() => {
						void first.refetch();
						for (const m of more) void m.refetch();
					}}
					disabledFocusable={first.isFetching}
				>
					{t("queue.refresh")}
				</Button>
			}
		>
			<Text block style={{ marginBottom: 12 }}>
				{t("queue.intro")}
			</Text>
			<search className={styles.filters} aria-label={t("queue.filtersLabel")}>
				<Field label={t("queue.filterSla")} className={styles.filter}>
					<Select
						value={sla ?? ""}
						onChange={(_, d) => setFilter("sla", d.value)}
						data-testid="filter-sla"
					>
						<option value="">{t("queue.allSlas")}</option>
						{SLA_KINDS.map((s) => (
							<option key={s} value={s}>
								{`${t(`sla.${s}`)} (${SLA_RULES[s]})`}
							</option>
						))}
					</Select>
				</Field>
				<Field label={t("queue.filterCompeting")} className={styles.filter}>
					<Select
						value={competing ?? ""}
						onChange={(_, d) => setFilter("competing", d.value)}
						data-testid="filter-competing"
					>
						<option value="">{t("queue.competingAll")}</option>
						<option value="true">{t("queue.competingOnly")}</option>
						<option value="false">{t("queue.competingNone")}</option>
					</Select>
				</Field>
				{filtered && (
					<Button appearance="subtle" onClick={() => setParams({})}>
						{t("queue.clearFilters")}
					</Button>
				)}
			</search>

			<ResultsStatus
				ready={!first.isLoading && !first.isError}
				count={items.length}
				empty={filtered ? t("queue.emptyFiltered") : t("queue.empty")}
				shown={t("queue.shown", {
					count: items.length,
					n: formatNumber(items.length),
				})}
			/>
			{first.isLoading ? (
				<Loading />
			) : first.isError ? (
				<ErrorMessage
					error={first.error}
					onRetry={() => void first.refetch()}
				/>
			) : items.length === 0 ? (
				<EmptyState
					title={filtered ? t("queue.emptyFiltered") : t("queue.empty")}
				>
					<Text>
						{filtered ? t("queue.emptyFilteredHelp") : t("queue.emptyHelp")}
					</Text>
					{filtered && (
						<div style={{ marginTop: 12 }}>
							<Button onClick={() => setParams({})}>
								{t("queue.clearFilters")}
							</Button>
						</div>
					)}
				</EmptyState>
			) : (
				<>
					<table className={styles.table} data-testid="review-queue">
						<caption
							style={{
								position: "absolute",
								width: 1,
								height: 1,
								overflow: "hidden",
								clip: "rect(0 0 0 0)",
							}}
						>
							{t("queue.caption")}
						</caption>
						<thead>
							<tr>
								<th scope="col">{t("queue.col.claim")}</th>
								<th scope="col">{t("queue.col.partner")}</th>
								<th scope="col">{t("queue.col.customer")}</th>
								<th scope="col">{t("queue.col.area")}</th>
								<th scope="col">{t("queue.col.status")}</th>
								<th scope="col">{t("queue.col.sla")}</th>
								<th scope="col">{t("queue.col.due")}</th>
							</tr>
						</thead>
						<tbody>
							{items.map((item) => (
								<QueueRow
									key={`${item.claim.id}:${item.sla}`}
									item={item}
									partnerName={partnerName}
								/>
							))}
						</tbody>
					</table>
					<LoadMore
						shown={items.length}
						more={!!nextCursor}
						loading={loadingMore}
						onMore={() => nextCursor && setCursors((c) => [...c, nextCursor])}
					/>
					{moreError && (
						<ErrorMessage
							error={moreError}
							onRetry={() => {
								for (const m of more) if (m.isError) void m.refetch();
							}}
						/>
					)}
				</>
			)}
		</Page>
	);
}

function QueueRow({
	item,
	partnerName,
}: {
	item: QueueItem;
	partnerName: (organizationId: string) => string;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const c = item.claim;
	// Back from the partner with an answer (and perhaps new PoE): worth a look first.
	const resubmitted =
		c.status === "under_review" && !!c.informationRequest?.answeredAt;
	return (
		<tr
			data-testid="queue-row"
			data-claim-id={c.id}
			data-sla={item.sla}
			data-overdue={item.overdue ? "true" : "false"}
			className={item.overdue ? styles.overdueRow : undefined}
		>
			<td data-label={t("queue.col.claim")}>
				<div className={styles.cell}>
					<span className={styles.name}>
						<RouterLink to={`/review/claims/${c.id}`}>{c.name}</RouterLink>
					</span>
					{(c.competing || resubmitted) && (
						<span className={styles.flags}>
							{c.competing && <CompetingBadge claimId={c.id} />}
							{resubmitted && (
								<Badge
									appearance="tint"
									color="informative"
									data-testid="resubmitted-badge"
								>
									{t("queue.resubmitted")}
								</Badge>
							)}
						</span>
					)}
				</div>
			</td>
			<td data-label={t("queue.col.partner")}>
				<div className={styles.cell}>
					<Text data-testid="queue-partner">
						{partnerName(c.partnerOrganizationId)}
					</Text>
					<Caption1>{t("queue.mpn", { mpn: c.mpnId })}</Caption1>
				</div>
			</td>
			<td data-label={t("queue.col.customer")}>
				<Text className={styles.mono}>{c.customer.domain}</Text>
			</td>
			<td data-label={t("queue.col.area")}>
				<div className={styles.cell}>
					<Text>{t(`common:solutionArea.${c.solutionArea}`)}</Text>
					<Caption1>{t(`common:activity.${c.activity}`)}</Caption1>
				</div>
			</td>
			<td data-label={t("queue.col.status")}>
				<div className={`${styles.flags} ${styles.nowrap}`}>
					<StatusBadge status={c.status} />
				</div>
			</td>
			<td data-label={t("queue.col.sla")}>
				<div className={styles.cell}>
					<Text>{t(`sla.${item.sla}`)}</Text>
					<Caption1>{SLA_RULES[item.sla]}</Caption1>
				</div>
			</td>
			<td data-label={t("queue.col.due")}>
				<div className={styles.cell}>
					<Text className={styles.nowrap}>
						<time dateTime={item.dueAt ?? undefined}>
							{formatDateTime(item.dueAt)}
						</time>
					</Text>
					{item.overdue && (
						<span className={styles.flags}>
							<OverdueBadge />
						</span>
					)}
				</div>
			</td>
		</tr>
	);
}
