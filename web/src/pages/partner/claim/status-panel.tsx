/**
 * What the status means for the partner now: the information request's reasons and
 * comment with the deadline (R-REV-1, R-TIME-9), the rejection reason and how to dispute
 * (R-DSP-2), the dispute's state, and the association and consent window (R-CON-1, R-TIME-6).
 */

import {
	Button,
	MessageBar,
	MessageBarActions,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Text,
	tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { serverNow } from "../../../api/session.ts";
import type { Claim } from "../../../api/types.ts";
import { useRejectionComment } from "../../../components/comment-text.tsx";
import { useRouterClick } from "../../../components/router-click.ts";
import { formatDateTime } from "../../../format.ts";
import { canDispute } from "./model.ts";

const useStyles = makeStyles({
	stack: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		marginBottom: tokens.spacingVerticalL,
	},
	quote: {
		display: "block",
		whiteSpace: "pre-wrap",
		borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
		paddingLeft: tokens.spacingHorizontalS,
		marginTop: tokens.spacingVerticalXS,
		marginBottom: tokens.spacingVerticalXS,
		overflowWrap: "anywhere",
	},
	list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: "20px" },
});

/** True when the time has passed (by the server's clock: the sandbox's may run ahead). */
function past(iso: string | null | undefined): boolean {
	return !!iso && Date.parse(iso) < serverNow();
}

