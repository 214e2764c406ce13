/**
 * Partner insights: earnings and payout reporting (R-ELG-2: per MPN ID and program, the
 * eligible active associations, CSV export) and the usage report (R-ACC-2: monthly active
 * users and paid available units of the claimed products of active associations, as a
 * table and a chart with a table fallback). `?tab=earnings|usage`.
 */
import {
	Badge,
	Body1,
	Button,
	Caption1,
	Card,
	Dropdown,
	Field,
	Input,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Option,
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
	ArrowDownloadRegular,
	DataTrendingRegular,
	MoneyRegular,
} from "@fluentui/react-icons";
import {
	keepPreviousData,
	useInfiniteQuery,
	useQuery,
} from "@tanstack/react-query";
import { type ReactNode, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouterLink } from "react-router";
import {
	Bar,
	CartesianGrid,
	ComposedChart,
	Legend,
	Line,
	ResponsiveContainer,
	Tooltip,
	XAxis,
	YAxis,
} from "recharts";
import { query } from "../../api/claims.ts";
import { ApiError, api } from "../../api/client.ts";
import {
	type EarningsGroup,
	type EarningsSlices,
	earningsSlicesQuery,
	insightsTab,
	MORE_ROWS,
	PROGRAMS,
	type Program,
	ROWS_SHOWN,
	type UsageSlice,
	usageSlicesQuery,
} from "../../api/reports.ts";
import { useMe } from "../../api/session.ts";
import { Page } from "../../components/page.tsx";
import { EmptyState, ErrorMessage, Loading } from "../../components/states.tsx";
import { formatDate, formatNumber } from "../../format.ts";
import i18n from "../../i18n/index.ts";
import { Tabs, useTabParam } from "../admin/tabs.tsx";
import { CustomerPicker, type PickedCustomer } from "./customer-picker.tsx";

// ---- styles -----------------------------------------------------------------------

const useStyles = makeStyles({
	panel: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		minWidth: 0,
	},
	intro: { maxWidth: "80ch" },
	filters: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalM,
		alignItems: "flex-end",
	},
	// Wide enough for the customer search's placeholder in every language.
	filter: { width: "min(100%, 340px)" },
	month: { width: "min(100%, 190px)" },
	tiles: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 140px), 1fr))",
		gap: tokens.spacingHorizontalM,
		listStyleType: "none",
		margin: 0,
		padding: 0,
	},
	tile: {
		padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
		borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
		backgroundColor: tokens.colorNeutralBackground1,
	},
	group: { minWidth: 0 },
	groupHead: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalS,
	},
	scroll: { overflowX: "auto", maxWidth: "100%" },
	num: { textAlign: "end", fontVariantNumeric: "tabular-nums" },
	numHead: { justifyContent: "flex-end", textAlign: "end" },
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
		overflowWrap: "anywhere",
	},
	claimLink: {
		color: tokens.colorBrandForegroundLink,
		textDecoration: "underline",
		overflowWrap: "anywhere",
		":hover": { color: tokens.colorBrandForegroundLinkHover },
		":focus-visible": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			outlineOffset: "1px",
			borderRadius: tokens.borderRadiusSmall,
		},
	},
	list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
	charts: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 420px), 1fr))",
		gap: tokens.spacingHorizontalL,
	},
	figure: { margin: 0, minWidth: 0 },
	chart: { width: "100%", height: "240px" },
	details: {
		marginTop: tokens.spacingVerticalS,
		"& summary": { cursor: "pointer" },
	},
});

// ---- page -------------------------------------------------------------------------

type TabKey = "earnings" | "usage";

export function InsightsPage() {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	const me = useMe();
	const [requested, selectTab] = useTabParam();
	const tab: TabKey = insightsTab(requested, me.data?.roles);
	return (
		<Page title={t("title")}>
			<Tabs
				id="insights"
				label={t("tabsLabel")}
				selected={tab}
				onSelect={selectTab}
				tabs={[
					{
						value: "earnings",
						label: t("tabs.earnings"),
						icon: <MoneyRegular />,
					},
					{
						value: "usage",
						label: t("tabs.usage"),
						icon: <DataTrendingRegular />,
					},
				]}
			>
				<div className={styles.panel}>
					{tab === "earnings" ? <Earnings /> : <Usage />}
				</div>
			</Tabs>
		</Page>
	);
}

