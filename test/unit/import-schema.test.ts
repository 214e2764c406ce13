import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
	checkImportReferences,
	type ImportDocument,
	importDocumentSchema,
	importMpnIdSchema,
	importSubscriptionSchema,
	importTenantSchema,
	importUserSchema,
} from "../../src/directory/import-schema.ts";
import {
	MAX_IMPORT_ERRORS,
	parseImport,
	sectionFromFileName,
	sectionFromHeader,
} from "../../src/directory/parse-import.ts";
import { CATALOG } from "../../src/domain/catalog.ts";

const fixture = (name: string): Buffer =>
	readFileSync(
		fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url)),
	);

const CONTOSO = "6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31";
const SUBSCRIPTION = {
	subscriptionId: "9a3e5d21-7b4c-4f8a-a1e2-3c6d9b0f4e57",
	tenantId: CONTOSO,
	productId: "dynamics-365-sales",
	channel: "volume_licensing",
	status: "active",
	provisioned: true,
};

function expectFailure(result: ReturnType<typeof parseImport>) {
	if (result.ok) throw new Error("expected the import to fail");
	return result.errors;
}

function expectSuccess(result: ReturnType<typeof parseImport>) {
	if (!result.ok) {
		throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
	}
	return result.document;
}

describe("catalog", () => {
	it("R-DIR-4 has the API.md catalog IDs with unique IDs and Dynamics flags", () => {
		const ids = CATALOG.map((p) => p.productId);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toEqual(
			expect.arrayContaining([
				"exchange-online",
				"entra-id-p1",
				"entra-id-p2",
				"viva-engage",
				"dynamics-365-sales",
				"dynamics-365-project-operations",
				"power-bi",
			]),
		);
		for (const product of CATALOG) {
			expect(product.dynamics).toBe(
				product.productId.startsWith("dynamics-365-"),
			);
			if (product.dynamics) {
				expect(product.solutionArea).toBe("business_applications");
			}
		}
	});
});

