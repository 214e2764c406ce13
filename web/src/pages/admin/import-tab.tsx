/**
 * Directory import (R-DIR-6): choose a JSON or CSV file, preview what it would change (a dry
 * run: the server validates everything and rolls back), see every invalid row, then import.
 */
import {
	Body1,
	Button,
	Caption1,
	Dropdown,
	Field,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Option,
	ProgressBar,
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
	ArrowUploadRegular,
	DocumentSearchRegular,
} from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type FieldProblem } from "../../api/client.ts";
import { useMe } from "../../api/session.ts";
import { useNarrow } from "../../components/narrow.ts";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import { ErrorMessage } from "../../components/states.tsx";
import { formatBytes, formatNumber } from "../../format.ts";
import {
	CSV_COLUMNS,
	errorsCsv,
	type ImportSummary,
	type LoadedFile,
	loadFile,
	SECTIONS,
	type Section,
	SUMMARY_KEYS,
} from "./import-file.ts";
import { postWithProgress } from "./xhr.ts";

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		maxWidth: "960px",
	},
	row: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalM,
		alignItems: "flex-end",
	},
	fileInput: {
		maxWidth: "100%",
		padding: tokens.spacingVerticalS,
		border: `1px solid ${tokens.colorNeutralStroke1}`,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorNeutralBackground1,
		":focus-visible": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			outlineOffset: "2px",
		},
	},
	facts: {
		display: "flex",
		flexWrap: "wrap",
		columnGap: tokens.spacingHorizontalXL,
		rowGap: tokens.spacingVerticalXS,
		margin: 0,
		"& div": { display: "flex", gap: tokens.spacingHorizontalS },
		"& dt": { fontWeight: tokens.fontWeightSemibold },
		"& dd": { margin: 0, overflowWrap: "anywhere" },
	},
	section: { minWidth: "220px" },
	num: { textAlign: "end", fontVariantNumeric: "tabular-nums" },
	numHead: { justifyContent: "flex-end" },
	line: { fontVariantNumeric: "tabular-nums" },
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
		overflowWrap: "anywhere",
	},
	total: { fontWeight: tokens.fontWeightSemibold },
	errorCards: {
		listStyleType: "none",
		padding: 0,
		margin: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	errorCard: {
		padding: tokens.spacingVerticalS,
		borderRadius: tokens.borderRadiusMedium,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		overflowWrap: "anywhere",
	},
	progress: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	help: { "& summary": { cursor: "pointer" }, "& ul": { marginTop: "4px" } },
});

type Mode = "preview" | "import";
type Run =
	| { kind: "idle" }
	| { kind: "reading" }
	| { kind: "running"; mode: Mode; uploaded: boolean; fraction: number }
	| { kind: "previewed"; summary: ImportSummary }
	| { kind: "invalid"; mode: Mode; error: ApiError }
	| { kind: "failed"; mode: Mode; error: unknown }
	| { kind: "imported"; summary: ImportSummary; fileName: string };

/** Errors shown at first; the rest on request (the server sends up to 1000). */
const ERRORS_SHOWN = 100;