function ClaimLink({ id, children }: { id: string; children: ReactNode }) {
	const styles = useStyles();
	return (
		<RouterLink
			to={`/claims/${encodeURIComponent(id)}`}
			title={id}
			className={styles.claimLink}
		>
			{children}
		</RouterLink>
	);
}

/** A horizontally scrollable table region, reachable by keyboard. */
function Scroll({ label, children }: { label: string; children: ReactNode }) {
	const styles = useStyles();
	return (
		<section
			className={styles.scroll}
			aria-label={label}
			// biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
			tabIndex={0}
		>
			{children}
		</section>
	);
}

// ---- earnings ---------------------------------------------------------------------

function Earnings() {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	const me = useMe();
	const [program, setProgram] = useState<Program | "">("");
	// Each group's first rows with its total (the whole report of a large partner is tens
	// of MB; the CSV export has it); a group's table asks for more itself.
	const report = useQuery({
		...earningsSlicesQuery(program),
		placeholderData: keepPreviousData,
		// A refetch starts each table over: not when the window regains focus.
		refetchOnWindowFocus: false,
		retry: false,
	});

	if (report.error instanceof ApiError && report.error.status === 403)
		return (
			<MessageBar intent="info" data-testid="earnings-forbidden">
				<MessageBarBody>
					<MessageBarTitle>{t("earnings.forbiddenTitle")}</MessageBarTitle>
					{t("earnings.forbiddenText", {
						roles: (me.data?.roles ?? [])
							.map((r) => t(`common:roles.${r}`))
							.join(", "),
					})}
				</MessageBarBody>
			</MessageBar>
		);

	const groups = report.data?.items ?? [];
	const byProgram = (p: Program) =>
		groups.filter((g) => g.program === p).reduce((n, g) => n + g.total, 0);
	const csv = `/api/v1/reports/earnings${query({ program, format: "csv" })}`;

	return (
		<>
			<Body1 as="p" block className={styles.intro}>
				{t("earnings.intro")}
			</Body1>
			<div className={styles.filters}>
				<Field className={styles.filter} label={t("earnings.program")}>
					<Dropdown
						value={
							program
								? t(`common:program.${program}`)
								: t("earnings.allPrograms")
						}
						selectedOptions={[program]}
						onOptionSelect={(_, d) =>
							setProgram((d.optionValue ?? "") as Program | "")
						}
					>
						<Option value="">{t("earnings.allPrograms")}</Option>
						{PROGRAMS.map((p) => (
							<Option key={p} value={p}>
								{t(`common:program.${p}`)}
							</Option>
						))}
					</Dropdown>
				</Field>
				<Button as="a" href={csv} download icon={<ArrowDownloadRegular />}>
					{t("exportCsv")}
				</Button>
				{report.isFetching && !report.isLoading && (
					<Spinner size="tiny" label={t("common:loading")} />
				)}
			</div>

			{report.isLoading ? (
				<Loading />
			) : report.isError ? (
				<ErrorMessage error={report.error} onRetry={() => report.refetch()} />
			) : groups.length === 0 ? (
				<EmptyState title={t("earnings.emptyTitle")}>
					<Body1>{t("earnings.emptyText")}</Body1>
				</EmptyState>
			) : (
				<>
					<ul className={styles.tiles} aria-label={t("earnings.totals")}>
						<li className={styles.tile}>
							<Text size={600} weight="semibold" block>
								{formatNumber(report.data?.claimCount ?? 0)}
							</Text>
							<Caption1>{t("earnings.eligibleAssociations")}</Caption1>
						</li>
						{PROGRAMS.filter((p) => !program || p === program).map((p) => (
							<li key={p} className={styles.tile}>
								<Text size={600} weight="semibold" block>
									{formatNumber(byProgram(p))}
								</Text>
								<Caption1>
									{t("earnings.inProgram", {
										program: t(`common:program.${p}`),
									})}
								</Caption1>
							</li>
						))}
					</ul>
					{groups.map((g) => (
						<EarningsGroupTable
							key={`${g.mpnId}-${g.program}`}
							group={g}
							of={report.dataUpdatedAt}
						/>
					))}
				</>
			)}
		</>
	);
}

/**
 * The button under a table that shows more of its rows, while `hidden` rows remain;
 * `busy` while they load.
 */
