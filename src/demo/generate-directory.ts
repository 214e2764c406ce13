/**
 * The demo directory: a realistic, deterministic import document (API.md "Directory import
 * format") with a fixed set of well-known entities that docs and tests rely on (DEMO_IDS,
 * DEMO_USERS), surrounded by generated partners, tenants, subscriptions and usage.
 *
 * Same seed, same document: everything random comes from one seeded Faker instance, GUIDs
 * included, and the usage months are fixed (DEMO_USAGE_END_MONTH) rather than taken from
 * the clock.
 */
import { en, Faker } from "@faker-js/faker";
import type {
	ImportDocument,
	ImportPartner,
	ImportSubscription,
	ImportTenant,
	ImportUsage,
	ImportUser,
} from "../directory/import-schema.ts";
import {
	CATALOG,
	CHANNELS,
	type Channel,
	catalogBySolutionArea,
	type Locale,
	PROGRAMS,
	type Program,
	type Role,
	SUBSCRIPTION_STATUSES,
	type SubscriptionStatus,
} from "../domain/catalog.ts";

/** The default seed of the demo directory. */
export const DEMO_SEED = 20261121;

/** The demo accounts' password when none is configured (CPOR_DEMO_PASSWORD overrides it). */
export const DEFAULT_DEMO_PASSWORD = "cpor-demo-2026";

/** The last month with usage data in the demo directory; six months up to it are generated. */
export const DEMO_USAGE_END_MONTH = "2026-10";

/** How much the generator makes (well-known entities included). */
export const DEMO_SIZES = {
	partners: 36,
	tenants: 400,
	subscriptions: 1000,
	usageMonths: 6,
} as const;

/** Stable identifiers of the well-known demo entities. */
export const DEMO_IDS = {
	organizations: {
		fabrikam: "fabrikam",
		northwind: "northwind",
	},
	mpnIds: {
		/** Fabrikam, enrolled in osa_sell, osu_bizapps and osu_m365; FRP FastTrack. */
		fabrikamEnrolled: "4471023",
		/** Fabrikam, enrolled in nothing (SPEC R-CRT-2 `mpn_not_enrolled`). */
		fabrikamUnenrolled: "4471024",
		/** Northwind, enrolled in osa_sell and osu_bizapps. */
		northwind: "5512876",
	},
	tenants: {
		contoso: "6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31",
		adventureWorks: "1b7e9c44-2f3a-4d6b-8e15-9a0c7d3f2b68",
	},
	domains: {
		contosoInitial: "contoso.onmicrosoft.com",
		contoso: "contoso.com",
		adventureWorksInitial: "adventureworks.onmicrosoft.com",
		adventureWorks: "adventure-works.com",
	},
	subscriptions: {
		/** Contoso, Dynamics 365 Sales, Volume Licensing, active, provisioned: claimable. */
		contosoSales: "9a3e5d21-7b4c-4f8a-a1e2-3c6d9b0f4e57",
		/** Contoso, Dynamics 365 Customer Service, Web Direct, active, provisioned: claimable. */
		contosoCustomerService: "c4d8e2a1-5b6f-4e3a-9c7d-1f2e3a4b5c61",
		/** Contoso, Dynamics 365 Field Service, CSP, active (SPEC R-CRT-5 `subscription_is_csp`). */
		contosoFieldServiceCsp: "d5e9f3b2-6c7a-4f4b-8d8e-2a3f4b5c6d72",
		/** Contoso, Dynamics 365 Finance, VL, active, not provisioned (`subscription_not_provisioned`). */
		contosoFinanceUnprovisioned: "e6fa04c3-7d8b-4a5c-9e9f-3b4a5c6d7e83",
		/** Contoso, Dynamics 365 Business Central, VL, disabled (`subscription_inactive`). */
		contosoBusinessCentralDisabled: "f70b15d4-8e9c-4b6d-8faa-4c5b6d7e8f94",
		/** Contoso, Power BI, VL, active, provisioned (`subscription_not_dynamics`). */
		contosoPowerBi: "081c26e5-9fad-4c7e-9abb-5d6c7e8f9a05",
		/** Adventure Works, Dynamics 365 Sales, VL, active, provisioned: claimable. */
		adventureWorksSales: "2c8fad55-3a4b-4e7c-9f26-ab1d8e4c3f79",
	},
} as const;

