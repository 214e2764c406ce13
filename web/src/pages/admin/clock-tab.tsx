/**
 * The sandbox clock (docs/api.md "Bootstrap and sandbox"): the sandbox's time, moving it
 * forward by a preset, an ISO 8601 duration or to a date and time, and what ran then
 * (timers, reminders, events, deliveries).
 */
import {
	Body1,
	Button,
	Caption1,
	Card,
	Field,
	Input,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Radio,
	RadioGroup,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import { ClockRegular } from "@fluentui/react-icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client.ts";
import { RefreshButton } from "../../components/refresh-button.tsx";
import { useFocusWhenShown } from "../../components/return-focus.ts";
import { ErrorMessage, Loading } from "../../components/states.tsx";
import { formatDateTime, formatNumber } from "../../format.ts";

/** GET /admin/clock. */
interface ClockState {
	now: string;
	sandbox: boolean;
}
/** POST /admin/clock: the new time and what the background work did. */
export interface ClockAdvance extends ClockState {
	timers: { expired: number; activated: number };
	reminders: number;
	events: number;
	deliveries: { sent: number; kept: number; retried: number; failed: number };
}

const PRESETS = [
	{ key: "hour", duration: "PT1H" },
	{ key: "day", duration: "P1D" },
	{ key: "week", duration: "P7D" },
	{ key: "month", duration: "P30D" },
] as const;
type Choice = (typeof PRESETS)[number]["key"] | "duration" | "to";

/** An ISO 8601 duration such as P3D, PT12H or P1DT6H (weeks as P2W). */
const DURATION =
	/^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		maxWidth: "820px",
	},
	now: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalM,
	},
	time: { fontVariantNumeric: "tabular-nums" },
	nowCard: { alignSelf: "flex-start", maxWidth: "100%" },
	mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	custom: { maxWidth: "320px" },
	ran: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 150px), 1fr))",
		gap: tokens.spacingHorizontalM,
		listStyleType: "none",
		padding: 0,
		margin: 0,
	},
	stat: {
		padding: tokens.spacingVerticalS,
		borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
		paddingLeft: tokens.spacingHorizontalM,
	},
});

