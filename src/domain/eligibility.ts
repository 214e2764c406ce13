/**
 * R-ELG-1: after the consent window, an approved claim is evaluated against each
 * incentive program. Pure: takes the facts, returns one result per program with reasons.
 */

import type {
	Activity,
	Program,
	SolutionArea,
	SubscriptionFacts,
} from "./claim-validation.ts";
import { programsForActivity } from "./claim-validation.ts";

/** The programs of R-DIR-2, in display order. */
export const ALL_PROGRAMS: Program[] = ["osa_sell", "osu_m365", "osu_bizapps"];

/** One program's result (API.md `eligibility`). */
export interface EligibilityResult {
	program: Program;
	result: "eligible" | "not_eligible";
	reasons: string[];
	evaluatedAt: string;
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
		const reasons: string[] = [];
		if (f.activity === "revenue_association")
			reasons.push(
				"Revenue association is recorded for recognition only and never pays.",
			);
		else if (!fed.includes(program))
			reasons.push(
				`The ${f.activity} activity in ${f.solutionArea} does not feed ${program}.`,
			);
		if (!f.mpnPrograms.includes(program))
			reasons.push(`The MPN ID is not enrolled in ${program}.`);
		if (f.solutionArea === "business_applications") {
			for (const s of f.subscriptions) {
				if (!s) {
					reasons.push("A claimed subscription is no longer in the directory.");
					continue;
				}
				if (s.channel === "csp")
					reasons.push(
						`Subscription ${s.subscriptionId} was bought through CSP.`,
					);
				if (s.status !== "active" && s.status !== "in_grace")
					reasons.push(`Subscription ${s.subscriptionId} is ${s.status}.`);
			}
		}
		return {
			program,
			result: reasons.length ? "not_eligible" : "eligible",
			reasons,
			evaluatedAt: at.toISOString(),
		};
	});
}