/** A demo account (the password is the demo password for all of them). */
export interface DemoUser {
	email: string;
	name: string;
	role: Role;
	organizationId?: string;
	tenantId?: string;
	locale: Locale;
	/** What signing in as this user demonstrates. */
	demonstrates: string;
}

/** The demo accounts (SPEC section 13). */
export const DEMO_USERS: readonly DemoUser[] = [
	{
		email: "ana.global@fabrikam.example",
		name: "Ana Garcia",
		role: "global_admin",
		organizationId: DEMO_IDS.organizations.fabrikam,
		locale: "en",
		demonstrates:
			"partner global admin: creates, submits, withdraws and disputes claims, manages MPN IDs and API tokens",
	},
	{
		email: "ivan.incentives@fabrikam.example",
		name: "Ivan Novak",
		role: "incentives_user",
		organizationId: DEMO_IDS.organizations.fabrikam,
		locale: "en",
		demonstrates:
			"partner incentives user: creates, edits, submits and disputes claims, but cannot request rejection",
	},
	{
		email: "daan.incentives@fabrikam.example",
		name: "Daan de Vries",
		role: "incentives_admin",
		organizationId: DEMO_IDS.organizations.fabrikam,
		locale: "nl",
		demonstrates:
			"partner incentives admin with the Dutch interface and notifications",
	},
	{
		email: "bea.billing@fabrikam.example",
		name: "Bea Schmidt",
		role: "billing_admin",
		organizationId: DEMO_IDS.organizations.fabrikam,
		locale: "en",
		demonstrates:
			"partner billing admin: views claims and earnings and payout reporting, cannot create claims",
	},
	{
		email: "nora.admin@northwind.example",
		name: "Nora Hansen",
		role: "global_admin",
		organizationId: DEMO_IDS.organizations.northwind,
		locale: "en",
		demonstrates:
			"a second partner organization: competing claims and no access to Fabrikam's claims",
	},
	{
		email: "rita.reviewer@cpor.example",
		name: "Rita Okafor",
		role: "reviewer",
		locale: "en",
		demonstrates:
			"reviewer: review queue by SLA, information requests, approval, rejection, arbitration, disputes",
	},
	{
		email: "rob.reviewer@cpor.example",
		name: "Rob Jansen",
		role: "reviewer",
		locale: "en",
		demonstrates:
			"a second reviewer: dispute decisions by someone other than the first reviewer",
	},
	{
		email: "carl.customer@contoso.example",
		name: "Carl Svensson",
		role: "customer_admin",
		tenantId: DEMO_IDS.tenants.contoso,
		locale: "en",
		demonstrates:
			"customer admin of Contoso: sees which partners claim the tenant and opts out during the window",
	},
	{
		email: "paula.platform@cpor.example",
		name: "Paula Mendes",
		role: "platform_admin",
		locale: "en",
		demonstrates:
			"platform admin: the directory (import and look-up), the business calendar, the sandbox clock and the dev mailbox",
	},
];

export interface GenerateDemoDirectoryOptions {
	/** The last month of generated usage (`YYYY-MM`); defaults to DEMO_USAGE_END_MONTH. */
	usageEndMonth?: string;
}

const BUSINESS_APPLICATIONS = catalogBySolutionArea("business_applications");
const M365_WORKLOADS = catalogBySolutionArea("microsoft_365");

const PARTNER_SUFFIXES = [
	"Consulting",
	"Solutions",
	"Advisory",
	"Partners",
	"Technologies",
	"Digital",
	"Group",
	"IT Services",
	"Systems",
	"Cloud Services",
	"Business Solutions",
	"Labs",
] as const;

