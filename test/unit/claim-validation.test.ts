import { describe, expect, it } from "vitest";
import {
	type CatalogProduct,
	checkActivity,
	checkComplete,
	checkDomain,
	checkProductLine,
	programsForActivity,
	type SubscriptionFacts,
} from "../../src/domain/claim-validation.ts";

const tenant = "6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31";
const subId = "9a3e5d21-7b4c-4f8a-a1e2-3c6d9b0f4e57";
const catalog = new Map<string, CatalogProduct>([
	[
		"microsoft-teams",
		{
			productId: "microsoft-teams",
			name: "Microsoft Teams",
			solutionArea: "microsoft_365",
			dynamics: false,
		},
	],
	[
		"dynamics-365-sales",
		{
			productId: "dynamics-365-sales",
			name: "Dynamics 365 Sales",
			solutionArea: "business_applications",
			dynamics: true,
		},
	],
]);
const sub = (o: Partial<SubscriptionFacts> = {}): SubscriptionFacts => ({
	subscriptionId: subId,
	tenantId: tenant,
	productId: "dynamics-365-sales",
	dynamics: true,
	channel: "volume_licensing",
	status: "active",
	provisioned: true,
	...o,
});
const ba = (
	subscription: SubscriptionFacts | undefined,
	id = subId,
	productId?: string,
) =>
	checkProductLine(
		0,
		{ subscriptionId: id, productId },
		{
			solutionArea: "business_applications",
			tenantId: tenant,
			catalog,
			subscription,
		},
	);

describe("claim validations", () => {
	it("R-CRT-4 only the allowed solution area and activity pairs", () => {
		expect(checkActivity("business_applications", "presales")).toEqual([]);
		expect(checkActivity("business_applications", "usage")).toEqual([]);
		expect(
			checkActivity("business_applications", "revenue_association"),
		).toEqual([]);
		expect(checkActivity("microsoft_365", "usage")).toEqual([]);
		expect(checkActivity("microsoft_365", "presales")[0]?.code).toBe(
			"activity_not_allowed",
		);
		expect(checkActivity("microsoft_365", "revenue_association")[0]?.code).toBe(
			"activity_not_allowed",
		);
	});

	it("R-CRT-5 each subscription check has its own code, in SPEC order", () => {
		expect(ba(sub())).toEqual([]);
		expect(ba(sub({ status: "in_grace" }))).toEqual([]);
		expect(ba(sub({ channel: "web_direct" }))).toEqual([]);
		expect(ba(undefined, "not-a-guid")[0]?.code).toBe("not_a_subscription_id");
		expect(ba(undefined, "not-a-guid")[0]?.message).toContain(
			'"not-a-guid" is not a subscription ID',
		);
		expect(ba(undefined)[0]?.code).toBe("not_a_subscription_id");
		// A well-formed ID the directory does not know is not called "not an ID".
		expect(ba(undefined)[0]?.message).toBe(
			`No subscription ${subId} is in the directory. Check the subscription ID (from the customer's Microsoft 365 admin center) with your customer.`,
		);
		expect(
			ba(sub({ tenantId: "1b7e9c44-2f3a-4d6b-8e15-9a0c7d3f2b68" }))[0]?.code,
		).toBe("product_not_in_tenant");
		expect(ba(sub(), subId, "dynamics-365-finance")[0]?.code).toBe(
			"product_not_in_tenant",
		);
		expect(ba(sub({ dynamics: false }))[0]?.code).toBe(
			"subscription_not_dynamics",
		);
		expect(ba(sub({ channel: "csp" }))[0]?.code).toBe("subscription_is_csp");
		expect(ba(sub({ provisioned: false }))[0]?.code).toBe(
			"subscription_not_provisioned",
		);
		expect(ba(sub({ status: "disabled" }))[0]?.code).toBe(
			"subscription_inactive",
		);
		expect(ba(sub({ status: "deleted" }))[0]?.code).toBe(
			"subscription_inactive",
		);
		expect(ba(sub({ channel: "csp" }))[0]?.path).toBe(
			"products[0].subscriptionId",
		);
	});

	it("R-CRT-3 the domain must be one of the tenant's domains", () => {
		expect(
			checkDomain(
				true,
				["contoso.com", "contoso.onmicrosoft.com"],
				"Contoso.com",
			),
		).toEqual([]);
		expect(checkDomain(true, ["contoso.com"], "fabrikam.com")[0]?.code).toBe(
			"domain_tenant_mismatch",
		);
		expect(checkDomain(false, [], "contoso.com")[0]?.message).toMatch(
			/contact your customer/i,
		);
	});

	it("R-CRT-6 every missing field is named in one error", () => {
		const problems = checkComplete({
			solutionArea: "business_applications",
			activity: "presales",
			products: [],
			contacts: { customer: { name: "A" }, partner: null },
			revenueAssociation: null,
		});
		const paths = problems.map((p) => p.path);
		expect(paths).toContain("products");
		expect(paths).toContain("contacts.customer.title");
		expect(paths).toContain("contacts.customer.email");
		expect(paths).toContain("contacts.partner.name");
		expect(paths).toContain("contacts.customerTechnical.email");
		expect(paths).not.toContain("contacts.customer.name");
	});

	it("R-CRT-2 the programs each activity feeds; revenue association needs none", () => {
		expect(programsForActivity("business_applications", "presales")).toEqual([
			"osa_sell",
		]);
		expect(programsForActivity("business_applications", "usage")).toEqual([
			"osu_bizapps",
		]);
		expect(programsForActivity("microsoft_365", "usage")).toEqual(["osu_m365"]);
		expect(
			programsForActivity("business_applications", "revenue_association"),
		).toEqual([]);
	});
});