function ShowMore({
	hidden,
	label,
	onMore,
	busy = false,
}: {
	hidden: number;
	label: string;
	onMore: () => void;
	busy?: boolean;
}) {
	if (hidden <= 0) return null;
	return (
		<Button
			style={{ marginTop: 8 }}
			onClick={onMore}
			disabled={busy}
			icon={busy ? <Spinner size="tiny" /> : undefined}
		>
			{label}
		</Button>
	);
}

/**
 * One MPN ID and program of the earnings report: its first {@link ROWS_SHOWN}
 * associations, {@link MORE_ROWS} more per request from the API (a large partner's group
 * holds tens of thousands; the CSV export has them all).
 */
function EarningsGroupTable({
	group: g,
	of,
}: {
	group: EarningsGroup;
	/** When the report with this group was read (a new read starts the table over). */
	of: number;
}) {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	const headingId = useId();
	// The report's slice of the group is the first page; "show more" reads the next.
	const slices = useInfiniteQuery({
		queryKey: ["reports", "earnings", "group", g.mpnId, g.program, of],
		queryFn: async ({ pageParam }) =>
			(
				await api<EarningsSlices>(
					`/reports/earnings${query({
						mpnId: g.mpnId,
						program: g.program,
						limit: pageParam ? MORE_ROWS : ROWS_SHOWN,
						cursor: pageParam,
					})}`,
				)
			).items[0] ?? { ...g, associations: [], nextCursor: null },
		initialPageParam: undefined as string | undefined,
		getNextPageParam: (last) => last.nextCursor ?? undefined,
		initialData: { pages: [g], pageParams: [undefined] },
		staleTime: Number.POSITIVE_INFINITY,
	});
	const rows = useMemo(
		() => slices.data.pages.flatMap((p) => p.associations),
		[slices.data],
	);
	const hidden = slices.hasNextPage ? Math.max(g.total - rows.length, 1) : 0;
	const title = t("earnings.groupTitle", {
		mpnId: g.mpnId,
		program: t(`common:program.${g.program}`),
	});
	return (
		<section
			className={styles.group}
			aria-labelledby={headingId}
			data-testid="earnings-group"
			data-mpn-id={g.mpnId}
			data-program={g.program}
		>
			<div className={styles.groupHead}>
				<Text as="h2" size={500} weight="semibold" id={headingId}>
					{title}
				</Text>
				<Badge appearance="tint" color="success">
					{t("earnings.count", { count: g.total })}
				</Badge>
			</div>
			<Scroll label={title}>
				<Table size="small" style={{ minWidth: "760px" }}>
					<TableHeader>
						<TableRow>
							<TableHeaderCell>{t("col.claim")}</TableHeaderCell>
							<TableHeaderCell>{t("col.customer")}</TableHeaderCell>
							<TableHeaderCell>
								{t("col.subscriptionsOrWorkloads")}
							</TableHeaderCell>
							<TableHeaderCell style={{ width: "140px" }}>
								{t("col.dateAssociated")}
							</TableHeaderCell>
						</TableRow>
					</TableHeader>
					<TableBody>
						{rows.map((a) => (
							<TableRow
								key={a.claimId}
								data-testid="earnings-row"
								data-claim-id={a.claimId}
							>
								<TableCell>
									<ClaimLink id={a.claimId}>
										{a.claimName || a.claimId}
									</ClaimLink>
									{a.claimName && (
										<Caption1 block className={styles.mono}>
											{a.claimId}
										</Caption1>
									)}
								</TableCell>
								<TableCell>
									{a.customerName ?? "—"}
									<Caption1 block className={styles.mono}>
										{a.tenantId}
									</Caption1>
								</TableCell>
								<TableCell>
									<ul className={styles.list}>
										{a.products.map((p) => (
											<li key={`${p.productId}-${p.subscriptionId ?? ""}`}>
												{p.name}
												{p.subscriptionId && (
													<Caption1 block className={styles.mono}>
														{p.subscriptionId}
													</Caption1>
												)}
											</li>
										))}
									</ul>
								</TableCell>
								<TableCell>{formatDate(a.dateAssociated)}</TableCell>
							</TableRow>
						))}
					</TableBody>
				</Table>
			</Scroll>
			{slices.isFetchNextPageError && (
				<ErrorMessage
					error={slices.error}
					onRetry={() => slices.fetchNextPage()}
				/>
			)}
			<ShowMore
				hidden={hidden}
				label={t("earnings.showMore", { count: hidden })}
				busy={slices.isFetchingNextPage}
				onMore={() => slices.fetchNextPage()}
			/>
		</section>
	);
}

