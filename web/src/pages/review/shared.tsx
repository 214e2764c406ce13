/**
 * Pieces the reviewer workbench's pages share: router links in Fluent style, the SLA and
 * reason vocabularies (SPEC R-TIME-2/3/8, R-REV-1, R-REV-2), badges that never rely on
 * color alone, and a definition list for claim facts.
 */
import {
	Badge,
	Button,
	Caption1,
	Link as FluentLink,
	makeStyles,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import { ClockWarningRegular, PeopleSwapRegular } from "@fluentui/react-icons";
import type { MouseEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { QueueItem } from "../../api/types.ts";
import { formatNumber } from "../../format.ts";

/** The review SLAs and the rule each implements (SPEC section 5). */
export const SLA_KINDS = [
	"review_start",
	"decision",
	"dispute_decision",
] as const;
export type SlaKind = QueueItem["sla"];
export const SLA_RULES: Record<SlaKind, string> = {
	review_start: "R-TIME-2",
	decision: "R-TIME-3",
	dispute_decision: "R-TIME-8",
};

/** R-REV-1: reasons of an information request. */
export const INFORMATION_REASONS = [
	"missing_all_poe",
	"missing_customer_acknowledgement",
	"missing_or_old_dates",
	"missing_partner_solution",
	"missing_products",
] as const;
export type InformationReason = (typeof INFORMATION_REASONS)[number];

/** R-REV-2: the rejection reasons a reviewer may name. */
export const REVIEWER_REJECTION_REASONS = [
	"insufficient_poe",
	"missing_customer_consent_on_poe",
	"missing_products",
	"no_partner_response",
	"poe_not_available",
] as const;
export type ReviewerRejectionReason =
	(typeof REVIEWER_REJECTION_REASONS)[number];

/** A client-side link rendered as a Fluent link (keeps Fluent focus styles). */
export function RouterLink({
	to,
	children,
	className,
	"aria-label": ariaLabel,
}: {
	to: string;
	children: ReactNode;
	className?: string;
	"aria-label"?: string;
}) {
	const navigate = useNavigate();
	const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
		if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
			return;
		e.preventDefault();
		void navigate(to);
	};
	return (
		<FluentLink
			href={to}
			onClick={onClick}
			className={className}
			aria-label={ariaLabel}
		>
			{children}
		</FluentLink>
	);
}

/** "Overdue": text, icon and color. */
export function OverdueBadge() {
	const { t } = useTranslation();
	return (
		<Badge
			appearance="filled"
			color="danger"
			icon={<ClockWarningRegular />}
			data-testid="overdue-badge"
		>
			{t("overdue")}
		</Badge>
	);
}

/** "Competing": text, icon and color; a link to the arbitration when `claimId` is given. */
export function CompetingBadge({ claimId }: { claimId?: string }) {
	const { t } = useTranslation("review");
	const badge = (
		<Badge
			appearance="tint"
			color="warning"
			icon={<PeopleSwapRegular />}
			data-testid="competing-badge"
		>
			{t("common:competing")}
		</Badge>
	);
	if (!claimId) return badge;
	return (
		<RouterLink
			to={`/review/arbitration/${claimId}`}
			aria-label={t("competingLink")}
		>
			{badge}
		</RouterLink>
	);
}

/** The SLA's name with its rule, e.g. "Decision (R-TIME-3)". */
export function slaLabel(t: (k: string) => string, sla: SlaKind): string {
	return `${t(`review:sla.${sla}`)} (${SLA_RULES[sla]})`;
}

/** Hours as "12.5 h" in the UI language, or "—". */
export function formatHours(
	n: number | null | undefined,
	lng: string,
	unit: string,
): string {
	if (n === null || n === undefined) return "—";
	return `${new Intl.NumberFormat(lng, { maximumFractionDigits: 1 }).format(n)} ${unit}`;
}

const useFactStyles = makeStyles({
	list: {
		display: "grid",
		gridTemplateColumns: "minmax(120px, max-content) minmax(0, 1fr)",
		columnGap: tokens.spacingHorizontalL,
		rowGap: tokens.spacingVerticalXS,
		margin: 0,
		"@media (max-width: 480px)": { gridTemplateColumns: "minmax(0, 1fr)" },
	},
	term: {
		color: tokens.colorNeutralForeground3,
		fontWeight: tokens.fontWeightSemibold,
	},
	value: {
		margin: 0,
		overflowWrap: "anywhere",
		"@media (max-width: 480px)": { marginBottom: tokens.spacingVerticalS },
	},
});

/** Label/value pairs as a `<dl>`; entries whose value is null are left out. */
export function Facts({
	items,
	testId,
}: {
	items: [label: string, value: ReactNode][];
	testId?: string;
}) {
	const styles = useFactStyles();
	return (
		<dl className={styles.list} data-testid={testId}>
			{items
				.filter(([, v]) => v !== null && v !== undefined && v !== "")
				.map(([label, value]) => (
					<div key={label} style={{ display: "contents" }}>
						<dt className={styles.term}>{label}</dt>
						<dd className={styles.value}>{value}</dd>
					</div>
				))}
		</dl>
	);
}

const useSectionStyles = makeStyles({
	section: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		padding: tokens.spacingHorizontalL,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusLarge,
		backgroundColor: tokens.colorNeutralBackground1,
		minWidth: 0,
	},
	head: {
		display: "flex",
		alignItems: "center",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		justifyContent: "space-between",
	},
});

/** A titled panel (a `<section>` labelled by its heading). */
export function Section({
	title,
	id,
	actions,
	children,
	className,
	testId,
}: {
	title: string;
	id: string;
	actions?: ReactNode;
	children: ReactNode;
	className?: string;
	testId?: string;
}) {
	const styles = useSectionStyles();
	return (
		<section
			aria-labelledby={id}
			className={`${styles.section} ${className ?? ""}`}
			data-testid={testId}
		>
			<div className={styles.head}>
				<Text as="h2" id={id} size={500} weight="semibold">
					{title}
				</Text>
				{actions}
			</div>
			{children}
		</section>
	);
}

const useFooterStyles = makeStyles({
	footer: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalM,
		alignItems: "center",
		marginTop: tokens.spacingVerticalM,
	},
});

/**
 * A reviewer list's footer: how many rows are shown (announced by the page's
 * ResultsStatus) and, while there are more, "Load more" (busy while `loading`).
 */
export function LoadMore({
	shown,
	more,
	loading,
	onMore,
}: {
	shown: number;
	more: boolean;
	loading: boolean;
	onMore: () => void;
}) {
	const styles = useFooterStyles();
	const { t } = useTranslation("review");
	return (
		<div className={styles.footer}>
			<Caption1>
				{t("queue.shown", { count: shown, n: formatNumber(shown) })}
			</Caption1>
			{more && (
				<Button
					onClick={onMore}
					disabledFocusable={loading}
					icon={loading ? <Spinner size="tiny" /> : undefined}
				>
					{t("queue.loadMore")}
				</Button>
			)}
		</div>
	);
}
