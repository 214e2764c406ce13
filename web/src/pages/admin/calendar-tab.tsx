/**
 * The business calendar (R-ROL-2 "calendars", R-TIME-1; GET /admin/calendar): the time
 * zone and public holidays that every business-day deadline is counted in, today, and the
 * coming year's holidays. Read-only: the operator sets the calendar in the configuration.
 */
import {
	Body1,
	Caption1,
	Card,
	makeStyles,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
} from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client.ts";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import { EmptyState, ErrorMessage, Loading } from "../../components/states.tsx";
import { formatCalendarDate, formatDateTime } from "../../format.ts";

/** GET /admin/calendar (docs/api.md). */
interface CalendarView {
	timeZone: string;
	holidays: string | null;
	now: string;
	today: string;
	todayIsBusinessDay: boolean;
	deadlinesFromNow: {
		deadline: string;
		days: number;
		unit: "business" | "calendar";
		dueAt: string;
	}[];
	publicHolidays: { date: string; name: string }[];
}

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		maxWidth: "860px",
	},
	facts: {
		display: "grid",
		gridTemplateColumns: "max-content 1fr",
		columnGap: tokens.spacingHorizontalL,
		rowGap: tokens.spacingVerticalS,
		margin: 0,
		"@media (max-width: 560px)": { gridTemplateColumns: "1fr" },
	},
	term: { fontWeight: tokens.fontWeightSemibold },
	definition: { margin: 0 },
	mono: { fontFamily: tokens.fontFamilyMonospace },
});

export function CalendarTab() {
	const { t, i18n } = useTranslation(["admin", "review"]);
	const styles = useStyles();
	const lang = ["en", "nl", "sv", "de"].includes(i18n.language)
		? i18n.language
		: "en";
	const calendar = useQuery({
		queryKey: ["admin", "calendar", lang],
		queryFn: () => api<CalendarView>(`/admin/calendar?lang=${lang}`),
	});
	if (calendar.isLoading) return <Loading />;
	if (calendar.isError || !calendar.data)
		return (
			<ErrorMessage
				error={calendar.error}
				onRetry={() => void calendar.refetch()}
			/>
		);
	const c = calendar.data;
	return (
		<div className={styles.root} data-testid="calendar">
			<Body1 as="p" block>
				{t("calendar.intro")}
			</Body1>
			<Card>
				<dl className={styles.facts}>
					<dt className={styles.term}>{t("calendar.timeZone")}</dt>
					<dd className={styles.definition}>
						<span className={styles.mono}>{c.timeZone}</span>
					</dd>
					<dt className={styles.term}>{t("calendar.holidays")}</dt>
					<dd className={styles.definition} data-testid="calendar-holidays">
						{c.holidays ? (
							<span className={styles.mono}>{c.holidays}</span>
						) : (
							t("calendar.noHolidays")
						)}
					</dd>
					<dt className={styles.term}>{t("calendar.today")}</dt>
					<dd className={styles.definition} data-testid="calendar-today">
						{formatCalendarDate(c.today)}:{" "}
						{c.todayIsBusinessDay
							? t("calendar.businessDay")
							: t("calendar.notBusinessDay")}
					</dd>
				</dl>
			</Card>
			<section aria-labelledby="calendar-deadlines-title">
				<Text
					as="h2"
					size={500}
					weight="semibold"
					block
					id="calendar-deadlines-title"
				>
					{t("calendar.slaTitle")}
				</Text>
				<Body1 as="p" block>
					{t("calendar.slaIntro")}
				</Body1>
				<ScrollRegion label={t("calendar.slaTitle")}>
					<Table size="small" data-testid="calendar-deadlines">
						<TableHeader>
							<TableRow>
								<TableHeaderCell>{t("calendar.deadline")}</TableHeaderCell>
								<TableHeaderCell>{t("calendar.length")}</TableHeaderCell>
								<TableHeaderCell>{t("calendar.dueAt")}</TableHeaderCell>
							</TableRow>
						</TableHeader>
						<TableBody>
							{c.deadlinesFromNow.map((d) => (
								<TableRow key={d.deadline} data-deadline={d.deadline}>
									<TableCell>{t(`review:deadline.${d.deadline}`)}</TableCell>
									<TableCell>
										{t(
											d.unit === "business"
												? "calendar.businessDays"
												: "calendar.calendarDays",
											{ count: d.days },
										)}
									</TableCell>
									<TableCell>{formatDateTime(d.dueAt)}</TableCell>
								</TableRow>
							))}
						</TableBody>
					</Table>
				</ScrollRegion>
			</section>
			<section aria-labelledby="calendar-holidays-title">
				<Text
					as="h2"
					size={500}
					weight="semibold"
					block
					id="calendar-holidays-title"
				>
					{t("calendar.upcoming")}
				</Text>
				{c.publicHolidays.length === 0 ? (
					<EmptyState title={t("calendar.noneTitle")}>
						<Body1>{t("calendar.noneText")}</Body1>
					</EmptyState>
				) : (
					<ScrollRegion label={t("calendar.upcoming")}>
						<Table size="small" data-testid="calendar-holiday-list">
							<TableHeader>
								<TableRow>
									<TableHeaderCell style={{ width: "50%" }}>
										{t("calendar.date")}
									</TableHeaderCell>
									<TableHeaderCell>{t("calendar.name")}</TableHeaderCell>
								</TableRow>
							</TableHeader>
							<TableBody>
								{c.publicHolidays.map((h) => (
									<TableRow key={h.date} data-date={h.date}>
										<TableCell>{formatCalendarDate(h.date)}</TableCell>
										<TableCell>{h.name}</TableCell>
									</TableRow>
								))}
							</TableBody>
						</Table>
					</ScrollRegion>
				)}
				<Caption1 block style={{ marginTop: 8 }}>
					{t("calendar.configure")}
				</Caption1>
			</section>
		</div>
	);
}
