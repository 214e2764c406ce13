/**
 * Pure claim validations of SPEC section 3 (R-CRT-2 to R-CRT-7). Each returns field
 * problems with the stable error codes; use cases turn them into a DomainError whose
 * top-level code is the first problem's code (so a single failing check answers with
 * its own code, e.g. `subscription_is_csp`).
 */
import { DomainError, type FieldProblem } from "./errors.ts";

export type SolutionArea = "business_applications" | "microsoft_365";
export type Activity = "presales" | "usage" | "revenue_association";
export type Program = "osa_sell" | "osu_m365" | "osu_bizapps";

/** R-CRT-4: the allowed (solution area, activity) pairs with their meaning. */
export const ALLOWED_ACTIVITIES: Record<
	SolutionArea,
	Partial<Record<Activity, { meaning: string; feeds: string }>>
> = {
	business_applications: {
		presales: {
			meaning: "Influenced purchase of an eligible product",
			feeds: "pre-sales incentives",
		},
		usage: {
			meaning: "Drives adoption and usage of an eligible workload",
			feeds: "usage incentives",
		},
		revenue_association: {
			meaning: "Influenced selection as business influencer",
			feeds: "revenue association only, never payment",
		},
	},
	microsoft_365: {
		usage: {
			meaning: "Drives adoption and usage of an eligible workload",
			feeds: "usage incentives",
		},
	},
};

/** R-CRT-2 / R-ELG-1: the programs an activity in a solution area feeds (empty: none pays). */
export function programsForActivity(
	area: SolutionArea,
	activity: Activity,
): Program[] {
	if (activity === "revenue_association") return [];
	if (area === "microsoft_365") return activity === "usage" ? ["osu_m365"] : [];
	return activity === "presales" ? ["osa_sell"] : ["osu_bizapps"];
}

/** R-CRT-4: throws `activity_not_allowed` for any other pair. */
export function checkActivity(
	area: SolutionArea,
	activity: Activity,
): FieldProblem[] {
	if (ALLOWED_ACTIVITIES[area]?.[activity]) return [];
	const allowed = Object.keys(ALLOWED_ACTIVITIES[area] ?? {}).join(", ");
	return [
		{
			path: "activity",
			code: "activity_not_allowed",
			message: `The activity "${activity}" is not allowed for ${area}; choose one of: ${allowed}.`,
		},
	];
}

/** A subscription as the directory knows it (R-DIR-5). */
export interface SubscriptionFacts {
	subscriptionId: string;
	tenantId: string;
	productId: string;
	dynamics: boolean;
	channel: "volume_licensing" | "web_direct" | "csp";
	status: "active" | "in_grace" | "disabled" | "deleted";
	provisioned: boolean;
}

/** A product line of a claim as the partner entered it. */
export interface ProductInput {
	productId?: string | undefined;
	subscriptionId?: string | undefined;
}

