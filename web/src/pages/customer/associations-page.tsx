/**
 * The customer admin's page (R-ROL-3, R-CON-1, R-CON-2): the partners claiming the tenant,
 * what each association unlocks, its status and consent window, and the opt-out.
 */
import {
	Badge,
	type BadgeProps,
	Body1,
	Button,
	Caption1,
	Card,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Text,
	tokens,
} from "@fluentui/react-components";
import {
	CheckmarkCircleRegular,
	DismissCircleRegular,
	HourglassHalfRegular,
} from "@fluentui/react-icons";
import { type ReactElement, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { MessageBarClose } from "../../components/message-bar-close.tsx";
import { Page } from "../../components/page.tsx";
import { EmptyState, ErrorMessage, Loading } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDateTime } from "../../format.ts";
import { type CustomerAssociation, useCustomerAssociations } from "./api.ts";
import { OptOutDialog } from "./opt-out-dialog.tsx";

const useStyles = makeStyles({
	intro: { maxWidth: "75ch", marginBottom: tokens.spacingVerticalL },
	list: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 420px), 1fr))",
		gap: tokens.spacingHorizontalL,
		listStyleType: "none",
		padding: 0,
		margin: 0,
	},
	card: { height: "100%", boxSizing: "border-box" },
	partner: { margin: 0 },
	head: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "flex-start",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalS,
	},
	badges: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		alignItems: "center",
	},
	facts: {
		display: "grid",
		gridTemplateColumns: "minmax(120px, max-content) 1fr",
		columnGap: tokens.spacingHorizontalL,
		rowGap: tokens.spacingVerticalS,
		margin: 0,
		"@media (max-width: 520px)": { gridTemplateColumns: "1fr", rowGap: 0 },
	},
	term: {
		fontWeight: tokens.fontWeightSemibold,
		"@media (max-width: 520px)": { marginTop: tokens.spacingVerticalS },
	},
	definition: { margin: 0, overflowWrap: "anywhere" },
	products: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
	mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: "0.9em" },
	footer: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalM,
		marginTop: "auto",
	},
	notice: { marginBottom: tokens.spacingVerticalL },
});

const ASSOCIATION_BADGE: Record<
	NonNullable<CustomerAssociation["association"]>["status"],
	{ color: BadgeProps["color"]; icon: ReactElement }
> = {
	pending_consent: { color: "warning", icon: <HourglassHalfRegular /> },
	active: { color: "success", icon: <CheckmarkCircleRegular /> },
	declined: { color: "danger", icon: <DismissCircleRegular /> },
};

/** Pending first (the customer may act), then active, then declined; newest first within. */
const ORDER = { pending_consent: 0, active: 1, declined: 2 } as const;

export function AssociationsPage() {
	const { t } = useTranslation("customer");
	const styles = useStyles();
	const associations = useCustomerAssociations();
	const [optingOut, setOptingOut] = useState<CustomerAssociation | null>(null);
	const [optedOut, setOptedOut] = useState<string | null>(null);
	/** Where focus goes back to when the dialog closes (the row's button, or the notice). */
	const returnFocus = useRef<HTMLElement | null>(null);
	const notice = useRef<HTMLDivElement>(null);
	const [focusTarget, setFocusTarget] = useState<"trigger" | "notice" | null>(
		null,
	);
	useEffect(() => {
		if (focusTarget === null || optingOut !== null) return;
		(focusTarget === "notice" ? notice.current : returnFocus.current)?.focus();
		setFocusTarget(null);
	}, [focusTarget, optingOut]);

	let body: ReactElement;
	if (associations.isLoading) body = <Loading />;
	else if (associations.isError)
		body = (
			<ErrorMessage
				error={associations.error}
				onRetry={() => associations.refetch()}
			/>
		);
	else {
		const items = [...(associations.data ?? [])].sort(
			(a, b) =>
				ORDER[a.association?.status ?? "declined"] -
				ORDER[b.association?.status ?? "declined"],
		);
		const open = items.filter((a) => a.canOptOut).length;
		body =
			items.length === 0 ? (
				<EmptyState title={t("empty.title")}>
					<Body1>{t("empty.text")}</Body1>
				</EmptyState>
			) : (
				<>
					{open > 0 && (
						<MessageBar intent="warning" className={styles.notice}>
							<MessageBarBody>
								<MessageBarTitle>
									{t("openWindows", { count: open })}
								</MessageBarTitle>
								{t("openWindowsText")}
							</MessageBarBody>
						</MessageBar>
					)}
					<ul className={styles.list} aria-label={t("listLabel")}>
						{items.map((a) => (
							<li key={a.claimId}>
								<AssociationCard
									association={a}
									onOptOut={() => {
										returnFocus.current =
											document.activeElement as HTMLElement | null;
										setOptingOut(a);
									}}
								/>
							</li>
						))}
					</ul>
				</>
			);
	}

	return (
		<Page title={t("title")}>
			<Body1 as="p" block className={styles.intro}>
				{t("intro")}
			</Body1>
			{optedOut && (
				<MessageBar
					intent="success"
					className={styles.notice}
					role="status"
					ref={notice}
					tabIndex={-1}
				>
					<MessageBarBody>
						<MessageBarTitle>{t("optedOut.title")}</MessageBarTitle>
						{t("optedOut.text", { partner: optedOut })}
					</MessageBarBody>
					<MessageBarClose onClose={() => setOptedOut(null)} />
				</MessageBar>
			)}
			{/* While the dialog is open the page behind it is out of reach (keyboard and screen readers). */}
			<div
				inert={optingOut !== null}
				aria-hidden={optingOut !== null || undefined}
			>
				{body}
			</div>
			{optingOut && (
				<OptOutDialog
					association={optingOut}
					onClose={() => {
						setOptingOut(null);
						setFocusTarget("trigger");
					}}
					onDone={() => {
						setOptedOut(optingOut.partnerName);
						setOptingOut(null);
						setFocusTarget("notice");
					}}
				/>
			)}
		</Page>
	);
}

