/**
 * The claim's history (R-HIS-1): who, in which role, when, what, and the values before and
 * after in readable form (a small table of the changed fields).
 */
import {
	Button,
	Caption1,
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
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useHistory } from "../../../api/claims.ts";
import type { HistoryEntry } from "../../../api/types.ts";
import { useNarrow } from "../../../components/narrow.ts";
import { ErrorMessage, Loading } from "../../../components/states.tsx";
import { formatBytes, formatDateTime } from "../../../format.ts";
import { fieldLabel } from "./errors.tsx";

const useStyles = makeStyles({
	list: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	entry: {
		borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
		paddingLeft: tokens.spacingHorizontalM,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
	},
	head: {
		display: "flex",
		flexWrap: "wrap",
		columnGap: tokens.spacingHorizontalS,
		alignItems: "baseline",
	},
	muted: { color: tokens.colorNeutralForeground3 },
	tableWrap: { overflowX: "auto" },
	value: { whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
	fieldCol: { width: "30%" },
	changes: {
		margin: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
	},
	changeField: { fontWeight: tokens.fontWeightSemibold },
	changeValue: { margin: 0 },
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Keys that are bookkeeping, not something a person changed. */
const SKIP = new Set([
	"id",
	"partnerOrganizationId",
	"commentId",
	"documentIds",
	"sha256",
	// Derived from the deadlines (which are shown): the next one due.
	"dueAt",
]);

type Row = { path: string; before: unknown; after: unknown };

/** Fields that repeat a deadline (R-TIME-9), by the deadline's path. */
const COPIED_DEADLINES: Record<string, string> = {
	"association.consentEndsAt": "deadlines.consentEndsAt",
	"rejection.disputeUntil": "deadlines.disputeUntil",
	"informationRequest.respondBy": "deadlines.partnerResponseDue",
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Flattens nested objects into dotted paths (arrays stay whole). */
function flatten(
	v: Record<string, unknown> | null,
	prefix = "",
	out: Record<string, unknown> = {},
): Record<string, unknown> {
	if (!v) return out;
	for (const [k, val] of Object.entries(v)) {
		if (SKIP.has(k)) continue;
		const path = prefix ? `${prefix}.${k}` : k;
		if (isPlainObject(val)) flatten(val, path, out);
		else out[path] = val;
	}
	return out;
}

function isEmpty(v: unknown): boolean {
	return (
		v === null ||
		v === undefined ||
		v === "" ||
		(Array.isArray(v) && v.length === 0)
	);
}

/** The changed fields of an entry; for a creation, the values it started with. */
export function changedRows(entry: HistoryEntry): Row[] {
	const before = flatten(entry.before);
	const after = flatten(entry.after);
	const rows: Row[] = [];
	for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
		const b = before[path];
		const a = after[path];
		if (JSON.stringify(b ?? null) === JSON.stringify(a ?? null)) continue;
		if (isEmpty(b) && isEmpty(a)) continue;
		if (path === "documents" && Array.isArray(b) && Array.isArray(a)) {
			// Documents are only added or removed: show just those.
			const ids = (l: unknown[]) =>
				new Set(l.map((d) => (d as { id?: string }).id));
			const before = ids(b);
			const after = ids(a);
			rows.push({
				path,
				before: b.filter((d) => !after.has((d as { id?: string }).id)),
				after: a.filter((d) => !before.has((d as { id?: string }).id)),
			});
			continue;
		}
		rows.push({ path, before: b, after: a });
	}
	// A copy of a deadline elsewhere in the claim (the association's window end, the
	// rejection's dispute limit, the request's answer date) is shown once, as the deadline.
	const shown = rows.filter((row) => {
		const original = COPIED_DEADLINES[row.path];
		if (!original) return true;
		const twin = rows.find((r) => r.path === original);
		return !(
			twin &&
			JSON.stringify(twin.before ?? null) ===
				JSON.stringify(row.before ?? null) &&
			JSON.stringify(twin.after ?? null) === JSON.stringify(row.after ?? null)
		);
	});
	// The status first: it is what a reader looks for.
	return shown.sort(
		(x, y) => Number(y.path === "status") - Number(x.path === "status"),
	);
}

/** One value as a person reads it, in the UI language. */
export function formatValue(t: TFunction, path: string, v: unknown): string {
	if (isEmpty(v)) return "—";
	const leaf = path.split(".").pop() ?? path;
	if (typeof v === "boolean") return v ? t("claim:yes") : t("claim:no");
	if (typeof v === "number")
		return leaf === "size" ? formatBytes(v) : String(v);
	if (typeof v === "string") {
		if (ISO.test(v)) return formatDateTime(v);
		if (leaf === "status" && path === "status") return t(`common:status.${v}`);
		if (leaf === "status" && path === "association.status")
			return t(`claim:associationStatus.${v}`);
		if (leaf === "status" && path === "dispute.status")
			return t(`claim:disputeStatus.${v}`);
		if (leaf === "solutionArea") return t(`common:solutionArea.${v}`);
		if (leaf === "activity") return t(`common:activity.${v}`);
		if (leaf === "reason" || leaf === "rejectionReason")
			return t(`claim:reason.${v}`, { defaultValue: v });
		if (leaf === "decision")
			return t(`claim:disputeDecision.${v}`, { defaultValue: v });
		if (leaf === "actorRole" || leaf === "role")
			return t(`common:roles.${v}`, { defaultValue: v });
		return v;
	}
	if (Array.isArray(v)) {
		return v
			.map((item) => {
				if (typeof item === "string") {
					if (leaf === "reasons")
						return t(`claim:reason.${item}`, { defaultValue: item });
					if (leaf === "programs")
						return t(`common:program.${item}`, { defaultValue: item });
					return item;
				}
				if (isPlainObject(item)) {
					if (
						typeof item.program === "string" &&
						typeof item.result === "string"
					)
						return `${t(`common:program.${item.program}`)}: ${t(`common:eligibility.${item.result}`)}`;
					const name = (item.name ?? item.productId) as string | undefined;
					const sub = item.subscriptionId as string | null | undefined;
					if (name) return sub ? `${name} (${sub})` : name;
					if (sub) return sub;
					return JSON.stringify(item);
				}
				return String(item);
			})
			.join("\n");
	}
	return JSON.stringify(v);
}

function fieldName(t: TFunction, path: string): string {
	return (
		fieldLabel(t, path) ??
		path
			.split(".")
			.map((p) => p.replace(/([A-Z])/g, " $1").toLowerCase())
			.join(" › ")
	);
}

/** One history entry: action, actor and role, time, and its changes or comment. */
export function HistoryEntryItem({ entry }: { entry: HistoryEntry }) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	const rows = changedRows(entry);
	const [open, setOpen] = useState(rows.length <= 8);
	const narrow = useNarrow();
	const isComment = entry.action === "comment";
	const creation = entry.before === null && entry.action === "create";
	return (
		<li
			className={styles.entry}
			data-testid="history-entry"
			data-action={entry.action}
		>
			<div className={styles.head}>
				<Text weight="semibold">
					{t(`historyAction.${entry.action}`, {
						defaultValue: entry.action.replace(/_/g, " "),
					})}
				</Text>
				<Text>
					{t("history.by", {
						name: entry.actorName,
						role: t(`common:roles.${entry.actorRole}`, {
							defaultValue:
								entry.actorRole === "system"
									? t("history.system")
									: entry.actorRole,
						}),
					})}
				</Text>
				<Caption1 className={styles.muted}>
					<time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
				</Caption1>
			</div>
			{isComment && typeof entry.after?.body === "string" ? (
				<Text className={styles.value}>{entry.after.body}</Text>
			) : rows.length > 0 ? (
				<>
					{rows.length > 8 && (
						<div>
							<Button
								size="small"
								appearance="subtle"
								aria-expanded={open}
								onClick={() => setOpen(!open)}
							>
								{open
									? t("history.hide")
									: t("history.show", { count: rows.length })}
							</Button>
						</div>
					)}
					{open && narrow && (
						<dl
							className={styles.changes}
							aria-label={t("history.changesLabel")}
						>
							{rows.map((r) => (
								<div key={r.path}>
									<dt className={styles.changeField}>{fieldName(t, r.path)}</dt>
									<dd className={`${styles.value} ${styles.changeValue}`}>
										{creation
											? formatValue(t, r.path, r.after)
											: `${formatValue(t, r.path, r.before)} → ${formatValue(t, r.path, r.after)}`}
									</dd>
								</div>
							))}
						</dl>
					)}
					{open && !narrow && (
						<div className={styles.tableWrap}>
							<Table size="small" aria-label={t("history.changesLabel")}>
								<TableHeader>
									<TableRow>
										<TableHeaderCell className={styles.fieldCol}>
											{t("history.field")}
										</TableHeaderCell>
										{!creation && (
											<TableHeaderCell>{t("history.before")}</TableHeaderCell>
										)}
										<TableHeaderCell>
											{creation ? t("history.value") : t("history.after")}
										</TableHeaderCell>
									</TableRow>
								</TableHeader>
								<TableBody>
									{rows.map((r) => (
										<TableRow key={r.path}>
											<TableCell>{fieldName(t, r.path)}</TableCell>
											{!creation && (
												<TableCell className={styles.value}>
													{formatValue(t, r.path, r.before)}
												</TableCell>
											)}
											<TableCell className={styles.value}>
												{formatValue(t, r.path, r.after)}
											</TableCell>
										</TableRow>
									))}
								</TableBody>
							</Table>
						</div>
					)}
				</>
			) : null}
		</li>
	);
}

export function HistoryPanel({ claimId }: { claimId: string }) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	const history = useHistory(claimId);
	if (history.isLoading) return <Loading label={t("history.loading")} />;
	if (history.isError)
		return (
			<ErrorMessage error={history.error} onRetry={() => history.refetch()} />
		);
	const items = [...(history.data ?? [])].reverse();
	if (items.length === 0) return <Text>{t("history.empty")}</Text>;
	return (
		<ol
			className={styles.list}
			data-testid="history"
			aria-label={t("history.title")}
		>
			{items.map((e) => (
				<HistoryEntryItem key={e.id} entry={e} />
			))}
		</ol>
	);
}