export function StatusPanel({
	claim,
	writer,
}: {
	claim: Claim;
	writer: boolean;
}) {
	const { t } = useTranslation("claim");
	const rejectionComment = useRejectionComment();
	const styles = useStyles();
	const bars = [];
	const ir = claim.informationRequest;
	const rej = claim.rejection;
	const dsp = claim.dispute;
	const asc = claim.association;
	const wizardHref = `/claims/new?draft=${encodeURIComponent(claim.id)}`;
	const toWizard = useRouterClick(wizardHref);

	if (claim.status === "draft" && writer) {
		bars.push(
			<MessageBar key="draft" intent="info" layout="multiline">
				<MessageBarBody>
					<MessageBarTitle>{t("panel.draftTitle")}</MessageBarTitle>
					{t("panel.draftText")}
				</MessageBarBody>
				<MessageBarActions>
					<Button
						as="a"
						href={wizardHref}
						onClick={toWizard}
						appearance="transparent"
						data-testid="continue-in-wizard"
					>
						{t("panel.continueWizard")}
					</Button>
				</MessageBarActions>
			</MessageBar>,
		);
	}
	if (claim.status === "submitted") {
		bars.push(
			<MessageBar key="submitted" intent="info" layout="multiline">
				<MessageBarBody>
					{t(
						past(claim.deadlines.reviewStartDue)
							? "panel.submittedOverdue"
							: "panel.submittedText",
						{ date: formatDateTime(claim.deadlines.reviewStartDue) },
					)}
				</MessageBarBody>
			</MessageBar>,
		);
	}
	if (claim.status === "under_review") {
		bars.push(
			<MessageBar key="review" intent="info" layout="multiline">
				<MessageBarBody>
					{claim.competing
						? t("panel.arbitrationText")
						: t("panel.underReviewText")}
				</MessageBarBody>
			</MessageBar>,
		);
	}
	if (claim.status === "partner_action_required" && ir) {
		bars.push(
			<MessageBar
				key="ir"
				intent="warning"
				layout="multiline"
				data-testid="information-request"
			>
				<MessageBarBody>
					<MessageBarTitle>
						{t("panel.irTitle", {
							date: formatDateTime(
								claim.deadlines.partnerResponseDue ?? ir.respondBy,
							),
						})}
					</MessageBarTitle>
					<Text block>
						{t("panel.irBy", {
							name: ir.requestedBy,
							date: formatDateTime(ir.requestedAt),
						})}
					</Text>
					<ul className={styles.list} data-testid="information-request-reasons">
						{ir.reasons.map((r) => (
							<li key={r} data-reason={r}>
								{t(`reason.${r}`, { defaultValue: r })}
							</li>
						))}
					</ul>
					{ir.comment && (
						<>
							<Text weight="semibold">{t("panel.reviewerComment")}</Text>
							<Text className={styles.quote}>{ir.comment}</Text>
						</>
					)}
					<Text block>
						{writer ? t("panel.irNext") : t("panel.irNextViewer")}
					</Text>
				</MessageBarBody>
			</MessageBar>,
		);
	}
	if (claim.status === "rejected" && rej) {
		const until = claim.deadlines.disputeUntil ?? rej.disputeUntil;
		const open = dsp?.status === "open";
		let next: string;
		if (rej.reason === "partner_request")
			next = t("panel.noDisputePartnerRequest");
		else if (open) next = t("panel.disputeOpenShort");
		else if (canDispute(claim))
			next = writer
				? t("panel.canDispute", { date: formatDateTime(until) })
				: t("panel.canDisputeViewer", { date: formatDateTime(until) });
		else if (until)
			next = t("panel.disputeClosed", { date: formatDateTime(until) });
		else next = t("panel.newClaimInstead");
		bars.push(
			<MessageBar
				key="rej"
				intent="error"
				layout="multiline"
				data-testid="rejection"
			>
				<MessageBarBody>
					<MessageBarTitle>
						{t("panel.rejectedTitle", {
							reason: t(`reason.${rej.reason}`, { defaultValue: rej.reason }),
						})}
					</MessageBarTitle>
					<Text block>
						{t("panel.rejectedBy", {
							name: rej.rejectedBy,
							date: formatDateTime(rej.rejectedAt),
						})}
					</Text>
					{rej.comment && (
						<Text className={styles.quote}>{rejectionComment(rej)}</Text>
					)}
					<Text block data-testid="dispute-hint">
						{next}
					</Text>
				</MessageBarBody>
			</MessageBar>,
		);
	}
	if (dsp) {
		bars.push(
			<MessageBar
				key="dispute"
				intent={dsp.status === "open" ? "info" : "success"}
				layout="multiline"
				data-testid="dispute"
				data-dispute-status={dsp.status}
			>
				<MessageBarBody>
					<MessageBarTitle>
						{dsp.status === "open"
							? t("panel.disputeOpenTitle")
							: t("panel.disputeDecidedTitle", {
									decision: t(`disputeDecision.${dsp.decision ?? ""}`, {
										defaultValue: dsp.decision ?? "",
									}),
								})}
					</MessageBarTitle>
					<Text block>
						{t("panel.disputeFiled", { date: formatDateTime(dsp.filedAt) })}
						{dsp.status === "open" && claim.deadlines.disputeDecisionDue
							? ` ${t("panel.disputeDue", {
									date: formatDateTime(claim.deadlines.disputeDecisionDue),
								})}`
							: ""}
						{dsp.decidedAt
							? ` ${t("panel.disputeDecidedAt", { date: formatDateTime(dsp.decidedAt) })}`
							: ""}
					</Text>
					{dsp.justification && (
						<>
							<Text weight="semibold">{t("panel.justification")}</Text>
							<Text className={styles.quote}>{dsp.justification}</Text>
						</>
					)}
					{dsp.decisionComment && (
						<>
							<Text weight="semibold">{t("panel.reviewerComment")}</Text>
							<Text className={styles.quote}>{dsp.decisionComment}</Text>
						</>
					)}
				</MessageBarBody>
			</MessageBar>,
		);
	}
	if (asc) {
		const text =
			asc.status === "pending_consent"
				? t("panel.assocPending", {
						approved: formatDateTime(asc.approvedAt),
						date: formatDateTime(asc.consentEndsAt),
					})
				: asc.status === "active"
					? t("panel.assocActive", { date: formatDateTime(asc.activatedAt) })
					: t("panel.assocDeclined", { date: formatDateTime(asc.declinedAt) });
		bars.push(
			<MessageBar
				key="assoc"
				intent={asc.status === "declined" ? "warning" : "success"}
				layout="multiline"
				data-testid="association"
				data-association-status={asc.status}
			>
				<MessageBarBody>
					<MessageBarTitle>
						{t(`associationStatus.${asc.status}`)}
					</MessageBarTitle>
					{text}
				</MessageBarBody>
			</MessageBar>,
		);
	}
	if (bars.length === 0) return null;
	return <div className={styles.stack}>{bars}</div>;
}