describe("import schema", () => {
	it("R-DIR-1 MPN IDs must be 6 to 8 digits", () => {
		for (const good of ["123456", "4471023", "12345678"]) {
			expect(importMpnIdSchema.safeParse({ mpnId: good }).success).toBe(true);
		}
		for (const bad of [
			"12345",
			"123456789",
			"44710a3",
			" 4471023",
			"",
			"PN-4471023",
		]) {
			expect(importMpnIdSchema.safeParse({ mpnId: bad }).success).toBe(false);
		}
		expect(importMpnIdSchema.parse({ mpnId: "4471024" })).toEqual({
			mpnId: "4471024",
			programs: [],
			partnerTypes: [],
		});
	});

	it("R-DIR-1 a partner CSV with a 5-digit MPN ID is refused with its line", () => {
		const errors = expectFailure(
			parseImport({
				content: fixture("partners-invalid.csv"),
				format: "csv",
				fileName: "partners-invalid.csv",
			}),
		);
		expect(errors).toContainEqual(
			expect.objectContaining({
				path: "partners[0].mpnIds[1].mpnId",
				line: 3,
				code: "invalid_format",
			}),
		);
		expect(errors).toContainEqual(
			expect.objectContaining({ path: "partners[1].mpnIds[0].mpnId", line: 4 }),
		);
		expect(errors).toContainEqual(
			expect.objectContaining({
				path: "partners[1].mpnIds[0].programs[1]",
				line: 4,
				code: "invalid_value",
			}),
		);
	});

	it("R-DIR-2 programs are osa_sell, osu_m365 and osu_bizapps", () => {
		expect(
			importMpnIdSchema.safeParse({
				mpnId: "4471023",
				programs: ["osa_sell", "osu_m365", "osu_bizapps"],
			}).success,
		).toBe(true);
		expect(
			importMpnIdSchema.safeParse({ mpnId: "4471023", programs: ["OSA Sell"] })
				.success,
		).toBe(false);
	});

	it("R-DIR-3 a tenant needs a GUID and an onmicrosoft.com domain among valid, lower-cased domains", () => {
		const tenant = {
			tenantId: CONTOSO.toUpperCase(),
			name: "Contoso Ltd",
			domains: ["Contoso.OnMicrosoft.com", "contoso.com"],
		};
		expect(importTenantSchema.parse(tenant)).toEqual({
			tenantId: CONTOSO,
			name: "Contoso Ltd",
			domains: ["contoso.onmicrosoft.com", "contoso.com"],
		});
		const noInitial = importTenantSchema.safeParse({
			...tenant,
			domains: ["contoso.com"],
		});
		expect(noInitial.success).toBe(false);
		expect(
			(noInitial.error?.issues[0] as { params?: unknown } | undefined)?.params,
		).toEqual({
			code: "onmicrosoft_domain_required",
		});
		expect(
			importTenantSchema.safeParse({ ...tenant, domains: [] }).success,
		).toBe(false);
		expect(
			importTenantSchema.safeParse({
				...tenant,
				domains: ["contoso.onmicrosoft.com", "not a domain"],
			}).success,
		).toBe(false);
		expect(
			importTenantSchema.safeParse({ ...tenant, tenantId: "contoso" }).success,
		).toBe(false);

		const errors = expectFailure(
			parseImport({ content: fixture("tenants-invalid.csv"), format: "csv" }),
		);
		expect(errors).toEqual([
			expect.objectContaining({
				path: "tenants[1].domains",
				line: 3,
				code: "onmicrosoft_domain_required",
			}),
		]);
	});

	it("R-DIR-5 channel and status are enumerations; provisioned is a boolean", () => {
		expect(importSubscriptionSchema.safeParse(SUBSCRIPTION).success).toBe(true);
		for (const channel of ["volume_licensing", "web_direct", "csp"]) {
			expect(
				importSubscriptionSchema.safeParse({ ...SUBSCRIPTION, channel })
					.success,
			).toBe(true);
		}
		for (const status of ["active", "in_grace", "disabled", "deleted"]) {
			expect(
				importSubscriptionSchema.safeParse({ ...SUBSCRIPTION, status }).success,
			).toBe(true);
		}
		expect(
			importSubscriptionSchema.safeParse({
				...SUBSCRIPTION,
				channel: "Volume Licensing",
			}).success,
		).toBe(false);
		expect(
			importSubscriptionSchema.safeParse({
				...SUBSCRIPTION,
				status: "in grace",
			}).success,
		).toBe(false);
		expect(
			importSubscriptionSchema.safeParse({
				...SUBSCRIPTION,
				provisioned: "yes",
			}).success,
		).toBe(false);
		expect(
			importSubscriptionSchema.safeParse({
				...SUBSCRIPTION,
				subscriptionId: "sub-1",
			}).success,
		).toBe(false);
	});

	it("R-ROL-1 R-ROL-2 R-ROL-3 users: partner roles need an organization, customer_admin a tenant, vendor roles neither", () => {
		const base = {
			email: "Ana@Fabrikam.example",
			name: "Ana",
			password: "correct horse",
		};
		const partner = importUserSchema.parse({
			...base,
			organizationId: "fabrikam",
			roles: ["incentives_user"],
		});
		expect(partner.email).toBe("ana@fabrikam.example");
		// Left out, the language is not set here: a new user gets en when it is stored.
		expect(partner.locale).toBeUndefined();
		expect(
			importUserSchema.safeParse({
				...base,
				tenantId: CONTOSO,
				roles: ["customer_admin"],
			}).success,
		).toBe(true);
		expect(
			importUserSchema.safeParse({ ...base, roles: ["reviewer"] }).success,
		).toBe(true);

		const codes = (input: object) =>
			importUserSchema
				.safeParse(input)
				.error?.issues.map(
					(i) => (i as { params?: { code?: string } }).params?.code ?? i.code,
				);
		expect(codes({ ...base, roles: ["global_admin"] })).toEqual([
			"organization_required",
		]);
		expect(codes({ ...base, roles: ["customer_admin"] })).toEqual([
			"tenant_required",
		]);
		expect(
			codes({ ...base, organizationId: "fabrikam", roles: ["reviewer"] }),
		).toEqual(["organization_not_allowed"]);
		expect(
			codes({
				...base,
				organizationId: "fabrikam",
				roles: ["global_admin", "reviewer"],
			}),
		).toEqual(["incompatible_roles"]);
		expect(codes({ ...base, organizationId: "fabrikam", roles: [] })).toEqual([
			"too_small",
		]);
		expect(codes({ ...base, password: "short", roles: ["reviewer"] })).toEqual([
			"too_small",
		]);
		expect(codes({ ...base, roles: ["reviewer"], locale: "fr" })).toEqual([
			"invalid_value",
		]);
	});

	it("usage needs a YYYY-MM month and non-negative whole numbers", () => {
		const row = {
			tenantId: CONTOSO,
			productId: "microsoft-teams",
			month: "2026-10",
			monthlyActiveUsers: 812,
			paidAvailableUnits: 900,
		};
		expect(importDocumentSchema.safeParse({ usage: [row] }).success).toBe(true);
		expect(
			importDocumentSchema.safeParse({ usage: [{ ...row, month: "2026-13" }] })
				.success,
		).toBe(false);
		expect(
			importDocumentSchema.safeParse({
				usage: [{ ...row, monthlyActiveUsers: -1 }],
			}).success,
		).toBe(false);
		expect(
			importDocumentSchema.safeParse({
				usage: [{ ...row, paidAvailableUnits: 1.5 }],
			}).success,
		).toBe(false);
	});

	it("every section is optional", () => {
		expect(importDocumentSchema.parse({})).toEqual({});
	});
});

