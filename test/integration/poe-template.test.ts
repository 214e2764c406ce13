/**
 * The downloadable PoE template (SPEC R-CRT-7, R-REV-1): a PDF any signed-in user can
 * download, listing every item a reviewer checks a proof of execution for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, USERS } from "../support/test-app.ts";

const URL = "/api/v1/poe-template";

describe("R-CRT-7 the PoE template", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite");
	});
	afterAll(async () => t?.close());

	it("R-CRT-7 a partner downloads a PDF attachment listing what a PoE must show (R-REV-1)", async () => {
		const ivan = await t.login(USERS.ivan);
		const res = await ivan.get(URL);
		expect(res.statusCode, res.body).toBe(200);
		expect(res.headers["content-type"]).toContain("application/pdf");
		expect(String(res.headers["content-disposition"])).toMatch(
			/^attachment; filename="cpor-poe-template\.pdf"/,
		);
		const bytes = res.rawPayload;
		expect(bytes.subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
		expect(bytes.subarray(-6).toString("latin1")).toContain("%%EOF");
		const text = bytes.toString("latin1");
		// One item per information-request reason of R-REV-1.
		for (const item of [
			"Customer name and tenant", // missing_all_poe: about this customer
			"Tenant ID",
			"Products and workloads", // missing_products
			"subscription IDs",
			"Dates of the work", // missing_or_old_dates
			"Description of the partner's solution and work", // missing_partner_solution
			"Customer acknowledgement", // missing_customer_acknowledgement
			"Signature",
		])
			expect(text, item).toContain(item);
		expect(text).toContain("PDF, DOCX, XLSX, PPTX, PNG, JPEG, MSG, EML");
		expect(text).toContain("at most 25 MB each");
	});

	it("R-CRT-7 any signed-in user may download it; without a session it is 401", async () => {
		for (const u of [USERS.rita, USERS.carl, USERS.paula, USERS.bea]) {
			const res = await (await t.login(u)).get(URL);
			expect(res.statusCode, `${u}: ${res.body}`).toBe(200);
		}
		const anon = await t.anonymous().get(URL);
		expect(anon.statusCode).toBe(401);
		expect(anon.json().code).toBe("unauthenticated");
	});

	it("R-CRT-7 the template is listed in the OpenAPI document", async () => {
		const res = await t.anonymous().get("/api/v1/openapi.json");
		expect(Object.keys(res.json().paths)).toContain(URL);
	});
});
