/**
 * A claim, as its partner sees it: details with the claimed subscription IDs (R-CRT-8),
 * contacts, what the status needs from the partner and by when (R-TIME-9, R-REV-1,
 * R-DSP-2), eligibility per program (R-ELG-1), PoE documents with upload (R-CRT-7), the
 * comment thread (R-REV-3), the history (R-HIS-1) and the actions the status allows.
 */

import {
	Badge,
	Button,
	Caption1,
	Card,
	MessageBar,
	MessageBarActions,
	MessageBarBody,
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
import { ArrowLeft20Regular } from "@fluentui/react-icons";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useParams } from "react-router";
import { useClaim } from "../../api/claims.ts";
import { ApiError } from "../../api/client.ts";
import { useMe } from "../../api/session.ts";
import type { Claim, Contact } from "../../api/types.ts";
import { eligibilityReasons } from "../../components/eligibility-reasons.ts";
import { listAddress } from "../../components/list-address.ts";
import { Page } from "../../components/page.tsx";
import { useFocusWhenShown } from "../../components/return-focus.ts";
import { ErrorMessage, Loading } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDateTime } from "../../format.ts";
import { homeFor } from "../../shell.tsx";
import { ClaimActions } from "./claim/actions.tsx";
import { CommentsPanel } from "./claim/comments-panel.tsx";
import { DocumentsPanel } from "./claim/documents-panel.tsx";
import { ActionError } from "./claim/errors.tsx";
import { HistoryPanel } from "./claim/history-panel.tsx";
import { canUpload, canWrite } from "./claim/model.ts";
import {
	CompetingBadge,
	EligibilityBadges,
	PartnerDeadlineText,
	RouterLink,
} from "./claim/parts.tsx";
import { StatusPanel } from "./claim/status-panel.tsx";

const useStyles = makeStyles({
	back: {
		display: "inline-flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		marginBottom: tokens.spacingVerticalS,
	},
	statusRow: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalS,
		marginBottom: tokens.spacingVerticalM,
	},
	messages: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		marginBottom: tokens.spacingVerticalM,
	},
	grid: {
		display: "grid",
		gridTemplateColumns: "minmax(0, 2fr) minmax(0, 1fr)",
		gap: tokens.spacingHorizontalL,
		alignItems: "start",
		"@media (max-width: 960px)": { gridTemplateColumns: "minmax(0, 1fr)" },
	},
	column: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		minWidth: 0,
	},
	card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
	dl: {
		display: "grid",
		gridTemplateColumns: "minmax(120px, max-content) minmax(0, 1fr)",
		columnGap: tokens.spacingHorizontalL,
		rowGap: tokens.spacingVerticalS,
		margin: 0,
		"@media (max-width: 480px)": {
			gridTemplateColumns: "minmax(0, 1fr)",
			rowGap: 0,
		},
	},
	dt: {
		color: tokens.colorNeutralForeground3,
		"@media (max-width: 480px)": { marginTop: tokens.spacingVerticalS },
	},
	dd: { margin: 0, overflowWrap: "anywhere" },
	mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
	tableWrap: { overflowX: "auto" },
	muted: { color: tokens.colorNeutralForeground3 },
	reasons: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: "20px" },
	program: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
		paddingBottom: tokens.spacingVerticalS,
	},
});

function Section({
	title,
	children,
	testId,
	action,
}: {
	title: string;
	children: ReactNode;
	testId?: string;
	action?: ReactNode;
}) {
	const styles = useStyles();
	const id = `section-${testId ?? title.replace(/\W+/g, "-").toLowerCase()}`;
	return (
		<Card
			className={styles.card}
			role="region"
			aria-labelledby={id}
			data-testid={testId}
		>
			<div
				style={{
					display: "flex",
					flexWrap: "wrap",
					justifyContent: "space-between",
					alignItems: "center",
					gap: 8,
				}}
			>
				<Text
					as="h2"
					id={id}
					size={500}
					weight="semibold"
					style={{ margin: 0 }}
				>
					{title}
				</Text>
				{action}
			</div>
			{children}
		</Card>
	);
}