const NAME_PARTS_A = [
	"Blue",
	"North",
	"Silver",
	"Bright",
	"Iron",
	"Clear",
	"Summit",
	"Harbor",
	"Cedar",
	"Granite",
	"Lumen",
	"Alder",
	"Red",
	"Oak",
	"Swift",
	"True",
] as const;

const NAME_PARTS_B = [
	"peak",
	"field",
	"bridge",
	"stone",
	"wave",
	"point",
	"gate",
	"line",
	"ridge",
	"works",
	"leaf",
	"path",
] as const;

const CUSTOM_TLDS = [
	"com",
	"com",
	"com",
	"net",
	"io",
	"co.uk",
	"de",
	"nl",
	"se",
];

const PRODUCT_WEIGHTS: Readonly<Record<string, number>> = {
	"dynamics-365-sales": 18,
	"dynamics-365-customer-service": 14,
	"dynamics-365-field-service": 8,
	"dynamics-365-marketing": 7,
	"dynamics-365-finance": 8,
	"dynamics-365-supply-chain-management": 5,
	"dynamics-365-business-central": 12,
	"dynamics-365-commerce": 3,
	"dynamics-365-human-resources": 4,
	"dynamics-365-project-operations": 4,
	"power-apps": 8,
	"power-automate": 6,
	"power-bi": 10,
};

/**
 * Generates the demo directory for a seed: the catalog, ~36 partner organizations, ~400
 * tenants, ~1000 subscriptions (every Business Applications product, channel and status,
 * unprovisioned ones included), six months of usage for a subset of tenants, the
 * well-known entities of DEMO_IDS and the accounts of DEMO_USERS with `demoPassword`.
 */
export function generateDemoDirectory(
	seed: number = DEMO_SEED,
	demoPassword: string = DEFAULT_DEMO_PASSWORD,
	options: GenerateDemoDirectoryOptions = {},
): ImportDocument {
	const faker = new Faker({ locale: [en] });
	faker.seed(seed);
	const months = lastMonths(
		options.usageEndMonth ?? DEMO_USAGE_END_MONTH,
		DEMO_SIZES.usageMonths,
	);

	const partners = generatePartners(faker);
	const tenants = generateTenants(faker);
	const subscriptions = generateSubscriptions(faker, tenants);
	const usage = generateUsage(faker, tenants, subscriptions, months);
	const users: ImportUser[] = DEMO_USERS.map((user) => ({
		email: user.email,
		name: user.name,
		password: demoPassword,
		...(user.organizationId !== undefined
			? { organizationId: user.organizationId }
			: {}),
		...(user.tenantId !== undefined ? { tenantId: user.tenantId } : {}),
		roles: [user.role],
		locale: user.locale,
	}));

	return {
		products: CATALOG.map((product) => ({ ...product })),
		partners,
		tenants,
		subscriptions,
		users,
		usage,
	};
}

function generatePartners(faker: Faker): ImportPartner[] {
	const partners: ImportPartner[] = [
		{
			organizationId: DEMO_IDS.organizations.fabrikam,
			name: "Fabrikam Consulting",
			mpnIds: [
				{
					mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
					programs: ["osa_sell", "osu_bizapps", "osu_m365"],
					partnerTypes: ["FRP FastTrack"],
				},
				{
					mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled,
					programs: [],
					partnerTypes: [],
				},
			],
		},
		{
			organizationId: DEMO_IDS.organizations.northwind,
			name: "Northwind Traders Advisory",
			mpnIds: [
				{
					mpnId: DEMO_IDS.mpnIds.northwind,
					programs: ["osa_sell", "osu_bizapps"],
					partnerTypes: [],
				},
			],
		},
	];
	const usedIds = new Set(partners.map((p) => p.organizationId));
	const usedNames = new Set(partners.map((p) => p.name.toLowerCase()));
	const usedMpnIds = new Set(
		partners.flatMap((p) => p.mpnIds.map((m) => m.mpnId)),
	);

	while (partners.length < DEMO_SIZES.partners) {
		const name = partnerName(faker);
		const organizationId = slug(name, "-").slice(0, 48);
		if (usedNames.has(name.toLowerCase()) || usedIds.has(organizationId)) {
			continue;
		}
		usedNames.add(name.toLowerCase());
		usedIds.add(organizationId);
		const count = faker.helpers.weightedArrayElement([
			{ weight: 50, value: 1 },
			{ weight: 30, value: 2 },
			{ weight: 13, value: 3 },
			{ weight: 7, value: 4 },
		]);
		const mpnIds: ImportPartner["mpnIds"] = [];
		while (mpnIds.length < count) {
			const digits = faker.number.int({ min: 6, max: 8 });
			const mpnId = String(
				faker.number.int({ min: 10 ** (digits - 1), max: 10 ** digits - 1 }),
			);
			if (usedMpnIds.has(mpnId)) continue;
			usedMpnIds.add(mpnId);
			mpnIds.push({
				mpnId,
				programs: programsFor(faker),
				partnerTypes: faker.datatype.boolean({ probability: 0.15 })
					? ["FRP FastTrack"]
					: [],
			});
		}
		partners.push({ organizationId, name, mpnIds });
	}
	return partners;
}

