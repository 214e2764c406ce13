/**
 * Arbitration (`/review/arbitration/:id`, SPEC R-CMP-3): the claim and the claims it
 * competes with side by side (columns on wide screens, stacked on narrow ones), each with
 * its partner, MPN ID, products, dates, status and PoE; "Approve this claim" approves one
 * and rejects the others in the same transaction. A claim still submitted is started
 * first. The outcome is shown afterwards.
 */

import {
	Badge,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Text,
	tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular } from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { claimKeys, useClaim, useCompeting } from "../../api/claims.ts";
import { usePartnerNames } from "../../api/directory.ts";
import type { Claim, ClaimStatus } from "../../api/types.ts";
import { listAddress } from "../../components/list-address.ts";
import { MessageBarClose } from "../../components/message-bar-close.tsx";
import { Page } from "../../components/page.tsx";
import { useFocusWhenShown } from "../../components/return-focus.ts";
import { ErrorMessage, Loading } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDateTime } from "../../format.ts";
import {
	ActionError,
	ApproveAction,
	RequestInformationAction,
	StartReviewButton,
} from "./actions.tsx";
import { claimFacts, deadlineFacts, ProductList } from "./claim-details.tsx";
import { PoeViewer } from "./poe-viewer.tsx";
import { Facts, RouterLink } from "./shared.tsx";

const useStyles = makeStyles({
	back: { display: "inline-flex", gap: "4px", alignItems: "center" },
	top: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		marginBottom: tokens.spacingVerticalL,
	},
	columns: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 340px), 1fr))",
		gap: tokens.spacingHorizontalL,
		alignItems: "stretch",
	},
	column: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		padding: tokens.spacingHorizontalL,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusLarge,
		backgroundColor: tokens.colorNeutralBackground1,
		minWidth: 0,
	},
	origin: { borderTop: `4px solid ${tokens.colorBrandStroke1}` },
	winner: { borderTop: `4px solid ${tokens.colorPaletteGreenBorder2}` },
	head: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
	},
	badges: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
		alignItems: "center",
	},
	sub: {
		fontWeight: tokens.fontWeightSemibold,
		fontSize: tokens.fontSizeBase300,
		margin: 0,
	},
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
		overflowWrap: "anywhere",
	},
	actions: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		alignItems: "center",
		marginTop: "auto",
		paddingTop: tokens.spacingVerticalS,
		borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
	},
	outcome: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** The statuses in which a claim can still be approved or rejected in an arbitration. */
const ARBITRATION_OPEN = new Set<ClaimStatus>([
	"submitted",
	"under_review",
	"partner_action_required",
]);

interface Outcome {
	winnerId: string;
	loserIds: string[];
}

/** What tells two competing claims' buttons apart for a screen reader: name and partner. */
function claimWho(
	c: Claim,
	partnerName: (organizationId: string) => string,
): { name: string; partner: string } {
	return { name: c.name, partner: partnerName(c.partnerOrganizationId) };
}