export function ImportTab() {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const me = useMe();
	const qc = useQueryClient();
	const [loaded, setLoaded] = useState<LoadedFile | null>(null);
	const [section, setSection] = useState<Section | null>(null);
	const [run, setRun] = useState<Run>({ kind: "idle" });
	const [readError, setReadError] = useState<string | null>(null);
	const abort = useRef<AbortController | null>(null);
	const running = run.kind === "running" || run.kind === "reading";

	async function choose(file: File | undefined) {
		setRun({ kind: "idle" });
		setReadError(null);
		setLoaded(null);
		setSection(null);
		if (!file) return;
		setRun({ kind: "reading" });
		try {
			const l = await loadFile(file);
			setLoaded(l);
			setSection(l.guess?.section ?? null);
			setRun({ kind: "idle" });
		} catch (err) {
			setReadError(err instanceof Error ? err.message : String(err));
			setRun({ kind: "idle" });
		}
	}

	async function send(mode: Mode) {
		if (!loaded) return;
		const controller = new AbortController();
		abort.current = controller;
		setRun({ kind: "running", mode, uploaded: false, fraction: 0 });
		const params = new URLSearchParams();
		if (loaded.format === "csv" && section) params.set("section", section);
		if (mode === "preview") params.set("dryRun", "true");
		try {
			const summary = await postWithProgress<ImportSummary>(
				`/admin/directory/import?${params}`,
				{
					body: loaded.text,
					contentType:
						loaded.format === "csv"
							? "text/csv; charset=utf-8"
							: "application/json",
					csrfToken: me.data?.csrfToken ?? null,
					signal: controller.signal,
					onUploadProgress: (fraction) =>
						setRun((r) =>
							r.kind === "running" && !r.uploaded ? { ...r, fraction } : r,
						),
					onUploaded: () =>
						setRun((r) =>
							r.kind === "running" ? { ...r, uploaded: true, fraction: 1 } : r,
						),
				},
			);
			if (mode === "preview") setRun({ kind: "previewed", summary });
			else {
				setRun({ kind: "imported", summary, fileName: loaded.file.name });
				// The directory changed: products, MPN IDs, usage and claims may read differently.
				void qc.invalidateQueries();
			}
		} catch (err) {
			if (err instanceof DOMException && err.name === "AbortError")
				setRun({ kind: "idle" });
			else if (
				err instanceof ApiError &&
				err.status === 422 &&
				err.errors.length > 0
			)
				setRun({ kind: "invalid", mode, error: err });
			else setRun({ kind: "failed", mode, error: err });
		} finally {
			abort.current = null;
		}
	}

	const needsSection = loaded?.format === "csv" && !section;
	const canPreview =
		!!loaded &&
		!loaded.jsonProblem &&
		!loaded.empty &&
		!needsSection &&
		!running;
	const canImport = run.kind === "previewed" && !running;

	return (
		<div className={styles.root}>
			<Body1 as="p" block>
				{t("import.intro")}
			</Body1>
			<details className={styles.help}>
				<summary>{t("import.formatHelp")}</summary>
				<Body1 as="p" block>
					{t("import.formatText")}
				</Body1>
				<ul>
					{SECTIONS.map((s) => (
						<li key={s}>
							<strong>{s}.csv</strong>:{" "}
							<span className={styles.mono}>
								{CSV_COLUMNS[s].map(([c]) => c).join(",")}
							</span>
						</li>
					))}
				</ul>
			</details>

			<Field
				label={t("import.file")}
				hint={t("import.fileHint")}
				validationMessage={readError ?? undefined}
			>
				{(props) => (
					<input
						{...props}
						type="file"
						accept=".json,.csv,application/json,text/csv"
						className={styles.fileInput}
						data-testid="import-file"
						disabled={run.kind === "running"}
						onChange={(e) => void choose(e.currentTarget.files?.[0])}
					/>
				)}
			</Field>

			{run.kind === "reading" && (
				<Spinner size="small" label={t("import.reading")} />
			)}

			{loaded && (
				<dl className={styles.facts} aria-label={t("import.fileFacts")}>
					<div>
						<dt>{t("import.fileName")}</dt>
						<dd>{loaded.file.name}</dd>
					</div>
					<div>
						<dt>{t("import.size")}</dt>
						<dd>{formatBytes(loaded.file.size)}</dd>
					</div>
					<div>
						<dt>{t("import.format")}</dt>
						<dd>{loaded.format.toUpperCase()}</dd>
					</div>
					<div>
						<dt>{t("import.rows")}</dt>
						<dd>{formatNumber(loaded.rows)}</dd>
					</div>
				</dl>
			)}

			{loaded?.empty && (
				<MessageBar
					intent="warning"
					role="alert"
					data-testid="import-file-empty"
				>
					<MessageBarBody>
						<MessageBarTitle>{t("import.emptyFileTitle")}</MessageBarTitle>
						{t("import.emptyFileText")}
					</MessageBarBody>
				</MessageBar>
			)}

			{loaded?.jsonProblem && (
				<MessageBar intent="error" role="alert">
					<MessageBarBody>
						<MessageBarTitle>{t("import.notJson")}</MessageBarTitle>
						{loaded.jsonProblem}
					</MessageBarBody>
				</MessageBar>
			)}

			{loaded?.format === "csv" && !loaded.empty && (
				<Field
					className={styles.section}
					label={t("import.section")}
					required
					hint={
						loaded.guess && section === loaded.guess.section
							? t(`import.sectionFrom.${loaded.guess.from}`)
							: t("import.sectionHint")
					}
				>
					<Dropdown
						placeholder={t("import.sectionPlaceholder")}
						value={section ? t(`import.csvSection.${section}`) : ""}
						selectedOptions={section ? [section] : []}
						disabled={running}
						onOptionSelect={(_, d) => {
							setSection(d.optionValue as Section);
							setRun({ kind: "idle" });
						}}
					>
						{SECTIONS.map((s) => (
							<Option key={s} value={s}>
								{t(`import.csvSection.${s}`)}
							</Option>
						))}
					</Dropdown>
				</Field>
			)}

			<div className={styles.row}>
				<Button
					appearance={canImport ? "secondary" : "primary"}
					icon={<DocumentSearchRegular />}
					// Busy, it keeps the focus (a keyboard user keeps their place).
					disabled={!canPreview && !running}
					disabledFocusable={running}
					onClick={() => void send("preview")}
				>
					{t("import.preview")}
				</Button>
				<Button
					appearance={canImport ? "primary" : "secondary"}
					icon={<ArrowUploadRegular />}
					disabled={!canImport && !running}
					disabledFocusable={running}
					onClick={() => void send("import")}
				>
					{t("import.import")}
				</Button>
				{run.kind === "running" && (
					<Button appearance="subtle" onClick={() => abort.current?.abort()}>
						{t("common:cancel")}
					</Button>
				)}
			</div>
			{loaded && !canImport && run.kind !== "imported" && !running && (
				<Caption1>{t("import.previewFirst")}</Caption1>
			)}

			<div aria-live="polite" className={styles.progress}>
				{run.kind === "running" && (
					<RunProgress
						mode={run.mode}
						uploaded={run.uploaded}
						fraction={run.fraction}
						size={loaded?.file.size ?? 0}
					/>
				)}
			</div>

			{run.kind === "previewed" && (
				<section aria-labelledby="import-preview-title">
					<Text
						as="h3"
						size={500}
						weight="semibold"
						id="import-preview-title"
						block
					>
						{t("import.previewTitle")}
					</Text>
					<Body1 as="p" block>
						{changes(run.summary) === 0
							? t("import.nothingChanges")
							: t("import.previewText")}
					</Body1>
					<SummaryTable summary={run.summary} testId="import-preview" />
				</section>
			)}

			{run.kind === "imported" && (
				<MessageBar intent="success" role="status">
					<MessageBarBody>
						<MessageBarTitle>{t("import.doneTitle")}</MessageBarTitle>
						{t("import.doneText", { file: run.fileName })}
					</MessageBarBody>
				</MessageBar>
			)}
			{run.kind === "imported" && (
				<SummaryTable summary={run.summary} testId="import-result" />
			)}

			{run.kind === "invalid" && (
				<ErrorReport error={run.error} mode={run.mode} />
			)}

			{run.kind === "failed" && <FailedMessage error={run.error} />}
		</div>
	);
}