function partnerName(faker: Faker): string {
	const suffix = faker.helpers.arrayElement(PARTNER_SUFFIXES);
	const base = faker.helpers.weightedArrayElement([
		{ weight: 5, value: () => faker.person.lastName() },
		{ weight: 3, value: () => faker.location.city() },
		{
			weight: 2,
			value: () =>
				`${faker.helpers.arrayElement(NAME_PARTS_A)}${faker.helpers.arrayElement(NAME_PARTS_B)}`,
		},
	])();
	return `${base} ${suffix}`;
}

function programsFor(faker: Faker): Program[] {
	if (faker.datatype.boolean({ probability: 0.2 })) return [];
	const chances: Readonly<Record<Program, number>> = {
		osa_sell: 0.6,
		osu_m365: 0.5,
		osu_bizapps: 0.45,
	};
	const programs = PROGRAMS.filter((program) =>
		faker.datatype.boolean({ probability: chances[program] }),
	);
	return programs.length > 0
		? programs
		: [faker.helpers.arrayElement(PROGRAMS)];
}

function generateTenants(faker: Faker): ImportTenant[] {
	const tenants: ImportTenant[] = [
		{
			tenantId: DEMO_IDS.tenants.contoso,
			name: "Contoso Ltd",
			domains: [DEMO_IDS.domains.contosoInitial, DEMO_IDS.domains.contoso],
		},
		{
			tenantId: DEMO_IDS.tenants.adventureWorks,
			name: "Adventure Works Cycles",
			domains: [
				DEMO_IDS.domains.adventureWorksInitial,
				DEMO_IDS.domains.adventureWorks,
			],
		},
	];
	const usedTenantIds = new Set(tenants.map((t) => t.tenantId));
	const usedNames = new Set(tenants.map((t) => t.name.toLowerCase()));
	const usedDomains = new Set(tenants.flatMap((t) => t.domains));
	// Reserve the bare names of the well-known tenants for them.
	for (const reserved of [
		"contoso",
		"adventureworks",
		"fabrikam",
		"northwind",
	]) {
		usedDomains.add(`${reserved}.onmicrosoft.com`);
		usedDomains.add(`${reserved}.com`);
	}

	while (tenants.length < DEMO_SIZES.tenants) {
		const name = faker.company.name();
		if (usedNames.has(name.toLowerCase())) continue;
		const tenantId = faker.string.uuid();
		if (usedTenantIds.has(tenantId)) continue;
		usedNames.add(name.toLowerCase());
		usedTenantIds.add(tenantId);

		const compact = slug(name, "").slice(0, 24) || "tenant";
		let initialName = compact;
		for (let n = 2; usedDomains.has(`${initialName}.onmicrosoft.com`); n++) {
			initialName = `${compact}${n}`;
		}
		const domains = [`${initialName}.onmicrosoft.com`];
		usedDomains.add(domains[0] ?? "");

		const customCount = faker.helpers.weightedArrayElement([
			{ weight: 30, value: 0 },
			{ weight: 50, value: 1 },
			{ weight: 20, value: 2 },
		]);
		const hyphenated = slug(name, "-").slice(0, 40).replace(/-+$/, "");
		const candidates = [
			`${hyphenated}.${faker.helpers.arrayElement(CUSTOM_TLDS)}`,
			`${compact}.${faker.helpers.arrayElement(CUSTOM_TLDS)}`,
			`${compact}-${faker.helpers.arrayElement(["group", "global", "corp", "online"])}.com`,
		];
		for (const candidate of candidates) {
			if (domains.length > customCount) break;
			if (usedDomains.has(candidate)) continue;
			usedDomains.add(candidate);
			domains.push(candidate);
		}
		tenants.push({ tenantId, name, domains });
	}
	return tenants;
}