// ---- usage ------------------------------------------------------------------------

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A month (`YYYY-MM`) in the UI language, e.g. "Oct 2026". */
function formatMonth(month: string): string {
	const [y, m] = month.split("-").map(Number);
	if (!y || !m) return month;
	return new Intl.DateTimeFormat(i18n.language, {
		month: "short",
		year: "numeric",
		timeZone: "UTC",
	}).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The customer filter when no customer is picked. */
const ALL_CUSTOMERS: PickedCustomer = { tenantId: "", label: "" };

function Usage() {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	const [customer, setCustomer] = useState<PickedCustomer>(ALL_CUSTOMERS);
	const tenantId = customer.tenantId;
	const [from, setFrom] = useState("");
	const [to, setTo] = useState("");
	const rangeInvalid = !!from && !!to && from > to;
	const monthInvalid =
		(!!from && !MONTH.test(from)) || (!!to && !MONTH.test(to));
	const filters = { tenantId, from, to };
	const clearMonths = () => {
		setFrom("");
		setTo("");
	};
	// The first rows, the total and the charts' sums (a large partner's whole report is
	// hundreds of MB; the CSV export has it); "show more" reads the next rows by cursor.
	const report = useInfiniteQuery({
		...usageSlicesQuery(filters),
		placeholderData: keepPreviousData,
		// Each page is a statement over all the rows (seconds for a large partner), and a
		// refetch reads every page shown: not when the window regains focus.
		refetchOnWindowFocus: false,
		enabled: !rangeInvalid && !monthInvalid,
	});
	const firstPage = report.data?.pages[0];
	const rows = useMemo(
		() => report.data?.pages.flatMap((p) => p.items) ?? [],
		[report.data],
	);
	const total = firstPage?.total ?? 0;
	const hidden = report.hasNextPage ? Math.max(total - rows.length, 1) : 0;
	const csv = `/api/v1/reports/usage${query({ ...filters, format: "csv" })}`;

	return (
		<>
			<Body1 as="p" block className={styles.intro}>
				{t("usage.intro")}
			</Body1>
			<div className={styles.filters}>
				<Field className={styles.filter} label={t("usage.customer")}>
					<CustomerPicker picked={customer} onPick={setCustomer} />
				</Field>
				<Field
					className={styles.month}
					label={t("usage.from")}
					validationMessage={
						rangeInvalid
							? t("usage.rangeInvalid")
							: from && !MONTH.test(from)
								? t("usage.monthInvalid")
								: undefined
					}
				>
					<Input
						type="month"
						value={from}
						max={to || undefined}
						placeholder="YYYY-MM"
						onChange={(_, d) => setFrom(d.value)}
					/>
				</Field>
				<Field
					className={styles.month}
					label={t("usage.to")}
					validationMessage={
						to && !MONTH.test(to) ? t("usage.monthInvalid") : undefined
					}
				>
					<Input
						type="month"
						value={to}
						min={from || undefined}
						placeholder="YYYY-MM"
						onChange={(_, d) => setTo(d.value)}
					/>
				</Field>
				{(from || to || tenantId) && (
					<Button
						onClick={() => {
							clearMonths();
							setCustomer(ALL_CUSTOMERS);
						}}
					>
						{t("usage.clear")}
					</Button>
				)}
				<Button as="a" href={csv} download icon={<ArrowDownloadRegular />}>
					{t("exportCsv")}
				</Button>
				{report.isFetching && !report.isLoading && (
					<Spinner size="tiny" label={t("common:loading")} />
				)}
			</div>

			{rangeInvalid || monthInvalid ? (
				// The months cannot be asked for: say so where the rows were, with a way out.
				<EmptyState
					title={t(rangeInvalid ? "usage.rangeInvalid" : "usage.monthInvalid")}
				>
					<Body1>{t("usage.fixMonths")}</Body1>
					<div style={{ marginTop: 8 }}>
						<Button onClick={clearMonths}>{t("usage.clearMonths")}</Button>
					</div>
				</EmptyState>
			) : report.isLoading ? (
				<Loading />
			) : report.isError && !report.isFetchNextPageError ? (
				<ErrorMessage error={report.error} onRetry={() => report.refetch()} />
			) : rows.length === 0 ? (
				<EmptyState
					title={
						from || to || tenantId
							? t("usage.emptyFiltered")
							: t("usage.emptyTitle")
					}
				>
					<Body1>{t("usage.emptyText")}</Body1>
				</EmptyState>
			) : (
				<>
					<UsageCharts
						series={firstPage?.series ?? []}
						customers={firstPage?.customers ?? 0}
					/>
					<section aria-labelledby="usage-table-title">
						<Text
							as="h2"
							size={500}
							weight="semibold"
							id="usage-table-title"
							block
						>
							{t("usage.tableTitle")}
						</Text>
						<Caption1 block style={{ marginBottom: 8 }}>
							{t("usage.rowCount", { count: total })}
						</Caption1>
						<Scroll label={t("usage.tableTitle")}>
							<Table
								size="small"
								style={{ minWidth: "1100px" }}
								data-testid="usage-table"
							>
								<TableHeader>
									<TableRow>
										<TableHeaderCell style={{ width: "90px" }}>
											{t("col.month")}
										</TableHeaderCell>
										<TableHeaderCell style={{ width: "280px" }}>
											{t("col.customer")}
										</TableHeaderCell>
										<TableHeaderCell>{t("col.workload")}</TableHeaderCell>
										<TableHeaderCell button={{ className: styles.numHead }}>
											{t("col.mau")}
										</TableHeaderCell>
										<TableHeaderCell button={{ className: styles.numHead }}>
											{t("col.pau")}
										</TableHeaderCell>
										<TableHeaderCell>{t("col.claim")}</TableHeaderCell>
										<TableHeaderCell>{t("col.mpnId")}</TableHeaderCell>
										<TableHeaderCell>{t("col.dateAssociated")}</TableHeaderCell>
										<TableHeaderCell>{t("col.attribution")}</TableHeaderCell>
									</TableRow>
								</TableHeader>
								<TableBody>
									{rows.map((r) => (
										<TableRow
											key={`${r.month}-${r.tenantId}-${r.productId}-${r.claimId}`}
											data-testid="usage-row"
											data-claim-id={r.claimId}
										>
											<TableCell>{formatMonth(r.month)}</TableCell>
											<TableCell>
												{r.customerName ?? "—"}
												<Caption1 block className={styles.mono}>
													{r.tenantId}
												</Caption1>
											</TableCell>
											<TableCell>{r.workload}</TableCell>
											<TableCell className={styles.num}>
												{formatNumber(r.monthlyActiveUsers)}
											</TableCell>
											<TableCell className={styles.num}>
												{formatNumber(r.paidAvailableUnits)}
											</TableCell>
											<TableCell>
												<ClaimLink id={r.claimId}>
													<span className={styles.mono}>
														{r.claimId.slice(0, 8)}
													</span>
												</ClaimLink>
											</TableCell>
											<TableCell className={styles.mono}>{r.mpnId}</TableCell>
											<TableCell>{formatDate(r.dateAssociated)}</TableCell>
											<TableCell>
												{t(`common:activity.${r.attributionType}`, {
													defaultValue: r.attributionType,
												})}
											</TableCell>
										</TableRow>
									))}
								</TableBody>
							</Table>
						</Scroll>
						{report.isFetchNextPageError && (
							<ErrorMessage
								error={report.error}
								onRetry={() => report.fetchNextPage()}
							/>
						)}
						<ShowMore
							hidden={hidden}
							label={t("usage.showMore", { count: hidden })}
							// Not while other filters' rows load: the cursor is of these.
							busy={report.isFetchingNextPage || report.isPlaceholderData}
							onMore={() => report.fetchNextPage()}
						/>
					</section>
				</>
			)}
		</>
	);
}

interface ChartPoint {
	month: string;
	label: string;
	mau: number;
	pau: number;
}

/**
 * Per workload, monthly active users vs paid available units, summed over the
 * `customers` of the report (the server's sums: `series`).
 */
function UsageCharts({
	series: sums,
	customers,
}: {
	series: UsageSlice["series"];
	customers: number;
}) {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	const series = useMemo(() => {
		const byWorkload = new Map<string, ChartPoint[]>();
		for (const p of sums) {
			const points = byWorkload.get(p.workload) ?? [];
			points.push({
				month: p.month,
				label: formatMonth(p.month),
				mau: p.monthlyActiveUsers,
				pau: p.paidAvailableUnits,
			});
			byWorkload.set(p.workload, points);
		}
		return [...byWorkload.entries()]
			.sort((a, b) => a[0].localeCompare(b[0]))
			.map(([workload, points]) => ({
				workload,
				points: points.sort((a, b) => a.month.localeCompare(b.month)),
			}));
	}, [sums]);
	return (
		<section aria-labelledby="usage-charts-title">
			<Text as="h2" size={500} weight="semibold" id="usage-charts-title" block>
				{t("usage.chartsTitle")}
			</Text>
			<Caption1 block style={{ marginBottom: 8 }}>
				{t("usage.chartsNote", { count: customers })}
			</Caption1>
			<div className={styles.charts}>
				{series.map((s) => (
					<WorkloadChart
						key={s.workload}
						workload={s.workload}
						points={s.points}
					/>
				))}
			</div>
		</section>
	);
}

function WorkloadChart({
	workload,
	points,
}: {
	workload: string;
	points: ChartPoint[];
}) {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	const captionId = useId();
	const mau = t("col.mau");
	const pau = t("col.pau");
	return (
		<Card>
			<figure
				className={styles.figure}
				aria-labelledby={captionId}
				data-testid="usage-chart"
			>
				<figcaption id={captionId}>
					<Text weight="semibold">{workload}</Text>
				</figcaption>
				<div className={styles.chart} aria-hidden="true">
					<ResponsiveContainer width="100%" height="100%">
						<ComposedChart
							accessibilityLayer={false}
							data={points}
							margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
						>
							<CartesianGrid strokeDasharray="3 3" stroke="#e0e0e0" />
							<XAxis dataKey="label" tick={{ fontSize: 12 }} />
							<YAxis
								tick={{ fontSize: 12 }}
								width={56}
								tickFormatter={(v: number) => formatNumber(v)}
							/>
							<Tooltip formatter={(v) => formatNumber(Number(v))} />
							<Legend
								wrapperStyle={{ fontSize: 12 }}
								formatter={(value) => (
									<span style={{ color: tokens.colorNeutralForeground1 }}>
										{value}
									</span>
								)}
							/>
							<Bar
								dataKey="pau"
								name={pau}
								fill="#a9cdf0"
								isAnimationActive={false}
							/>
							<Line
								dataKey="mau"
								name={mau}
								stroke="#0f548c"
								strokeWidth={2}
								dot={{ r: 3 }}
								type="monotone"
								isAnimationActive={false}
							/>
						</ComposedChart>
					</ResponsiveContainer>
				</div>
				<details className={styles.details}>
					<summary>{t("usage.chartData")}</summary>
					<Table
						size="extra-small"
						aria-label={t("usage.chartDataLabel", { workload })}
					>
						<TableHeader>
							<TableRow>
								<TableHeaderCell>{t("col.month")}</TableHeaderCell>
								<TableHeaderCell button={{ className: styles.numHead }}>
									{mau}
								</TableHeaderCell>
								<TableHeaderCell button={{ className: styles.numHead }}>
									{pau}
								</TableHeaderCell>
								<TableHeaderCell button={{ className: styles.numHead }}>
									{t("col.rate")}
								</TableHeaderCell>
							</TableRow>
						</TableHeader>
						<TableBody>
							{points.map((p) => (
								<TableRow key={p.month}>
									<TableCell>{p.label}</TableCell>
									<TableCell className={styles.num}>
										{formatNumber(p.mau)}
									</TableCell>
									<TableCell className={styles.num}>
										{formatNumber(p.pau)}
									</TableCell>
									<TableCell className={styles.num}>
										{p.pau > 0
											? new Intl.NumberFormat(i18n.language, {
													style: "percent",
													maximumFractionDigits: 0,
												}).format(p.mau / p.pau)
											: "—"}
									</TableCell>
								</TableRow>
							))}
						</TableBody>
					</Table>
				</details>
			</figure>
		</Card>
	);
}
