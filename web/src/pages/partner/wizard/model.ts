/**
 * The create-claim wizard's data model: the steps, what each collects, how a draft
 * (Claim) maps to the wizard's values and back to API bodies (docs/api.md POST/PATCH
 * /claims), and which step an API field path belongs to.
 */
import type { FieldProblem } from "../../../api/client.ts";
import type { Activity, Claim, Me, SolutionArea } from "../../../api/types.ts";

/** The steps, in order (index = position). */
export const STEPS = [
	"mpn",
	"customer",
	"activity",
	"products",
	"contacts",
	"poe",
	"review",
] as const;
export type StepKey = (typeof STEPS)[number];

export const STEP = {
	mpn: 0,
	customer: 1,
	activity: 2,
	products: 3,
	contacts: 4,
	poe: 5,
	review: 6,
} as const satisfies Record<StepKey, number>;

export interface ContactValues {
	name: string;
	title: string;
	email: string;
}

/** Everything the wizard collects (the draft's editable fields). */
export interface WizardData {
	name: string;
	mpnId: string;
	customer: { tenantId: string; domain: string };
	solutionArea: SolutionArea | "";
	activity: Activity | "";
	/** Microsoft 365 workload IDs. */
	workloads: string[];
	/** Business Applications subscription IDs, as entered. */
	subscriptions: string[];
	contacts: {
		customer: ContactValues;
		customerTechnical: ContactValues;
		partner: { name: string; email: string };
	};
	revenueAssociation: {
		solutionSellerName: string;
		customerName: string;
		isvSolutionName: string;
	};
}

const emptyContact = (): ContactValues => ({ name: "", title: "", email: "" });

/** A new claim's starting values; the partner contact defaults to the signed-in user. */
export function emptyData(me: Me | null | undefined): WizardData {
	return {
		name: "",
		mpnId: "",
		customer: { tenantId: "", domain: "" },
		solutionArea: "",
		activity: "",
		workloads: [],
		subscriptions: [""],
		contacts: {
			customer: emptyContact(),
			customerTechnical: emptyContact(),
			partner: { name: me?.user.name ?? "", email: me?.user.email ?? "" },
		},
		revenueAssociation: {
			solutionSellerName: "",
			customerName: "",
			isvSolutionName: "",
		},
	};
}

/** The wizard's values of a saved draft. */
export function dataFromClaim(
	claim: Claim,
	me: Me | null | undefined,
): WizardData {
	const base = emptyData(me);
	const contact = (c: Claim["contacts"]["customer"]): ContactValues => ({
		name: c?.name ?? "",
		title: c?.title ?? "",
		email: c?.email ?? "",
	});
	const ba = claim.solutionArea === "business_applications";
	const subs = claim.products
		.map((p) => p.subscriptionId ?? "")
		.filter(Boolean);
	const partner = claim.contacts.partner;
	return {
		name: claim.name,
		mpnId: claim.mpnId,
		customer: { ...claim.customer },
		solutionArea: claim.solutionArea,
		activity: claim.activity,
		workloads: ba ? [] : claim.products.map((p) => p.productId),
		subscriptions: ba && subs.length ? subs : [""],
		contacts: {
			customer: contact(claim.contacts.customer),
			customerTechnical: contact(claim.contacts.customerTechnical),
			partner:
				partner && (partner.name || partner.email)
					? { name: partner.name ?? "", email: partner.email ?? "" }
					: base.contacts.partner,
		},
		revenueAssociation: claim.revenueAssociation
			? { ...claim.revenueAssociation }
			: base.revenueAssociation,
	};
}

/** The fields a submit needs that are still empty (mirrors SPEC R-CRT-6), as API paths. */
export function missingFields(claim: Claim): string[] {
	const missing: string[] = [];
	if (claim.products.length === 0) missing.push("products");
	const c = claim.contacts;
	const check = (path: string, value: string | undefined | null) => {
		if (!value?.trim()) missing.push(path);
	};
	check("contacts.customer.name", c.customer?.name);
	check("contacts.customer.title", c.customer?.title);
	check("contacts.customer.email", c.customer?.email);
	if (claim.solutionArea === "business_applications") {
		check("contacts.customerTechnical.name", c.customerTechnical?.name);
		check("contacts.customerTechnical.title", c.customerTechnical?.title);
		check("contacts.customerTechnical.email", c.customerTechnical?.email);
	}
	check("contacts.partner.name", c.partner?.name);
	check("contacts.partner.email", c.partner?.email);
	if (claim.activity === "revenue_association") {
		const r = claim.revenueAssociation;
		check("revenueAssociation.solutionSellerName", r?.solutionSellerName);
		check("revenueAssociation.customerName", r?.customerName);
		check("revenueAssociation.isvSolutionName", r?.isvSolutionName);
	}
	if (claim.documents.length === 0) missing.push("documents");
	return missing;
}

