/**
 * Reviewing one claim (`/review/claims/:id`): every detail as the partner sees it, the
 * PoE opened in the page, the actions its status allows (SPEC section 4: start review;
 * request information, approve, reject; decide an open dispute), the comment thread
 * (R-REV-3), the history (R-HIS-1), and while a decision is open whether the directory
 * still says what the claim was validated against (R-DIR-6).
 */
import {
	Button,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Text,
	tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular, ScalesRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { useClaim } from "../../api/claims.ts";
import { ApiError } from "../../api/client.ts";
import { serverNow } from "../../api/session.ts";
import type { Claim } from "../../api/types.ts";
import { listAddress } from "../../components/list-address.ts";
import { MessageBarClose } from "../../components/message-bar-close.tsx";
import { Page } from "../../components/page.tsx";
import { useFocusWhenShown } from "../../components/return-focus.ts";
import { ErrorMessage, Loading } from "../../components/states.tsx";
import { formatDateTime } from "../../format.ts";
import {
	ActionError,
	ApproveAction,
	DecideDisputeAction,
	RejectAction,
	RequestInformationAction,
	StartReviewButton,
} from "./actions.tsx";
import { ClaimDetails } from "./claim-details.tsx";
import { DirectoryCheckNotice } from "./directory-check.tsx";
import { PoeViewer } from "./poe-viewer.tsx";
import { OverdueBadge, RouterLink, Section } from "./shared.tsx";
import { CommentsPanel, HistoryPanel } from "./thread.tsx";

const useStyles = makeStyles({
	back: { display: "inline-flex", gap: "4px", alignItems: "center" },
	top: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		marginBottom: tokens.spacingVerticalL,
	},
	actions: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		alignItems: "center",
	},
	main: {
		display: "grid",
		gridTemplateColumns: "minmax(0, 2fr) minmax(0, 3fr)",
		gap: tokens.spacingHorizontalL,
		alignItems: "start",
		"@media (max-width: 1000px)": { gridTemplateColumns: "minmax(0, 1fr)" },
	},
	poe: {
		position: "sticky",
		top: tokens.spacingVerticalL,
		"@media (max-width: 1000px)": { position: "static" },
	},
	bottom: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 420px), 1fr))",
		gap: tokens.spacingHorizontalL,
		marginTop: tokens.spacingVerticalL,
		alignItems: "start",
	},
	pre: { whiteSpace: "pre-wrap", margin: 0, overflowWrap: "anywhere" },
});

/** What the reviewer can do now, or why nothing (SPEC section 4). */
function statusHint(
	claim: Claim,
	t: (k: string, o?: Record<string, unknown>) => string,
): string {
	const d = claim.deadlines;
	switch (claim.status) {
		case "submitted":
			return t("hint.submitted", { date: formatDateTime(d.reviewStartDue) });
		case "under_review":
			return t("hint.under_review", { date: formatDateTime(d.decisionDue) });
		case "partner_action_required":
			return t("hint.partner_action_required", {
				date: formatDateTime(d.partnerResponseDue),
			});
		case "approved":
			return claim.association?.status === "active"
				? t("hint.approvedActive")
				: t("hint.approved", {
						date: formatDateTime(
							d.consentEndsAt ?? claim.association?.consentEndsAt,
						),
					});
		case "rejected":
			return claim.dispute?.status === "open"
				? t("hint.disputeOpen", {
						date: formatDateTime(d.disputeDecisionDue),
					})
				: t("hint.rejected");
		default:
			return t("hint.draft");
	}
}

