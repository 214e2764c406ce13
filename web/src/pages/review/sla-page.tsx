/**
 * The SLA report (`/review/sla`, GET /reports/sla): per reviewer SLA (R-TIME-2 review
 * start, R-TIME-3 decision, R-TIME-8 dispute answer) the open work due and overdue now,
 * and breached and met within a date range, as a bar chart with a table of the same
 * numbers; median and p90 hours of each.
 */

import {
	Button,
	Caption1,
	Field,
	Input,
	makeStyles,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import {
	Bar,
	BarChart,
	CartesianGrid,
	Legend,
	ResponsiveContainer,
	Tooltip,
	XAxis,
	YAxis,
} from "recharts";
import { query } from "../../api/claims.ts";
import { api } from "../../api/client.ts";
import { Page } from "../../components/page.tsx";
import { usePolicyText } from "../../components/policy.ts";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import { ErrorMessage, Loading } from "../../components/states.tsx";
import { formatDate, formatDateTime, formatNumber } from "../../format.ts";
import {
	formatHours,
	RouterLink,
	Section,
	SLA_KINDS,
	SLA_RULES,
	type SlaKind,
} from "./shared.tsx";

/** The body of GET /reports/sla (docs/api.md). */
interface SlaReport {
	now: string;
	from: string;
	to: string;
	slas: Record<
		SlaKind,
		{
			rule: string;
			due: number;
			overdue: number;
			breached: number;
			met: number;
		}
	>;
	times: Record<
		"reviewStart" | "decision" | "disputeDecision",
		{ count: number; medianHours: number | null; p90Hours: number | null }
	>;
}

const TIME_KEY: Record<SlaKind, keyof SlaReport["times"]> = {
	review_start: "reviewStart",
	decision: "decision",
	dispute_decision: "disputeDecision",
};

const MEASURES = ["due", "overdue", "breached", "met"] as const;
/** Colors distinguishable in common color-vision deficiencies (Okabe–Ito). */
const COLORS: Record<(typeof MEASURES)[number], string> = {
	due: "#0072B2",
	overdue: "#D55E00",
	breached: "#882255",
	met: "#009E73",
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const useStyles = makeStyles({
	filters: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "flex-end",
		gap: tokens.spacingHorizontalL,
		marginBottom: tokens.spacingVerticalM,
	},
	stack: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	chart: { width: "100%", height: "320px" },
	tableWrap: { overflowX: "auto" },
	table: {
		width: "100%",
		borderCollapse: "collapse",
		"& th, & td": {
			textAlign: "left",
			padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
			borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
			whiteSpace: "nowrap",
		},
		"& td": { fontVariantNumeric: "tabular-nums" },
		"& tbody th": { whiteSpace: "normal", minWidth: "120px" },
		"& thead th": { borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
	},
	caption: {
		textAlign: "left",
		captionSide: "top",
		paddingBottom: tokens.spacingVerticalS,
		color: tokens.colorNeutralForeground2,
	},
	swatch: {
		display: "inline-block",
		width: "10px",
		height: "10px",
		marginRight: "6px",
		borderRadius: "2px",
	},
	cards: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 220px), 1fr))",
		gap: tokens.spacingHorizontalM,
	},
	card: {
		padding: tokens.spacingHorizontalM,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusLarge,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXXS,
	},
	big: {
		fontSize: tokens.fontSizeHero700,
		fontWeight: tokens.fontWeightSemibold,
	},
});

/**
 * An SLA's name under its bars, a word per line: at a phone's width (390 px) three names
 * side by side do not fit on one line each ("Antwort auf Einspruch").
 */
function WordPerLineTick({
	x,
	y,
	payload,
}: {
	x?: number | string;
	y?: number | string;
	payload?: { value?: unknown };
}) {
	// Keys: a word with the words before it (a name may repeat a word).
	const words = String(payload?.value ?? "")
		.split(/\s+/)
		.map((word, i, all) => ({ word, key: all.slice(0, i + 1).join(" ") }));
	return (
		<text
			x={x}
			y={y}
			textAnchor="middle"
			fontSize={11}
			fill={tokens.colorNeutralForeground2}
		>
			{words.map(({ word, key }) => (
				<tspan key={key} x={x} dy={13}>
					{word}
				</tspan>
			))}
		</text>
	);
}

