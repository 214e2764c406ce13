/**
 * R-ELG-1: after the consent window, an approved claim is evaluated against each
 * incentive program. Pure: takes the facts, returns one result per program with reasons.
 */

import { PROGRAM_LABELS } from "./catalog.ts";
import type {
	Activity,
	Program,
	SolutionArea,
	SubscriptionFacts,
} from "./claim-validation.ts";
import { programsForActivity } from "./claim-validation.ts";

/** The programs of R-DIR-2, in display order. */
export const ALL_PROGRAMS: Program[] = ["osa_sell", "osu_m365", "osu_bizapps"];

/**
 * Why a program is not eligible (R-ELG-1), as data, so that the web app words it in the
 * reader's language: `reasons` says the same in English.
 */
export type EligibilityReason =
	/** Revenue association is recorded for recognition only. */
	| { code: "revenue_association" }
	/** The claim's activity in its solution area does not feed the program (R-DIR-2). */
	| {
			code: "activity_not_fed";
			activity: Activity;
			solutionArea: SolutionArea;
	  }
	/** The claim's MPN ID is not enrolled in the program (R-DIR-1). */
	| { code: "mpn_not_enrolled" }
	/** A claimed subscription is no longer in the directory. */
	| { code: "subscription_missing" }
	/** A claimed subscription was bought through CSP (R-CRT-4). */
	| { code: "subscription_csp"; subscriptionId: string }
	/** A claimed subscription is neither active nor in grace (R-CRT-5). */
	| {
			code: "subscription_inactive";
			subscriptionId: string;
			status: string;
	  };

/**
 * One program's result (API.md `eligibility`): `reasons` in English, and the same
 * reasons as data in `reasonDetails` (same order; absent on results stored before it).
 */
export interface EligibilityResult {
	program: Program;
	result: "eligible" | "not_eligible";
	reasons: string[];
	reasonDetails: EligibilityReason[];
	evaluatedAt: string;
}

const SOLUTION_AREA_NAMES: Readonly<Record<SolutionArea, string>> = {
	business_applications: "Business Applications",
	microsoft_365: "Microsoft 365",
};
const ACTIVITY_NAMES: Readonly<Record<Activity, string>> = {
	presales: "Presales",
	usage: "Usage",
	revenue_association: "Revenue association",
};

/** The English of one {@link EligibilityReason} for `program` (the API's `reasons`). */
export function eligibilityReasonText(
	reason: EligibilityReason,
	program: Program,
): string {
	switch (reason.code) {
		case "revenue_association":
			return "Revenue association is recorded for recognition only and never pays.";
		case "activity_not_fed":
			return `${ACTIVITY_NAMES[reason.activity]} in ${SOLUTION_AREA_NAMES[reason.solutionArea]} does not count toward ${PROGRAM_LABELS[program]}.`;
		case "mpn_not_enrolled":
			return `The MPN ID is not enrolled in ${PROGRAM_LABELS[program]}.`;
		case "subscription_missing":
			return "A claimed subscription is no longer in the directory.";
		case "subscription_csp":
			return `Subscription ${reason.subscriptionId} was bought through CSP.`;
		case "subscription_inactive":
			return `Subscription ${reason.subscriptionId} is ${reason.status.replace(/_/g, " ")}.`;
	}
}

/** What eligibility looks at. `subscriptions` are the directory's rows for the claimed subscriptions (now). */
export interface EligibilityFacts {
	solutionArea: SolutionArea;
	activity: Activity;
	mpnPrograms: string[];
	subscriptions: (SubscriptionFacts | undefined)[];
}

/**
 * Evaluates every program (R-ELG-1): the MPN is enrolled in it; the activity feeds it
 * (Revenue association never pays); Business Applications subscriptions were bought
 * through Volume Licensing or Web Direct and are active or in grace.
 */
export function evaluateEligibility(
	f: EligibilityFacts,
	at: Date,
): EligibilityResult[] {
	const fed = programsForActivity(f.solutionArea, f.activity);
	return ALL_PROGRAMS.map((program) => {
		const why: EligibilityReason[] = [];
		if (f.activity === "revenue_association")
			why.push({ code: "revenue_association" });
		else if (!fed.includes(program))
			why.push({
				code: "activity_not_fed",
				activity: f.activity,
				solutionArea: f.solutionArea,
			});
		if (!f.mpnPrograms.includes(program))
			why.push({ code: "mpn_not_enrolled" });
		if (f.solutionArea === "business_applications") {
			for (const s of f.subscriptions) {
				if (!s) {
					why.push({ code: "subscription_missing" });
					continue;
				}
				if (s.channel === "csp")
					why.push({
						code: "subscription_csp",
						subscriptionId: s.subscriptionId,
					});
				if (s.status !== "active" && s.status !== "in_grace")
					why.push({
						code: "subscription_inactive",
						subscriptionId: s.subscriptionId,
						status: s.status,
					});
			}
		}
		return {
			program,
			result: why.length ? "not_eligible" : "eligible",
			reasons: why.map((r) => eligibilityReasonText(r, program)),
			reasonDetails: why,
			evaluatedAt: at.toISOString(),
		};
	});
}
