/**
 * Why a program is not eligible (R-ELG-1), in the reader's language: worded from the
 * result's `reasonDetails`; a result evaluated before they were kept shows its English
 * `reasons` as written.
 */
import type { TFunction } from "i18next";
import type { Eligibility, EligibilityReason } from "../api/types.ts";

/** One reason in the UI's language (the `common` namespace's `eligibilityReason`). */
function reasonText(
	t: TFunction,
	reason: EligibilityReason,
	program: Eligibility["program"],
): string {
	const programName = t(`common:program.${program}`);
	switch (reason.code) {
		case "revenue_association":
			return t("common:eligibilityReason.revenueAssociation");
		case "activity_not_fed":
			return t("common:eligibilityReason.activityNotFed", {
				activity: t(`common:activity.${reason.activity}`),
				solutionArea: t(`common:solutionArea.${reason.solutionArea}`),
				program: programName,
			});
		case "mpn_not_enrolled":
			return t("common:eligibilityReason.mpnNotEnrolled", {
				program: programName,
			});
		case "subscription_missing":
			return t("common:eligibilityReason.subscriptionMissing");
		case "subscription_csp":
			return t("common:eligibilityReason.subscriptionCsp", {
				subscriptionId: reason.subscriptionId,
			});
		case "subscription_inactive":
			return t("common:eligibilityReason.subscriptionInactive", {
				subscriptionId: reason.subscriptionId,
				status: t(`common:subscriptionStatus.${reason.status}`, {
					defaultValue: reason.status,
				}),
			});
		default:
			return "";
	}
}

/**
 * The reasons of one program's result, in the UI's language where the result carries
 * them as data, else its English `reasons`.
 */
export function eligibilityReasons(t: TFunction, e: Eligibility): string[] {
	const details = e.reasonDetails;
	if (!details || details.length !== e.reasons.length) return e.reasons;
	return details.map(
		(reason, i) => reasonText(t, reason, e.program) || (e.reasons[i] ?? ""),
	);
}