describe("parseImport JSON", () => {
	it("R-DIR-6 accepts a valid document and normalises it", () => {
		const document = expectSuccess(
			parseImport({ content: fixture("valid-directory.json"), format: "json" }),
		);
		expect(document.tenants?.[0]?.tenantId).toBe(CONTOSO);
		expect(document.tenants?.[0]?.domains).toEqual([
			"contoso.onmicrosoft.com",
			"contoso.com",
		]);
		expect(document.partners?.[0]?.mpnIds[1]).toEqual({
			mpnId: "4471024",
			programs: [],
			partnerTypes: [],
		});
		expect(document.users?.[0]?.email).toBe("ana@fabrikam.example");
		expect(document.users?.[1]?.locale).toBeUndefined();
		expect(checkImportReferences(document)).toEqual([]);
	});

	it("R-DIR-6 a CSV of the wrong columns says a value is missing (not 'got undefined'); one saved with semicolons between columns is told so", () => {
		const unknown = expectFailure(
			parseImport({
				content: "foo,bar,baz\n1,2,3\n",
				format: "csv",
				section: "products",
			}),
		);
		// The missing column is told once, at the header; not again for each row.
		expect(unknown).toContainEqual({
			path: "products",
			line: 1,
			code: "missing_column",
			message: 'required column "solutionArea" is missing from the header',
		});
		expect(unknown.filter((e) => e.path.startsWith("products["))).toEqual([]);
		for (const e of unknown) expect(e.message).not.toContain("undefined");
		// A row without a value the header has: missing, with what it may be.
		const empty = expectFailure(
			parseImport({
				content: "productId,name,solutionArea,dynamics\nx,X,,false\n",
				format: "csv",
				section: "products",
			}),
		);
		expect(empty).toContainEqual({
			path: "products[0].solutionArea",
			line: 2,
			code: "invalid_value",
			message:
				"solutionArea is missing; it must be one of business_applications, microsoft_365",
		});
		const semicolons = expectFailure(
			parseImport({
				content:
					"tenantId;name;domains\n11111111-2222-4333-8444-555555555556;Semicolon Corp;semi.onmicrosoft.com\n",
				format: "csv",
				fileName: "tenants.csv",
			}),
		);
		expect(semicolons[0]).toMatchObject({ code: "unknown_column", line: 1 });
		expect(semicolons[0]?.message).toContain('the file looks separated by ";"');
		const noSection = expectFailure(
			parseImport({
				content: "tenantId;name;domains\nx;y;z\n",
				format: "csv",
			}),
		);
		expect(noSection[0]?.code).toBe("unknown_section");
		expect(noSection[0]?.message).toContain('the file looks separated by ";"');
		// A comma-separated file gets no such hint.
		expect(unknown.some((e) => e.message.includes("semicolons"))).toBe(false);
	});

	it("R-DIR-6 names each bad row by path, like subscriptions[1].channel, and collects all errors of the file", () => {
		const errors = expectFailure(
			parseImport({
				content: fixture("invalid-subscriptions.json"),
				format: "json",
			}),
		);
		expect(errors).toContainEqual({
			path: "subscriptions[1].channel",
			code: "invalid_value",
			message:
				'channel must be one of volume_licensing, web_direct, csp; got "Volume Licensing"',
		});
		expect(errors.map((e) => e.path).sort()).toEqual([
			"subscriptions[1].channel",
			"subscriptions[2].provisioned",
			"subscriptions[2].status",
			"subscriptions[2].subscriptionId",
		]);
		for (const error of errors) {
			expect(error.message.length).toBeGreaterThan(5);
			expect(error.line).toBeUndefined();
		}
	});

	it("reports unparsable JSON as invalid_json, with the line when known", () => {
		const errors = expectFailure(
			parseImport({
				content: '{\n  "tenants": [\n    { "tenantId": }\n  ]\n}',
				format: "json",
			}),
		);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ path: "", code: "invalid_json" });
		expect(errors[0]?.message).toMatch(/not valid JSON/);
		expect(
			expectFailure(parseImport({ content: "", format: "json" }))[0]?.code,
		).toBe("invalid_json");
		expect(
			expectFailure(
				parseImport({
					content: Buffer.from([0xff, 0xfe, 0x00]),
					format: "json",
				}),
			)[0]?.code,
		).toBe("invalid_json");
	});

	it("reports unknown sections and fields, and a document that is not an object", () => {
		const errors = expectFailure(
			parseImport({
				content: JSON.stringify({
					subscription: [],
					tenants: [
						{
							tenantId: CONTOSO,
							name: "C",
							domains: ["c.onmicrosoft.com"],
							owner: "x",
						},
					],
				}),
				format: "json",
			}),
		);
		expect(errors).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					path: "subscription",
					code: "unrecognized_keys",
				}),
				expect.objectContaining({
					path: "tenants[0].owner",
					code: "unrecognized_keys",
				}),
			]),
		);
		for (const content of ["[]", "null", "42", '"x"']) {
			expect(
				expectFailure(parseImport({ content, format: "json" }))[0],
			).toMatchObject({ path: "", code: "invalid_type" });
		}
		expect(
			expectFailure(
				parseImport({ content: '{"tenants": {}}', format: "json" }),
			)[0],
		).toMatchObject({ path: "tenants", code: "invalid_type" });
	});

	it("caps the errors of a file at MAX_IMPORT_ERRORS", () => {
		const rows = Array.from({ length: 800 }, () => ({
			...SUBSCRIPTION,
			channel: "x",
			status: "y",
		}));
		const errors = expectFailure(
			parseImport({
				content: JSON.stringify({ subscriptions: rows }),
				format: "json",
			}),
		);
		expect(errors).toHaveLength(MAX_IMPORT_ERRORS);
		expect(errors.at(-1)?.code).toBe("too_many_errors");
	});
});