/** Where a resumed draft starts: the first step with something missing, else the review. */
export function firstIncompleteStep(claim: Claim): number {
	const missing = missingFields(claim);
	if (missing.includes("products")) return STEP.products;
	if (missing.some((p) => p.startsWith("contacts") || p.startsWith("revenue")))
		return STEP.contacts;
	if (missing.includes("documents")) return STEP.poe;
	return STEP.review;
}

/** The step that owns an API field path (`customer.domain` → customer step). */
export function stepOfPath(path: string): number | undefined {
	if (path === "name" || path === "mpnId") return STEP.mpn;
	if (path.startsWith("customer")) return STEP.customer;
	if (path === "solutionArea" || path === "activity") return STEP.activity;
	if (path.startsWith("products")) return STEP.products;
	if (path.startsWith("contacts") || path.startsWith("revenueAssociation"))
		return STEP.contacts;
	if (path.startsWith("documents")) return STEP.poe;
	return undefined;
}

/** POST /claims body from steps 1–3 (products, contacts and PoE come later). */
export function createBody(d: WizardData) {
	return {
		name: d.name.trim(),
		mpnId: d.mpnId,
		customer: {
			tenantId: d.customer.tenantId.trim(),
			domain: d.customer.domain.trim(),
		},
		solutionArea: d.solutionArea,
		activity: d.activity,
		contacts: { partner: d.contacts.partner },
	};
}

/** The contacts (and Revenue association fields) of a PATCH body. */
export function contactsBody(d: WizardData) {
	return {
		contacts: {
			customer: d.contacts.customer,
			customerTechnical:
				d.solutionArea === "business_applications"
					? d.contacts.customerTechnical
					: null,
			partner: d.contacts.partner,
		},
		...(d.activity === "revenue_association"
			? { revenueAssociation: d.revenueAssociation }
			: {}),
	};
}

/**
 * The PATCH body that saves one of steps 1–3 on an existing draft, or null when nothing
 * changed. Changing the solution area, or the tenant of a Business Applications claim,
 * clears the products (they would no longer fit).
 */
export function basicsBody(
	step: number,
	d: WizardData,
	claim: Claim,
): Record<string, unknown> | null {
	if (step === STEP.mpn) {
		if (d.name.trim() === claim.name && d.mpnId === claim.mpnId) return null;
		return { name: d.name.trim(), mpnId: d.mpnId };
	}
	if (step === STEP.customer) {
		const tenantId = d.customer.tenantId.trim().toLowerCase();
		const domain = d.customer.domain.trim().toLowerCase();
		if (
			tenantId === claim.customer.tenantId.toLowerCase() &&
			domain === claim.customer.domain.toLowerCase()
		)
			return null;
		const clear =
			claim.solutionArea === "business_applications" &&
			tenantId !== claim.customer.tenantId.toLowerCase() &&
			claim.products.length > 0;
		return {
			customer: { tenantId, domain },
			...(clear ? { products: [] } : {}),
		};
	}
	if (step === STEP.activity) {
		if (d.solutionArea === claim.solutionArea && d.activity === claim.activity)
			return null;
		const clear =
			d.solutionArea !== claim.solutionArea && claim.products.length > 0;
		return {
			solutionArea: d.solutionArea,
			activity: d.activity,
			...(clear ? { products: [] } : {}),
			...(d.activity === "revenue_association"
				? { revenueAssociation: d.revenueAssociation }
				: {}),
		};
	}
	return null;
}

/** SPEC R-CRT-2 / R-ELG-1: the programs an activity feeds (empty: none, nothing to enroll). */
export function programsForActivity(
	area: SolutionArea | "",
	activity: Activity | "",
): string[] {
	if (!area || !activity || activity === "revenue_association") return [];
	if (area === "microsoft_365") return activity === "usage" ? ["osu_m365"] : [];
	return activity === "presales" ? ["osa_sell"] : ["osu_bizapps"];
}

/** A GUID in the 8-4-4-4-12 form (tenant and subscription IDs). */
export const GUID =
	/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A domain name like contoso.onmicrosoft.com. */
export const DOMAIN =
	/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Accepted PoE types (server: src/documents/detect-type.ts) and the size limit. */
export const POE_ACCEPT =
	".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.msg,.eml,application/pdf,image/png,image/jpeg";
export const POE_TYPES = "PDF, DOCX, XLSX, PPTX, PNG, JPEG, MSG, EML";
export const POE_MAX_BYTES = 25 * 1024 * 1024;

/** Problems of a list that belong to one step. */
export function problemsOf(
	problems: FieldProblem[],
	step: number,
): FieldProblem[] {
	return problems.filter((p) => stepOfPath(p.path) === step);
}
