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
import { useCommentText } from "../../components/comment-text.tsx";
import { useInFlight } from "../../components/in-flight.ts";
import {
	COMMENT_MAX_LENGTH,
	lengthHint,
	lengthLimitStatus,
} from "../../components/length-hint.ts";
import {
	ErrorMessage,
	Loading,
	SpokenStatus,
} from "../../components/states.tsx";
import { formatDateTime } from "../../format.ts";
import { HistoryEntryItem } from "../partner/claim/history-panel.tsx";
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
});

/** The thread with a form to post to it. */
export function CommentsPanel({ claimId }: { claimId: string }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const comments = useComments(claimId);
	const commentText = useCommentText();
	const add = useAddComment(claimId);
	const flight = useInFlight();
	const [body, setBody] = useState("");
	const [missing, setMissing] = useState(false);
	// Said to screen readers once a comment is posted (the form stays where it was).
	const [posted, setPosted] = useState(false);
	const post = (e: FormEvent) => {
		e.preventDefault();
		if (!body.trim()) {
			setMissing(true);
			return;
		}
		setMissing(false);
		if (!flight.take()) return;
		setPosted(false);
		add.mutate(body.trim(), {
			onSuccess: () => {
				setBody("");
				setPosted(true);
			},
			onSettled: flight.release,
		});
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
							<p className={styles.body}>{commentText(c)}</p>
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
					hint={lengthHint(t, body)}
				>
					<Textarea
						value={body}
						rows={3}
						resize="vertical"
						maxLength={COMMENT_MAX_LENGTH}
						onChange={(_, d) => setBody(d.value)}
					/>
				</Field>
				{add.isError && <ErrorMessage error={add.error} />}
				<SpokenStatus
					text={lengthLimitStatus(t, body)}
					testId="comment-at-limit"
				/>
				<SpokenStatus
					text={posted ? t("comments.posted") : ""}
					testId="comment-posted"
				/>
				<Button
					type="submit"
					appearance="secondary"
					icon={add.isPending ? <Spinner size="tiny" /> : <SendRegular />}
					disabledFocusable={add.isPending}
				>
					{t("comments.post")}
				</Button>
			</form>
		</Section>
	);
}

/**
 * The history, oldest first, each entry as the partner's page shows it (R-HIS-1: who, in
 * which role, when, and the changed fields before and after, in readable form).
 */
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
						// The partner's entry: field names and values in the reader's language.
						<HistoryEntryItem key={h.id} entry={h} />
					))}
				</ol>
			)}
		</Section>
	);
}