function Facts({ rows }: { rows: [string, ReactNode, string?][] }) {
	const styles = useStyles();
	return (
		<dl className={styles.dl}>
			{rows.map(([label, value, testId]) => (
				<div key={label} style={{ display: "contents" }}>
					<dt className={styles.dt}>{label}</dt>
					<dd className={styles.dd} data-testid={testId}>
						{value ?? "—"}
					</dd>
				</div>
			))}
		</dl>
	);
}

function ContactFacts({
	contact,
	withTitle,
}: {
	contact: Contact | null;
	withTitle: boolean;
}) {
	const { t } = useTranslation("claim");
	if (!contact) return <Text>{t("contacts.missing")}</Text>;
	const rows: [string, ReactNode][] = [
		[t("contacts.name"), contact.name || "—"],
	];
	if (withTitle) rows.push([t("contacts.jobTitle"), contact.title || "—"]);
	rows.push([
		t("contacts.email"),
		contact.email ? (
			<a key="email" href={`mailto:${contact.email}`}>
				{contact.email}
			</a>
		) : (
			"—"
		),
	]);
	return <Facts rows={rows} />;
}

function KeyDates({ claim }: { claim: Claim }) {
	const { t } = useTranslation("claim");
	const d = claim.deadlines;
	const rows: [string, ReactNode, string?][] = [
		[t("dates.created"), formatDateTime(claim.createdAt)],
	];
	if (claim.submittedAt)
		rows.push([t("dates.submitted"), formatDateTime(claim.submittedAt)]);
	rows.push([t("dates.updated"), formatDateTime(claim.updatedAt)]);
	if (claim.status === "submitted" && d.reviewStartDue)
		rows.push([t("dates.reviewStartDue"), formatDateTime(d.reviewStartDue)]);
	if (claim.status === "under_review" && d.decisionDue)
		rows.push([t("dates.decisionDue"), formatDateTime(d.decisionDue)]);
	if (claim.status === "partner_action_required" && d.partnerResponseDue)
		rows.push([
			t("dates.partnerResponseDue"),
			<Text key="r" weight="semibold">
				{formatDateTime(d.partnerResponseDue)}
			</Text>,
			"respond-by",
		]);
	if (claim.association?.status === "pending_consent")
		rows.push([
			t("dates.consentEndsAt"),
			formatDateTime(claim.association.consentEndsAt),
			"consent-ends",
		]);
	if (claim.association?.activatedAt)
		rows.push([
			t("dates.activatedAt"),
			formatDateTime(claim.association.activatedAt),
		]);
	if (
		claim.status === "rejected" &&
		(d.disputeUntil ?? claim.rejection?.disputeUntil)
	)
		rows.push([
			t("dates.disputeUntil"),
			formatDateTime(d.disputeUntil ?? claim.rejection?.disputeUntil),
			"dispute-until",
		]);
	if (claim.dispute?.status === "open" && d.disputeDecisionDue)
		rows.push([
			t("dates.disputeDecisionDue"),
			formatDateTime(d.disputeDecisionDue),
		]);
	return <Facts rows={rows} />;
}

function EligibilitySection({ claim }: { claim: Claim }) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	if (claim.eligibility.length === 0)
		return (
			<Text>
				{claim.status === "approved"
					? t("eligibility.pending", {
							date: formatDateTime(claim.association?.consentEndsAt),
						})
					: claim.activity === "revenue_association"
						? t("eligibility.revenueAssociation")
						: t("eligibility.notYet")}
			</Text>
		);
	return (
		<div data-testid="eligibility">
			{claim.eligibility.map((e) => (
				<div key={e.program} className={styles.program}>
					<EligibilityBadges eligibility={[e]} />
					{e.reasons.length > 0 && (
						<ul className={styles.reasons}>
							{eligibilityReasons(t, e).map((r) => (
								<li key={r}>{r}</li>
							))}
						</ul>
					)}
					<Caption1 className={styles.muted}>
						{t("eligibility.evaluatedAt", {
							date: formatDateTime(e.evaluatedAt),
						})}
					</Caption1>
				</div>
			))}
		</div>
	);
}

