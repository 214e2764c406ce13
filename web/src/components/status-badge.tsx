/** A claim's status as a badge in the user's language (SPEC section 4's names). */
import { Badge, type BadgeProps } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ClaimStatus } from "../api/types.ts";

const COLORS: Record<ClaimStatus, BadgeProps["color"]> = {
	draft: "informative",
	submitted: "brand",
	under_review: "brand",
	partner_action_required: "warning",
	approved: "success",
	rejected: "danger",
};

export function StatusBadge({ status }: { status: ClaimStatus }) {
	const { t } = useTranslation();
	return (
		<Badge appearance="tint" color={COLORS[status]} data-status={status}>
			{t(`status.${status}`)}
		</Badge>
	);
}
