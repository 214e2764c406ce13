/**
 * The claim's comment thread (R-REV-3: read and post) and its history (R-HIS-1:
 * append-only, with actor, role, time and before/after values).
 */
import {
	Badge,
	Button,
	Caption1,
	Field,
	makeStyles,
	Spinner,
	Text,
	Textarea,
	tokens,
} from "@fluentui/react-components";
import { SendRegular } from "@fluentui/react-icons";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAddComment, useComments, useHistory } from "../../api/claims.ts";
import type { HistoryEntry } from "../../api/types.ts";
import { ErrorMessage, Loading } from "../../components/states.tsx";
import { formatDateTime } from "../../format.ts";
import { Section } from "./shared.tsx";

const useStyles = makeStyles({
	list: {
		listStyle: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	item: {
		padding: tokens.spacingHorizontalM,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorNeutralBackground2,
		borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
	},
	reviewer: { borderLeftColor: tokens.colorBrandStroke1 },
	head: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		alignItems: "center",
		marginBottom: tokens.spacingVerticalXS,
	},
	body: { whiteSpace: "pre-wrap", margin: 0, overflowWrap: "anywhere" },
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		alignItems: "flex-start",
	},
	scroll: { maxHeight: "560px", overflowY: "auto", paddingRight: "4px" },
	changes: {
		width: "100%",
		borderCollapse: "collapse",
		fontSize: tokens.fontSizeBase200,
		tableLayout: "fixed",
		"& th, & td": {
			textAlign: "left",
			verticalAlign: "top",
			padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
			borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
			overflowWrap: "anywhere",
		},
	},
	summary: {
		cursor: "pointer",
		marginTop: tokens.spacingVerticalXS,
		":focus-visible": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			borderRadius: tokens.borderRadiusSmall,
		},
	},
});

/** The thread with a form to post to it. */
export function CommentsPanel({ claimId }: { claimId: string }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const comments = useComments(claimId);
	const add = useAddComment(claimId);
	const [body, setBody] = useState("");
	const [missing, setMissing] = useState(false);
	const post = (e: FormEvent) => {
		e.preventDefault();
		if (!body.trim()) {
			setMissing(true);
			return;
		}
		setMissing(false);
		add.mutate(body.trim(), { onSuccess: () => setBody("") });
	};
	return (
		<Section id="comments" title={t("comments.title")} testId="comments">
			{comments.isLoading ? (
				<Loading />
			) : comments.isError ? (
				<ErrorMessage
					error={comments.error}
					onRetry={() => void comments.refetch()}
				/>
			) : (comments.data ?? []).length === 0 ? (
				<Text>{t("comments.empty")}</Text>
			) : (
				<ol className={`${styles.list} ${styles.scroll}`}>
					{(comments.data ?? []).map((c) => (
						<li
							key={c.id}
							className={`${styles.item} ${c.authorRole === "reviewer" ? styles.reviewer : ""}`}
							data-testid="comment"
						>
							<div className={styles.head}>
								<Text weight="semibold">{c.authorName}</Text>
								{c.authorRole && (
									<Caption1>
										{t(`common:roles.${c.authorRole}`, {
											defaultValue: t("comments.system"),
										})}
									</Caption1>
								)}
								{c.kind !== "comment" && (
									<Badge appearance="outline" color="informative">
										{t(`comments.kind.${c.kind}`, { defaultValue: c.kind })}
									</Badge>
								)}
								<Caption1>
									<time dateTime={c.createdAt}>
										{formatDateTime(c.createdAt)}
									</time>
								</Caption1>
							</div>
							<p className={styles.body}>{c.body}</p>
						</li>
					))}
				</ol>
			)}
			<form className={styles.form} onSubmit={post} noValidate>
				<Field
					label={t("comments.add")}
					required
					style={{ width: "100%" }}
					validationMessage={missing ? t("validation.comment") : undefined}
				>
					<Textarea
						value={body}
						rows={3}
						resize="vertical"
						onChange={(_, d) => setBody(d.value)}
					/>
				</Field>
				{add.isError && <ErrorMessage error={add.error} />}
				<Button
					type="submit"
					appearance="secondary"
					icon={add.isPending ? <Spinner size="tiny" /> : <SendRegular />}
					disabled={add.isPending}
				>
					{t("comments.post")}
				</Button>
			</form>
		</Section>
	);
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** A before/after value, short and readable. */
function show(v: unknown): string {
	if (v === null || v === undefined) return "—";
	if (typeof v === "string") return ISO.test(v) ? formatDateTime(v) : v;
	if (typeof v === "number" || typeof v === "boolean") return String(v);
	const json = JSON.stringify(v);
	return json.length > 400 ? `${json.slice(0, 400)}…` : json;
}

function Changes({ entry }: { entry: HistoryEntry }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const keys = [
		...new Set([
			...Object.keys(entry.before ?? {}),
			...Object.keys(entry.after ?? {}),
		]),
	];
	if (keys.length === 0) return null;
	return (
		<details>
			<summary className={styles.summary}>
				{t("history.changes", { count: keys.length })}
			</summary>
			<table className={styles.changes}>
				<thead>
					<tr>
						<th scope="col">{t("history.field")}</th>
						<th scope="col">{t("history.before")}</th>
						<th scope="col">{t("history.after")}</th>
					</tr>
				</thead>
				<tbody>
					{keys.map((k) => (
						<tr key={k}>
							<th scope="row">{k}</th>
							<td>{entry.before ? show(entry.before[k]) : "—"}</td>
							<td>{entry.after ? show(entry.after[k]) : "—"}</td>
						</tr>
					))}
				</tbody>
			</table>
		</details>
	);
}

/** The history, oldest first. */
export function HistoryPanel({ claimId }: { claimId: string }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const history = useHistory(claimId);
	return (
		<Section id="history" title={t("history.title")} testId="history">
			{history.isLoading ? (
				<Loading />
			) : history.isError ? (
				<ErrorMessage
					error={history.error}
					onRetry={() => void history.refetch()}
				/>
			) : (history.data ?? []).length === 0 ? (
				<Text>{t("history.empty")}</Text>
			) : (
				<ol className={`${styles.list} ${styles.scroll}`}>
					{(history.data ?? []).map((h) => (
						<li key={h.id} className={styles.item} data-testid="history-entry">
							<div className={styles.head}>
								<Text weight="semibold">
									{t(`history.action.${h.action}`, { defaultValue: h.action })}
								</Text>
								<Caption1>
									<time dateTime={h.at}>{formatDateTime(h.at)}</time>
								</Caption1>
							</div>
							<Caption1 block>
								{h.actorName}
								{h.actorRole
									? ` · ${t(`common:roles.${h.actorRole}`, { defaultValue: t("comments.system") })}`
									: ""}
							</Caption1>
							{h.action !== "create" && <Changes entry={h} />}
						</li>
					))}
				</ol>
			)}
		</Section>
	);
}
