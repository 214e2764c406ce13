/**
 * The product catalog and the directory's enumerations.
 *
 * Everything here is static reference data shared by the directory import (SPEC R-DIR-6),
 * claim validation (SPEC section 3), eligibility (SPEC R-ELG-1) and roles (SPEC section 13).
 * The string values are the wire values of API.md; change them only together with it.
 */

/** Solution areas (SPEC R-DIR-4): Business Applications are claimed per subscription, Microsoft 365 per workload. */
export const SOLUTION_AREAS = [
	"business_applications",
	"microsoft_365",
] as const;
export type SolutionArea = (typeof SOLUTION_AREAS)[number];

/** Claim activities (SPEC R-CRT-4); which pairs with which solution area is decided by claim validation. */
export const ACTIVITIES = ["presales", "usage", "revenue_association"] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** Incentive programs an MPN ID may be enrolled in (SPEC R-DIR-1, R-DIR-2). */
export const PROGRAMS = ["osa_sell", "osu_m365", "osu_bizapps"] as const;
export type Program = (typeof PROGRAMS)[number];

/** Display names of the incentive programs, as SPEC R-DIR-2 spells them. */
export const PROGRAM_LABELS: Readonly<Record<Program, string>> = {
	osa_sell: "OSA Sell",
	osu_m365: "OSU-M365",
	osu_bizapps: "OSU-BizApps",
};

/** Partner types an MPN ID may carry (SPEC R-DIR-1). Free text on import; these are the known ones. */
export const KNOWN_PARTNER_TYPES = ["FRP FastTrack"] as const;

/** Purchase channels of a subscription (SPEC R-DIR-5); only VL and Web Direct are claimable (SPEC R-CRT-4, R-CRT-5). */
export const CHANNELS = ["volume_licensing", "web_direct", "csp"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Display names of the purchase channels (SPEC R-DIR-5). */
export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
	volume_licensing: "Volume Licensing",
	web_direct: "Web Direct",
	csp: "CSP",
};

/** Subscription lifecycle statuses (SPEC R-DIR-5); `active` and `in_grace` count as active (SPEC R-CRT-5, R-ELG-1). */
export const SUBSCRIPTION_STATUSES = [
	"active",
	"in_grace",
	"disabled",
	"deleted",
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Partner user roles (SPEC R-ROL-1); a partner user belongs to one partner organization. */
export const PARTNER_ROLES = [
	"global_admin",
	"billing_admin",
	"incentives_admin",
	"incentives_user",
] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

/** Customer roles (SPEC R-ROL-3); a customer admin belongs to one tenant. */
export const CUSTOMER_ROLES = ["customer_admin"] as const;
export type CustomerRole = (typeof CUSTOMER_ROLES)[number];

/** Vendor roles (SPEC R-ROL-2); vendor users belong to neither an organization nor a tenant. */
export const VENDOR_ROLES = ["reviewer", "platform_admin"] as const;
export type VendorRole = (typeof VENDOR_ROLES)[number];

/** Every role (SPEC section 13). */
export const ROLES = [
	...PARTNER_ROLES,
	...CUSTOMER_ROLES,
	...VENDOR_ROLES,
] as const;
export type Role = (typeof ROLES)[number];

/** True for the partner roles of SPEC R-ROL-1. */
export function isPartnerRole(role: string): role is PartnerRole {
	return (PARTNER_ROLES as readonly string[]).includes(role);
}

/** True for the customer role of SPEC R-ROL-3. */
export function isCustomerRole(role: string): role is CustomerRole {
	return (CUSTOMER_ROLES as readonly string[]).includes(role);
}

/** True for the vendor roles of SPEC R-ROL-2. */
export function isVendorRole(role: string): role is VendorRole {
	return (VENDOR_ROLES as readonly string[]).includes(role);
}

/** User interface and notification languages; `en` is the default. */
export const LOCALES = ["en", "nl", "sv", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** One catalog entry (SPEC R-DIR-4); `dynamics` marks Dynamics 365 products (SPEC R-CRT-5 `subscription_not_dynamics`). */
export interface CatalogProduct {
	readonly productId: string;
	readonly name: string;
	readonly solutionArea: SolutionArea;
	readonly dynamics: boolean;
}

/**
 * The built-in product catalog (SPEC R-DIR-4, API.md "Catalog IDs").
 * Microsoft 365 entries are workloads; Business Applications entries are subscription products.
 */
export const CATALOG = [
	// Microsoft 365 workloads
	{
		productId: "exchange-online",
		name: "Exchange Online",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "sharepoint-online",
		name: "SharePoint Online",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "onedrive-for-business",
		name: "OneDrive for Business",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "microsoft-teams",
		name: "Microsoft Teams",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "microsoft-365-apps",
		name: "Microsoft 365 Apps",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "intune",
		name: "Microsoft Intune",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "entra-id-p1",
		name: "Microsoft Entra ID P1",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "entra-id-p2",
		name: "Microsoft Entra ID P2",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "defender-for-office-365",
		name: "Microsoft Defender for Office 365",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "purview-information-protection",
		name: "Microsoft Purview Information Protection",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	{
		productId: "viva-engage",
		name: "Viva Engage",
		solutionArea: "microsoft_365",
		dynamics: false,
	},
	// Business Applications: Dynamics 365
	{
		productId: "dynamics-365-sales",
		name: "Dynamics 365 Sales",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-customer-service",
		name: "Dynamics 365 Customer Service",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-field-service",
		name: "Dynamics 365 Field Service",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-marketing",
		name: "Dynamics 365 Marketing",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-finance",
		name: "Dynamics 365 Finance",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-supply-chain-management",
		name: "Dynamics 365 Supply Chain Management",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-business-central",
		name: "Dynamics 365 Business Central",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-commerce",
		name: "Dynamics 365 Commerce",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-human-resources",
		name: "Dynamics 365 Human Resources",
		solutionArea: "business_applications",
		dynamics: true,
	},
	{
		productId: "dynamics-365-project-operations",
		name: "Dynamics 365 Project Operations",
		solutionArea: "business_applications",
		dynamics: true,
	},
	// Business Applications: Power Platform (not Dynamics)
	{
		productId: "power-apps",
		name: "Power Apps",
		solutionArea: "business_applications",
		dynamics: false,
	},
	{
		productId: "power-automate",
		name: "Power Automate",
		solutionArea: "business_applications",
		dynamics: false,
	},
	{
		productId: "power-bi",
		name: "Power BI",
		solutionArea: "business_applications",
		dynamics: false,
	},
] as const satisfies readonly CatalogProduct[];

/** A product ID of the built-in catalog. */
export type CatalogProductId = (typeof CATALOG)[number]["productId"];

const CATALOG_BY_ID: ReadonlyMap<string, CatalogProduct> = new Map(
	CATALOG.map((product) => [product.productId, product]),
);

/** The catalog entry for a product ID, or undefined when it is not in the built-in catalog. */
export function getCatalogProduct(
	productId: string,
): CatalogProduct | undefined {
	return CATALOG_BY_ID.get(productId);
}

/** The catalog entries of one solution area (SPEC R-DIR-4), in catalog order. */
export function catalogBySolutionArea(
	solutionArea: SolutionArea,
): CatalogProduct[] {
	return CATALOG.filter((product) => product.solutionArea === solutionArea);
}