export function SlaPage() {
	const styles = useStyles();
	const { t, i18n } = useTranslation("review");
	const { policy, within } = usePolicyText();
	const [params, setParams] = useSearchParams();
	const from = params.get("from") ?? "";
	const to = params.get("to") ?? "";
	// What the user typed; null until they type, when the fields show the range in the
	// address or, without one, the report's default window (its UTC dates, as the server
	// reads a date), so that they never show an empty "mm/dd/yyyy" for a range in use.
	const [typedFrom, setDraftFrom] = useState<string | null>(null);
	const [typedTo, setDraftTo] = useState<string | null>(null);

	const report = useQuery({
		queryKey: ["reports", "sla", { from, to }],
		queryFn: () =>
			api<SlaReport>(
				`/reports/sla${query({ from: from || undefined, to: to || undefined })}`,
			),
		placeholderData: keepPreviousData,
	});
	const shown = from || to || report.isPlaceholderData ? null : report.data;
	const draftFrom = typedFrom ?? (from || shown?.from.slice(0, 10) || "");
	const draftTo = typedTo ?? (to || shown?.to.slice(0, 10) || "");
	const fromInvalid = draftFrom !== "" && !DATE.test(draftFrom);
	const toInvalid = draftTo !== "" && !DATE.test(draftTo);
	const orderInvalid =
		!fromInvalid && !toInvalid && draftFrom && draftTo && draftFrom > draftTo;

	const apply = (e: FormEvent) => {
		e.preventDefault();
		if (fromInvalid || toInvalid || orderInvalid) return;
		// The default window, untouched: nothing to apply.
		if (typedFrom === null && typedTo === null) return;
		const next = new URLSearchParams();
		if (draftFrom) next.set("from", draftFrom);
		if (draftTo) next.set("to", draftTo);
		setParams(next, { replace: true });
	};
	const reset = () => {
		setDraftFrom(null);
		setDraftTo(null);
		setParams({}, { replace: true });
	};

	const data = report.data;
	const chartData = data
		? SLA_KINDS.map((s) => ({
				name: t(`sla.${s}`),
				...Object.fromEntries(MEASURES.map((m) => [m, data.slas[s][m]])),
			}))
		: [];
	const unit = t("sla.hoursUnit");

	return (
		<Page
			title={t("slaReport.title")}
			actions={
				<Button
					icon={
						report.isFetching ? (
							<Spinner size="tiny" />
						) : (
							<ArrowClockwiseRegular />
						)
					}
					disabledFocusable={report.isFetching}
					onClick={() => void report.refetch()}
				>
					{t("queue.refresh")}
				</Button>
			}
		>
			<Text block style={{ marginBottom: 12 }}>
				{t("slaReport.intro", {
					reviewStart: within(policy.reviewStartDays),
					decision: within(policy.decisionDays),
					disputeDecision: within(policy.disputeDecisionDays),
				})}
			</Text>
			<form
				className={styles.filters}
				onSubmit={apply}
				noValidate
				aria-label={t("slaReport.rangeLabel")}
			>
				<Field
					label={t("slaReport.from")}
					validationMessage={fromInvalid ? t("validation.date") : undefined}
				>
					<Input
						type="date"
						value={draftFrom}
						max={draftTo || undefined}
						onChange={(_, d) => setDraftFrom(d.value)}
					/>
				</Field>
				<Field
					label={t("slaReport.to")}
					validationMessage={
						toInvalid
							? t("validation.date")
							: orderInvalid
								? t("validation.range")
								: undefined
					}
				>
					<Input
						type="date"
						value={draftTo}
						min={draftFrom || undefined}
						onChange={(_, d) => setDraftTo(d.value)}
					/>
				</Field>
				<Button type="submit" appearance="primary">
					{t("slaReport.apply")}
				</Button>
				{(from || to) && (
					<Button appearance="subtle" onClick={reset}>
						{t("slaReport.reset")}
					</Button>
				)}
			</form>

			{report.isLoading ? (
				<Loading />
			) : report.isError || !data ? (
				<ErrorMessage
					error={report.error}
					onRetry={() => void report.refetch()}
				/>
			) : (
				<div className={styles.stack}>
					<Caption1 data-testid="sla-window">
						{t("slaReport.window", {
							from: formatDate(data.from),
							to: formatDate(data.to),
							now: formatDateTime(data.now),
						})}
					</Caption1>

					<div className={styles.cards}>
						{SLA_KINDS.map((s) => (
							<div
								key={s}
								className={styles.card}
								data-testid={`sla-card-${s}`}
							>
								<Text weight="semibold">
									{t(`sla.${s}`)} ({data.slas[s].rule || SLA_RULES[s]})
								</Text>
								<span className={styles.big}>
									{formatNumber(data.slas[s].overdue)}
								</span>
								<Caption1>
									{t("slaReport.cardOverdue", {
										count: data.slas[s].overdue,
										due: formatNumber(data.slas[s].due),
									})}
								</Caption1>
								{data.slas[s].due + data.slas[s].overdue > 0 && (
									// The work itself, soonest due (the overdue) first.
									<RouterLink to={`/review?sla=${s}`}>
										{t("slaReport.openInQueue")}
									</RouterLink>
								)}
							</div>
						))}
					</div>

					<Section id="sla-counts" title={t("slaReport.countsTitle")}>
						<div
							className={styles.chart}
							role="img"
							aria-label={t("slaReport.chartLabel")}
							data-testid="sla-chart"
						>
							<ResponsiveContainer width="100%" height="100%">
								<BarChart
									data={chartData}
									margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
								>
									<CartesianGrid strokeDasharray="3 3" vertical={false} />
									<XAxis
										dataKey="name"
										interval={0}
										height={56}
										tick={<WordPerLineTick />}
									/>
									<YAxis allowDecimals={false} width={36} />
									<Tooltip />
									<Legend itemSorter={null} />
									{MEASURES.map((m) => (
										<Bar
											key={m}
											dataKey={m}
											name={t(`slaReport.measure.${m}`)}
											fill={COLORS[m]}
										/>
									))}
								</BarChart>
							</ResponsiveContainer>
						</div>
						<ScrollRegion label={t("slaReport.tableCaption")}>
							<table className={styles.table} data-testid="sla-table">
								<caption className={styles.caption}>
									{t("slaReport.tableCaption")}
								</caption>
								<thead>
									<tr>
										<th scope="col">{t("slaReport.sla")}</th>
										{MEASURES.map((m) => (
											<th scope="col" key={m}>
												<span
													className={styles.swatch}
													style={{ backgroundColor: COLORS[m] }}
													aria-hidden
												/>
												{t(`slaReport.measure.${m}`)}
											</th>
										))}
									</tr>
								</thead>
								<tbody>
									{SLA_KINDS.map((s) => (
										<tr key={s} data-testid="sla-row" data-sla={s}>
											<th scope="row">
												{t(`sla.${s}`)} ({SLA_RULES[s]})
											</th>
											{MEASURES.map((m) => (
												<td key={m} data-measure={m}>
													{formatNumber(data.slas[s][m])}
												</td>
											))}
										</tr>
									))}
								</tbody>
							</table>
						</ScrollRegion>
						<Caption1>{t("slaReport.measureHelp")}</Caption1>
					</Section>

					<Section id="sla-times" title={t("slaReport.timesTitle")}>
						<ScrollRegion label={t("slaReport.timesTitle")}>
							<table className={styles.table} data-testid="sla-times">
								<caption className={styles.caption}>
									{t("slaReport.timesCaption")}
								</caption>
								<thead>
									<tr>
										<th scope="col">{t("slaReport.sla")}</th>
										<th scope="col">{t("slaReport.count")}</th>
										<th scope="col">{t("slaReport.median")}</th>
										<th scope="col">{t("slaReport.p90")}</th>
									</tr>
								</thead>
								<tbody>
									{SLA_KINDS.map((s) => {
										const x = data.times[TIME_KEY[s]];
										return (
											<tr key={s} data-sla={s}>
												<th scope="row">
													{t(`sla.${s}`)} ({SLA_RULES[s]})
												</th>
												<td>{formatNumber(x.count)}</td>
												<td>
													{formatHours(x.medianHours, i18n.language, unit)}
												</td>
												<td>{formatHours(x.p90Hours, i18n.language, unit)}</td>
											</tr>
										);
									})}
								</tbody>
							</table>
						</ScrollRegion>
						<Caption1>{t("slaReport.timesHelp")}</Caption1>
					</Section>
				</div>
			)}
		</Page>
	);
}
