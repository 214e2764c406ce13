/** The claim's comment thread (R-REV-3) with a form to post (partners who can write). */

import {
	Badge,
	Button,
	Caption1,
	Field,
	makeStyles,
	Text,
	Textarea,
	tokens,
} from "@fluentui/react-components";
import { Send20Regular } from "@fluentui/react-icons";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAddComment, useComments } from "../../../api/claims.ts";
import { useCommentText } from "../../../components/comment-text.tsx";
import { useInFlight } from "../../../components/in-flight.ts";
import {
	COMMENT_MAX_LENGTH,
	lengthHint,
	lengthLimitStatus,
} from "../../../components/length-hint.ts";
import {
	ErrorMessage,
	Loading,
	SpokenStatus,
} from "../../../components/states.tsx";
import { formatDateTime } from "../../../format.ts";
import { ActionError } from "./errors.tsx";

const useStyles = makeStyles({
	list: {
		listStyleType: "none",
		padding: 0,
		margin: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	comment: {
		padding: tokens.spacingHorizontalM,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorNeutralBackground2,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
	},
	partner: { backgroundColor: tokens.colorBrandBackground2 },
	head: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		columnGap: tokens.spacingHorizontalS,
	},
	body: { whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
	muted: { color: tokens.colorNeutralForeground3 },
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		marginTop: tokens.spacingVerticalL,
	},
});

const PARTNER_ROLES = [
	"global_admin",
	"billing_admin",
	"incentives_admin",
	"incentives_user",
];
const KINDS = [
	"information_request",
	"response",
	"decision",
	"dispute",
	"arbitration",
	"system",
];

export function CommentsPanel({
	claimId,
	canPost,
}: {
	claimId: string;
	canPost: boolean;
}) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	const comments = useComments(claimId);
	const commentText = useCommentText();
	const add = useAddComment(claimId);
	const flight = useInFlight();
	const [body, setBody] = useState("");
	const [empty, setEmpty] = useState(false);
	// Said to screen readers once a comment is posted (the form stays where it was).
	const [posted, setPosted] = useState(false);

	const onSubmit = (e: FormEvent) => {
		e.preventDefault();
		if (!body.trim()) {
			setEmpty(true);
			return;
		}
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
		<div>
			{comments.isLoading ? (
				<Loading label={t("comments.loading")} />
			) : comments.isError ? (
				<ErrorMessage
					error={comments.error}
					onRetry={() => comments.refetch()}
				/>
			) : (comments.data ?? []).length === 0 ? (
				<Text block>{t("comments.none")}</Text>
			) : (
				<ol
					className={styles.list}
					data-testid="comments"
					aria-label={t("comments.title")}
				>
					{(comments.data ?? []).map((c) => (
						<li
							key={c.id}
							className={`${styles.comment} ${PARTNER_ROLES.includes(c.authorRole) ? styles.partner : ""}`}
							data-testid="comment"
							data-kind={c.kind}
						>
							<div className={styles.head}>
								<Text weight="semibold">{c.authorName}</Text>
								<Caption1>
									{t(`common:roles.${c.authorRole}`, {
										defaultValue:
											c.authorRole === "system"
												? t("history.system")
												: c.authorRole,
									})}
								</Caption1>
								{KINDS.includes(c.kind) && (
									<Badge appearance="outline" size="small">
										{t(`comments.kind.${c.kind}`)}
									</Badge>
								)}
								<Caption1 className={styles.muted}>
									<time dateTime={c.createdAt}>
										{formatDateTime(c.createdAt)}
									</time>
								</Caption1>
							</div>
							<Text className={styles.body}>{commentText(c)}</Text>
						</li>
					))}
				</ol>
			)}
			{canPost ? (
				<form className={styles.form} onSubmit={onSubmit} noValidate>
					<Field
						label={t("comments.new")}
						validationMessage={empty ? t("comments.emptyError") : undefined}
						hint={lengthHint(t, body) ?? t("comments.hint")}
					>
						<Textarea
							value={body}
							onChange={(_, d) => {
								setBody(d.value);
								if (d.value.trim()) setEmpty(false);
							}}
							resize="vertical"
							maxLength={COMMENT_MAX_LENGTH}
							data-testid="comment-input"
						/>
					</Field>
					{add.isError && (
						<ActionError error={add.error} onDismiss={() => add.reset()} />
					)}
					<SpokenStatus
						text={lengthLimitStatus(t, body)}
						testId="comment-at-limit"
					/>
					<SpokenStatus
						text={posted ? t("comments.posted") : ""}
						testId="comment-posted"
					/>
					<div>
						<Button
							type="submit"
							appearance="primary"
							icon={<Send20Regular />}
							disabledFocusable={add.isPending}
						>
							{t("comments.post")}
						</Button>
					</div>
				</form>
			) : (
				<Caption1 block className={styles.muted} style={{ marginTop: 12 }}>
					{t("comments.readOnly")}
				</Caption1>
			)}
		</div>
	);
}
