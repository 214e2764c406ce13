/**
 * The business calendar (R-ROL-2 "configures calendars", R-TIME-1; GET /admin/calendar):
 * the time zone and public holidays that every business-day deadline is counted in,
 * today, the coming year's holidays, the form that changes the calendar
 * (calendar-form.tsx), and who changed it when.
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
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client.ts";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import { EmptyState, ErrorMessage, Loading } from "../../components/states.tsx";
import { formatCalendarDate, formatDateTime } from "../../format.ts";
import { CalendarForm, CalendarSavedMessage } from "./calendar-form.tsx";

/** GET /admin/calendar (docs/api.md). */
interface CalendarView {
	timeZone: string;
	holidays: string | null;
	holidaysName: string | null;
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
	source: "configuration" | "admin";
	changes: {
		at: string;
		by: string;
		timeZone: string;
		holidays: string | null;
	}[];
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
	const [saved, setSaved] = useState<{ changed: boolean } | null>(null);
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
							<>
								{c.holidaysName} (
								<span className={styles.mono}>{c.holidays}</span>)
							</>
						) : (
							t("calendar.noHolidays")
						)}
					</dd>
					<dt className={styles.term}>{t("calendar.setBy")}</dt>
					<dd className={styles.definition} data-testid="calendar-source">
						{c.source === "admin" && c.changes[0]
							? t("calendar.setByAdmin", {
									by: c.changes[0].by,
									date: formatDateTime(c.changes[0].at),
								})
							: t("calendar.setByConfiguration")}
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
			<section aria-labelledby="calendar-change-title">
				<Text
					as="h2"
					size={500}
					weight="semibold"
					block
					id="calendar-change-title"
				>
					{t("calendar.changeTitle")}
				</Text>
				<CalendarForm
					// A calendar changed elsewhere (another admin, a refetch) starts the form anew.
					key={`${c.timeZone}|${c.holidays}`}
					current={{ timeZone: c.timeZone, holidays: c.holidays }}
					stored={c.source === "admin"}
					lang={lang}
					onSaved={setSaved}
				/>
				<CalendarSavedMessage saved={saved} />
			</section>
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
			</section>
			<section aria-labelledby="calendar-changes-title">
				<Text
					as="h2"
					size={500}
					weight="semibold"
					block
					id="calendar-changes-title"
				>
					{t("calendar.changesTitle")}
				</Text>
				{c.changes.length === 0 ? (
					<Caption1 block data-testid="calendar-no-changes">
						{t("calendar.changesNone")}
					</Caption1>
				) : (
					<ScrollRegion label={t("calendar.changesTitle")}>
						<Table size="small" data-testid="calendar-changes">
							<TableHeader>
								<TableRow>
									<TableHeaderCell>{t("calendar.changedAt")}</TableHeaderCell>
									<TableHeaderCell>{t("calendar.changedBy")}</TableHeaderCell>
									<TableHeaderCell>{t("calendar.timeZone")}</TableHeaderCell>
									<TableHeaderCell>{t("calendar.holidays")}</TableHeaderCell>
								</TableRow>
							</TableHeader>
							<TableBody>
								{c.changes.map((ch) => (
									<TableRow key={ch.at + ch.timeZone + ch.holidays}>
										<TableCell>{formatDateTime(ch.at)}</TableCell>
										<TableCell>{ch.by}</TableCell>
										<TableCell className={styles.mono}>{ch.timeZone}</TableCell>
										<TableCell className={styles.mono}>
											{ch.holidays ?? t("calendar.countryNone")}
										</TableCell>
									</TableRow>
								))}
							</TableBody>
						</Table>
					</ScrollRegion>
				)}
			</section>
		</div>
	);
}