describe("parseImport CSV", () => {
	it("R-DIR-6 parses a subscriptions CSV with yes/no/1/0 booleans", () => {
		const document = expectSuccess(
			parseImport({
				content: fixture("subscriptions.csv"),
				format: "csv",
				fileName: "subscriptions.csv",
			}),
		);
		expect(
			document.subscriptions?.map((s) => [s.channel, s.status, s.provisioned]),
		).toEqual([
			["volume_licensing", "active", true],
			["web_direct", "in_grace", true],
			["csp", "active", true],
			["volume_licensing", "active", false],
		]);
	});

	it("R-DIR-6 a bad CSV row is reported with its line and path, and every bad row of the file is reported", () => {
		const errors = expectFailure(
			parseImport({
				content: fixture("subscriptions-invalid.csv"),
				format: "csv",
				fileName: "subscriptions-invalid.csv",
			}),
		);
		expect(errors).toContainEqual(
			expect.objectContaining({
				path: "subscriptions[1].channel",
				line: 4,
				code: "invalid_value",
			}),
		);
		// a quoted cell spanning lines 5-6: the row's first line is reported
		expect(errors).toContainEqual(
			expect.objectContaining({ path: "subscriptions[2].productId", line: 5 }),
		);
		expect(errors).toContainEqual(
			expect.objectContaining({
				path: "subscriptions[2].provisioned",
				line: 5,
				code: "invalid_type",
			}),
		);
		expect(errors).toContainEqual(
			expect.objectContaining({
				path: "subscriptions[3].status",
				line: 7,
				code: "invalid_value",
			}),
		);
		expect(errors).toHaveLength(4);
		expect(errors.map((e) => e.line)).toEqual(
			[...errors.map((e) => e.line)].sort(),
		);
	});

	it("R-DIR-1 groups partner rows (one per MPN ID) into organizations with ;-separated lists", () => {
		const document = expectSuccess(
			parseImport({ content: fixture("partners.csv"), format: "csv" }),
		);
		expect(document.partners).toEqual([
			{
				organizationId: "fabrikam",
				name: "Fabrikam Consulting",
				mpnIds: [
					{
						mpnId: "4471023",
						programs: ["osa_sell", "osu_bizapps", "osu_m365"],
						partnerTypes: ["FRP FastTrack"],
					},
					{ mpnId: "4471024", programs: [], partnerTypes: [] },
				],
			},
			{
				organizationId: "northwind",
				name: "Northwind Traders Advisory",
				mpnIds: [
					{
						mpnId: "5512876",
						programs: ["osa_sell", "osu_bizapps"],
						partnerTypes: [],
					},
				],
			},
		]);
	});

	it("infers the section from the file name, then from the header; a given section wins", () => {
		expect(sectionFromFileName("/tmp/subscriptions.csv")).toBe("subscriptions");
		expect(sectionFromFileName("2026-10-usage.csv")).toBe("usage");
		expect(sectionFromFileName("tenant.csv")).toBe("tenants");
		expect(sectionFromFileName("data.csv")).toBeUndefined();
		expect(
			sectionFromHeader([
				"tenantId",
				"productId",
				"month",
				"monthlyActiveUsers",
				"paidAvailableUnits",
			]),
		).toBe("usage");
		expect(sectionFromHeader(["Email", "Name", "Password", "Roles"])).toBe(
			"users",
		);
		const csv =
			"email,name,password,roles,tenantId,locale\ncarl@contoso.example,Carl,correct horse,customer_admin," +
			CONTOSO +
			",sv\n";
		expect(
			expectSuccess(
				parseImport({ content: csv, format: "csv", fileName: "export.csv" }),
			).users?.[0],
		).toMatchObject({
			tenantId: CONTOSO,
			locale: "sv",
			roles: ["customer_admin"],
		});
		const usage =
			"tenantId,productId,month,monthlyActiveUsers,paidAvailableUnits\n" +
			CONTOSO +
			",microsoft-teams,2026-10,812,900\n" +
			CONTOSO +
			",intune,2026-10,12x,-3\n";
		const errors = expectFailure(
			parseImport({
				content: usage,
				format: "csv",
				section: "usage",
				fileName: "tenants.csv",
			}),
		);
		expect(errors).toEqual([
			expect.objectContaining({
				path: "usage[1].monthlyActiveUsers",
				line: 3,
				code: "invalid_type",
			}),
			expect.objectContaining({
				path: "usage[1].paidAvailableUnits",
				line: 3,
				code: "too_small",
			}),
		]);
		expect(
			expectFailure(parseImport({ content: "a,b\n1,2\n", format: "csv" }))[0],
		).toMatchObject({ code: "unknown_section", line: 1 });
	});

	it("reports header problems once and malformed CSV without throwing", () => {
		const missing = expectFailure(
			parseImport({
				content: `tenantId,name,colour\n${CONTOSO},Contoso,blue\n`,
				format: "csv",
				section: "tenants",
			}),
		);
		expect(missing.map((e) => [e.code, e.line])).toEqual([
			["unknown_column", 1],
			["missing_column", 1],
		]);
		const broken = expectFailure(
			parseImport({
				content: `tenantId,name,domains\n${CONTOSO},"Contoso,c.onmicrosoft.com\n`,
				format: "csv",
				section: "tenants",
			}),
		);
		expect(broken[0]).toMatchObject({ code: "invalid_csv" });
		expect(
			expectFailure(
				parseImport({ content: "", format: "csv", section: "tenants" }),
			)[0]?.code,
		).toBe("empty_file");
		expect(
			expectSuccess(
				parseImport({ content: "tenantId,name,domains\n", format: "csv" }),
			),
		).toEqual({ tenants: [] });
	});
});