/** A catalog product (R-DIR-4). */
export interface CatalogProduct {
	productId: string;
	name: string;
	solutionArea: SolutionArea;
	dynamics: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID in the 8-4-4-4-12 form (tenant and subscription IDs). */
export function isGuid(value: string): boolean {
	return GUID.test(value);
}

/**
 * R-CRT-5 (Business Applications) and the workload checks (Microsoft 365) for one
 * product line, in the order SPEC lists them. `subscription` is the directory's row for
 * the entered subscription ID, or undefined when there is none.
 */
export function checkProductLine(
	index: number,
	line: ProductInput,
	ctx: {
		solutionArea: SolutionArea;
		tenantId: string;
		catalog: Map<string, CatalogProduct>;
		subscription: SubscriptionFacts | undefined;
	},
): FieldProblem[] {
	const at = (field: string) => `products[${index}].${field}`;
	if (ctx.solutionArea === "microsoft_365") {
		const product = line.productId
			? ctx.catalog.get(line.productId)
			: undefined;
		if (!product) {
			return [
				{
					path: at("productId"),
					code: "unknown_product",
					message: `"${line.productId ?? ""}" is not a product of the catalog.`,
				},
			];
		}
		if (product.solutionArea !== "microsoft_365") {
			return [
				{
					path: at("productId"),
					code: "product_not_in_solution_area",
					message: `${product.name} is not a Microsoft 365 workload; Business Applications products are claimed per subscription.`,
				},
			];
		}
		return [];
	}
	const id = (line.subscriptionId ?? "").trim();
	const sub = ctx.subscription;
	if (!isGuid(id) || !sub) {
		return [
			{
				path: at("subscriptionId"),
				code: "not_a_subscription_id",
				message: isGuid(id)
					? `No subscription ${id} is in the directory. Check the subscription ID (from the customer's Microsoft 365 admin center) with your customer.`
					: `"${id}" is not a subscription ID. Enter the subscription ID (a GUID) from the customer's Microsoft 365 admin center, not an order, tenant or product ID.`,
			},
		];
	}
	if (
		sub.tenantId.toLowerCase() !== ctx.tenantId.toLowerCase() ||
		(line.productId && line.productId !== sub.productId)
	) {
		return [
			{
				path: at("subscriptionId"),
				code: "product_not_in_tenant",
				message:
					"The selected product does not exist on the customer's tenant. Check the tenant ID and the product with your customer.",
			},
		];
	}
	const problem = (code: string, message: string): FieldProblem[] => [
		{ path: at("subscriptionId"), code, message },
	];
	if (!sub.dynamics)
		return problem(
			"subscription_not_dynamics",
			"The subscription is not for a Dynamics 365 product.",
		);
	if (sub.channel === "csp") {
		return problem(
			"subscription_is_csp",
			"The subscription was bought through CSP; Business Applications activities apply only to Volume Licensing or Web Direct purchases.",
		);
	}
	if (!sub.provisioned) {
		return problem(
			"subscription_not_provisioned",
			"The customer has not yet activated (provisioned) this subscription; ask them to activate it, then try again.",
		);
	}
	if (sub.status !== "active" && sub.status !== "in_grace") {
		return problem(
			"subscription_inactive",
			`The subscription is ${sub.status}; only active or in-grace subscriptions can be claimed.`,
		);
	}
	return [];
}

/** R-CRT-3: the domain must be one of the tenant's domains. */
export function checkDomain(
	tenantFound: boolean,
	domains: string[],
	domain: string,
): FieldProblem[] {
	if (tenantFound && domains.includes(domain.trim().toLowerCase())) return [];
	return [
		{
			path: "customer.domain",
			code: "domain_tenant_mismatch",
			message:
				"The customer domain does not belong to that tenant ID. Contact your customer to make sure you have the right details.",
		},
	];
}

/** The contact fields of a claim (SPEC section 3). */
export interface ContactsInput {
	customer?: { name?: string; title?: string; email?: string } | null;
	customerTechnical?: { name?: string; title?: string; email?: string } | null;
	partner?: { name?: string; email?: string } | null;
}

/**
 * R-CRT-6: at least one product and every contact field; the Dynamics technical contact
 * is required for Business Applications. Returns one problem per missing field.
 */
export function checkComplete(input: {
	solutionArea: SolutionArea;
	activity: Activity;
	products: ProductInput[];
	contacts: ContactsInput;
	revenueAssociation: {
		solutionSellerName?: string;
		customerName?: string;
		isvSolutionName?: string;
	} | null;
}): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const missing = (path: string, label: string) =>
		problems.push({ path, code: "required", message: `${label} is required.` });
	if (input.products.length === 0)
		missing("products", "At least one product or workload");
	const c = input.contacts;
	const fields: [string, string | undefined, string][] = [
		["contacts.customer.name", c.customer?.name, "Customer contact name"],
		["contacts.customer.title", c.customer?.title, "Customer contact title"],
		["contacts.customer.email", c.customer?.email, "Customer contact email"],
		["contacts.partner.name", c.partner?.name, "Partner contact name"],
		["contacts.partner.email", c.partner?.email, "Partner contact email"],
	];
	if (input.solutionArea === "business_applications") {
		fields.push(
			[
				"contacts.customerTechnical.name",
				c.customerTechnical?.name,
				"Customer technical contact name",
			],
			[
				"contacts.customerTechnical.title",
				c.customerTechnical?.title,
				"Customer technical contact title",
			],
			[
				"contacts.customerTechnical.email",
				c.customerTechnical?.email,
				"Customer technical contact email",
			],
		);
	}
	if (input.activity === "revenue_association") {
		const r = input.revenueAssociation;
		fields.push(
			[
				"revenueAssociation.solutionSellerName",
				r?.solutionSellerName,
				"Dynamics solution seller's name",
			],
			["revenueAssociation.customerName", r?.customerName, "Customer's name"],
			[
				"revenueAssociation.isvSolutionName",
				r?.isvSolutionName,
				"ISV product or solution name",
			],
		);
	}
	for (const [path, value, label] of fields)
		if (!value?.trim()) missing(path, label);
	return problems;
}

/** Throws a DomainError whose code is the first problem's (or `fallback` when several kinds). */
export function throwIfProblems(
	problems: FieldProblem[],
	fallback?: string,
	message?: string,
): void {
	if (problems.length === 0) return;
	const first = problems[0] as FieldProblem;
	const code = fallback ?? first.code;
	throw new DomainError(code, message ?? first.message, problems);
}
