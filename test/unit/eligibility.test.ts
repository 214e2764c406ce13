import { describe, expect, it } from "vitest";
import type { SubscriptionFacts } from "../../src/domain/claim-validation.ts";
import { evaluateEligibility } from "../../src/domain/eligibility.ts";

const at = new Date("2026-12-01T09:00:00Z");
const subscription = (
	subscriptionId: string,
	overrides: Partial<SubscriptionFacts> = {},
): SubscriptionFacts => ({
	subscriptionId,
	tenantId: "t1",
	productId: "dynamics-365-sales",
	dynamics: true,
	channel: "volume_licensing",
	status: "active",
	provisioned: true,
	...overrides,
});
const byProgram = (results: ReturnType<typeof evaluateEligibility>) =>
	Object.fromEntries(results.map((r) => [r.program, r]));

describe("eligibility (R-ELG-1)", () => {
	it("R-ELG-1 Microsoft 365 usage with an MPN ID enrolled in OSU-M365 is eligible there only, each other program with its reasons as data and in English", () => {
		const r = byProgram(
			evaluateEligibility(
				{
					solutionArea: "microsoft_365",
					activity: "usage",
					mpnPrograms: ["osu_m365"],
					subscriptions: [],
				},
				at,
			),
		);
		expect(r.osu_m365).toMatchObject({
			result: "eligible",
			reasons: [],
			reasonDetails: [],
			evaluatedAt: at.toISOString(),
		});
		expect(r.osa_sell?.result).toBe("not_eligible");
		expect(r.osa_sell?.reasonDetails).toEqual([
			{
				code: "activity_not_fed",
				activity: "usage",
				solutionArea: "microsoft_365",
			},
			{ code: "mpn_not_enrolled" },
		]);
		expect(r.osa_sell?.reasons).toEqual([
			"Usage in Microsoft 365 does not count toward OSA Sell.",
			"The MPN ID is not enrolled in OSA Sell.",
		]);
	});

	it("R-ELG-1 revenue association never pays; a Business Applications subscription bought through CSP, disabled or gone from the directory makes the claim not eligible", () => {
		const revenue = evaluateEligibility(
			{
				solutionArea: "microsoft_365",
				activity: "revenue_association",
				mpnPrograms: ["osa_sell", "osu_m365", "osu_bizapps"],
				subscriptions: [],
			},
			at,
		);
		for (const e of revenue) {
			expect(e.result).toBe("not_eligible");
			expect(e.reasonDetails).toEqual([{ code: "revenue_association" }]);
		}
		const r = byProgram(
			evaluateEligibility(
				{
					solutionArea: "business_applications",
					activity: "usage",
					mpnPrograms: ["osu_bizapps"],
					subscriptions: [
						subscription("s-ok"),
						subscription("s-grace", { status: "in_grace" }),
						subscription("s-csp", { channel: "csp" }),
						subscription("s-off", { status: "disabled" }),
						undefined,
					],
				},
				at,
			),
		);
		expect(r.osu_bizapps?.result).toBe("not_eligible");
		expect(r.osu_bizapps?.reasonDetails).toEqual([
			{ code: "subscription_csp", subscriptionId: "s-csp" },
			{
				code: "subscription_inactive",
				subscriptionId: "s-off",
				status: "disabled",
			},
			{ code: "subscription_missing" },
		]);
		expect(r.osu_bizapps?.reasons).toEqual([
			"Subscription s-csp was bought through CSP.",
			"Subscription s-off is disabled.",
			"A claimed subscription is no longer in the directory.",
		]);
		// Active and in grace both count (R-CRT-5).
		const fine = evaluateEligibility(
			{
				solutionArea: "business_applications",
				activity: "usage",
				mpnPrograms: ["osu_bizapps"],
				subscriptions: [
					subscription("s-ok"),
					subscription("s-g", { status: "in_grace" }),
				],
			},
			at,
		);
		expect(byProgram(fine).osu_bizapps?.result).toBe("eligible");
	});
});
