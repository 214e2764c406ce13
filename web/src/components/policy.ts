/**
 * The SLA lengths as the server is configured (GET /me `deadlinePolicy`, SPEC section 5),
 * worded for texts that name them ("a reviewer starts the review within 3 business
 * days"), so that a deployment that sets CPOR_REVIEW_START_DAYS=3 does not promise five.
 */
import { useTranslation } from "react-i18next";
import { useMe } from "../api/session.ts";
import type { DeadlinePolicy } from "../api/types.ts";

/** The defaults of the server's configuration, while GET /me is on its way. */
const DEFAULT_POLICY: DeadlinePolicy = {
	reviewStartDays: 5,
	decisionDays: 5,
	partnerResponseDays: 5,
	consentWindow: { days: 7, unit: "calendar" },
	disputeWindowDays: 30,
	disputeDecisionDays: 5,
};

/**
 * The configured policy, and phrases of a number of days in the UI's language:
 * `within(n)` ("within 5 business days"), `days(n)` ("5 business days") and
 * `calendarDays(n)` ("30 days", as after "within" in German: "30 Tagen").
 */
export function usePolicyText(): {
	policy: DeadlinePolicy;
	within: (n: number) => string;
	days: (n: number) => string;
	calendarDays: (n: number) => string;
} {
	const { t } = useTranslation("common");
	const me = useMe();
	return {
		policy: me.data?.deadlinePolicy ?? DEFAULT_POLICY,
		within: (n) => t("withinBusinessDays", { count: n }),
		days: (n) => t("businessDays", { count: n }),
		calendarDays: (n) => t("calendarDays", { count: n }),
	};
}