function changes(summary: ImportSummary): number {
	return SUMMARY_KEYS.reduce(
		(n, k) => n + (summary[k]?.inserted ?? 0) + (summary[k]?.updated ?? 0),
		0,
	);
}

function RunProgress({
	mode,
	uploaded,
	fraction,
	size,
}: {
	mode: Mode;
	uploaded: boolean;
	fraction: number;
	size: number;
}) {
	const { t } = useTranslation("admin");
	if (uploaded)
		return (
			<Spinner
				size="small"
				labelPosition="after"
				label={
					mode === "preview" ? t("import.validating") : t("import.importing")
				}
			/>
		);
	return (
		<Field
			label={t("import.uploading", {
				sent: formatBytes(Math.round(size * fraction)),
				total: formatBytes(size),
				percent: Math.round(fraction * 100),
			})}
			validationState="none"
		>
			<ProgressBar value={fraction} max={1} thickness="large" />
		</Field>
	);
}

function FailedMessage({ error }: { error: unknown }) {
	const { t } = useTranslation("admin");
	if (error instanceof ApiError && error.status === 0)
		return (
			<MessageBar intent="error" role="alert">
				<MessageBarBody>
					<MessageBarTitle>{t("import.networkTitle")}</MessageBarTitle>
					{t("import.networkText")}
				</MessageBarBody>
			</MessageBar>
		);
	if (error instanceof ApiError && error.status === 413)
		return (
			<MessageBar intent="error" role="alert">
				<MessageBarBody>
					<MessageBarTitle>{t("import.tooLargeTitle")}</MessageBarTitle>
					{t("import.tooLargeText")}
				</MessageBarBody>
			</MessageBar>
		);
	return <ErrorMessage error={error} />;
}

