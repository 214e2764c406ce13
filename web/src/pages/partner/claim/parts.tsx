/** Small pieces shared by the dashboard and the claim page. */
import {
	Badge,
	Link as FluentLink,
	type LinkProps,
	makeStyles,
	tokens,
} from "@fluentui/react-components";
import {
	CheckmarkCircle16Regular,
	ClockAlarm16Regular,
	DismissCircle16Regular,
	PeopleSwap16Regular,
} from "@fluentui/react-icons";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Claim, Eligibility } from "../../../api/types.ts";
import { useRouterClick } from "../../../components/router-click.ts";
import { VISUALLY_HIDDEN } from "../../../components/states.tsx";
import { formatDateTime } from "../../../format.ts";
import { partnerDeadline } from "./model.ts";

const useStyles = makeStyles({
	hidden: VISUALLY_HIDDEN,
	badges: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
	},
	badge: {
		height: "auto",
		minHeight: "20px",
		whiteSpace: "normal",
		textAlign: "start",
		paddingTop: "1px",
		paddingBottom: "1px",
	},
	deadline: {
		display: "inline-flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		// The icon keeps its size when the date wraps in a narrow column.
		"& > svg": { flexShrink: 0 },
		color: tokens.colorPaletteDarkOrangeForeground1,
		fontWeight: tokens.fontWeightSemibold,
	},
});

/** Text only screen readers read. */
export function VisuallyHidden({ children }: { children: ReactNode }) {
	return <span className={useStyles().hidden}>{children}</span>;
}

/** A Fluent link that navigates inside the app (and still opens in a new tab on ctrl/middle click). */
export function RouterLink({
	to,
	children,
	className,
	appearance,
}: {
	to: string;
	children: ReactNode;
	className?: string;
	appearance?: LinkProps["appearance"];
}) {
	const onClick = useRouterClick(to);
	return (
		<FluentLink
			className={className}
			appearance={appearance}
			href={to}
			onClick={onClick}
		>
			{children}
		</FluentLink>
	);
}

/** One badge per evaluated program (R-ELG-1), with an icon and words, not color alone. */
export function EligibilityBadges({
	eligibility,
}: {
	eligibility: Eligibility[];
}) {
	const { t } = useTranslation();
	const styles = useStyles();
	if (eligibility.length === 0) return null;
	return (
		<span className={styles.badges}>
			{eligibility.map((e) => (
				<Badge
					key={e.program}
					className={styles.badge}
					appearance="tint"
					color={e.result === "eligible" ? "success" : "subtle"}
					icon={
						e.result === "eligible" ? (
							<CheckmarkCircle16Regular />
						) : (
							<DismissCircle16Regular />
						)
					}
					data-testid="eligibility-badge"
					data-program={e.program}
					data-result={e.result}
				>
					{t(`program.${e.program}`)}: {t(`eligibility.${e.result}`)}
				</Badge>
			))}
		</span>
	);
}

/** The "competing" marker (R-CMP-2). */
export function CompetingBadge() {
	const { t } = useTranslation();
	return (
		<Badge
			appearance="outline"
			color="important"
			icon={<PeopleSwap16Regular />}
			data-testid="competing-badge"
		>
			{t("competing")}
		</Badge>
	);
}

/** "Respond by …" or "Dispute by …": the deadline that needs the partner, or nothing. */
export function PartnerDeadlineText({ claim }: { claim: Claim }) {
	const { t } = useTranslation("dashboard");
	const styles = useStyles();
	const d = partnerDeadline(claim);
	if (!d) return null;
	const date = formatDateTime(d.at);
	return (
		<span className={styles.deadline} data-testid="partner-deadline">
			<ClockAlarm16Regular aria-hidden />
			{d.kind === "respond"
				? t("common:respondBy", { date })
				: t("disputeBy", { date })}
		</span>
	);
}