export function ArbitrationPage() {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const { id = "" } = useParams();
	const claim = useClaim(id);
	const competing = useCompeting(id, !!id);
	const qc = useQueryClient();
	const [ids, setIds] = useState<string[]>([]);
	const [outcome, setOutcome] = useState<Outcome | null>(null);
	const [notice, setNotice] = useState<string | null>(null);
	// The outcome takes the focus (and so comes into view): the decided claims'
	// buttons are gone.
	const outcomeRef = useFocusWhenShown<HTMLDivElement>(notice);

	// Keep every claim seen in this arbitration on screen, also after approval
	// drops the losers from the competing list.
	const competingIds = (competing.data ?? []).map((c) => c.id).join(",");
	useEffect(() => {
		if (!id) return;
		setIds((prev) => {
			const next = [...prev];
			for (const x of [id, ...competingIds.split(",").filter(Boolean)])
				if (!next.includes(x)) next.push(x);
			return next.length === prev.length ? prev : next;
		});
	}, [id, competingIds]);

	if (claim.isLoading || (competing.isLoading && ids.length === 0))
		return <Loading />;
	if (claim.isError || !claim.data)
		return (
			<Page title={t("arbitration.title")}>
				<ErrorMessage
					error={claim.error}
					onRetry={() => void claim.refetch()}
				/>
				<p>
					<RouterLink to={listAddress("queue")}>
						{t("claim.backToQueue")}
					</RouterLink>
				</p>
			</Page>
		);

	// Approved or rejected: nothing is left to arbitrate for this claim.
	const decided = !ARBITRATION_OPEN.has(claim.data.status);
	const known = new Map<string, Claim>();
	known.set(claim.data.id, claim.data);
	for (const c of competing.data ?? []) known.set(c.id, c);
	const columnIds = ids.length > 0 ? ids : [id];

	const onApproved = (message: string, winner: Claim) => {
		setOutcome({
			winnerId: winner.id,
			loserIds: columnIds.filter((x) => x !== winner.id),
		});
		setNotice(message);
		void qc.invalidateQueries({ queryKey: claimKeys.all });
	};

	return (
		<Page title={t("arbitration.titleNamed", { name: claim.data.name })}>
			<div className={styles.top}>
				<RouterLink to={`/review/claims/${id}`}>
					<span className={styles.back}>
						<ArrowLeftRegular aria-hidden />
						{t("arbitration.backToClaim")}
					</span>
				</RouterLink>
				{!decided && <Text>{t("arbitration.intro")}</Text>}
				{competing.isError && (
					<ErrorMessage
						error={competing.error}
						onRetry={() => void competing.refetch()}
					/>
				)}
				{notice && (
					<MessageBar
						intent="success"
						role="status"
						layout="multiline"
						data-testid="arbitration-outcome"
						ref={outcomeRef}
						tabIndex={-1}
					>
						<MessageBarBody>
							<MessageBarTitle>{t("arbitration.outcomeTitle")}</MessageBarTitle>
							{notice}
							{outcome && <OutcomeList outcome={outcome} />}
						</MessageBarBody>
						<MessageBarClose onClose={() => setNotice(null)} />
					</MessageBar>
				)}
				{!outcome && !competing.isLoading && decided ? (
					<MessageBar intent="info" data-testid="arbitration-decided">
						<MessageBarBody>
							{claim.data.status === "approved"
								? t("arbitration.decidedApproved")
								: t("arbitration.decidedClosed", {
										status: t(`common:status.${claim.data.status}`),
									})}
						</MessageBarBody>
					</MessageBar>
				) : (
					!outcome &&
					columnIds.length < 2 &&
					!competing.isLoading && (
						<MessageBar intent="info">
							<MessageBarBody>{t("arbitration.noCompetitors")}</MessageBarBody>
						</MessageBar>
					)
				)}
			</div>
			<div className={styles.columns} data-testid="arbitration-columns">
				{columnIds.map((cid) => (
					<ClaimColumn
						key={cid}
						claimId={cid}
						initial={known.get(cid)}
						isOrigin={cid === id}
						isWinner={outcome?.winnerId === cid}
						onApproved={onApproved}
					/>
				))}
			</div>
		</Page>
	);
}

/** Each claim of the outcome with its status now. */
function OutcomeList({ outcome }: { outcome: Outcome }) {
	const styles = useStyles();
	return (
		<ul className={styles.outcome}>
			{[outcome.winnerId, ...outcome.loserIds].map((x) => (
				<OutcomeItem key={x} claimId={x} />
			))}
		</ul>
	);
}

function OutcomeItem({ claimId }: { claimId: string }) {
	const { t } = useTranslation("review");
	const c = useClaim(claimId);
	const partnerName = usePartnerNames(
		c.data ? [c.data.partnerOrganizationId] : [],
	);
	if (!c.data) return null;
	return (
		<li>
			<Text weight="semibold">{c.data.name}</Text>{" "}
			{t("actions.byPartner", {
				partner: partnerName(c.data.partnerOrganizationId),
				mpn: c.data.mpnId,
			})}{" "}
			<StatusBadge status={c.data.status} />
			{c.data.rejection && (
				<Text size={200}>
					{" "}
					{t(`reasons.reject.${c.data.rejection.reason}.label`)}
				</Text>
			)}
		</li>
	);
}

