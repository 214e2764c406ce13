import { describe, expect, it } from "vitest";
import {
	DEMO_IDS,
	DEMO_SEED,
	DEMO_USERS,
	generateDemoDirectory,
} from "../../src/demo/generate-directory.ts";
import {
	checkImportReferences,
	importDocumentSchema,
} from "../../src/directory/import-schema.ts";
import {
	CATALOG,
	CHANNELS,
	SUBSCRIPTION_STATUSES,
} from "../../src/domain/catalog.ts";

const doc = generateDemoDirectory(DEMO_SEED, "demo-password");

describe("demo directory", () => {
	it("is deterministic: the same seed gives the same document, another seed another", () => {
		expect(generateDemoDirectory(DEMO_SEED, "demo-password")).toEqual(doc);
		expect(generateDemoDirectory()).toEqual(generateDemoDirectory());
		expect(generateDemoDirectory(7, "demo-password").tenants).not.toEqual(
			doc.tenants,
		);
	});

	it("R-DIR-6 passes the import schema unchanged and has no reference errors", () => {
		const parsed = importDocumentSchema.safeParse(doc);
		expect(parsed.error?.issues.slice(0, 5)).toBeUndefined();
		expect(parsed.data).toEqual(doc);
		expect(checkImportReferences(doc)).toEqual([]);
		expect(checkImportReferences(generateDemoDirectory(1))).toEqual([]);
	});

	it("has a realistic size", () => {
		expect(doc.products).toHaveLength(CATALOG.length);
		expect(doc.partners?.length).toBeGreaterThanOrEqual(30);
		expect(doc.tenants?.length).toBeGreaterThanOrEqual(350);
		expect(doc.subscriptions?.length).toBeGreaterThanOrEqual(900);
		expect(doc.usage?.length).toBeGreaterThan(0);
		for (const partner of doc.partners ?? []) {
			expect(partner.mpnIds.length).toBeGreaterThanOrEqual(1);
			expect(partner.mpnIds.length).toBeLessThanOrEqual(4);
		}
		for (const tenant of doc.tenants ?? []) {
			expect(
				tenant.domains.filter((d) => d.endsWith(".onmicrosoft.com")),
			).toHaveLength(1);
			expect(tenant.domains.length).toBeLessThanOrEqual(3);
		}
	});

	it("R-DIR-5 covers every channel × status, every Business Applications product and unprovisioned subscriptions", () => {
		const subscriptions = doc.subscriptions ?? [];
		const combos = new Set(
			subscriptions.map((s) => `${s.channel}/${s.status}`),
		);
		for (const channel of CHANNELS) {
			for (const status of SUBSCRIPTION_STATUSES) {
				expect(combos.has(`${channel}/${status}`), `${channel}/${status}`).toBe(
					true,
				);
			}
		}
		const products = new Set(subscriptions.map((s) => s.productId));
		for (const product of CATALOG.filter(
			(p) => p.solutionArea === "business_applications",
		)) {
			expect(products.has(product.productId), product.productId).toBe(true);
		}
		expect(subscriptions.some((s) => !s.provisioned)).toBe(true);
		const active = subscriptions.filter(
			(s) => s.status === "active" && s.provisioned && s.channel !== "csp",
		);
		expect(active.length / subscriptions.length).toBeGreaterThan(0.5);
	});

	it("R-DIR-1 R-DIR-2 has unenrolled MPN IDs, every program and FRP FastTrack partners", () => {
		const mpnIds = (doc.partners ?? []).flatMap((p) => p.mpnIds);
		expect(
			mpnIds.filter((m) => m.programs.length === 0).length,
		).toBeGreaterThan(1);
		for (const program of ["osa_sell", "osu_m365", "osu_bizapps"] as const) {
			expect(mpnIds.some((m) => m.programs.includes(program))).toBe(true);
		}
		expect(
			mpnIds.filter((m) => m.partnerTypes.includes("FRP FastTrack")).length,
		).toBeGreaterThan(1);
	});

	it("contains the well-known entities of DEMO_IDS", () => {
		const fabrikam = doc.partners?.find(
			(p) => p.organizationId === DEMO_IDS.organizations.fabrikam,
		);
		expect(fabrikam?.name).toBe("Fabrikam Consulting");
		expect(
			fabrikam?.mpnIds.map((m) => [m.mpnId, [...m.programs].sort()]),
		).toEqual([
			["4471023", ["osa_sell", "osu_bizapps", "osu_m365"]],
			["4471024", []],
		]);
		const northwind = doc.partners?.find(
			(p) => p.organizationId === DEMO_IDS.organizations.northwind,
		);
		expect(northwind?.name).toBe("Northwind Traders Advisory");
		expect(northwind?.mpnIds).toEqual([
			{
				mpnId: "5512876",
				programs: ["osa_sell", "osu_bizapps"],
				partnerTypes: [],
			},
		]);

		const contoso = doc.tenants?.find(
			(t) => t.tenantId === DEMO_IDS.tenants.contoso,
		);
		expect(contoso).toEqual({
			tenantId: "6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31",
			name: "Contoso Ltd",
			domains: ["contoso.onmicrosoft.com", "contoso.com"],
		});
		const adventureWorks = doc.tenants?.find(
			(t) => t.tenantId === DEMO_IDS.tenants.adventureWorks,
		);
		expect(adventureWorks?.domains).toEqual([
			"adventureworks.onmicrosoft.com",
			"adventure-works.com",
		]);

		const byId = new Map(
			(doc.subscriptions ?? []).map((s) => [s.subscriptionId, s]),
		);
		expect(byId.get("9a3e5d21-7b4c-4f8a-a1e2-3c6d9b0f4e57")).toMatchObject({
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-sales",
			channel: "volume_licensing",
			status: "active",
			provisioned: true,
		});
		const s = DEMO_IDS.subscriptions;
		expect(byId.get(s.contosoCustomerService)).toMatchObject({
			productId: "dynamics-365-customer-service",
			channel: "web_direct",
			status: "active",
			provisioned: true,
		});
		expect(byId.get(s.contosoFieldServiceCsp)).toMatchObject({
			productId: "dynamics-365-field-service",
			channel: "csp",
			status: "active",
		});
		expect(byId.get(s.contosoFinanceUnprovisioned)).toMatchObject({
			productId: "dynamics-365-finance",
			channel: "volume_licensing",
			provisioned: false,
		});
		expect(byId.get(s.contosoBusinessCentralDisabled)).toMatchObject({
			productId: "dynamics-365-business-central",
			status: "disabled",
		});
		expect(byId.get(s.contosoPowerBi)).toMatchObject({
			productId: "power-bi",
			channel: "volume_licensing",
			status: "active",
		});
		expect(byId.get(s.adventureWorksSales)).toMatchObject({
			tenantId: DEMO_IDS.tenants.adventureWorks,
			productId: "dynamics-365-sales",
			channel: "volume_licensing",
			status: "active",
			provisioned: true,
		});
		expect(
			doc.usage?.some(
				(u) =>
					u.tenantId === DEMO_IDS.tenants.contoso &&
					u.productId === "microsoft-teams",
			),
		).toBe(true);
	});

	it("R-ROL-1 R-ROL-2 R-ROL-3 has the demo users with the given password", () => {
		const users = doc.users ?? [];
		expect(users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email));
		expect(users.every((u) => u.password === "demo-password")).toBe(true);
		expect(
			users.find((u) => u.email === "ana.global@fabrikam.example"),
		).toMatchObject({
			organizationId: "fabrikam",
			roles: ["global_admin"],
			locale: "en",
		});
		expect(
			users.find((u) => u.email === "carl.customer@contoso.example"),
		).toMatchObject({
			tenantId: DEMO_IDS.tenants.contoso,
			roles: ["customer_admin"],
		});
		expect(
			users.find((u) => u.email === "paula.platform@cpor.example")?.roles,
		).toEqual(["platform_admin"]);
		expect(users.filter((u) => u.roles.includes("reviewer"))).toHaveLength(2);
		expect(
			users.some((u) => u.locale === "nl" && u.organizationId === "fabrikam"),
		).toBe(true);
		for (const user of DEMO_USERS) {
			expect(user).not.toHaveProperty("password");
			expect(user.demonstrates.length).toBeGreaterThan(10);
		}
	});
});
