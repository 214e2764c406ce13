/**
 * Changing the business calendar (SPEC R-ROL-2 "configures calendars", R-TIME-1;
 * PUT /admin/calendar): a time zone and a public-holiday calendar (a country, and one of
 * its states where it has them), chosen from GET /admin/calendar/choices. The new
 * calendar counts the deadlines set from then on; deadlines already set keep theirs.
 */
import {
	Body1,
	Button,
	Combobox,
	Dropdown,
	Field,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Option,
	Spinner,
	tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client.ts";
import { ErrorMessage, Loading } from "../../components/states.tsx";

/** GET /admin/calendar/choices (docs/api.md). */
interface CalendarChoices {
	timeZones: string[];
	holidayCalendars: {
		code: string;
		name: string;
		states: { code: string; name: string }[];
	}[];
}

/** The calendar as PUT /admin/calendar takes it. */
export interface CalendarSetting {
	timeZone: string;
	holidays: string | null;
}

/** How many matches a search box lists; typing narrows them. */
const MATCHES_LISTED = 50;

const useStyles = makeStyles({
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		maxWidth: "520px",
	},
	box: { width: "100%" },
	note: { fontStyle: "italic" },
});

/**
 * A combobox over a fixed list of `{ value, text }` that lists the first
 * {@link MATCHES_LISTED} items whose text contains what was typed.
 */
function SearchBox({
	items,
	value,
	onPick,
	none,
	id,
}: {
	items: { value: string; text: string }[];
	value: string;
	onPick: (value: string) => void;
	/** An item that means "none", listed first while nothing is typed. */
	none?: { value: string; text: string };
	id?: string;
}) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	// What was typed since the box was last closed or picked (null: the picked item shows).
	const [typed, setTyped] = useState<string | null>(null);
	const all = none ? [none, ...items] : items;
	const pickedText = all.find((i) => i.value === value)?.text ?? value;
	const search = typed?.trim().toLowerCase() ?? "";
	const matches = search
		? items.filter((i) => i.text.toLowerCase().includes(search))
		: all;
	// The picked item is listed while nothing is typed, so the list opens on it.
	const shown = matches.slice(0, MATCHES_LISTED);
	const picked = all.find((i) => i.value === value);
	if (!search && picked && !shown.includes(picked)) shown.unshift(picked);
	return (
		<Combobox
			id={id}
			className={styles.box}
			value={typed ?? pickedText}
			selectedOptions={[value]}
			onChange={(e) => setTyped(e.target.value)}
			onOptionSelect={(_, d) => {
				if (d.optionValue === undefined || d.optionValue.startsWith("-"))
					return;
				setTyped(null);
				onPick(d.optionValue);
			}}
			onOpenChange={(_, d) => {
				if (!d.open) setTyped(null);
			}}
		>
			{shown.map((i) => (
				<Option key={i.value} value={i.value} text={i.text}>
					{i.text}
				</Option>
			))}
			{matches.length === 0 ? (
				<Option disabled value="-none" text="" className={styles.note}>
					{t("calendar.noMatch", { search: typed?.trim() })}
				</Option>
			) : matches.length > shown.length ? (
				<Option disabled value="-more" text="" className={styles.note}>
					{t("calendar.typeToNarrow", {
						count: matches.length - shown.length,
					})}
				</Option>
			) : null}
		</Combobox>
	);
}

/**
 * The form: starts at `current`; on save puts the answer (GET /admin/calendar's view, with
 * `changed`) in the calendar's query for `lang` and tells `onSaved` whether it changed
 * (null when a field changes after). Its owner keys it by `current`, so that a calendar
 * changed elsewhere starts it anew, and shows what the save said
 * ({@link CalendarSavedMessage}), which outlives that.
 */