export function ClockTab() {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const qc = useQueryClient();
	const clock = useQuery({
		queryKey: ["admin", "clock"],
		queryFn: () => api<ClockState>("/admin/clock"),
		retry: false,
	});
	const [choice, setChoice] = useState<Choice>("day");
	const [duration, setDuration] = useState("");
	const [to, setTo] = useState("");
	const [last, setLast] = useState<ClockAdvance | null>(null);
	const resultRef = useFocusWhenShown<HTMLDivElement>(last);
	const advance = useMutation({
		mutationFn: (body: { advanceBy: string } | { to: string }) =>
			api<ClockAdvance>("/admin/clock", { body }),
		onSuccess: (result) => {
			setLast(result);
			// The clock now stands at the moment chosen: it is no longer ahead, so the field
			// starts empty rather than telling the admin to choose a later one.
			setTo("");
			qc.setQueryData(["admin", "clock"], {
				now: result.now,
				sandbox: result.sandbox,
			});
			// Deadlines may have passed: claims, associations, reports and mail changed.
			void qc.invalidateQueries({
				predicate: (q) => q.queryKey[1] !== "clock",
			});
		},
	});

	if (clock.isLoading) return <Loading />;
	if (clock.error instanceof ApiError && clock.error.status === 404)
		return (
			<MessageBar intent="info" data-testid="clock-not-sandbox">
				<MessageBarBody>
					<MessageBarTitle>{t("clock.offTitle")}</MessageBarTitle>
					{t("clock.offText")}
				</MessageBarBody>
			</MessageBar>
		);
	if (clock.isError || !clock.data)
		return <ErrorMessage error={clock.error} onRetry={() => clock.refetch()} />;

	const durationInvalid =
		choice === "duration" &&
		duration.trim() !== "" &&
		!DURATION.test(duration.trim().toUpperCase());
	const toDate = to ? new Date(to) : null;
	const toInvalid =
		choice === "to" &&
		!!toDate &&
		(Number.isNaN(toDate.getTime()) ||
			toDate.getTime() <= new Date(clock.data.now).getTime());
	const ready =
		choice === "duration"
			? duration.trim() !== "" && !durationInvalid
			: choice === "to"
				? !!toDate && !toInvalid
				: true;

	function submit() {
		if (!ready) return;
		const preset = PRESETS.find((p) => p.key === choice);
		if (preset) advance.mutate({ advanceBy: preset.duration });
		else if (choice === "duration")
			advance.mutate({ advanceBy: duration.trim().toUpperCase() });
		else if (toDate) advance.mutate({ to: toDate.toISOString() });
	}

	return (
		<div className={styles.root}>
			<Body1 as="p" block>
				{t("clock.intro")}
			</Body1>
			<Card className={styles.nowCard}>
				<div className={styles.now}>
					<ClockRegular fontSize={28} aria-hidden />
					<div>
						<Caption1 block>{t("clock.now")}</Caption1>
						<Text
							size={600}
							weight="semibold"
							className={styles.time}
							data-testid="sandbox-now"
							data-now={clock.data.now}
						>
							{formatDateTime(clock.data.now)}
						</Text>
						<Caption1 block className={styles.mono}>
							{clock.data.now}
						</Caption1>
					</div>
					<RefreshButton query={clock}>{t("clock.refresh")}</RefreshButton>
				</div>
			</Card>

			<form
				className={styles.form}
				onSubmit={(e) => {
					e.preventDefault();
					submit();
				}}
			>
				<Field label={t("clock.advanceBy")}>
					<RadioGroup
						value={choice}
						onChange={(_, d) => setChoice(d.value as Choice)}
						layout="horizontal"
						style={{ flexWrap: "wrap" }}
					>
						{PRESETS.map((p) => (
							<Radio
								key={p.key}
								value={p.key}
								label={t(`clock.preset.${p.key}`)}
							/>
						))}
						<Radio value="duration" label={t("clock.customDuration")} />
						<Radio value="to" label={t("clock.toDate")} />
					</RadioGroup>
				</Field>
				{choice === "duration" && (
					<Field
						className={styles.custom}
						label={t("clock.durationLabel")}
						hint={t("clock.durationHint")}
						required
						validationMessage={
							durationInvalid ? t("clock.durationInvalid") : undefined
						}
					>
						<Input
							value={duration}
							onChange={(_, d) => setDuration(d.value)}
							placeholder="P3DT12H"
							autoComplete="off"
						/>
					</Field>
				)}
				{choice === "to" && (
					<Field
						className={styles.custom}
						label={t("clock.toLabel")}
						hint={t("clock.toHint")}
						required
						validationMessage={toInvalid ? t("clock.toInvalid") : undefined}
					>
						<Input
							type="datetime-local"
							value={to}
							onChange={(_, d) => setTo(d.value)}
						/>
					</Field>
				)}
				<div>
					<Button
						type="submit"
						appearance="primary"
						disabled={!ready || advance.isPending}
						icon={advance.isPending ? <Spinner size="tiny" /> : undefined}
					>
						{t("clock.advance")}
					</Button>
				</div>
			</form>

			<div aria-live="polite">
				{advance.isPending && (
					<Spinner size="small" label={t("clock.running")} />
				)}
			</div>
			{advance.isError && <ErrorMessage error={advance.error} />}
			{last && !advance.isPending && (
				// The focus goes to what ran: the button stays disabled with the field empty.
				<div ref={resultRef} tabIndex={-1} data-testid="clock-result-focus">
					<WhatRan result={last} />
				</div>
			)}
		</div>
	);
}

function WhatRan({ result }: { result: ClockAdvance }) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const stats: { key: string; value: number; detail?: string }[] = [
		{
			key: "activated",
			value: result.timers.activated,
		},
		{ key: "expired", value: result.timers.expired },
		{ key: "reminders", value: result.reminders },
		{ key: "events", value: result.events },
		{
			key: "deliveries",
			value:
				result.deliveries.sent +
				result.deliveries.kept +
				result.deliveries.retried +
				result.deliveries.failed,
			detail: t("clock.ran.deliveriesDetail", {
				sent: formatNumber(result.deliveries.sent),
				kept: formatNumber(result.deliveries.kept),
				retried: formatNumber(result.deliveries.retried),
				failed: formatNumber(result.deliveries.failed),
			}),
		},
	];
	return (
		<section aria-labelledby="clock-ran-title" data-testid="clock-result">
			<MessageBar intent="success" role="status">
				<MessageBarBody>
					<MessageBarTitle id="clock-ran-title">
						{t("clock.movedTo", { date: formatDateTime(result.now) })}
					</MessageBarTitle>
					{t("clock.ranIntro")}
				</MessageBarBody>
			</MessageBar>
			<ul className={styles.ran} style={{ marginTop: 12 }}>
				{stats.map((s) => (
					<li key={s.key} className={styles.stat} data-stat={s.key}>
						<Text size={600} weight="semibold" block>
							{formatNumber(s.value)}
						</Text>
						<Body1 block>{t(`clock.ran.${s.key}`)}</Body1>
						{s.detail && <Caption1 block>{s.detail}</Caption1>}
					</li>
				))}
			</ul>
		</section>
	);
}