function generateSubscriptions(
	faker: Faker,
	tenants: readonly ImportTenant[],
): ImportSubscription[] {
	const subscriptions: ImportSubscription[] = [
		{
			subscriptionId: DEMO_IDS.subscriptions.contosoSales,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-sales",
			channel: "volume_licensing",
			status: "active",
			provisioned: true,
		},
		{
			subscriptionId: DEMO_IDS.subscriptions.contosoCustomerService,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-customer-service",
			channel: "web_direct",
			status: "active",
			provisioned: true,
		},
		{
			subscriptionId: DEMO_IDS.subscriptions.contosoFieldServiceCsp,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-field-service",
			channel: "csp",
			status: "active",
			provisioned: true,
		},
		{
			subscriptionId: DEMO_IDS.subscriptions.contosoFinanceUnprovisioned,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-finance",
			channel: "volume_licensing",
			status: "active",
			provisioned: false,
		},
		{
			subscriptionId: DEMO_IDS.subscriptions.contosoBusinessCentralDisabled,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-business-central",
			channel: "volume_licensing",
			status: "disabled",
			provisioned: true,
		},
		{
			subscriptionId: DEMO_IDS.subscriptions.contosoPowerBi,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "power-bi",
			channel: "volume_licensing",
			status: "active",
			provisioned: true,
		},
		{
			subscriptionId: DEMO_IDS.subscriptions.adventureWorksSales,
			tenantId: DEMO_IDS.tenants.adventureWorks,
			productId: "dynamics-365-sales",
			channel: "volume_licensing",
			status: "active",
			provisioned: true,
		},
	];
	const usedIds = new Set(subscriptions.map((s) => s.subscriptionId));
	const newId = (): string => {
		for (;;) {
			const id = faker.string.uuid();
			if (!usedIds.has(id)) {
				usedIds.add(id);
				return id;
			}
		}
	};

	// About three in four generated tenants buy Business Applications.
	const buyers = tenants
		.slice(2)
		.filter(() => faker.datatype.boolean({ probability: 0.75 }));
	const pickBuyer = (): string => faker.helpers.arrayElement(buyers).tenantId;

	// Coverage first: every product, every channel × status, unprovisioned ones.
	const combos: [Channel, SubscriptionStatus][] = CHANNELS.flatMap((channel) =>
		SUBSCRIPTION_STATUSES.map((status): [Channel, SubscriptionStatus] => [
			channel,
			status,
		]),
	);
	const coverage = Math.max(combos.length, BUSINESS_APPLICATIONS.length);
	for (let i = 0; i < coverage; i++) {
		const [channel, status] = combos[i % combos.length] ?? [
			"volume_licensing",
			"active",
		];
		const product = BUSINESS_APPLICATIONS[i % BUSINESS_APPLICATIONS.length];
		subscriptions.push({
			subscriptionId: newId(),
			tenantId: pickBuyer(),
			productId: product?.productId ?? "dynamics-365-sales",
			channel,
			status,
			provisioned: i % 5 !== 4,
		});
	}

	const productChoices = BUSINESS_APPLICATIONS.map((product) => ({
		weight: PRODUCT_WEIGHTS[product.productId] ?? 1,
		value: product.productId,
	}));
	while (subscriptions.length < DEMO_SIZES.subscriptions) {
		const channel = faker.helpers.weightedArrayElement<Channel>([
			{ weight: 50, value: "volume_licensing" },
			{ weight: 30, value: "web_direct" },
			{ weight: 20, value: "csp" },
		]);
		const status = faker.helpers.weightedArrayElement<SubscriptionStatus>([
			{ weight: 78, value: "active" },
			{ weight: 8, value: "in_grace" },
			{ weight: 8, value: "disabled" },
			{ weight: 6, value: "deleted" },
		]);
		const provisioned = faker.datatype.boolean({
			probability: status === "active" ? 0.88 : 0.96,
		});
		subscriptions.push({
			subscriptionId: newId(),
			tenantId: pickBuyer(),
			productId: faker.helpers.weightedArrayElement(productChoices),
			channel,
			status,
			provisioned,
		});
	}
	return subscriptions;
}