describe("checkImportReferences", () => {
	const doc = (): ImportDocument => ({
		partners: [
			{
				organizationId: "fabrikam",
				name: "Fabrikam",
				mpnIds: [{ mpnId: "4471023", programs: [], partnerTypes: [] }],
			},
			{
				organizationId: "northwind",
				name: "Northwind",
				mpnIds: [{ mpnId: "4471023", programs: [], partnerTypes: [] }],
			},
		],
		tenants: [
			{
				tenantId: CONTOSO,
				name: "Contoso",
				domains: ["contoso.onmicrosoft.com", "contoso.com"],
			},
			{
				tenantId: "1b7e9c44-2f3a-4d6b-8e15-9a0c7d3f2b68",
				name: "AW",
				domains: ["aw.onmicrosoft.com", "contoso.com"],
			},
		],
		subscriptions: [
			{ ...SUBSCRIPTION, channel: "csp", status: "active" },
			{ ...SUBSCRIPTION, channel: "csp", status: "active" },
			{
				...SUBSCRIPTION,
				subscriptionId: "c4d8e2a1-5b6f-4e3a-9c7d-1f2e3a4b5c61",
				tenantId: "00000000-0000-4000-8000-000000000000",
				productId: "no-such-product",
				channel: "csp",
				status: "active",
			},
			{
				...SUBSCRIPTION,
				subscriptionId: "d5e9f3b2-6c7a-4f4b-8d8e-2a3f4b5c6d72",
				productId: "microsoft-teams",
				channel: "csp",
				status: "active",
			},
		],
		users: [
			{
				email: "a@x.example",
				name: "A",
				password: "12345678",
				organizationId: "contoso-partners",
				roles: ["global_admin"],
				locale: "en",
			},
			{
				email: "a@x.example",
				name: "A",
				password: "12345678",
				tenantId: "00000000-0000-4000-8000-000000000000",
				roles: ["customer_admin"],
				locale: "en",
			},
		],
	});

	it("R-DIR-6 reports unknown references and duplicates with their paths", () => {
		expect(
			checkImportReferences(doc()).map((i) => `${i.path} ${i.code}`),
		).toEqual([
			"partners[1].mpnIds[0].mpnId duplicate_mpn_id",
			"tenants[1].domains[1] duplicate_domain",
			"subscriptions[1].subscriptionId duplicate_subscription_id",
			"subscriptions[2].tenantId unknown_tenant",
			"subscriptions[2].productId unknown_product",
			"subscriptions[3].productId product_not_business_applications",
			"users[0].organizationId unknown_organization",
			"users[1].email duplicate_email",
			"users[1].tenantId unknown_tenant",
		]);
	});

	it("knows what the directory already holds", () => {
		const issues = checkImportReferences(doc(), {
			productIds: ["no-such-product"],
			organizationIds: ["contoso-partners"],
			tenantIds: ["00000000-0000-4000-8000-000000000000"],
		});
		expect(issues.map((i) => i.code)).toEqual([
			"duplicate_mpn_id",
			"duplicate_domain",
			"duplicate_subscription_id",
			"product_not_business_applications",
			"duplicate_email",
		]);
	});
});