export function SummaryTable({
	summary,
	testId,
}: {
	summary: ImportSummary;
	testId: string;
}) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const keys = SUMMARY_KEYS.filter((k) => {
		const c = summary[k];
		return c && c.inserted + c.updated + c.unchanged > 0;
	});
	const total = { inserted: 0, updated: 0, unchanged: 0 };
	for (const k of keys) {
		total.inserted += summary[k].inserted;
		total.updated += summary[k].updated;
		total.unchanged += summary[k].unchanged;
	}
	if (keys.length === 0) return <Body1>{t("import.emptyFile")}</Body1>;
	return (
		<ScrollRegion label={t("import.summaryLabel")}>
			<Table size="small" data-testid={testId} style={{ minWidth: "340px" }}>
				<TableHeader>
					<TableRow>
						<TableHeaderCell>{t("import.summarySection")}</TableHeaderCell>
						<TableHeaderCell button={{ className: styles.numHead }}>
							{t("import.inserted")}
						</TableHeaderCell>
						<TableHeaderCell button={{ className: styles.numHead }}>
							{t("import.updated")}
						</TableHeaderCell>
						<TableHeaderCell button={{ className: styles.numHead }}>
							{t("import.unchanged")}
						</TableHeaderCell>
					</TableRow>
				</TableHeader>
				<TableBody>
					{keys.map((k) => (
						<TableRow key={k} data-section={k}>
							<TableCell>{t(`import.summaryKey.${k}`)}</TableCell>
							<TableCell className={styles.num} data-count="inserted">
								{formatNumber(summary[k].inserted)}
							</TableCell>
							<TableCell className={styles.num} data-count="updated">
								{formatNumber(summary[k].updated)}
							</TableCell>
							<TableCell className={styles.num} data-count="unchanged">
								{formatNumber(summary[k].unchanged)}
							</TableCell>
						</TableRow>
					))}
					<TableRow className={styles.total}>
						<TableCell>{t("import.total")}</TableCell>
						<TableCell className={styles.num}>
							{formatNumber(total.inserted)}
						</TableCell>
						<TableCell className={styles.num}>
							{formatNumber(total.updated)}
						</TableCell>
						<TableCell className={styles.num}>
							{formatNumber(total.unchanged)}
						</TableCell>
					</TableRow>
				</TableBody>
			</Table>
		</ScrollRegion>
	);
}

/**
 * "The import has 3 invalid rows; nothing was loaded." in the UI's language, counted as
 * the server counts them: a problem with a row's path (`tenants[2]…`) or an unreadable
 * CSV line is that row's; the others (a header's column, an empty file) the file's. The
 * API's own sentence where the list was cut short (too many to count here).
 */
function problemsText(t: TFunction, error: ApiError): string {
	if (error.errors.some((e) => e.code === "too_many_errors"))
		return error.message;
	const rows = new Set<string>();
	let others = 0;
	for (const e of error.errors) {
		const row =
			/^[A-Za-z]+\[\d+\]/.exec(e.path)?.[0] ??
			(e.code === "invalid_csv" && e.line !== undefined && e.path !== ""
				? `line ${e.line}`
				: undefined);
		if (row === undefined) others++;
		else rows.add(row);
	}
	const rowText = t("import.invalidRows", { count: rows.size });
	const otherText = t("import.otherProblems", { count: others });
	const what =
		rows.size === 0
			? t("import.problems", { count: Math.max(others, 1) })
			: others === 0
				? rowText
				: t("import.rowsAndOthers", { rows: rowText, others: otherText });
	return t("import.nothingLoaded", { what });
}