export function ClaimPage() {
	const { id } = useParams();
	const { t } = useTranslation("claim");
	const styles = useStyles();
	const me = useMe();
	const claim = useClaim(id);
	const [done, setDone] = useState<string | null>(null);
	// The action's button has gone with the claim's new status: the focus goes to its notice.
	const doneRef = useFocusWhenShown<HTMLDivElement>(done);
	const [actionError, setActionError] = useState<unknown>(null);

	// A message belongs to the claim it was about.
	// biome-ignore lint/correctness/useExhaustiveDependencies: reset when the claim changes
	useEffect(() => {
		setDone(null);
		setActionError(null);
	}, [id]);

	if (me.data && me.data.kind === "reviewer")
		return <Navigate to={`/review/claims/${id}`} replace />;
	if (me.data && me.data.kind !== "partner")
		return <Navigate to={homeFor(me.data)} replace />;

	const back = (
		<RouterLink to={listAddress("claims")} className={styles.back}>
			<ArrowLeft20Regular aria-hidden />
			{t("back")}
		</RouterLink>
	);

	if (claim.isLoading || me.isLoading) return <Loading label={t("loading")} />;
	if (claim.isError) {
		if (claim.error instanceof ApiError && claim.error.status === 404)
			return (
				<>
					{back}
					<Page title={t("notFoundTitle")}>
						<Text as="p" block>
							{t("notFoundText")}
						</Text>
					</Page>
				</>
			);
		return (
			<>
				{back}
				<ErrorMessage error={claim.error} onRetry={() => claim.refetch()} />
			</>
		);
	}
	const c = claim.data as Claim;
	const writer = canWrite(me.data);
	const ba = c.solutionArea === "business_applications";

	return (
		<>
			{back}
			<Page
				title={c.name}
				actions={
					<ClaimActions
						claim={c}
						me={me.data}
						onDone={(m) => {
							setActionError(null);
							setDone(m);
						}}
						onError={(e) => {
							setDone(null);
							setActionError(e);
						}}
					/>
				}
			>
				<div className={styles.statusRow}>
					<span data-testid="claim-status" data-status={c.status}>
						<StatusBadge status={c.status} />
					</span>
					{c.competing && <CompetingBadge />}
					{c.dispute?.status === "open" && (
						<Badge appearance="outline" color="informative">
							{t("panel.disputeOpenTitle")}
						</Badge>
					)}
					<PartnerDeadlineText claim={c} />
					{claim.isFetching && (
						<Caption1 className={styles.muted} role="status">
							{t("refreshing")}
						</Caption1>
					)}
				</div>

				{(done || !!actionError) && (
					<div className={styles.messages}>
						{done && (
							<MessageBar
								intent="success"
								role="status"
								data-testid="action-done"
								ref={doneRef}
								tabIndex={-1}
							>
								<MessageBarBody>{done}</MessageBarBody>
								<MessageBarActions>
									<Button
										appearance="transparent"
										onClick={() => setDone(null)}
									>
										{t("common:close")}
									</Button>
								</MessageBarActions>
							</MessageBar>
						)}
						{!!actionError && (
							<ActionError
								error={actionError}
								onDismiss={() => setActionError(null)}
							/>
						)}
					</div>
				)}

				<StatusPanel claim={c} writer={writer} />

				<div className={styles.grid}>
					<div className={styles.column}>
						<Section title={t("details.title")} testId="claim-details">
							<Facts
								rows={[
									[t("field.status"), t(`common:status.${c.status}`)],
									[
										t("field.customer_domain"),
										c.customer.domain,
										"customer-domain",
									],
									[
										t("field.customer_tenantId"),
										<span key="tenant" className={styles.mono}>
											{c.customer.tenantId}
										</span>,
										"customer-tenant",
									],
									[
										t("field.solutionArea"),
										t(`common:solutionArea.${c.solutionArea}`),
									],
									[t("field.activity"), t(`common:activity.${c.activity}`)],
									[t("field.mpnId"), c.mpnId, "mpn-id"],
									[
										t("details.claimId"),
										<span key="id" className={styles.mono}>
											{c.id}
										</span>,
									],
								]}
							/>
						</Section>

						<Section
							title={ba ? t("details.subscriptions") : t("details.workloads")}
							testId="claim-products"
						>
							{c.products.length === 0 ? (
								<Text>{t("details.noProducts")}</Text>
							) : (
								<div className={styles.tableWrap}>
									<Table
										aria-label={
											ba ? t("details.subscriptions") : t("details.workloads")
										}
									>
										<TableHeader>
											<TableRow>
												<TableHeaderCell>
													{t("details.product")}
												</TableHeaderCell>
												{ba && (
													<TableHeaderCell>
														{t("field.products_subscriptionId")}
													</TableHeaderCell>
												)}
											</TableRow>
										</TableHeader>
										<TableBody>
											{c.products.map((p) => (
												<TableRow
													key={`${p.productId}-${p.subscriptionId ?? ""}`}
													data-testid="product-row"
												>
													<TableCell>{p.name}</TableCell>
													{ba && (
														<TableCell>
															<span
																className={styles.mono}
																data-testid="subscription-id"
															>
																{p.subscriptionId ?? "—"}
															</span>
														</TableCell>
													)}
												</TableRow>
											))}
										</TableBody>
									</Table>
								</div>
							)}
							{ba && c.products.length > 0 && (
								<Caption1 className={styles.muted}>
									{t("details.successorHint")}
								</Caption1>
							)}
						</Section>

						{c.activity === "revenue_association" && (
							<Section title={t("revenue.title")} testId="revenue-association">
								<Facts
									rows={[
										[
											t("field.revenueAssociation_solutionSellerName"),
											c.revenueAssociation?.solutionSellerName || "—",
										],
										[
											t("field.revenueAssociation_customerName"),
											c.revenueAssociation?.customerName || "—",
										],
										[
											t("field.revenueAssociation_isvSolutionName"),
											c.revenueAssociation?.isvSolutionName || "—",
										],
									]}
								/>
							</Section>
						)}

						<Section title={t("documents.title")} testId="claim-documents">
							<DocumentsPanel
								claim={c}
								canUploadNow={writer && canUpload(c)}
								canRemove={writer && c.status === "draft"}
							/>
						</Section>

						<Section title={t("comments.title")} testId="claim-comments">
							<CommentsPanel claimId={c.id} canPost={writer} />
						</Section>
					</div>

					<div className={styles.column}>
						<Section title={t("dates.title")} testId="claim-dates">
							<KeyDates claim={c} />
						</Section>
						<Section title={t("eligibility.title")} testId="claim-eligibility">
							<EligibilitySection claim={c} />
						</Section>
						<Section title={t("contacts.title")} testId="claim-contacts">
							<Text as="h3" weight="semibold" style={{ margin: 0 }}>
								{t("contacts.customer")}
							</Text>
							<ContactFacts contact={c.contacts.customer} withTitle />
							{ba && (
								<>
									<Text as="h3" weight="semibold" style={{ margin: 0 }}>
										{t("contacts.customerTechnical")}
									</Text>
									<ContactFacts
										contact={c.contacts.customerTechnical}
										withTitle
									/>
								</>
							)}
							<Text as="h3" weight="semibold" style={{ margin: 0 }}>
								{t("contacts.partner")}
							</Text>
							<ContactFacts contact={c.contacts.partner} withTitle={false} />
						</Section>
					</div>
				</div>

				<div style={{ marginTop: tokens.spacingVerticalL }}>
					<Section title={t("history.title")} testId="claim-history">
						<HistoryPanel claimId={c.id} />
					</Section>
				</div>
			</Page>
		</>
	);
}