function generateUsage(
	faker: Faker,
	tenants: readonly ImportTenant[],
	subscriptions: readonly ImportSubscription[],
	months: readonly string[],
): ImportUsage[] {
	const usage: ImportUsage[] = [];
	const subscribedProducts = new Map<string, Set<string>>();
	for (const subscription of subscriptions) {
		if (
			!subscription.provisioned ||
			(subscription.status !== "active" && subscription.status !== "in_grace")
		) {
			continue;
		}
		let products = subscribedProducts.get(subscription.tenantId);
		if (products === undefined) {
			products = new Set();
			subscribedProducts.set(subscription.tenantId, products);
		}
		products.add(subscription.productId);
	}

	const series = (tenantId: string, productId: string, seats: number) => {
		let units = seats;
		let adoption = faker.number.float({ min: 0.25, max: 0.8 });
		for (const month of months) {
			usage.push({
				tenantId,
				productId,
				month,
				monthlyActiveUsers: Math.round(units * adoption),
				paidAvailableUnits: units,
			});
			units = Math.max(
				1,
				Math.round(units * faker.number.float({ min: 0.97, max: 1.08 })),
			);
			adoption = Math.min(
				0.98,
				adoption + faker.number.float({ min: -0.02, max: 0.06 }),
			);
		}
	};

	const coreWorkloads = [
		"exchange-online",
		"sharepoint-online",
		"microsoft-teams",
		"microsoft-365-apps",
	];
	tenants.forEach((tenant, index) => {
		const wellKnown = index < 2;
		if (!wellKnown && !faker.datatype.boolean({ probability: 0.35 })) return;
		const seats = faker.number.int({ min: 15, max: 2500 });
		const workloads = wellKnown
			? coreWorkloads
			: faker.helpers
					.arrayElements(M365_WORKLOADS, { min: 2, max: 6 })
					.map((product) => product.productId);
		for (const productId of workloads) {
			const share = coreWorkloads.includes(productId)
				? 1
				: faker.number.float({ min: 0.2, max: 1 });
			series(
				tenant.tenantId,
				productId,
				Math.max(1, Math.round(seats * share)),
			);
		}
		for (const productId of subscribedProducts.get(tenant.tenantId) ?? []) {
			series(
				tenant.tenantId,
				productId,
				faker.number.int({ min: 5, max: 400 }),
			);
		}
	});
	return usage;
}

/** The `count` months up to and including `endMonth` (`YYYY-MM`), oldest first. */
function lastMonths(endMonth: string, count: number): string[] {
	const match = /^(\d{4})-(\d{2})$/.exec(endMonth);
	if (match === null) {
		throw new RangeError(`usageEndMonth must be YYYY-MM, got ${endMonth}`);
	}
	const end = Number(match[1]) * 12 + (Number(match[2]) - 1);
	const months: string[] = [];
	for (let i = count - 1; i >= 0; i--) {
		const value = end - i;
		const year = Math.floor(value / 12);
		const month = (value % 12) + 1;
		months.push(`${year}-${String(month).padStart(2, "0")}`);
	}
	return months;
}

/** Lower-case letters and digits of a name, words joined by `separator`. */
function slug(name: string, separator: string): string {
	return name
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word.length > 0)
		.join(separator);
}