function ErrorReport({ error, mode }: { error: ApiError; mode: Mode }) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const [all, setAll] = useState(false);
	const narrow = useNarrow();
	const errors: FieldProblem[] = error.errors;
	const shown = all ? errors : errors.slice(0, ERRORS_SHOWN);
	const download = () => {
		const blob = new Blob([errorsCsv(errors)], {
			type: "text/csv;charset=utf-8",
		});
		const url = URL.createObjectURL(blob);
		const a = document.createElement("a");
		a.href = url;
		a.download = "import-errors.csv";
		a.click();
		setTimeout(() => URL.revokeObjectURL(url), 1000);
	};
	return (
		<section aria-labelledby="import-errors-title">
			<MessageBar intent="error" role="alert">
				<MessageBarBody>
					<MessageBarTitle id="import-errors-title">
						{mode === "preview"
							? t("import.invalidTitle")
							: t("import.invalidImportTitle")}
					</MessageBarTitle>
					{problemsText(t, error)} {t("import.invalidText")}
				</MessageBarBody>
			</MessageBar>
			<div className={styles.row} style={{ margin: "12px 0" }}>
				<Text>{t("import.errorCount", { count: errors.length })}</Text>
				<Button icon={<ArrowDownloadRegular />} onClick={download}>
					{t("import.downloadErrors")}
				</Button>
			</div>
			{narrow ? (
				// A phone: one card per problem, the message at full width.
				<ul
					className={styles.errorCards}
					data-testid="import-errors"
					aria-label={t("import.errorsLabel")}
				>
					{shown.map((e, i) => (
						<li
							// biome-ignore lint/suspicious/noArrayIndexKey: errors may repeat a path and code
							key={i}
							data-testid="import-error-row"
							className={styles.errorCard}
						>
							<Caption1 block>
								{t("import.line")}{" "}
								{e.line === undefined ? "—" : formatNumber(e.line)}
								{e.path && (
									<>
										{" · "}
										<span className={styles.mono}>{e.path}</span>
									</>
								)}
								{" · "}
								<span className={styles.mono}>{e.code}</span>
							</Caption1>
							<Text block>{e.message}</Text>
						</li>
					))}
				</ul>
			) : (
				<ScrollRegion label={t("import.errorsLabel")}>
					<Table
						size="small"
						data-testid="import-errors"
						style={{ minWidth: "640px" }}
					>
						<TableHeader>
							<TableRow>
								<TableHeaderCell style={{ width: "72px" }}>
									{t("import.line")}
								</TableHeaderCell>
								<TableHeaderCell style={{ width: "28%" }}>
									{t("import.path")}
								</TableHeaderCell>
								<TableHeaderCell style={{ width: "18%" }}>
									{t("import.code")}
								</TableHeaderCell>
								<TableHeaderCell>{t("import.message")}</TableHeaderCell>
							</TableRow>
						</TableHeader>
						<TableBody>
							{shown.map((e, i) => (
								<TableRow
									// biome-ignore lint/suspicious/noArrayIndexKey: errors may repeat a path and code
									key={i}
									data-testid="import-error-row"
								>
									<TableCell className={styles.line}>
										{e.line === undefined ? "—" : formatNumber(e.line)}
									</TableCell>
									<TableCell className={styles.mono}>{e.path || "—"}</TableCell>
									<TableCell className={styles.mono}>{e.code}</TableCell>
									<TableCell>{e.message}</TableCell>
								</TableRow>
							))}
						</TableBody>
					</Table>
				</ScrollRegion>
			)}
			{!all && errors.length > ERRORS_SHOWN && (
				<Button
					appearance="subtle"
					onClick={() => setAll(true)}
					style={{ marginTop: 8 }}
				>
					{t("import.showAllErrors", { count: errors.length })}
				</Button>
			)}
		</section>
	);
}