export function CalendarForm({
	current,
	stored,
	lang,
	onSaved,
}: {
	current: CalendarSetting;
	/** An admin set `current` (else it is the configuration's, which Save may store as is). */
	stored: boolean;
	lang: string;
	onSaved: (result: { changed: boolean } | null) => void;
}) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const qc = useQueryClient();
	const choices = useQuery({
		queryKey: ["admin", "calendar-choices", lang],
		queryFn: () => api<CalendarChoices>(`/admin/calendar/choices?lang=${lang}`),
		staleTime: Number.POSITIVE_INFINITY,
	});
	const [timeZone, setTimeZone] = useState(current.timeZone);
	// The holiday code as given (a region kept while the country and state stay).
	const [holidays, setHolidays] = useState(current.holidays ?? "");
	const save = useMutation({
		mutationFn: (body: CalendarSetting) =>
			api<CalendarSetting & { changed: boolean }>(
				`/admin/calendar?lang=${lang}`,
				{ method: "PUT", body },
			),
		onSuccess: (view) => {
			onSaved({ changed: view.changed });
			qc.setQueryData(["admin", "calendar", lang], view);
			void qc.invalidateQueries({
				predicate: (q) =>
					q.queryKey[0] === "admin" &&
					q.queryKey[1] === "calendar" &&
					q.queryKey[2] !== lang,
			});
		},
	});

	// A change of a field clears what the last save said (its message, its field errors).
	const edited = () => {
		onSaved(null);
		save.reset();
	};

	if (choices.isLoading) return <Loading />;
	if (choices.isError || !choices.data)
		return (
			<ErrorMessage
				error={choices.error}
				onRetry={() => void choices.refetch()}
			/>
		);
	const [countryCode = "", stateCode, region] = holidays.split("-");
	const country = choices.data.holidayCalendars.find(
		(c) => c.code === countryCode,
	);
	const state = stateCode ? `${countryCode}-${stateCode}` : "";
	const fieldError = (path: string) =>
		save.error instanceof ApiError
			? save.error.errors.find((e) => e.path === path)?.message
			: undefined;
	const unchanged =
		stored &&
		timeZone === current.timeZone &&
		holidays === (current.holidays ?? "");

	return (
		<form
			className={styles.form}
			data-testid="calendar-form"
			onSubmit={(e) => {
				e.preventDefault();
				onSaved(null);
				save.mutate({ timeZone, holidays: holidays || null });
			}}
		>
			<Body1 as="p" block>
				{t("calendar.changeIntro")}
			</Body1>
			<Field
				label={t("calendar.timeZone")}
				hint={t("calendar.timeZoneHint")}
				required
				validationMessage={fieldError("timeZone")}
			>
				<SearchBox
					items={choices.data.timeZones.map((z) => ({ value: z, text: z }))}
					value={timeZone}
					onPick={(z) => {
						setTimeZone(z);
						edited();
					}}
				/>
			</Field>
			<Field
				label={t("calendar.holidays")}
				hint={t("calendar.holidaysHint")}
				validationMessage={fieldError("holidays")}
			>
				<SearchBox
					items={choices.data.holidayCalendars.map((c) => ({
						value: c.code,
						text: `${c.name} (${c.code})`,
					}))}
					none={{ value: "", text: t("calendar.countryNone") }}
					value={countryCode}
					onPick={(code) => {
						setHolidays(code);
						edited();
					}}
				/>
			</Field>
			{country && country.states.length > 0 && (
				<Field label={t("calendar.state")} hint={t("calendar.stateHint")}>
					<Dropdown
						value={
							state
								? `${country.states.find((s) => s.code === state)?.name ?? state}${region ? ` (${holidays})` : ""}`
								: t("calendar.stateWhole")
						}
						selectedOptions={[state]}
						onOptionSelect={(_, d) => {
							setHolidays(d.optionValue || country.code);
							edited();
						}}
					>
						<Option value="">{t("calendar.stateWhole")}</Option>
						{country.states.map((s) => (
							<Option key={s.code} value={s.code}>
								{s.name}
							</Option>
						))}
					</Dropdown>
				</Field>
			)}
			<div>
				<Button
					type="submit"
					appearance="primary"
					disabledFocusable={save.isPending || unchanged}
					icon={save.isPending ? <Spinner size="tiny" /> : undefined}
				>
					{save.isPending ? t("calendar.saving") : t("calendar.save")}
				</Button>
			</div>
			{save.isError && !fieldError("timeZone") && !fieldError("holidays") && (
				<ErrorMessage error={save.error} />
			)}
		</form>
	);
}

/** What the last save said (`saved` as {@link CalendarForm} reported it), in a live region. */
export function CalendarSavedMessage({
	saved,
}: {
	saved: { changed: boolean } | null;
}) {
	const { t } = useTranslation("admin");
	return (
		<div aria-live="polite">
			{saved && (
				<MessageBar intent="success" data-testid="calendar-saved">
					<MessageBarBody>
						<MessageBarTitle>
							{saved.changed ? t("calendar.saved") : t("calendar.unchanged")}
						</MessageBarTitle>
						{saved.changed && t("calendar.savedText")}
					</MessageBarBody>
				</MessageBar>
			)}
		</div>
	);
}