function ClaimColumn({
	claimId,
	initial,
	isOrigin,
	isWinner,
	onApproved,
}: {
	claimId: string;
	initial: Claim | undefined;
	isOrigin: boolean;
	isWinner: boolean;
	onApproved: (message: string, winner: Claim) => void;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const fresh = useClaim(claimId);
	const [error, setError] = useState<unknown>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const c = fresh.data ?? initial;
	const partnerName = usePartnerNames(c ? [c.partnerOrganizationId] : []);
	const headingId = `arb-${claimId}`;
	if (!c)
		return (
			<section className={styles.column}>
				{fresh.isError ? (
					<ErrorMessage
						error={fresh.error}
						onRetry={() => void fresh.refetch()}
					/>
				) : (
					<Loading />
				)}
			</section>
		);
	return (
		<section
			className={`${styles.column} ${isWinner ? styles.winner : isOrigin ? styles.origin : ""}`}
			aria-labelledby={headingId}
			data-testid="arbitration-column"
			data-claim-id={c.id}
		>
			<div className={styles.head}>
				<Text as="h2" size={500} weight="semibold" id={headingId}>
					<RouterLink to={`/review/claims/${c.id}`}>{c.name}</RouterLink>
				</Text>
				<div className={styles.badges}>
					<StatusBadge status={c.status} />
					{isOrigin && (
						<Badge appearance="outline" color="brand">
							{t("arbitration.thisClaim")}
						</Badge>
					)}
				</div>
			</div>
			<Facts
				items={[
					...claimFacts(c, t, styles.mono),
					...deadlineFacts(c, t),
					[t("details.updatedAt"), formatDateTime(c.updatedAt)],
				]}
			/>
			<div>
				<h3 className={styles.sub}>
					{c.solutionArea === "microsoft_365"
						? t("details.workloads")
						: t("details.products")}
				</h3>
				<ProductList claim={c} />
			</div>
			{c.rejection && (
				<Text size={200}>
					{t("arbitration.rejectedWith", {
						reason: t(`reasons.reject.${c.rejection.reason}.label`),
					})}
				</Text>
			)}
			<div>
				<h3 className={styles.sub}>
					{t("poe.title", { count: c.documents.length })}
				</h3>
				<PoeViewer claimId={c.id} documents={c.documents} compact />
			</div>
			<div className={styles.actions}>
				{c.status === "submitted" && (
					<>
						<Text size={200} block style={{ width: "100%" }}>
							{t("arbitration.startFirst")}
						</Text>
						<StartReviewButton
							claim={c}
							label={t("arbitration.startLabel", claimWho(c, partnerName))}
							onDone={(m) => {
								setError(null);
								setNotice(m);
							}}
							onError={setError}
						/>
					</>
				)}
				{c.status === "under_review" && (
					<>
						<ApproveAction
							claim={c}
							onDone={onApproved}
							triggerLabel={t("actions.approveThis")}
							triggerAriaLabel={t(
								"arbitration.approveLabel",
								claimWho(c, partnerName),
							)}
						/>
						<RequestInformationAction
							claim={c}
							triggerAriaLabel={t(
								"arbitration.requestLabel",
								claimWho(c, partnerName),
							)}
							onDone={(m) => {
								setError(null);
								setNotice(m);
							}}
						/>
					</>
				)}
				{!["submitted", "under_review", "approved"].includes(c.status) && (
					<Text size={200}>
						{t("arbitration.cannotApprove", {
							status: t(`common:status.${c.status}`),
						})}
					</Text>
				)}
				{notice && (
					<Text size={200} role="status" block style={{ width: "100%" }}>
						{notice}
					</Text>
				)}
				<ActionError
					error={error}
					claimId={c.id}
					onReset={() => setError(null)}
				/>
			</div>
		</section>
	);
}
