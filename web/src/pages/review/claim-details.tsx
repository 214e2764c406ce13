/**
 * A claim's details as the partner sees them (SPEC section 3): parties, products with
 * subscription IDs (R-CRT-8), contacts, deadlines (R-TIME-9), the information request,
 * rejection, dispute, association and eligibility.
 */

import { Badge, makeStyles, Text, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Claim, Contact } from "../../api/types.ts";
import { useRejectionComment } from "../../components/comment-text.tsx";
import { eligibilityReasons } from "../../components/eligibility-reasons.ts";
import { PartnerName } from "../../components/partner-name.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDateTime } from "../../format.ts";
import { CompetingBadge, Facts, Section } from "./shared.tsx";

const useStyles = makeStyles({
	stack: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		minWidth: 0,
	},
	products: {
		margin: 0,
		paddingLeft: tokens.spacingHorizontalL,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
	},
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
		overflowWrap: "anywhere",
	},
	pre: { whiteSpace: "pre-wrap", margin: 0, overflowWrap: "anywhere" },
	contacts: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))",
		gap: tokens.spacingHorizontalL,
	},
	badges: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
	},
});

function ContactBlock({
	label,
	contact,
}: {
	label: string;
	contact: Contact | null;
}) {
	const { t } = useTranslation("review");
	return (
		<div>
			<Text weight="semibold" block>
				{label}
			</Text>
			{contact ? (
				<>
					<Text block>
						{contact.name}
						{contact.title ? `, ${contact.title}` : ""}
					</Text>
					<Text block style={{ overflowWrap: "anywhere" }}>
						{contact.email}
					</Text>
				</>
			) : (
				<Text block>{t("details.notGiven")}</Text>
			)}
		</div>
	);
}

/** The products or workloads, each with its subscription ID when claimed per subscription. */
export function ProductList({ claim }: { claim: Claim }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	if (claim.products.length === 0)
		return <Text>{t("details.noProducts")}</Text>;
	return (
		<ul className={styles.products}>
			{claim.products.map((p) => (
				<li key={`${p.productId}-${p.subscriptionId ?? ""}`}>
					<Text>{p.name}</Text>
					{p.subscriptionId && (
						<Text block className={styles.mono}>
							{t("details.subscription", { id: p.subscriptionId })}
						</Text>
					)}
				</li>
			))}
		</ul>
	);
}

/** The facts that identify a claim (used on the review page and in arbitration columns). */
export function claimFacts(
	claim: Claim,
	t: (k: string, o?: Record<string, unknown>) => string,
	monoClass?: string,
): [string, ReactNode][] {
	return [
		[
			t("review:details.partner"),
			<PartnerName
				key="partner"
				organizationId={claim.partnerOrganizationId}
				withId
			/>,
		],
		[t("review:details.mpnId"), claim.mpnId],
		[t("review:details.domain"), claim.customer.domain],
		[
			t("review:details.tenantId"),
			<span key="tenant" className={monoClass}>
				{claim.customer.tenantId}
			</span>,
		],
		[
			t("review:details.area"),
			`${t(`common:solutionArea.${claim.solutionArea}`)} · ${t(`common:activity.${claim.activity}`)}`,
		],
	];
}

/** The deadlines in the order a claim meets them. */
const DEADLINE_KEYS: (keyof Claim["deadlines"])[] = [
	"reviewStartDue",
	"decisionDue",
	"partnerResponseDue",
	"consentEndsAt",
	"disputeUntil",
	"disputeDecisionDue",
];

/** Which deadlines run in each status (SPEC section 5). */
const RUNNING: Partial<Record<Claim["status"], (keyof Claim["deadlines"])[]>> =
	{
		submitted: ["reviewStartDue"],
		under_review: ["decisionDue"],
		partner_action_required: ["partnerResponseDue"],
		approved: ["consentEndsAt"],
		rejected: ["disputeUntil", "disputeDecisionDue"],
	};

/** The deadlines that are set, labelled (R-TIME-9). */
export function deadlineFacts(
	claim: Claim,
	t: (k: string) => string,
): [string, string | null][] {
	const d = claim.deadlines;
	const at = (v: string | null) => (v ? formatDateTime(v) : null);
	// Only the deadlines that run in the claim's status (R-TIME-9): a decision's due date
	// once decided, or a review start's once started, would read as still pending.
	const runs = RUNNING[claim.status] ?? [];
	const disputeOpen = claim.dispute?.status === "open";
	const shown = (key: keyof Claim["deadlines"]) =>
		runs.includes(key) &&
		(key === "disputeDecisionDue"
			? disputeOpen
			: key === "disputeUntil"
				? !claim.dispute
				: key === "consentEndsAt"
					? claim.association?.status === "pending_consent"
					: true);
	return [
		[t("review:details.submittedAt"), at(claim.submittedAt)],
		...DEADLINE_KEYS.filter(shown).map(
			(key) =>
				[t(`review:deadline.${key}`), at(d[key])] as [string, string | null],
		),
	];
}