export function ReviewClaimPage() {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const { id = "" } = useParams();
	const claim = useClaim(id);
	// Each action's notice is new (an object), so the focus goes to it again after a
	// second action with the same text.
	const [notice, setNotice] = useState<{ text: string } | null>(null);
	const noticeRef = useFocusWhenShown<HTMLDivElement>(notice);
	const [error, setError] = useState<unknown>(null);
	const navigate = useNavigate();

	if (claim.isLoading) return <Loading />;
	if (claim.isError || !claim.data)
		return (
			<Page title={t("claim.notFoundTitle")}>
				{claim.error instanceof ApiError && claim.error.status === 404 ? (
					// Nothing to retry: the address names no claim (or a deleted draft).
					<Text as="p" block>
						{t("claim.notFoundText")}
					</Text>
				) : (
					<ErrorMessage
						error={claim.error}
						onRetry={() => void claim.refetch()}
					/>
				)}
				<p>
					<RouterLink to={listAddress("queue")}>
						{t("claim.backToQueue")}
					</RouterLink>
				</p>
			</Page>
		);
	const c = claim.data;
	const onDone = (message: string) => {
		setError(null);
		setNotice({ text: message });
	};
	const disputeOpen = c.status === "rejected" && c.dispute?.status === "open";
	// By the server's clock (the sandbox's may run days ahead), as the queue judges it.
	const reviewerDue =
		c.status === "submitted"
			? c.deadlines.reviewStartDue
			: c.status === "under_review"
				? c.deadlines.decisionDue
				: disputeOpen
					? c.deadlines.disputeDecisionDue
					: null;
	const overdue =
		!!reviewerDue && new Date(reviewerDue).getTime() <= serverNow();
	const disputeDocs = c.documents.filter((d) => d.purpose === "dispute");
	// After the partner answered an information request: the PoE they added since, which
	// the viewer opens first and marks as new.
	const requestedAt = c.informationRequest?.requestedAt;
	const answeredDocs =
		requestedAt && c.informationRequest?.answeredAt
			? c.documents.filter((d) => d.uploadedAt > requestedAt)
			: [];

	return (
		<Page title={c.name}>
			<div className={styles.top}>
				<RouterLink to={listAddress("queue")}>
					<span className={styles.back}>
						<ArrowLeftRegular aria-hidden />
						{t("claim.backToQueue")}
					</span>
				</RouterLink>

				{notice && (
					<MessageBar
						intent="success"
						role="status"
						data-testid="action-notice"
						ref={noticeRef}
						tabIndex={-1}
					>
						<MessageBarBody>{notice.text}</MessageBarBody>
						<MessageBarClose onClose={() => setNotice(null)} />
					</MessageBar>
				)}

				<Section
					id="review-actions"
					title={t("claim.actions")}
					testId="review-actions"
				>
					<Text>
						{statusHint(c, t)}
						{overdue && (
							<>
								{" "}
								<OverdueBadge />
							</>
						)}
					</Text>
					<div className={styles.actions}>
						{c.status === "submitted" && (
							<StartReviewButton claim={c} onDone={onDone} onError={setError} />
						)}
						{c.status === "under_review" && (
							<>
								<ApproveAction claim={c} onDone={onDone} />
								<RequestInformationAction claim={c} onDone={onDone} />
								<RejectAction claim={c} onDone={onDone} />
							</>
						)}
						{disputeOpen && <DecideDisputeAction claim={c} onDone={onDone} />}
						{c.competing && (
							<Button
								icon={<ScalesRegular />}
								onClick={() => void navigate(`/review/arbitration/${c.id}`)}
							>
								{c.status === "approved" || c.status === "rejected"
									? t("claim.viewArbitration")
									: t("claim.openArbitration")}
							</Button>
						)}
					</div>
					<ActionError
						error={error}
						claimId={c.id}
						onReset={() => setError(null)}
					/>
				</Section>

				{c.competing &&
					(c.status === "submitted" || c.status === "under_review") && (
						<MessageBar intent="warning" layout="multiline">
							<MessageBarBody>
								<MessageBarTitle>{t("claim.competingTitle")}</MessageBarTitle>
								{t("claim.competingBody")}
							</MessageBarBody>
						</MessageBar>
					)}

				{(c.status === "submitted" ||
					c.status === "under_review" ||
					c.status === "partner_action_required" ||
					disputeOpen) && (
					<DirectoryCheckNotice claimId={c.id} domain={c.customer.domain} />
				)}

				{disputeOpen && c.dispute && (
					<MessageBar
						intent="info"
						layout="multiline"
						data-testid="open-dispute"
					>
						<MessageBarBody>
							<MessageBarTitle>
								{t("claim.disputeTitle", {
									date: formatDateTime(c.dispute.filedAt),
								})}
							</MessageBarTitle>
							<p className={styles.pre}>{c.dispute.justification}</p>
							<Text size={200}>
								{disputeDocs.length > 0
									? t("actions.disputeDocs", {
											count: disputeDocs.length,
											names: disputeDocs.map((d) => d.name).join(", "),
										})
									: t("actions.disputeNoDocs")}
							</Text>
						</MessageBarBody>
					</MessageBar>
				)}
			</div>

			<div className={styles.main}>
				<ClaimDetails claim={c} />
				<Section
					id="poe"
					title={t("poe.title", { count: c.documents.length })}
					className={styles.poe}
				>
					<PoeViewer
						key={c.id}
						claimId={c.id}
						documents={c.documents}
						initialDocumentId={
							disputeOpen ? disputeDocs[0]?.id : answeredDocs.at(-1)?.id
						}
						newSince={
							c.informationRequest?.answeredAt ? requestedAt : undefined
						}
					/>
				</Section>
			</div>

			<div className={styles.bottom}>
				<CommentsPanel claimId={c.id} />
				<HistoryPanel claimId={c.id} />
			</div>
		</Page>
	);
}