function AssociationCard({
	association: a,
	onOptOut,
}: {
	association: CustomerAssociation;
	onOptOut: () => void;
}) {
	const { t } = useTranslation("customer");
	const styles = useStyles();
	const state = a.association?.status ?? "declined";
	const badge = ASSOCIATION_BADGE[state];
	const headingId = `association-${a.claimId}`;
	// Partner and products name the card and its Opt out button: one partner can hold
	// several associations of the customer (WCAG 2.4.6).
	const productsId = `${headingId}-products`;
	const named = `${headingId} ${productsId}`;
	const productNames = a.products.map((p) => p.name).join(", ");
	return (
		<Card
			className={styles.card}
			data-testid="association-row"
			data-claim-id={a.claimId}
			data-association-status={state}
			aria-labelledby={named}
			role="group"
		>
			<div className={styles.head}>
				<div>
					<Text
						as="h2"
						size={500}
						weight="semibold"
						id={headingId}
						block
						className={styles.partner}
					>
						{a.partnerName}
					</Text>
					<Caption1>
						{t(`common:solutionArea.${a.solutionArea}`)} ·{" "}
						{t(`common:activity.${a.activity}`)}
					</Caption1>
				</div>
				<div className={styles.badges}>
					<Badge
						appearance="filled"
						color={badge.color}
						icon={badge.icon}
						data-testid="association-status"
					>
						{t(`association.${state}`)}
					</Badge>
				</div>
			</div>
			<dl className={styles.facts}>
				<dt className={styles.term}>{t("products")}</dt>
				<dd className={styles.definition} id={productsId}>
					<ul className={styles.products}>
						{a.products.map((p) => (
							<li key={`${p.productId}-${p.subscriptionId ?? ""}`}>
								{p.name}
								{p.subscriptionId && (
									<>
										{" "}
										<Caption1>
											({t("subscription")}{" "}
											<span className={styles.mono}>{p.subscriptionId}</span>)
										</Caption1>
									</>
								)}
							</li>
						))}
					</ul>
				</dd>
				<dt className={styles.term}>{t("dataShared")}</dt>
				<dd className={styles.definition} data-testid="data-shared">
					{state === "declined"
						? t("dataSharedNone")
						: t("dataSharedText", { products: productNames })}
				</dd>
				<dt className={styles.term}>{t("claimStatus")}</dt>
				<dd className={styles.definition}>
					<StatusBadge status={a.status} />
				</dd>
				<dt className={styles.term}>{t("approvedAt")}</dt>
				<dd className={styles.definition}>
					{formatDateTime(a.association?.approvedAt)}
				</dd>
				<dt className={styles.term}>{t("consentEndsAt")}</dt>
				<dd className={styles.definition} data-testid="consent-ends-at">
					{formatDateTime(a.consentEndsAt ?? a.association?.consentEndsAt)}
				</dd>
				{state === "active" && (
					<>
						<dt className={styles.term}>{t("activatedAt")}</dt>
						<dd className={styles.definition}>
							{formatDateTime(a.association?.activatedAt)}
						</dd>
					</>
				)}
				{state === "declined" && (
					<>
						<dt className={styles.term}>{t("declinedAt")}</dt>
						<dd className={styles.definition}>
							{formatDateTime(a.association?.declinedAt)}
						</dd>
					</>
				)}
			</dl>
			<div className={styles.footer}>
				<Body1>{explanation(t, a, state)}</Body1>
				{a.canOptOut && (
					<Button
						appearance="primary"
						onClick={onOptOut}
						aria-describedby={named}
					>
						{t("optOut")}
					</Button>
				)}
			</div>
		</Card>
	);
}

/** What the state means for the customer, in one sentence. */
function explanation(
	t: (key: string, opts?: Record<string, unknown>) => string,
	a: CustomerAssociation,
	state: string,
): string {
	const partner = a.partnerName;
	const date = formatDateTime(a.consentEndsAt ?? a.association?.consentEndsAt);
	if (state === "pending_consent")
		return a.canOptOut
			? t("explain.pending", { partner, date })
			: t("explain.windowClosed", { partner });
	if (state === "active")
		return t("explain.active", {
			partner,
			date: formatDateTime(a.association?.activatedAt),
		});
	return t("explain.declined", { partner });
}