/** Every detail of a claim in titled panels. */
export function ClaimDetails({ claim }: { claim: Claim }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const rejectionComment = useRejectionComment();
	const ir = claim.informationRequest;
	const rej = claim.rejection;
	const dsp = claim.dispute;
	const assoc = claim.association;
	return (
		<div className={styles.stack} data-testid="claim-details">
			<Section id="details-overview" title={t("details.overview")}>
				<div className={styles.badges}>
					<StatusBadge status={claim.status} />
					{claim.competing && <CompetingBadge claimId={claim.id} />}
				</div>
				<Facts
					items={[
						...claimFacts(claim, t, styles.mono),
						[
							t("details.claimId"),
							<span key="id" className={styles.mono}>
								{claim.id}
							</span>,
						],
						[t("details.createdAt"), formatDateTime(claim.createdAt)],
						[t("details.updatedAt"), formatDateTime(claim.updatedAt)],
					]}
				/>
			</Section>

			<Section
				id="details-products"
				title={
					claim.solutionArea === "microsoft_365"
						? t("details.workloads")
						: t("details.products")
				}
			>
				<ProductList claim={claim} />
			</Section>

			<Section id="details-contacts" title={t("details.contacts")}>
				<div className={styles.contacts}>
					<ContactBlock
						label={t("details.customerContact")}
						contact={claim.contacts.customer}
					/>
					{(claim.contacts.customerTechnical ||
						claim.solutionArea === "business_applications") && (
						<ContactBlock
							label={t("details.technicalContact")}
							contact={claim.contacts.customerTechnical}
						/>
					)}
					<ContactBlock
						label={t("details.partnerContact")}
						contact={claim.contacts.partner}
					/>
				</div>
			</Section>

			{claim.revenueAssociation && (
				<Section id="details-revenue" title={t("details.revenueAssociation")}>
					<Facts
						items={[
							[
								t("details.solutionSeller"),
								claim.revenueAssociation.solutionSellerName,
							],
							[
								t("details.customerName"),
								claim.revenueAssociation.customerName,
							],
							[
								t("details.isvSolution"),
								claim.revenueAssociation.isvSolutionName,
							],
						]}
					/>
				</Section>
			)}

			<Section id="details-deadlines" title={t("details.deadlines")}>
				<Facts items={deadlineFacts(claim, t)} />
			</Section>

			{ir && (
				<Section
					id="details-information-request"
					title={t("details.informationRequest")}
				>
					<Facts
						items={[
							[
								t("details.reasons"),
								<ul key="r" className={styles.products}>
									{ir.reasons.map((r) => (
										<li key={r}>{t(`reasons.info.${r}.label`)}</li>
									))}
								</ul>,
							],
							[
								t("details.comment"),
								<p key="c" className={styles.pre}>
									{ir.comment}
								</p>,
							],
							[
								t("details.requested"),
								t("details.byAt", {
									who: ir.requestedBy,
									at: formatDateTime(ir.requestedAt),
								}),
							],
							// Once the partner resubmitted, when they answered; until then, by when.
							ir.answeredAt
								? [t("details.answered"), formatDateTime(ir.answeredAt)]
								: [t("details.respondBy"), formatDateTime(ir.respondBy)],
						]}
					/>
				</Section>
			)}

			{rej && (
				<Section id="details-rejection" title={t("details.rejection")}>
					<Facts
						items={[
							[t("details.reason"), t(`reasons.reject.${rej.reason}.label`)],
							[
								t("details.comment"),
								<p key="c" className={styles.pre}>
									{rejectionComment(rej)}
								</p>,
							],
							[
								t("details.rejected"),
								t("details.byAt", {
									who: rej.rejectedBy,
									at: formatDateTime(rej.rejectedAt),
								}),
							],
							[
								t("deadline.disputeUntil"),
								rej.disputeUntil ? formatDateTime(rej.disputeUntil) : null,
							],
						]}
					/>
				</Section>
			)}

			{dsp && (
				<Section id="details-dispute" title={t("details.dispute")}>
					<Facts
						items={[
							[
								t("details.disputeStatus"),
								<Badge
									key="s"
									appearance="tint"
									color={dsp.status === "open" ? "warning" : "informative"}
								>
									{t(`dispute.status.${dsp.status}`)}
								</Badge>,
							],
							[
								t("details.justification"),
								<p key="j" className={styles.pre}>
									{dsp.justification}
								</p>,
							],
							[t("details.filedAt"), formatDateTime(dsp.filedAt)],
							[
								t("details.decision"),
								dsp.decision ? t(`dispute.decision.${dsp.decision}`) : null,
							],
							[
								t("details.decisionComment"),
								dsp.decisionComment ? (
									<p key="dc" className={styles.pre}>
										{dsp.decisionComment}
									</p>
								) : null,
							],
							[
								t("details.decidedAt"),
								dsp.decidedAt ? formatDateTime(dsp.decidedAt) : null,
							],
						]}
					/>
				</Section>
			)}

			{assoc && (
				<Section id="details-association" title={t("details.association")}>
					<Facts
						items={[
							[
								t("details.associationStatus"),
								t(`association.${assoc.status}`),
							],
							[t("details.approvedAt"), formatDateTime(assoc.approvedAt)],
							[
								t("deadline.consentEndsAt"),
								formatDateTime(assoc.consentEndsAt),
							],
							[
								t("details.activatedAt"),
								assoc.activatedAt ? formatDateTime(assoc.activatedAt) : null,
							],
							[
								t("details.declinedAt"),
								assoc.declinedAt ? formatDateTime(assoc.declinedAt) : null,
							],
						]}
					/>
				</Section>
			)}

			{claim.eligibility.length > 0 && (
				<Section id="details-eligibility" title={t("details.eligibility")}>
					<Facts
						items={claim.eligibility.map((e) => [
							t(`common:program.${e.program}`),
							<span key={e.program}>
								<Badge
									appearance="tint"
									color={e.result === "eligible" ? "success" : "danger"}
								>
									{t(`common:eligibility.${e.result}`)}
								</Badge>
								{e.reasons.length > 0 && (
									<Text block size={200}>
										{eligibilityReasons(t, e).join(" ")}
									</Text>
								)}
							</span>,
						])}
					/>
				</Section>
			)}
		</div>
	);
}
