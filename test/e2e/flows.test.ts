/**
 * End-to-end flows through the browser, as each person would work: the partner's wizard
 * (R-CRT-3, R-CRT-5), the reviewer's information request (R-REV-1), the partner's answer
 * (R-EDIT-1), approval (R-CON-1), the customer's opt-out from the consent notice
 * (R-CON-2), arbitration (R-CMP-3), a dispute (R-DSP-1) and the Dutch dashboard
 * (R-DSH-1). One demo server for all; the tests build on each other in order.
 */
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	claimProducts,
	products,
	subscriptions,
	tenantDomains,
	tenants,
} from "../../src/db/schema.ts";
import { DEMO_IDS } from "../../src/demo/generate-directory.ts";
import { copyClaim, deleteClaimCopies } from "../support/claim-copies.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import { type E2E, screenshot, startE2E } from "./harness.ts";

const ANA = "ana.global@fabrikam.example";
const RITA = "rita.reviewer@cpor.example";
const DAAN = "daan.incentives@fabrikam.example";
const BEA = "bea.billing@fabrikam.example";
const WAIT = { timeout: 30_000 };

/** A Business Applications customer for a new claim: a claimable subscription no one claims, and a CSP one. */
interface Customer {
	tenantId: string;
	tenantName: string;
	domain: string;
	claimable: string;
	csp: string;
}

/**
 * Finds, in the demo directory, a tenant with a CSP Dynamics subscription and a claimable
 * one (Volume Licensing or Web Direct, provisioned, active) that no claim names yet (so the
 * new claim neither duplicates nor competes).
 */
/** A Fabrikam claim of the demo in `status`; fails the test when the demo has none. */
async function fabrikamClaim(e: E2E, status: string) {
	const claim = await e.ctx.db.query.claims.findFirst({
		where: (c, { and, eq }) =>
			and(eq(c.partnerOrganizationId, "fabrikam"), eq(c.status, status)),
	});
	if (!claim) throw new Error(`no Fabrikam ${status} claim in the demo`);
	return claim;
}

async function findCustomer(e: E2E): Promise<Customer> {
	const subs = await e.ctx.db
		.select({
			subscriptionId: subscriptions.subscriptionId,
			tenantId: subscriptions.tenantId,
			productId: subscriptions.productId,
			channel: subscriptions.channel,
			status: subscriptions.status,
			provisioned: subscriptions.provisioned,
			tenantName: tenants.name,
		})
		.from(subscriptions)
		.innerJoin(products, eq(products.productId, subscriptions.productId))
		.innerJoin(tenants, eq(tenants.tenantId, subscriptions.tenantId))
		.where(eq(products.dynamics, true))
		.orderBy(subscriptions.subscriptionId);
	const claimed = new Set(
		(
			await e.ctx.db
				.select({ competeKey: claimProducts.competeKey })
				.from(claimProducts)
		).map((r) => r.competeKey),
	);
	const wellKnown = new Set<string>(Object.values(DEMO_IDS.tenants));
	for (const s of subs) {
		if (
			wellKnown.has(s.tenantId) ||
			s.channel === "csp" ||
			!s.provisioned ||
			s.status !== "active" ||
			claimed.has(`${s.tenantId}:${s.subscriptionId}`)
		)
			continue;
		const csp = subs.find(
			(x) => x.tenantId === s.tenantId && x.channel === "csp",
		);
		if (!csp) continue;
		const [domain] = await e.ctx.db
			.select({ domain: tenantDomains.domain })
			.from(tenantDomains)
			.where(eq(tenantDomains.tenantId, s.tenantId))
			.orderBy(tenantDomains.domain);
		if (!domain) continue;
		return {
			tenantId: s.tenantId,
			tenantName: s.tenantName,
			domain: domain.domain,
			claimable: s.subscriptionId,
			csp: csp.subscriptionId,
		};
	}
	throw new Error(
		"no tenant with a CSP and an unclaimed claimable subscription",
	);
}

/** Waits for `[data-status="<status>"]` inside the element with `testId`; returns it. */
async function statusOf(
	scope: Page | Locator,
	testId: string,
	status: string,
): Promise<Locator> {
	const found = scope
		.locator(
			`[data-testid="${testId}"][data-status="${status}"], [data-testid="${testId}"] [data-status="${status}"]`,
		)
		.first();
	await found.waitFor(WAIT);
	return found;
}

/** The partner claim page's status badge text, once it shows `status`. */
async function partnerStatus(page: Page, status: string): Promise<string> {
	return (
		(await (await statusOf(page, "claim-status", status)).textContent()) ?? ""
	);
}

/** The reviewer claim page's status badge text, once it shows `status`. */
async function reviewerStatus(page: Page, status: string): Promise<string> {
	return (
		(await (await statusOf(page, "claim-details", status)).textContent()) ?? ""
	);
}

async function wizardStep(page: Page, step: string) {
	await page
		.locator(`[data-testid="wizard-step"][data-step="${step}"]`)
		.waitFor(WAIT);
}

async function next(page: Page) {
	await page.getByRole("button", { name: "Next", exact: true }).click();
}

/** The URLs of the requests `page` makes to `pathname` from now on, as they are made. */
function requestsTo(page: Page, pathname: string): URL[] {
	const asked: URL[] = [];
	page.on("request", (r) => {
		const url = new URL(r.url());
		if (url.pathname === pathname) asked.push(url);
	});
	return asked;
}

describe("flows through the browser", () => {
	let e: E2E;
	let customer: Customer;
	let claimId = "";
	const claimName = "Dynamics 365 presales (end-to-end flow)";
	const customerEmail = "sam.sponsor@customer.example";

	beforeAll(async () => {
		e = await startE2E();
		customer = await findCustomer(e);
	});
	afterAll(async () => e?.close());

	it("R-CRT-3 R-CRT-5 a partner creates a Business Applications claim in the wizard; a wrong domain and a CSP subscription are refused with their messages; then submits", async () => {
		const { context, page } = await e.signIn(ANA);
		await page.goto("/claims");
		await page.getByRole("link", { name: "New claim" }).first().click();
		await page.waitForURL("**/claims/new");
		await wizardStep(page, "mpn");

		// Step 1: name and MPN ID.
		await page.getByLabel("Claim name").fill(claimName);
		await page.getByRole("radio", { name: /4471023/ }).check();
		await next(page);

		// Step 2: the tenant ID with a domain of another tenant.
		await wizardStep(page, "customer");
		await page.getByLabel("Customer tenant ID").fill(customer.tenantId);
		await page.getByLabel("Customer domain").fill(DEMO_IDS.domains.contoso);
		await next(page);

		// Step 3: Business Applications, Presales; leaving it creates the draft.
		await wizardStep(page, "activity");
		await page.getByRole("radio", { name: /^Business Applications/ }).check();
		await page.getByRole("radio", { name: /^Presales/ }).check();
		await next(page);

		// R-CRT-3: refused, back at the customer step, with the message next to the domain.
		await wizardStep(page, "customer");
		const mismatch = page.getByText(/contact your customer/i).first();
		await mismatch.waitFor(WAIT);
		expect(await mismatch.textContent()).toMatch(
			/does not belong to that tenant ID/,
		);
		await screenshot(page, "flow-wizard-domain-mismatch");

		// Fixed: the tenant's own domain.
		await page.getByLabel("Customer domain").fill(customer.domain);
		await next(page);
		await wizardStep(page, "activity");
		await next(page);

		// Step 4: the CSP subscription is refused with its message (R-CRT-5).
		await wizardStep(page, "products");
		const line = page.getByLabel("Subscription ID 1");
		const refused = page.locator(
			'[data-testid="subscription-line"][data-code="subscription_is_csp"]',
		);
		// By keyboard: Tab from the field (to "Add subscription ID") checks the ID, as the
		// step says, before Next (it was only checked on Next).
		await line.fill(customer.csp);
		await line.press("Tab");
		await refused.waitFor(WAIT);
		// The refused ID takes the focus back, for the keyboard user to mend it.
		await expect
			.poll(() => line.evaluate((el) => el === document.activeElement), WAIT)
			.toBe(true);
		await line.fill("");
		await refused.waitFor({ ...WAIT, state: "detached" });
		await line.fill(customer.csp);
		// Straight from the field to Next, as a person would: one click is enough.
		await next(page);
		await refused.waitFor(WAIT);
		expect(await refused.textContent()).toMatch(/bought through CSP/);
		await screenshot(page, "flow-wizard-csp-refused");

		// Replaced by a claimable one: it shows its product.
		await line.fill(customer.claimable);
		await next(page);
		await wizardStep(page, "contacts");

		// Step 5: contacts.
		await page.getByLabel("Customer contact name").fill("Sam Sponsor");
		await page.getByLabel("Customer contact job title").fill("CIO");
		await page.getByLabel("Customer contact email").fill(customerEmail);
		await page.getByLabel("Technical contact name").fill("Tess Tech");
		await page.getByLabel("Technical contact job title").fill("IT Manager");
		await page
			.getByLabel("Technical contact email")
			.fill("tess.tech@customer.example");
		await page.getByLabel("Partner contact name").fill("Ana Garcia");
		await page
			.getByLabel("Partner contact email")
			.fill("claims@fabrikam.example");
		await next(page);

		// Step 6: a PDF proof of execution.
		await wizardStep(page, "poe");
		await page.getByLabel("Choose files").setInputFiles({
			name: "Statement of work.pdf",
			mimeType: "application/pdf",
			buffer: Buffer.from(samplePdf("Statement of work, signed")),
		});
		await page.getByTestId("poe-document").first().waitFor(WAIT);
		await next(page);

		// Step 7: review and submit.
		await wizardStep(page, "review");
		expect(await page.getByTestId("review-products").textContent()).toContain(
			customer.claimable,
		);
		await page.getByRole("button", { name: "Submit claim" }).click();
		await page.waitForURL(/\/claims\/[^/]+$/, WAIT);
		expect(await partnerStatus(page, "submitted")).toBe("Submitted");
		claimId = new URL(page.url()).pathname.split("/").pop() as string;
		expect(await page.getByTestId("subscription-id").textContent()).toBe(
			customer.claimable,
		);
		await screenshot(page, "flow-claim-submitted");
		await context.close();
	});

	it("R-REV-1 the reviewer requests information", async () => {
		expect(claimId).not.toBe("");
		const { context, page } = await e.signIn(RITA);
		await page.goto("/review");
		await page.getByTestId("filter-sla").selectOption("review_start");
		await page.getByTestId("review-queue").waitFor(WAIT);
		await page.waitForLoadState("networkidle");
		const link = page.getByRole("link", { name: claimName });
		const more = page.getByRole("button", { name: "Load more" });
		// Soonest due first: the new claim may be on a later page.
		for (let i = 0; i < 20 && !(await link.isVisible()); i++) {
			if (await more.isVisible()) await more.click();
			await page.waitForLoadState("networkidle");
			await page.waitForTimeout(200);
		}
		await link.click();
		await page.waitForURL(`**/review/claims/${claimId}`);
		expect(await reviewerStatus(page, "submitted")).toBe("Submitted");

		// From the keyboard: the focus goes to the notice, not to the page's body, when
		// the button goes with the new status.
		const focusOnNotice = () =>
			page.evaluate(
				() =>
					document.activeElement?.closest('[data-testid="action-notice"]') !==
					null,
			);
		await page.getByRole("button", { name: "Start review" }).focus();
		await page.keyboard.press("Enter");
		expect(await reviewerStatus(page, "under_review")).toBe("Under review");
		await expect.poll(focusOnNotice, WAIT).toBe(true);

		await page.getByRole("button", { name: "Request information" }).click();
		const dialog = page.getByRole("dialog");
		// Sent empty: the focus goes to the first of the reasons (the first problem), whose
		// group names its error.
		await dialog.getByRole("button", { name: "Request information" }).click();
		const reasons = dialog.getByTestId("information-reasons");
		await expect
			.poll(() => reasons.getAttribute("aria-describedby"), WAIT)
			.toBeTruthy();
		await expect
			.poll(
				() => reasons.evaluate((el) => el.contains(document.activeElement)),
				WAIT,
			)
			.toBe(true);
		await dialog
			.getByRole("checkbox", { name: /Customer acknowledgement missing/ })
			.check();
		await dialog
			.getByRole("checkbox", { name: /Dates missing or old/ })
			.check();
		await dialog
			.getByLabel("Comment to the partner")
			.fill("Please upload the statement of work signed by the customer.");
		await screenshot(page, "flow-request-information-dialog");
		await dialog.getByRole("button", { name: "Request information" }).click();
		await dialog.waitFor({ state: "hidden", ...WAIT });
		expect(await reviewerStatus(page, "partner_action_required")).toBe(
			"Partner action required",
		);
		await expect.poll(focusOnNotice, WAIT).toBe(true);
		// The history reads as on the partner's page: fields and values in words.
		const requested = page
			.getByTestId("history")
			.locator('[data-action="request_information"]')
			.first();
		await requested.waitFor(WAIT);
		const said = (await requested.textContent()) ?? "";
		expect(said).toContain("Partner action required");
		expect(said).not.toContain("partner_action_required");
		expect(said).not.toContain("dueAt");
		await screenshot(page, "flow-information-requested");
		await context.close();
	});

	it("R-EDIT-1 the partner answers and resubmits", async () => {
		const { context, page } = await e.signIn(ANA);
		await page.goto(`/claims/${claimId}`);
		expect(await partnerStatus(page, "partner_action_required")).toBe(
			"Partner action required",
		);
		const request = page.getByTestId("information-request");
		expect(await request.textContent()).toContain(
			"The customer's signature is not on the PoE.",
		);
		expect(
			await page
				.getByTestId("information-request-reasons")
				.locator("li")
				.count(),
		).toBe(2);
		expect(await request.textContent()).toContain(
			"statement of work signed by the customer",
		);
		expect(await page.getByTestId("respond-by").textContent()).not.toBe("");
		await screenshot(page, "flow-partner-action-required");

		// The signed statement of work, added before resubmitting.
		const rows = page.getByTestId("document-row");
		const documentsBefore = await rows.count();
		await page.getByLabel("Choose PoE documents to upload").setInputFiles({
			name: "Signed statement of work.pdf",
			mimeType: "application/pdf",
			buffer: Buffer.from(samplePdf("Statement of work, signed by Contoso")),
		});
		await expect.poll(() => rows.count(), WAIT).toBe(documentsBefore + 1);
		// Said to screen readers once it is done.
		await expect
			.poll(() => page.getByTestId("uploads-status").textContent(), WAIT)
			.toBe("Signed statement of work.pdf uploaded.");

		await page.getByRole("button", { name: "Resubmit", exact: true }).click();
		const dialog = page.getByRole("dialog");
		// Without an answer nothing is sent: the field says what to write.
		const sent: string[] = [];
		page.on("request", (r) => {
			if (r.method() === "POST") sent.push(new URL(r.url()).pathname);
		});
		await dialog.getByRole("button", { name: "Resubmit", exact: true }).click();
		await dialog
			.getByText("Write your answer: say what you changed or uploaded")
			.waitFor(WAIT);
		expect(sent).toEqual([]);
		await dialog
			.getByLabel("Your answer to the reviewer")
			.fill(
				"The signed statement of work with the engagement dates is attached.",
			);
		await dialog.getByRole("button", { name: "Resubmit", exact: true }).click();
		await dialog.waitFor({ state: "hidden", ...WAIT });
		expect(await partnerStatus(page, "under_review")).toBe("Under review");
		await page.getByTestId("action-done").waitFor(WAIT);
		// The Resubmit button has gone: the focus is on the notice, not the page's body.
		await expect
			.poll(
				() =>
					page
						.getByTestId("action-done")
						.evaluate((el) => el === document.activeElement),
				WAIT,
			)
			.toBe(true);
		await screenshot(page, "flow-resubmitted");
		await context.close();
	});

	it("R-CON-1 the reviewer approves", async () => {
		const { context, page } = await e.signIn(RITA);
		// In the queue the claim is marked as back from the partner.
		await page.goto("/review?sla=decision");
		const row = page.locator(
			`[data-testid="queue-row"][data-claim-id="${claimId}"]`,
		);
		const more = page.getByRole("button", { name: "Load more" });
		await page.getByTestId("review-queue").waitFor(WAIT);
		for (let i = 0; i < 20 && (await row.count()) === 0; i++) {
			if (await more.isVisible()) await more.click();
			await page.waitForLoadState("networkidle");
		}
		expect(await row.getByTestId("resubmitted-badge").textContent()).toBe(
			"Resubmitted",
		);
		await page.goto(`/review/claims/${claimId}`);
		expect(await reviewerStatus(page, "under_review")).toBe("Under review");
		// The request shows when the partner answered, not a "respond by" long past.
		const request = page.locator(
			'section[aria-labelledby="details-information-request"]',
		);
		expect(await request.textContent()).toContain("Answered (resubmitted)");
		expect(await request.textContent()).not.toContain("Respond by");
		// The PoE added since opens first, marked new.
		const picker = page.getByTestId("poe-picker");
		const selected = await picker.evaluate(
			(el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent,
		);
		expect(selected).toBe(
			"Signed statement of work.pdf · new since the information request",
		);
		await page.getByRole("button", { name: "Approve", exact: true }).click();
		const dialog = page.getByRole("dialog");
		await dialog
			.getByLabel("Comment to the partner")
			.fill("The signed statement of work shows the presales engagement.");
		await dialog.getByRole("button", { name: "Approve", exact: true }).click();
		await dialog.waitFor({ state: "hidden", ...WAIT });
		expect(await reviewerStatus(page, "approved")).toBe("Approved");
		expect(await page.getByTestId("action-notice").textContent()).toMatch(
			/customer has been notified/,
		);
		await screenshot(page, "flow-approved");
		await context.close();
	});

	it("R-CON-2 the customer opts out from the consent notice's link in the dev mailbox", async () => {
		await e.work();
		const context = await e.browser.newContext({
			baseURL: e.baseUrl,
			viewport: { width: 1280, height: 800 },
		});
		const page = await context.newPage();
		await page.goto(`/dev/mailbox?to=${encodeURIComponent(customerEmail)}`);
		await page
			.getByRole("link", { name: /opt out by/ })
			.first()
			.click();
		await page.getByRole("heading", { name: /opt out by/ }).waitFor(WAIT);
		const message = page.frameLocator('iframe[title="Message"]');
		expect(await message.locator("body").textContent()).toContain(
			"usage and seat data of these products only",
		);
		const optOut = message.getByRole("link", { name: "Opt out" });
		const href = await optOut.getAttribute("href");
		expect(href).toContain("/consent/opt-out?token=");
		await screenshot(page, "flow-consent-notice");

		await page.goto(href as string);
		await page
			.getByRole("button", { name: "Opt out of this association" })
			.click();
		await page
			.getByRole("heading", { name: "You have opted out" })
			.waitFor(WAIT);
		await screenshot(page, "flow-consent-opted-out");
		await context.close();

		const partner = await e.signIn(ANA);
		await partner.page.goto(`/claims/${claimId}`);
		expect(await partnerStatus(partner.page, "rejected")).toBe("Rejected");
		expect(await partner.page.getByTestId("rejection").textContent()).toContain(
			"The customer opted out",
		);
		await screenshot(partner.page, "flow-customer-declined");
		await partner.context.close();
	});

	it("R-CMP-3 an arbitration between two partners", async () => {
		const competing = await e.ctx.db.query.claims.findFirst({
			where: (c, { and, eq, inArray }) =>
				and(
					eq(c.partnerOrganizationId, DEMO_IDS.organizations.fabrikam),
					eq(c.competing, true),
					inArray(c.status, ["submitted", "under_review"]),
				),
		});
		if (!competing) throw new Error("no competing fabrikam claim in the demo");
		const { context, page } = await e.signIn(RITA);
		await page.goto(`/review/claims/${competing.id}`);
		await page.getByRole("button", { name: "Open arbitration" }).click();
		await page.waitForURL(`**/review/arbitration/${competing.id}`);
		const columns = page.getByTestId("arbitration-columns");
		const column = (id: string) =>
			columns.locator(
				`[data-testid="arbitration-column"][data-claim-id="${id}"]`,
			);
		await columns
			.locator('[data-testid="arbitration-column"]')
			.nth(1)
			.waitFor(WAIT);
		const ids = await columns
			.locator('[data-testid="arbitration-column"]')
			.evaluateAll((els) => els.map((el) => el.getAttribute("data-claim-id")));
		const others = ids.filter((x): x is string => !!x && x !== competing.id);
		expect(others.length).toBeGreaterThan(0);
		const northwind = await e.ctx.db.query.claims.findMany({
			where: (c, { and, eq, inArray }) =>
				and(
					eq(c.partnerOrganizationId, DEMO_IDS.organizations.northwind),
					inArray(c.id, others),
				),
		});
		expect(northwind.length).toBe(1);
		await screenshot(page, "flow-arbitration-side-by-side");

		// The fabrikam claim: start its review if needed, then approve it.
		const mine = column(competing.id);
		if (competing.status === "submitted") {
			await mine.getByRole("button", { name: "Start review" }).click();
		}
		await mine.getByRole("button", { name: "Approve this claim" }).click();
		const dialog = page.getByRole("dialog");
		expect(
			await dialog.getByTestId("competitors-to-reject").textContent(),
		).toContain(northwind[0]?.name as string);
		await dialog
			.getByLabel("Comment to the partners of the competing claims")
			.fill("The other partner's PoE shows the Customer Service design work.");
		await dialog.getByRole("button", { name: "Approve this claim" }).click();
		await dialog.waitFor({ state: "hidden", ...WAIT });
		await page.getByTestId("arbitration-outcome").waitFor(WAIT);
		const approved = mine.locator('[data-status="approved"]').first();
		await approved.waitFor(WAIT);
		expect(await approved.textContent()).toBe("Approved");
		for (const id of others) {
			const badge = column(id).locator('[data-status="rejected"]').first();
			await badge.waitFor(WAIT);
			expect(await badge.textContent()).toBe("Rejected");
		}
		await screenshot(page, "flow-arbitration-decided");
		// Opened again later, the arbitration says it is decided (not "approve or reject
		// it from the claim page"), and the claim page offers to view it, not to open it.
		await page.reload();
		expect(
			await page.getByTestId("arbitration-decided").textContent(),
		).toContain("This claim is approved: its arbitration is decided.");
		await page.goto(`/review/claims/${competing.id}`);
		await page.getByRole("button", { name: "View arbitration" }).waitFor(WAIT);
		expect(
			await page.getByRole("button", { name: "Open arbitration" }).count(),
		).toBe(0);
		await context.close();
	});

	it("R-DSP-1 a dispute", async () => {
		const now = new Date();
		const rejected = await e.ctx.db.query.claims.findMany({
			where: (c, { and, eq, gt, isNull }) =>
				and(
					eq(c.partnerOrganizationId, DEMO_IDS.organizations.fabrikam),
					eq(c.status, "rejected"),
					isNull(c.dispute),
					gt(c.disputeUntil, now),
				),
		});
		const target = rejected.find(
			(c) =>
				!["partner_request", "customer_declined"].includes(
					(c.rejection as { reason?: string } | null)?.reason ?? "",
				),
		);
		if (!target) throw new Error("no disputable fabrikam claim in the demo");

		const partner = await e.signIn(ANA);
		await partner.page.goto(`/claims/${target.id}`);
		expect(await partnerStatus(partner.page, "rejected")).toBe("Rejected");
		await partner.page
			.getByRole("button", { name: "Dispute", exact: true })
			.click();
		const dialog = partner.page.getByRole("dialog");
		const justification = dialog.getByLabel("Business justification");
		// Sent with neither a justification nor new PoE: the field says so and takes the focus.
		if ((await dialog.textContent())?.includes("No updated PoE")) {
			await dialog
				.getByRole("button", { name: "Dispute", exact: true })
				.click();
			await expect
				.poll(() => justification.getAttribute("aria-invalid"), WAIT)
				.toBe("true");
			expect(await dialog.textContent()).toContain(
				"Write the business justification, or upload updated PoE first.",
			);
			expect(
				await justification.evaluate((el) => el === document.activeElement),
			).toBe(true);
			// Told once, at the field: no error bar repeating it above.
			expect(await dialog.getByTestId("action-error").count()).toBe(0);
		}
		await justification.fill(
			"The PoE covers the current engagement; the dates on page 2 are this year's.",
		);
		await dialog.getByRole("button", { name: "Dispute", exact: true }).click();
		await dialog.waitFor({ state: "hidden", ...WAIT });
		const dispute = partner.page.locator(
			'[data-testid="dispute"][data-dispute-status="open"]',
		);
		await dispute.waitFor(WAIT);
		expect(await dispute.textContent()).toContain("Dispute open");
		await screenshot(partner.page, "flow-dispute-open");
		await partner.context.close();

		const { context, page } = await e.signIn(RITA);
		await page.goto(`/review/claims/${target.id}`);
		await page.getByTestId("open-dispute").waitFor(WAIT);
		await page.getByRole("button", { name: "Decide dispute" }).click();
		const decide = page.getByRole("dialog");
		await decide.getByRole("radio", { name: /Approve the claim/ }).check();
		await decide
			.getByLabel("Comment to the partner")
			.fill("The dates are current; the PoE is sufficient.");
		await decide.getByRole("button", { name: "Decide dispute" }).click();
		await decide.waitFor({ state: "hidden", ...WAIT });
		expect(await reviewerStatus(page, "approved")).toBe("Approved");
		expect(await page.getByTestId("action-notice").textContent()).toContain(
			"Dispute accepted",
		);
		await screenshot(page, "flow-dispute-decided");
		await context.close();
	});

	it("R-DSH-1 the dashboard in Dutch shows the Dutch status names", async () => {
		const { context, page } = await e.signIn(DAAN, { locale: "nl-NL" });
		await page.goto("/claims");
		await page
			.getByRole("heading", { level: 1, name: "Klantkoppelingen" })
			.waitFor(WAIT);
		await page.getByTestId("claim-row").first().waitFor(WAIT);
		const expected: Record<string, string> = {
			draft: "In bewerking",
			submitted: "Ingediend",
			under_review: "Wordt beoordeeld",
			partner_action_required: "Partneractie vereist",
			approved: "Goedgekeurd",
			rejected: "Afgewezen",
		};
		for (const [status, name] of Object.entries(expected)) {
			expect(
				await page.getByTestId(`status-count-${status}`).textContent(),
			).toContain(name);
		}
		// The rows' badges too, e.g. the approved and rejected claims.
		for (const status of ["approved", "rejected", "submitted"]) {
			const badge = page
				.locator(
					`[data-testid="claim-row"][data-status="${status}"] [data-testid="claim-row-status"]`,
				)
				.first();
			expect(await badge.textContent()).toContain(expected[status]);
		}
		expect(
			await page.getByRole("columnheader", { name: "Klant" }).count(),
		).toBe(1);
		await page.getByRole("link", { name: "Nieuwe claim" }).first().waitFor();
		await page.waitForLoadState("networkidle");
		await screenshot(page, "partner-dashboard-nl");
		// Switching to German loads its translations (fetched on first use) and swaps
		// the texts in place, without a reload.
		expect(await page.evaluate(() => document.documentElement.lang)).toBe("nl");
		await page.getByRole("combobox", { name: "Taal" }).click();
		await page.getByRole("option", { name: "Deutsch" }).click();
		await page
			.getByRole("heading", { level: 1, name: "Kundenzuordnungen" })
			.waitFor(WAIT);
		expect(
			await page.getByTestId("status-count-approved").textContent(),
		).toContain("Genehmigt");
		expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
		await context.close();
	});

	it("R-DSH-1 the search box asks the server from three characters on, and says so before; pasted tabs become spaces", async () => {
		const { context, page } = await e.signIn(DAAN);
		await page.goto("/claims");
		await page.getByTestId("claim-row").first().waitFor(WAIT);
		const asked = requestsTo(page, "/api/v1/claims");
		const box = page.getByTestId("claims-search");
		const hint = page.getByText(/at least 3 characters/);
		const firstRow = page.getByTestId("claim-row").first();
		const rowAt = (await firstRow.boundingBox())?.y;
		// Two letters have no trigram for the search's index: nothing is asked.
		await box.fill("co");
		await hint.waitFor(WAIT);
		// The hint shows below the box without moving the filters or the list.
		expect((await firstRow.boundingBox())?.y).toBe(rowAt);
		await page.waitForTimeout(1_000); // past the box's 350 ms pause
		expect(asked.filter((u) => u.searchParams.has("q"))).toEqual([]);
		expect(new URL(page.url()).searchParams.get("q")).toBeNull();
		await box.fill("con");
		await expect
			.poll(() => asked.map((u) => u.searchParams.get("q")), WAIT)
			.toContain("con");
		expect(new URL(page.url()).searchParams.get("q")).toBe("con");
		await hint.waitFor({ state: "detached", ...WAIT });
		await page.getByTestId("claim-row").first().waitFor(WAIT);
		// Pasted tabs and line breaks are sent as one space (the API refuses them).
		const answered = page.waitForResponse(
			(r) => new URL(r.url()).searchParams.get("q") === "con to",
			WAIT,
		);
		await box.fill("con\t\tto");
		expect((await answered).status()).toBe(200);
		await context.close();
	});

	it("R-ELG-2 a large earnings group shows its first 100 associations, more on request", async () => {
		// 250 copies of one of Fabrikam's eligible active associations (and its lines, on
		// keys of their own): its MPN ID and program then hold 251 or more.
		const [source] = (
			(await e.ctx.db.execute(
				sql`select id, mpn_id as "mpnId" from claims
					where partner_organization_id = 'fabrikam' and status = 'approved'
					and association->>'status' = 'active'
					and eligibility @> '[{"result":"eligible"}]'::jsonb
					order by id limit 1`,
			)) as unknown as { rows: { id: string; mpnId: string }[] }
		).rows;
		expect(source, "the demo has an eligible active association").toBeDefined();
		const id = source?.id as string;
		await copyClaim(e.ctx.db, id, 250, "e2e-copy-");
		try {
			const { context, page } = await e.signIn(BEA);
			// The page asks for slices, not the whole report (tens of MB for a large partner).
			const asked = requestsTo(page, "/api/v1/reports/earnings");
			await page.goto("/insights");
			const large = page
				.locator(
					`[data-testid="earnings-group"][data-mpn-id="${source?.mpnId}"]`,
				)
				.filter({ has: page.getByRole("button", { name: /show more/i }) })
				.first();
			await large.waitFor(WAIT);
			// The same group by its MPN ID and program (it has no more to show at the end).
			const group = page.locator(
				`[data-testid="earnings-group"][data-mpn-id="${source?.mpnId}"][data-program="${await large.getAttribute("data-program")}"]`,
			);
			const total = Number(
				(
					(await group
						.getByText(/associations$/)
						.first()
						.textContent()) ?? ""
				).replace(/\D/g, ""),
			);
			expect(total).toBeGreaterThan(250);
			const rows = group.getByTestId("earnings-row");
			expect(await rows.count()).toBe(100);
			const more = group.getByRole("button", { name: /show more/i });
			expect(await more.textContent()).toContain(`${total - 100} left`);
			expect(asked.map((u) => u.searchParams.get("limit"))).toEqual(["100"]);
			await more.click();
			await expect.poll(() => rows.count(), WAIT).toBe(Math.min(total, 600));
			// The next 500 came from the group's cursor.
			expect(asked).toHaveLength(2);
			expect(asked[1]?.searchParams.get("limit")).toBe("500");
			expect(asked[1]?.searchParams.get("mpnId")).toBe(source?.mpnId);
			expect(asked[1]?.searchParams.get("cursor")).toBeTruthy();
			// The rows are distinct claims, in the report's order of the whole group.
			const ids = await rows.evaluateAll((els) =>
				els.map((el) => el.getAttribute("data-claim-id")),
			);
			expect(new Set(ids).size).toBe(ids.length);
			await context.close();
		} finally {
			await deleteClaimCopies(e.ctx.db, "e2e-copy-");
		}
	});
	it("R-ACC-2 the usage tab shows the first 100 rows with the total, the charts' sums from the server, and more on request", async () => {
		// Ten years more of usage (2015-2024) for the tenants and products of Fabrikam's
		// active associations: the report then has more rows than the page shows at first.
		await e.ctx.db.execute(sql`
			insert into usage_records
			select distinct c.tenant_id, p.product_id, m.month, 7, 9
			from claims c
			join claim_products p on p.claim_id = c.id
			cross join (select to_char(d, 'YYYY-MM') as month
				from generate_series('2015-01-01'::date, '2024-12-01'::date, '1 month') d) m
			where c.partner_organization_id = 'fabrikam' and c.status = 'approved'
				and c.association->>'status' = 'active'
			on conflict do nothing`);
		try {
			const { context, page } = await e.signIn(BEA);
			const asked = requestsTo(page, "/api/v1/reports/usage");
			await page.goto("/insights?tab=usage");
			const rows = page.getByTestId("usage-row");
			await rows.first().waitFor(WAIT);
			const whole = (await (
				await context.request.get("/api/v1/reports/usage")
			).json()) as {
				items: { tenantId: string; customerName: string | null }[];
			};
			const total = whole.items.length;
			expect(total).toBeGreaterThan(100);
			expect(await rows.count()).toBe(100);
			await page
				.getByText(`${total.toLocaleString("en-US")} rows`)
				.waitFor(WAIT);
			const customers = new Set(whole.items.map((r) => r.tenantId)).size;
			await page
				.getByText(
					customers === 1
						? "Per workload, for 1 customer."
						: `Per workload, summed over ${customers} customers.`,
				)
				.waitFor(WAIT);
			expect(asked.map((u) => u.searchParams.get("limit"))).toEqual(["100"]);
			const more = page.getByRole("button", { name: /show more/i });
			expect(await more.textContent()).toContain(`${total - 100} left`);
			await more.click();
			await expect.poll(() => rows.count(), WAIT).toBe(Math.min(total, 600));
			expect(asked[1]?.searchParams.get("cursor")).toBeTruthy();

			// The customer filter searches the customers on the server as one types
			// (a large partner has tens of thousands); picking one filters the report.
			const named = whole.items.find((r) => r.customerName) as {
				tenantId: string;
				customerName: string;
			};
			const searched = requestsTo(page, "/api/v1/reports/usage/customers");
			const box = page.getByRole("combobox", { name: "Customer" });
			await box.click();
			await box.fill(named.customerName.toUpperCase());
			await expect
				.poll(() => searched.map((u) => u.searchParams.get("q")), WAIT)
				.toContain(named.customerName.toUpperCase());
			// The list is the search's answer ("All customers" is offered without one).
			await page.getByRole("option", { name: "All customers" }).waitFor({
				...WAIT,
				state: "detached",
			});
			await page
				.getByRole("option", { name: `${named.customerName} (`, exact: false })
				.first()
				.click();
			await expect
				.poll(() => asked.at(-1)?.searchParams.get("tenantId"), WAIT)
				.toBe(named.tenantId);
			const picked = whole.items.filter(
				(r) => r.tenantId === named.tenantId,
			).length;
			await page
				.getByText(`${picked.toLocaleString("en-US")} rows`)
				.waitFor(WAIT);
			expect(await box.inputValue()).toContain(named.customerName);

			// Months that make no range say so where the rows were, with a way back.
			await page.getByLabel("From month").fill("2024-06");
			await page.getByLabel("To month").fill("2024-03");
			await page
				.getByRole("heading", {
					name: "The first month must not be after the last.",
				})
				.waitFor(WAIT);
			await page.getByRole("button", { name: "Clear the months" }).click();
			await page
				.getByText(`${picked.toLocaleString("en-US")} rows`)
				.waitFor(WAIT);
			await context.close();
		} finally {
			await e.ctx.db.execute(
				sql`delete from usage_records where month < '2025'`,
			);
		}
	});
	it("R-TIME-2 the SLA report's date fields show the range in use: the last 90 days, then the one applied, then the default again", async () => {
		const { context, page } = await e.signIn(RITA);
		await page.goto("/review/sla");
		const window = page.getByTestId("sla-window");
		await window.waitFor(WAIT);
		const from = page.getByLabel("From");
		const to = page.getByLabel("To");
		const report = (await (
			await context.request.get("/api/v1/reports/sla")
		).json()) as { from: string; to: string };
		// Never an empty field while a range applies.
		await expect
			.poll(() => from.inputValue(), WAIT)
			.toBe(report.from.slice(0, 10));
		expect(await to.inputValue()).toBe(report.to.slice(0, 10));
		expect(
			await page.getByRole("button", { name: "Last 90 days" }).count(),
		).toBe(0);

		await from.fill("2026-10-01");
		await page.getByRole("button", { name: "Apply" }).click();
		await page.waitForURL(/from=2026-10-01/, WAIT);
		await expect
			.poll(() => window.textContent(), WAIT)
			.toContain("Oct 1, 2026");
		expect(new URL(page.url()).searchParams.get("to")).toBe(
			report.to.slice(0, 10),
		);

		await page.getByRole("button", { name: "Last 90 days" }).click();
		await expect.poll(() => page.url(), WAIT).not.toContain("from=");
		await expect
			.poll(() => from.inputValue(), WAIT)
			.toBe(report.from.slice(0, 10));
		// Each SLA's card leads to its open work in the queue.
		await page
			.getByTestId("sla-card-decision")
			.getByRole("link", { name: "Open in the review queue" })
			.click();
		await page.waitForURL(
			(u) => u.pathname === "/review" && u.search === "?sla=decision",
			WAIT,
		);
		await page.getByTestId("queue-row").first().waitFor(WAIT);
		await context.close();
	});
	it("the admin's dev mailbox opens a message from a click anywhere on its row, not only on the subject, and gives the focus back to it when closed", async () => {
		await e.work();
		const { context, page } = await e.signIn("paula.platform@cpor.example");
		await page.goto("/admin?tab=mailbox");
		const row = page.getByTestId("mail-row").first();
		await row.waitFor(WAIT);
		const id = await row.getAttribute("data-mail-id");
		// The row's recipient line, away from the subject's button.
		await row.locator("td").first().locator("span").last().click();
		const message = page.getByTestId("mail-message");
		await message.getByRole("heading").first().waitFor(WAIT);
		expect(
			await page
				.locator(`[data-mail-id="${id}"] button[aria-current="true"]`)
				.count(),
		).toBe(1);
		// Closed, the focus goes back to the message's subject in the list.
		await message
			.getByRole("button", { name: "Close the message" })
			.press("Enter");
		await message.waitFor({ state: "detached", ...WAIT });
		await expect
			.poll(
				() =>
					page
						.locator(`[data-mail-id="${id}"] button`)
						.first()
						.evaluate((el) => el === document.activeElement),
				WAIT,
			)
			.toBe(true);
		await context.close();
	});
	it("R-CON-2 a customer admin who opts out is told the partner sees nothing, and the dialog says the partner could still dispute", async () => {
		const { context, page } = await e.signIn("carl.customer@contoso.example");
		await page.goto("/customer");
		const open = page
			.getByTestId("association-row")
			.filter({ has: page.getByRole("button", { name: "Opt out" }) })
			.first();
		await open.waitFor(WAIT);
		const claimId = await open.getAttribute("data-claim-id");
		expect(await open.getByTestId("data-shared").textContent()).toContain(
			"Usage and seat data of",
		);
		// The card and its button are named by partner and products, so two cards of
		// one partner can be told apart by a screen reader.
		const products = (await open.locator("dd ul").textContent()) ?? "";
		const named = await open.getAttribute("aria-labelledby");
		const label = await page.evaluate(
			(ids) =>
				(ids ?? "")
					.split(" ")
					.map((id) => document.getElementById(id)?.textContent ?? "")
					.join(" "),
			named,
		);
		expect(label).toContain(products.slice(0, 20));
		expect(
			await open
				.getByRole("button", { name: "Opt out" })
				.getAttribute("aria-describedby"),
		).toBe(named);
		await open.getByRole("button", { name: "Opt out" }).click();
		const dialog = page.getByRole("alertdialog").or(page.getByRole("dialog"));
		await dialog.waitFor(WAIT);
		expect(await dialog.textContent()).toContain(
			"or dispute the rejection for a reviewer to decide",
		);
		await dialog.getByRole("button", { name: "Opt out" }).click();
		await dialog.waitFor({ ...WAIT, state: "detached" });
		const declined = page.locator(
			`[data-testid="association-row"][data-claim-id="${claimId}"]`,
		);
		await expect
			.poll(() => declined.getByTestId("data-shared").textContent(), WAIT)
			.toBe("Nothing: you opted out.");
		await context.close();
	});
	it("a claim page's dialogs give the keyboard focus back to the button that opened them when closed with Esc or Cancel", async () => {
		const draft = await fabrikamClaim(e, "draft");
		const { context, page } = await e.signIn(ANA);
		await page.goto(`/claims/${draft.id}`);
		const focused = () =>
			page.evaluate(() => document.activeElement?.textContent ?? "");
		for (const [name, close] of [
			["Edit", "Escape"],
			["Delete draft", "Cancel"],
		] as const) {
			const button = page.getByRole("button", { name, exact: true });
			await button.waitFor(WAIT);
			await button.focus();
			await page.keyboard.press("Enter");
			const dialog = page.getByRole("dialog").or(page.getByRole("alertdialog"));
			await dialog.waitFor(WAIT);
			if (close === "Escape") await page.keyboard.press("Escape");
			else await dialog.getByRole("button", { name: "Cancel" }).click();
			await dialog.waitFor({ ...WAIT, state: "detached" });
			await expect.poll(focused, WAIT).toBe(name);
		}
		await context.close();
	});
	it("R-HIS-1 the history shows a deadline once, not again as the association's, rejection's or request's copy of it", async () => {
		const { context, page } = await e.signIn(ANA);
		const cases = [
			["approved", "approve", "Consent window ends"],
			[
				"partner_action_required",
				"request_information",
				"Partner response due",
			],
		] as const;
		for (const [status, action, label] of cases) {
			const claim = await fabrikamClaim(e, status);
			await page.goto(`/claims/${claim.id}`);
			const entry = page
				.locator(`[data-testid="history-entry"][data-action="${action}"]`)
				.first();
			await entry.waitFor(WAIT);
			const text = (await entry.textContent()) ?? "";
			expect(text.split(label).length - 1, `${action}: ${text}`).toBe(1);
			expect(text).not.toContain("Respond by");
		}
		await context.close();
	});
	it("R-ROL-1 R-ROL-2 R-ROL-3 a partner who opens a reviewer's or a customer admin's page is told whom it is for, and taken to their own start page", async () => {
		const { context, page } = await e.signIn(BEA);
		const refused: string[] = [];
		page.on("response", (r) => {
			if (r.status() === 403) refused.push(new URL(r.url()).pathname);
		});
		for (const [path, text] of [
			["/customer", "This page is for customer admins."],
			["/review/sla", "This page is for reviewers."],
			["/review", "This page is for reviewers."],
		] as const) {
			await page.goto(path);
			await page.getByRole("heading", { name: text }).waitFor(WAIT);
			expect(
				await page.getByRole("button", { name: /retry|try again/i }).count(),
			).toBe(0);
		}
		// Nor does a page's loader ask the server for what it would refuse.
		expect(refused).toEqual([]);
		await page.getByRole("link", { name: "Go to your start page" }).click();
		await page.waitForURL((u) => u.pathname === "/claims", WAIT);
		await context.close();
	});
	it("R-ROL-1 R-ROL-2 a reviewer who opens a partner's page is told whom it is for; a claim's page opens as its review page, and the review page as the partner's for a partner", async () => {
		const claim = await fabrikamClaim(e, "submitted");
		const reviewer = await e.signIn(RITA);
		const refused: string[] = [];
		reviewer.page.on("response", (r) => {
			if (r.status() === 403) refused.push(new URL(r.url()).pathname);
		});
		for (const path of ["/insights", "/claims/new"]) {
			await reviewer.page.goto(path);
			await reviewer.page
				.getByRole("heading", { name: "This page is for partners." })
				.waitFor(WAIT);
		}
		// The partner's list of claims opens as the reviewer's.
		await reviewer.page.goto("/claims");
		await reviewer.page.waitForURL(
			(u) => u.pathname === "/review/claims",
			WAIT,
		);
		await reviewer.page.goto(`/claims/${claim.id}`);
		await reviewer.page.waitForURL(
			(u) => u.pathname === `/review/claims/${claim.id}`,
			WAIT,
		);
		await reviewer.page
			.getByRole("button", { name: "Start review" })
			.waitFor(WAIT);
		expect(refused).toEqual([]);
		await reviewer.context.close();
		const partner = await e.signIn(ANA);
		await partner.page.goto(`/review/claims/${claim.id}`);
		await partner.page.waitForURL(
			(u) => u.pathname === `/claims/${claim.id}`,
			WAIT,
		);
		await partner.page.getByTestId("history-entry").first().waitFor(WAIT);
		await partner.context.close();
	});
	it("the dashboard's deadline icons and a claim's document icons keep their size beside text that wraps", async () => {
		const { context, page } = await e.signIn(ANA);
		await page.goto("/claims");
		const icons = page.getByTestId("partner-deadline").locator("svg");
		await icons.first().waitFor(WAIT);
		for (const box of await Promise.all(
			(await icons.all()).map((i) => i.boundingBox()),
		))
			expect(box?.width).toBeGreaterThanOrEqual(15);
		const withPoe = await fabrikamClaim(e, "approved");
		await page.goto(`/claims/${withPoe.id}`);
		const doc = page.getByTestId("document-row").first().locator("svg").first();
		await doc.waitFor(WAIT);
		expect((await doc.boundingBox())?.width).toBeGreaterThanOrEqual(19);
		await context.close();
	});
	it("R-DIR-6 on a phone, an import's problems show as cards that fit the screen, each with its line, path, code and message", async () => {
		const { context, page } = await e.signIn("paula.platform@cpor.example", {
			viewport: { width: 390, height: 844 },
		});
		await page.goto("/admin");
		// An empty file is told at once, with nothing to preview.
		await page.getByTestId("import-file").setInputFiles({
			name: "tenants.csv",
			mimeType: "text/csv",
			buffer: Buffer.from(""),
		});
		await page.getByTestId("import-file-empty").waitFor(WAIT);
		expect(
			await page.getByRole("button", { name: "Preview import" }).isDisabled(),
		).toBe(true);
		const doc = {
			tenants: [
				{
					tenantId: "22222222-3333-4444-8555-666666666666",
					name: "Contoso Imposter",
					domains: ["imposter.onmicrosoft.com", "contoso.com"],
				},
			],
		};
		await page.getByTestId("import-file").setInputFiles({
			name: "directory.json",
			mimeType: "application/json",
			buffer: Buffer.from(JSON.stringify(doc)),
		});
		await page.getByRole("button", { name: "Preview import" }).click();
		const card = page.getByTestId("import-error-row").first();
		await card.waitFor(WAIT);
		const text = (await card.textContent()) ?? "";
		expect(text).toContain("tenants[0].domains[1]");
		expect(text).toContain("domain_taken");
		// The whole card, message included, is on the screen: no sideways scrolling.
		const box = await card.boundingBox();
		expect(box?.x).toBeGreaterThanOrEqual(0);
		expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
		expect(
			await page.evaluate(
				() => document.documentElement.scrollWidth <= window.innerWidth,
			),
		).toBe(true);
		await context.close();
	});
	it("R-CMP-2 R-DSP-3 a dispute whose competitor is approved cannot be approved: the dialog says which claim holds the association; the page fits a phone", async () => {
		const { context, page } = await e.signIn(RITA, {
			viewport: { width: 390, height: 844 },
		});
		// A rejected claim with an open dispute whose competitor holds the association.
		const disputed = await e.ctx.db.query.claims.findMany({
			where: (c, { and, eq, sql }) =>
				and(
					eq(c.status, "rejected"),
					eq(c.competing, true),
					sql`${c.dispute}->>'status' = 'open'`,
				),
		});
		let found: { id: string; holder: string } | undefined;
		for (const c of disputed) {
			const competing = (await (
				await context.request.get(`/api/v1/claims/${c.id}/competing`)
			).json()) as { items: { status: string; name: string }[] };
			const holder = competing.items.find((x) => x.status === "approved");
			if (holder) found = { id: c.id, holder: holder.name };
		}
		if (!found)
			throw new Error("no disputed claim with an approved competitor");
		await page.goto(`/review/claims/${found.id}`);
		// By keyboard: the dialog takes the focus although its first choice is disabled.
		const decide = page.getByRole("button", { name: "Decide dispute" });
		await decide.focus();
		await page.keyboard.press("Enter");
		const dialog = page.getByRole("dialog");
		await dialog.getByTestId("dispute-held-by").waitFor(WAIT);
		await expect
			.poll(
				() => dialog.evaluate((el) => el.contains(document.activeElement)),
				WAIT,
			)
			.toBe(true);
		await page.keyboard.press("Tab");
		expect(
			await dialog.evaluate((el) => el.contains(document.activeElement)),
		).toBe(true);
		expect(await dialog.getByTestId("dispute-held-by").textContent()).toContain(
			found.holder,
		);
		expect(
			await dialog
				.getByRole("radio", { name: /Approve the claim/ })
				.isDisabled(),
		).toBe(true);
		await page.keyboard.press("Escape");
		await dialog.waitFor({ state: "hidden", ...WAIT });
		await expect
			.poll(() => decide.evaluate((el) => el === document.activeElement), WAIT)
			.toBe(true);
		// No sideways scrolling on a phone, whatever the PoE files are called.
		expect(
			await page.evaluate(
				() => document.documentElement.scrollWidth <= window.innerWidth,
			),
		).toBe(true);
		await context.close();
	});
	it("R-ROL-2 a reviewer who opens the admin page is told whom it is for; an unknown claim's review page says so, with nothing to retry", async () => {
		const { context, page } = await e.signIn(RITA);
		await page.goto("/admin");
		await page
			.getByRole("heading", { name: "This page is for platform admins." })
			.waitFor(WAIT);
		await page.goto("/review/claims/00000000-0000-4000-8000-000000000000");
		await page.getByText("No claim has this address").waitFor(WAIT);
		expect(
			await page.getByRole("button", { name: /retry|try again/i }).count(),
		).toBe(0);
		await context.close();
	});
	it("R-ROL-1 a Global admin sets an MPN ID aside and the new-claim wizard no longer offers it; a Billing admin only sees which are in use", async () => {
		const aside = "4471024";
		const { context, page } = await e.signIn(ANA);
		await page.getByRole("link", { name: "MPN IDs" }).click();
		await page.waitForURL((u) => u.pathname === "/mpn-ids", WAIT);
		const toggle = page.getByRole("switch", {
			name: `Use MPN ID ${aside} for claims`,
		});
		await toggle.waitFor(WAIT);
		expect(await toggle.isChecked()).toBe(true);
		await toggle.press("Space");
		const notice = page.getByTestId("mpn-notice");
		await notice.waitFor(WAIT);
		expect(await notice.textContent()).toContain(
			`MPN ID ${aside} is set aside`,
		);
		await expect
			.poll(() => notice.evaluate((el) => el === document.activeElement), WAIT)
			.toBe(true);
		await screenshot(page, "partner-mpn-ids");
		try {
			await page.goto("/claims/new");
			await page.getByTestId("mpn-option").first().waitFor(WAIT);
			const offered = await page
				.getByTestId("mpn-option")
				.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
			expect(offered).not.toContain(aside);
			expect(offered).toContain("4471023");
			// The Billing admin sees it set aside, with nothing to change.
			const bea = await e.signIn(BEA);
			await bea.page.goto("/mpn-ids");
			const row = bea.page.locator(
				`[data-testid="mpn-row"][data-mpn-id="${aside}"]`,
			);
			await row.waitFor(WAIT);
			expect(await row.textContent()).toContain("Set aside");
			expect(await bea.page.getByRole("switch").count()).toBe(0);
			await bea.context.close();
			// With the last one set aside too, the wizard says so and where to change it
			// (not that the organization has no MPN IDs).
			await page.goto("/mpn-ids");
			await page
				.getByRole("switch", { name: "Use MPN ID 4471023 for claims" })
				.press("Space");
			await notice.waitFor(WAIT);
			await page.goto("/claims/new");
			const allAside = page.getByTestId("mpn-all-set-aside");
			await allAside.waitFor(WAIT);
			expect(await allAside.textContent()).toContain(
				"Every MPN ID of your organization is set aside",
			);
			await allAside.getByRole("link", { name: "Open MPN IDs" }).click();
			await page.waitForURL((u) => u.pathname === "/mpn-ids", WAIT);
		} finally {
			const csrf = (await (await context.request.get("/api/v1/me")).json())
				.csrfToken;
			for (const mpnId of [aside, "4471023"]) {
				const res = await context.request.patch(`/api/v1/mpn-ids/${mpnId}`, {
					data: { inUse: true },
					headers: { "x-csrf-token": csrf },
				});
				expect(res.status()).toBe(200);
			}
		}
		await context.close();
	});
	it("an unknown claim's page and an unknown address each have a level-1 heading and a title of their own", async () => {
		const { context, page } = await e.signIn(ANA);
		await page.goto("/claims/00000000-0000-4000-8000-000000000000");
		const heading = page.getByRole("heading", { level: 1 });
		await heading.waitFor(WAIT);
		const claimTitle = (await heading.textContent()) ?? "";
		expect(claimTitle).toMatch(/not found/i);
		await expect.poll(() => page.title(), WAIT).toBe(`${claimTitle} · CPOR`);
		await page.goto("/no-such-page");
		await page
			.getByRole("heading", { level: 1, name: "Not found" })
			.waitFor(WAIT);
		await expect.poll(() => page.title(), WAIT).toBe("Not found · CPOR");
		await context.close();
	});
	it("R-ROL-2 R-DSH-1 a reviewer finds a claim that left the queue (waiting for the partner) under All claims, by status and by search", async () => {
		const waiting = await e.ctx.db.query.claims.findFirst({
			where: (c, { eq }) => eq(c.status, "partner_action_required"),
		});
		if (!waiting) throw new Error("no claim waiting for a partner in the demo");
		const { context, page } = await e.signIn(RITA);
		await page.getByRole("link", { name: "All claims" }).click();
		await page.waitForURL((u) => u.pathname === "/review/claims", WAIT);
		await page
			.getByTestId("review-claims-status")
			.selectOption("partner_action_required");
		await page.waitForURL(/status=partner_action_required/, WAIT);
		const rows = page.getByTestId("review-claims-row");
		await rows.first().waitFor(WAIT);
		for (const text of await rows.allTextContents())
			expect(text).toContain("Partner action required");
		// Sorted by deadline, soonest first: each row shows its due date, in that order.
		await page.getByTestId("review-claims-sort").selectOption("dueAt");
		await page.waitForURL(/sort=dueAt/, WAIT);
		const ordered = await e.ctx.db.query.claims.findMany({
			where: (c, { eq }) => eq(c.status, "partner_action_required"),
			orderBy: (c, { asc }) => [asc(c.dueAt), asc(c.id)],
		});
		// The first row is a claim due soonest (ties in either order).
		const soonest = ordered[0]?.dueAt?.getTime();
		expect(soonest).toBeDefined();
		await expect
			.poll(async () => {
				const href = await rows
					.first()
					.locator("a")
					.first()
					.getAttribute("href");
				const id = href?.split("/").pop();
				return ordered.find((c) => c.id === id)?.dueAt?.getTime();
			}, WAIT)
			.toBe(soonest);
		const firstDue = rows.first().getByTestId("review-claims-due");
		expect(await firstDue.textContent()).not.toBe("—");
		// A deadline already passed is marked as the queue marks it.
		const passed = (soonest ?? 0) <= e.clock.now().getTime();
		expect(await firstDue.getByTestId("overdue-badge").count()).toBe(
			passed ? 1 : 0,
		);
		// What the list shows is said to screen readers, nothing found included.
		await expect
			.poll(() => page.getByTestId("results-status").textContent(), WAIT)
			.toMatch(/^\d+ items? shown$/);
		await page.getByTestId("review-claims-search").fill("zzqx-nothing-like-it");
		await expect
			.poll(() => page.getByTestId("results-status").textContent(), WAIT)
			.toBe("No claim matches");
		await page.getByTestId("review-claims-search").fill(waiting.name);
		await page.waitForURL(/q=/, WAIT);
		await page.getByRole("link", { name: waiting.name }).first().click();
		await page.waitForURL(
			(u) => u.pathname === `/review/claims/${waiting.id}`,
			WAIT,
		);
		await context.close();
	});
	it("a reviewer sees partners by their organization's name: in the queue, in All claims and on the claim page", async () => {
		const { context, page } = await e.signIn(RITA);
		const row = page.getByTestId("queue-row").first();
		await row.waitFor(WAIT);
		const claimId = (await row.getAttribute("data-claim-id")) as string;
		const claim = await e.ctx.db.query.claims.findFirst({
			where: (c, { eq }) => eq(c.id, claimId),
		});
		const org = await e.ctx.db.query.organizations.findFirst({
			where: (o, { eq }) => eq(o.id, claim?.partnerOrganizationId ?? ""),
		});
		if (!org) throw new Error(`no organization for claim ${claimId}`);
		expect(org.name).not.toBe(org.id);
		await expect
			.poll(() => row.getByTestId("queue-partner").textContent(), WAIT)
			.toBe(org.name);
		await row.getByRole("link").first().click();
		await page.waitForURL(
			(u) => u.pathname === `/review/claims/${claimId}`,
			WAIT,
		);
		await expect
			.poll(() => page.getByTestId("partner-name").first().textContent(), WAIT)
			.toBe(`${org.name} (${org.id})`);
		await page.getByRole("link", { name: "All claims" }).click();
		await page.getByTestId("review-claims-search").fill(claim?.name ?? "");
		await page.waitForURL(/q=/, WAIT);
		await expect
			.poll(
				() => page.getByTestId("review-claims-row").first().textContent(),
				WAIT,
			)
			.toContain(org.name);
		await context.close();
	});
	it("R-REV-3 the comments CPOR writes read in the reader's language: a Dutch partner sees the information request in Dutch, its reasons too", async () => {
		const waiting = await e.ctx.db.query.claims.findFirst({
			where: (c, { and, eq }) =>
				and(
					eq(c.partnerOrganizationId, "fabrikam"),
					eq(c.status, "partner_action_required"),
				),
		});
		if (!waiting) throw new Error("no Fabrikam claim waiting in the demo");
		const { context, page } = await e.signIn(ANA, { locale: "nl-NL" });
		await page.goto(`/claims/${waiting.id}`);
		const request = page
			.locator('[data-testid="comment"][data-kind="information_request"]')
			.last();
		await request.waitFor(WAIT);
		const text = (await request.textContent()) ?? "";
		expect(text).toContain("Informatie gevraagd (antwoord uiterlijk");
		expect(text).not.toContain("Information requested");
		expect(text).not.toContain("respond by");
		// A person's own words stay as written; the API keeps the English body.
		const api = (await (
			await context.request.get(`/api/v1/claims/${waiting.id}/comments`)
		).json()) as {
			items: {
				kind: string;
				body: string;
				template: { reasons: string[] } | null;
			}[];
		};
		const asked = api.items.findLast((c) => c.kind === "information_request");
		expect(asked?.body).toMatch(/^Information requested \(respond by /);
		const dutch = JSON.parse(
			readFileSync("web/src/i18n/locales/nl/claim.json", "utf8"),
		) as { reason: Record<string, string> };
		expect(asked?.template?.reasons.length).toBeGreaterThan(0);
		for (const r of asked?.template?.reasons ?? [])
			expect(text).toContain(dutch.reason[r]);
		await context.close();
	});
	it("R-EDIT-2 a reviewer who acts after a colleague is told so in words, the dialog and its text kept; the way back keeps the queue's filters", async () => {
		const { context, page } = await e.signIn(RITA);
		await page.goto("/review?sla=decision");
		const row = page.getByTestId("queue-row").first();
		await row.waitFor(WAIT);
		const id = (await row.getAttribute("data-claim-id")) as string;
		await row.getByRole("link").first().click();
		await page.waitForURL((u) => u.pathname === `/review/claims/${id}`, WAIT);
		await page.getByRole("button", { name: "Request information" }).click();
		const dialog = page.getByRole("dialog");
		await dialog
			.getByRole("checkbox", { name: /Dates missing or old/ })
			.check();
		await dialog.getByLabel("Comment to the partner").fill("Dates, please.");
		// Meanwhile a colleague approves the claim (through the API, as Rita).
		const claim = (await (
			await context.request.get(`/api/v1/claims/${id}`)
		).json()) as { version: number };
		const me = (await (await context.request.get("/api/v1/me")).json()) as {
			csrfToken: string;
		};
		const approved = await context.request.post(
			`/api/v1/claims/${id}/approve`,
			{
				data: {},
				headers: {
					"if-match": `"${claim.version}"`,
					"x-csrf-token": me.csrfToken,
				},
			},
		);
		expect(approved.status()).toBe(200);
		await dialog.getByRole("button", { name: "Request information" }).click();
		await dialog.getByText("Someone acted on this claim first").waitFor(WAIT);
		expect(await dialog.getByLabel("Comment to the partner").inputValue()).toBe(
			"Dates, please.",
		);
		await page.keyboard.press("Escape");
		await page
			.getByRole("link", { name: "Back to the review queue" })
			.first()
			.click();
		await page.waitForURL(
			(u) => u.pathname === "/review" && u.search === "?sla=decision",
			WAIT,
		);
		await context.close();
	});
	it("R-DIR-6 a reviewer sees that the directory still says what a claim was validated against, and after its subscription is disabled, what changed and that submit would now refuse it", async () => {
		const rows = await e.ctx.db.execute(
			sql`select c.id, p.subscription_id as "subscriptionId" from claims c join claim_products p on p.claim_id = c.id
				join subscriptions s on s.subscription_id = p.subscription_id
				where c.status = 'submitted' and c.solution_area = 'business_applications' and s.status = 'active'
				order by c.id limit 1`,
		);
		const claim = (
			rows as unknown as { rows: { id: string; subscriptionId: string }[] }
		).rows[0];
		if (!claim)
			throw new Error("no submitted Business Applications claim in the demo");
		const { context, page } = await e.signIn(RITA);
		await page.goto(`/review/claims/${claim.id}`);
		const check = page.getByTestId("directory-check");
		await check.waitFor(WAIT);
		expect(await check.textContent()).toContain(
			"No change: the directory's facts for this claim are as they were when it was validated",
		);
		await e.ctx.db.execute(
			sql`update subscriptions set status = 'disabled' where subscription_id = ${claim.subscriptionId}`,
		);
		try {
			await page.reload();
			await page.getByTestId("directory-changes").waitFor(WAIT);
			expect(await check.textContent()).toContain(
				"The directory changed since this claim was validated",
			);
			expect(
				await page.getByTestId("directory-changes").textContent(),
			).toContain(
				`Subscription ${claim.subscriptionId}: status active → disabled.`,
			);
			expect(
				await page.getByTestId("directory-problems").textContent(),
			).toContain("not active");
			await screenshot(page, "review-directory-changed");
		} finally {
			await e.ctx.db.execute(
				sql`update subscriptions set status = 'active' where subscription_id = ${claim.subscriptionId}`,
			);
		}
		await context.close();
	});
	it("R-TIME-9 a decided claim's review page shows no deadline that no longer runs (review start, decision)", async () => {
		const rejected = await e.ctx.db.query.claims.findFirst({
			where: (c, { and, eq, isNotNull, isNull }) =>
				and(
					eq(c.status, "rejected"),
					isNotNull(c.decisionDue),
					isNull(c.dispute),
				),
		});
		if (!rejected)
			throw new Error("no rejected claim with a decision in the demo");
		const { context, page } = await e.signIn(RITA);
		await page.goto(`/review/claims/${rejected.id}`);
		const details = page.getByTestId("claim-details");
		await details.waitFor(WAIT);
		const text = (await details.textContent()) ?? "";
		expect(text).not.toContain("Decision due");
		expect(text).not.toContain("Review start due");
		await context.close();
	});
	it("R-REV-3 a comment posted with a double click is posted once", async () => {
		const claim = await fabrikamClaim(e, "submitted");
		const { context, page } = await e.signIn(ANA);
		await page.goto(`/claims/${claim.id}`);
		const comments = page.getByTestId("comment");
		await page
			.getByTestId("comments")
			.or(page.getByText("No comments yet."))
			.first()
			.waitFor(WAIT);
		const before = await comments.count();
		const text = `Posted once ${Date.now()}`;
		await page.getByLabel("Your comment").fill(text);
		await page.getByRole("button", { name: "Post comment" }).dblclick();
		// In the thread (the history lists the comment too, once it has been read again).
		await page.getByTestId("comments").getByText(text).waitFor(WAIT);
		await page.waitForLoadState("networkidle");
		const thread = (await (
			await context.request.get(`/api/v1/claims/${claim.id}/comments?limit=200`)
		).json()) as { items: { body: string }[] };
		expect(thread.items.filter((c) => c.body === text)).toHaveLength(1);
		expect(await comments.count()).toBe(before + 1);
		// Said to screen readers, since the form stays where it was.
		expect(await page.getByTestId("comment-posted").textContent()).toBe(
			"Comment posted.",
		);
		await context.close();
	});
	it("R-CRT-7 a partner who removes a PoE document from a draft hears that it was removed, and the focus goes to the upload button", async () => {
		const draft = await fabrikamClaim(e, "draft");
		const { context, page } = await e.signIn(ANA);
		await page.goto(`/claims/${draft.id}`);
		const rows = page.getByTestId("document-row");
		await page.getByLabel("Choose PoE documents to upload").setInputFiles({
			name: "To be removed.pdf",
			mimeType: "application/pdf",
			buffer: Buffer.from(samplePdf("Removed again")),
		});
		const row = rows.filter({ hasText: "To be removed.pdf" });
		await row.waitFor(WAIT);
		await page
			.getByRole("button", { name: "Remove To be removed.pdf" })
			.click();
		// It asks first: the removal cannot be undone. The focus starts on Cancel, and Esc
		// gives it back to the row's Remove button.
		const confirm = page.getByRole("dialog", {
			name: "Remove “To be removed.pdf”?",
		});
		await confirm.waitFor(WAIT);
		await expect
			.poll(
				() => page.evaluate(() => document.activeElement?.textContent ?? ""),
				WAIT,
			)
			.toBe("Cancel");
		await page.keyboard.press("Escape");
		await confirm.waitFor({ state: "detached", ...WAIT });
		await expect
			.poll(
				() =>
					page.evaluate(
						() => document.activeElement?.getAttribute("aria-label") ?? "",
					),
				WAIT,
			)
			.toBe("Remove To be removed.pdf");
		await page
			.getByRole("button", { name: "Remove To be removed.pdf" })
			.click();
		await confirm.waitFor(WAIT);
		await confirm.getByRole("button", { name: "Remove" }).click();
		await row.waitFor({ state: "detached", ...WAIT });
		await expect
			.poll(() => page.getByTestId("removed-status").textContent(), WAIT)
			.toBe("To be removed.pdf removed.");
		expect(
			await page.evaluate(() => document.activeElement?.textContent ?? ""),
		).toBe("Upload documents");
		await context.close();
	});
	it("R-REV-2 a rejection's reason in CPOR's words reads in the reader's language in the claim's details", async () => {
		const rejected = await e.ctx.db.query.claims.findFirst({
			where: (c, { and, eq, sql }) =>
				and(
					eq(c.status, "rejected"),
					sql`${c.rejection}->'generated' is not null`,
				),
		});
		if (!rejected) throw new Error("no rejection in CPOR's words in the demo");
		const { context, page } = await e.signIn(RITA, { locale: "de-DE" });
		await page.goto(`/review/claims/${rejected.id}`);
		const english = (rejected.rejection as { comment: string }).comment;
		const details = page.locator(
			'section[aria-labelledby="details-rejection"]',
		);
		await details.waitFor(WAIT);
		const text = (await details.textContent()) ?? "";
		expect(text).not.toContain(english);
		expect(text).toMatch(/Partner|Kunde|Schlichtung/);
		await context.close();
	});
	it("R-REV-2 a reviewer's dialog closed with Esc keeps what was typed for when it opens again", async () => {
		const claim = await e.ctx.db.query.claims.findFirst({
			where: (c, { eq }) => eq(c.status, "under_review"),
		});
		if (!claim) throw new Error("no claim under review in the demo");
		const { context, page } = await e.signIn(RITA);
		await page.goto(`/review/claims/${claim.id}`);
		await page.getByRole("button", { name: "Reject", exact: true }).click();
		const dialog = page.getByRole("dialog");
		const comment = dialog.getByLabel("Comment to the partner");
		await comment.fill("The PoE names another customer.");
		await page.keyboard.press("Escape");
		await dialog.waitFor({ state: "hidden", ...WAIT });
		await page.getByRole("button", { name: "Reject", exact: true }).click();
		expect(await dialog.getByLabel("Comment to the partner").inputValue()).toBe(
			"The PoE names another customer.",
		);
		await context.close();
	});
	it("R-DIR-6 the platform admin looks the directory up: a customer by its name's first letters, with its domains and subscriptions; a partner by an MPN ID, with its programs", async () => {
		const { context, page } = await e.signIn("paula.platform@cpor.example");
		await page.goto("/admin");
		await page.getByRole("tab", { name: "Directory", exact: true }).click();
		await page.waitForURL(/tab=directory/, WAIT);
		const results = page.getByTestId("directory-results");
		await results.waitFor(WAIT);
		expect(await page.getByTestId("directory-tenant").count()).toBe(20);
		await page.getByRole("button", { name: "Show more" }).waitFor(WAIT);
		await page.getByRole("searchbox", { name: "Search" }).fill("conto");
		const contoso = page
			.getByTestId("directory-tenant")
			.filter({ hasText: "Contoso Ltd" });
		await contoso.waitFor(WAIT);
		await expect
			.poll(() => page.getByTestId("directory-tenant").count(), WAIT)
			.toBe(1);
		expect(await contoso.textContent()).toContain(DEMO_IDS.domains.contoso);
		expect(await contoso.textContent()).toContain(
			DEMO_IDS.subscriptions.contosoSales,
		);
		await screenshot(page, "admin-directory");
		// Every partner, two pages: the last "Show more" hands the focus to the first new one.
		await page.getByRole("searchbox", { name: "Search" }).fill("");
		await page.getByRole("radio", { name: "Partners" }).check();
		await expect
			.poll(() => page.getByTestId("directory-partner").count(), WAIT)
			.toBe(20);
		await page.getByRole("button", { name: "Show more" }).click();
		await page
			.getByRole("button", { name: "Show more" })
			.waitFor({ state: "detached", ...WAIT });
		await expect
			.poll(
				() =>
					page.evaluate(() => {
						const li = document.activeElement;
						return li?.parentElement
							? [...li.parentElement.children].indexOf(li)
							: -1;
					}),
				WAIT,
			)
			.toBe(20);
		await page
			.getByRole("searchbox", { name: "Search" })
			.fill(DEMO_IDS.mpnIds.fabrikamEnrolled);
		const fabrikam = page
			.getByTestId("directory-partner")
			.filter({ hasText: "Fabrikam" });
		await fabrikam.waitFor(WAIT);
		expect(await fabrikam.textContent()).toContain("OSU-M365");
		await page
			.getByRole("searchbox", { name: "Search" })
			.fill("no such partner");
		await page
			.getByText("Nothing matches “no such partner”")
			.first()
			.waitFor(WAIT);
		// The people who can sign in: an organization's, by its ID, with roles and language.
		await page.getByRole("radio", { name: "People" }).check();
		await page.getByRole("searchbox", { name: "Search" }).fill("fabrikam");
		const daan = page
			.getByTestId("directory-user")
			.filter({ hasText: "daan.incentives@fabrikam.example" });
		await daan.waitFor(WAIT);
		expect(
			await daan
				.getByRole("list", { name: "Roles" })
				.getByRole("listitem")
				.count(),
		).toBe(1);
		const daanText = await daan.textContent();
		expect(daanText).toContain("Incentives admin");
		// His language (another test may have changed it) is named in that language.
		expect(daanText).toMatch(/Language: (English|Nederlands|Svenska|Deutsch)/);
		expect(daanText).toContain("(fabrikam)");
		const fabrikamPeople = await page.getByTestId("directory-user").count();
		expect(fabrikamPeople).toBeGreaterThanOrEqual(4);
		expect(
			await page
				.getByTestId("directory-user")
				.filter({ hasText: "@fabrikam.example" })
				.count(),
		).toBe(fabrikamPeople);
		await page.getByRole("searchbox", { name: "Search" }).fill("rita");
		const rita = page.getByTestId("directory-user").filter({ hasText: RITA });
		await rita.waitFor(WAIT);
		expect(await rita.textContent()).toContain(
			"Platform staff: no organization or customer.",
		);
		await screenshot(page, "admin-directory-people");
		await context.close();
	});
	it("R-DIR-6 R-ROL-2 a reviewer looks a customer up in the directory from the header, without the import's advice", async () => {
		const { context, page } = await e.signIn(RITA);
		await page.getByRole("link", { name: "Directory" }).click();
		await page.waitForURL("**/review/directory", WAIT);
		await page.getByTestId("directory-results").waitFor(WAIT);
		expect(await page.getByTestId("directory").textContent()).not.toContain(
			"Directory import",
		);
		// The people who can sign in are the platform admin's to see.
		expect(await page.getByRole("radio", { name: "People" }).count()).toBe(0);
		await page
			.getByRole("searchbox", { name: "Search" })
			.fill(DEMO_IDS.subscriptions.contosoSales);
		await expect
			.poll(() => page.getByTestId("directory-tenant").count(), WAIT)
			.toBe(1);
		expect(await page.getByTestId("directory-tenant").textContent()).toContain(
			"Contoso Ltd",
		);
		await context.close();
	});
	it("R-ROL-2 R-TIME-1 the platform admin sees the business calendar: zone, today, that no holidays are configured, and each SLA's length", async () => {
		const { context, page } = await e.signIn("paula.platform@cpor.example");
		await page.goto("/admin");
		await page.getByRole("tab", { name: "Business calendar" }).click();
		await page.waitForURL(/tab=calendar/, WAIT);
		const calendar = page.getByTestId("calendar");
		await calendar.waitFor(WAIT);
		expect(await calendar.textContent()).toContain("UTC");
		expect(await page.getByTestId("calendar-holidays").textContent()).toBe(
			"None: only Saturdays and Sundays are not business days",
		);
		const weekday = new Intl.DateTimeFormat("en-US", {
			weekday: "short",
			timeZone: "UTC",
		}).format(e.clock.now());
		expect(await page.getByTestId("calendar-today").textContent()).toContain(
			weekday,
		);
		await page
			.getByRole("heading", { name: "No public holidays" })
			.waitFor(WAIT);
		// Each SLA with its configured length, by name (the defaults here).
		const review = page
			.getByTestId("calendar-deadlines")
			.locator('[data-deadline="reviewStartDue"]');
		expect(await review.textContent()).toContain(
			"Review start due5 business days",
		);
		expect(
			await page
				.getByTestId("calendar-deadlines")
				.locator('[data-deadline="disputeUntil"]')
				.textContent(),
		).toContain("30 calendar days");
		await context.close();
	});
	it("R-ROL-2 R-TIME-1 the platform admin sets the business calendar: searches a zone and a country, saves, sees the holidays and the change, and sets it back", async () => {
		const { context, page } = await e.signIn("paula.platform@cpor.example");
		await page.goto("/admin?tab=calendar");
		const form = page.getByTestId("calendar-form");
		await form.waitFor(WAIT);
		const save = page.getByRole("button", { name: "Save calendar" });
		const zone = page.getByRole("combobox", { name: /Time zone/ });
		await zone.click();
		await zone.fill("amster");
		await page.getByRole("option", { name: "Europe/Amsterdam" }).click();
		const country = page.getByRole("combobox", { name: /Public holidays/ });
		await country.click();
		await country.fill("nether");
		await page.getByRole("option", { name: "Netherlands (NL)" }).click();
		await save.click();
		await page.getByTestId("calendar-saved").waitFor(WAIT);
		// The form starts anew from the calendar saved: nothing to save until it changes.
		expect(await save.getAttribute("aria-disabled")).toBe("true");
		expect(await page.getByTestId("calendar-holidays").textContent()).toBe(
			"Netherlands (NL)",
		);
		expect(await page.getByTestId("calendar-source").textContent()).toContain(
			"Paula Mendes",
		);
		await page
			.getByTestId("calendar-holiday-list")
			.getByText("Christmas Day")
			.waitFor(WAIT);
		const change = page.getByTestId("calendar-changes").getByRole("row");
		expect(await change.nth(1).textContent()).toContain("Europe/AmsterdamNL");
		await screenshot(page, "admin-business-calendar");
		// Back to the configuration's calendar, for the tests after this one.
		await zone.click();
		await zone.fill("UTC");
		await page.getByRole("option", { name: "UTC", exact: true }).click();
		await country.click();
		await page.getByRole("option", { name: "No public holidays" }).click();
		await save.click();
		await page
			.getByRole("heading", { name: "No public holidays" })
			.waitFor(WAIT);
		expect(await change.count()).toBe(3);
		await context.close();
	});

	it("the platform admin moves the sandbox clock to a date and time: the moment chosen is done, and the form does not then call it too early", async () => {
		const { context, page } = await e.signIn("paula.platform@cpor.example");
		await page.goto("/admin?tab=clock");
		const now = page.getByTestId("sandbox-now");
		await now.waitFor(WAIT);
		const before = new Date((await now.getAttribute("data-now")) as string);
		await page.getByRole("radio", { name: "To a date and time" }).check();
		// An hour on, in the browser's zone as the field takes it (datetime-local).
		const target = new Date(before.getTime() + 60 * 60_000);
		const local = new Date(
			target.getTime() - target.getTimezoneOffset() * 60_000,
		)
			.toISOString()
			.slice(0, 16);
		const field = page.locator('input[type="datetime-local"]');
		await field.fill(local);
		await page.getByRole("button", { name: "Advance clock" }).click();
		await page.getByTestId("clock-result").waitFor(WAIT);
		await expect
			.poll(
				async () =>
					new Date((await now.getAttribute("data-now")) as string).getTime(),
				WAIT,
			)
			.toBeGreaterThanOrEqual(Math.floor(target.getTime() / 60_000) * 60_000);
		expect(await field.inputValue()).toBe("");
		// The focus is on what ran (the button stays disabled with the field empty).
		await expect
			.poll(
				() =>
					page
						.getByTestId("clock-result-focus")
						.evaluate((el) => el === document.activeElement),
				WAIT,
			)
			.toBe(true);
		expect(
			await page
				.getByText("Choose a moment after the current sandbox time.")
				.count(),
		).toBe(0);
		await context.close();
	});

	it("R-CRT-2 a submit refused for an MPN ID not enrolled says what to do in the user's language, without program codes", async () => {
		// A complete draft with its PoE, moved to Fabrikam's MPN ID enrolled in nothing.
		const draft = await fabrikamClaim(e, "draft");
		const { context, page } = await e.signIn(ANA, { locale: "nl-NL" });
		const me = (await (await context.request.get("/api/v1/me")).json()) as {
			csrfToken: string;
		};
		const setMpnId = async (mpnId: string) => {
			const current = (await (
				await context.request.get(`/api/v1/claims/${draft.id}`)
			).json()) as { version: number };
			const res = await context.request.patch(`/api/v1/claims/${draft.id}`, {
				headers: {
					"x-csrf-token": me.csrfToken,
					"if-match": `"${current.version}"`,
				},
				data: { mpnId },
			});
			expect(res.status(), await res.text()).toBe(200);
		};
		await setMpnId(DEMO_IDS.mpnIds.fabrikamUnenrolled);
		const id = draft.id;
		await page.goto(`/claims/${id}`);
		await page.getByRole("button", { name: "Indienen" }).first().click();
		const error = page.locator('[data-testid="action-error"]');
		await error.waitFor(WAIT);
		expect(await error.getAttribute("data-code")).toBe("mpn_not_enrolled");
		const text = (await error.textContent()) ?? "";
		expect(text).toContain("Kies een MPN-ID van uw organisatie");
		expect(text).not.toMatch(/osu_m365|osa_sell|osu_bizapps|Not enrolled/);
		await setMpnId(draft.mpnId);
		await context.close();
	});

	it("a draft deleted from its page brings the partner back to the list as they left it, which says the draft was deleted", async () => {
		const { context, page } = await e.signIn(ANA);
		const me = (await (await context.request.get("/api/v1/me")).json()) as {
			csrfToken: string;
		};
		const name = "Draft to delete from its page";
		const created = await context.request.post("/api/v1/claims", {
			headers: { "x-csrf-token": me.csrfToken },
			data: {
				name,
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				customer: {
					tenantId: DEMO_IDS.tenants.contoso,
					domain: DEMO_IDS.domains.contoso,
				},
				solutionArea: "microsoft_365",
				activity: "usage",
			},
		});
		expect(created.status(), await created.text()).toBe(201);
		const { id } = (await created.json()) as { id: string };
		await page.goto("/claims?q=Draft%20to%20delete");
		const row = page.locator(
			`[data-testid="claim-row"][data-claim-id="${id}"]`,
		);
		await row.waitFor(WAIT);
		await page.goto(`/claims/${id}`);
		await page
			.getByRole("button", { name: "Delete draft", exact: true })
			.click();
		const dialog = page.getByRole("dialog");
		await dialog.getByRole("button", { name: "Delete draft" }).click();
		await page.waitForURL((u) => u.pathname === "/claims", WAIT);
		expect(new URL(page.url()).searchParams.get("q")).toBe("Draft to delete");
		const notice = page.getByTestId("draft-deleted");
		await notice.waitFor(WAIT);
		expect(await notice.textContent()).toContain(`Draft “${name}” deleted.`);
		// Said once: a reload does not say it again.
		await page.reload();
		await page.getByTestId("claims-search").waitFor(WAIT);
		await page.waitForLoadState("networkidle");
		expect(await page.getByTestId("draft-deleted").count()).toBe(0);
		await context.close();
	});

	it("a partner who leaves the wizard for another page with a step's values not saved is asked first; Stay keeps them, Leave goes; a reload gets the browser's question; with nothing entered nothing is asked", async () => {
		const { context, page } = await e.signIn(ANA);
		const nav = page
			.getByRole("navigation", { name: "Main" })
			.getByRole("link", { name: "Customer associations" });
		// Nothing entered: the menu just goes.
		await page.goto("/claims/new");
		await page.getByLabel("Claim name").waitFor(WAIT);
		await nav.click();
		await page.waitForURL((u) => u.pathname === "/claims", WAIT);
		// A name typed on step 1: asked first.
		await page.goto("/claims/new");
		await page.getByLabel("Claim name").fill("Typed, not saved");
		await nav.click();
		const ask = page.getByRole("dialog", { name: "Leave without saving?" });
		await ask.waitFor(WAIT);
		await ask.getByRole("button", { name: "Stay" }).click();
		await ask.waitFor({ state: "detached", ...WAIT });
		expect(new URL(page.url()).pathname).toBe("/claims/new");
		// The focus is back where the way out was taken.
		await expect
			.poll(() => nav.evaluate((el) => el === document.activeElement), WAIT)
			.toBe(true);
		expect(await page.getByLabel("Claim name").inputValue()).toBe(
			"Typed, not saved",
		);
		// Reloading the tab: the browser's own question; dismissed, the values stay.
		const unloads: string[] = [];
		page.once("dialog", async (dialog) => {
			unloads.push(dialog.type());
			await dialog.dismiss();
		});
		await page.reload({ timeout: 2000 }).catch(() => {});
		expect(unloads).toEqual(["beforeunload"]);
		expect(await page.getByLabel("Claim name").inputValue()).toBe(
			"Typed, not saved",
		);
		await nav.click();
		await ask.waitFor(WAIT);
		await ask.getByRole("button", { name: "Leave" }).click();
		await page.waitForURL((u) => u.pathname === "/claims", WAIT);
		await page.getByTestId("claims-search").waitFor(WAIT);
		// With nothing unsaved, a reload asks nothing.
		page.once("dialog", async (dialog) => {
			unloads.push(dialog.type());
			await dialog.accept();
		});
		await page.reload();
		await page.getByTestId("claims-search").waitFor(WAIT);
		expect(unloads).toEqual(["beforeunload"]);
		page.removeAllListeners("dialog");
		// Editing a draft, "New claim" starts the wizard anew at the same path: asked too.
		const draft = await fabrikamClaim(e, "draft");
		await page.goto(`/claims/new?draft=${draft.id}`);
		await page
			.locator('[data-step="mpn"][data-state="done"] button')
			.click(WAIT);
		await page.getByLabel("Claim name").fill(`${draft.name} (renamed)`);
		await page
			.getByRole("navigation", { name: "Main" })
			.getByRole("link", { name: "New claim" })
			.click();
		await ask.waitFor(WAIT);
		await ask.getByRole("button", { name: "Stay" }).click();
		expect(new URL(page.url()).searchParams.get("draft")).toBe(draft.id);
		await context.close();
	});

	it("R-DIR-6 an import's refusal is told in the admin's language: the headline counts the invalid rows in German", async () => {
		const { context, page } = await e.signIn("paula.platform@cpor.example", {
			locale: "de-DE",
		});
		await page.goto("/admin");
		await page.getByTestId("import-file").setInputFiles({
			name: "directory.json",
			mimeType: "application/json",
			buffer: Buffer.from(
				JSON.stringify({
					tenants: [
						{
							tenantId: "22222222-3333-4444-8555-666666666667",
							name: "Contoso Imposter",
							domains: ["imposter2.onmicrosoft.com", "contoso.com"],
						},
					],
				}),
			),
		});
		await page.getByRole("button", { name: "Importvorschau" }).click();
		const alert = page.getByRole("alert").filter({ hasText: "Der Import hat" });
		await alert.waitFor(WAIT);
		expect(await alert.textContent()).toContain(
			"Der Import hat 1 ungültige Zeile; es wurde nichts geladen.",
		);
		expect(await alert.textContent()).not.toContain("nothing was loaded");
		await context.close();
	});

	it("a comment nearing its 10,000 characters says how long it is, and at the limit shows and says that anything more is not added, so a long paste is not cut off without a word", async () => {
		const draft = await fabrikamClaim(e, "draft");
		const { context, page } = await e.signIn(ANA);
		await page.goto(`/claims/${draft.id}`);
		const input = page.getByTestId("comment-input");
		await input.waitFor(WAIT);
		await input.fill("a".repeat(500));
		expect(await page.getByText(/of 10,000 characters/).count()).toBe(0);
		await input.fill("a".repeat(9_500));
		await page.getByText("9,500 of 10,000 characters").waitFor(WAIT);
		expect(await page.getByTestId("comment-at-limit").textContent()).toBe("");
		await input.fill("a".repeat(10_050));
		expect((await input.inputValue()).length).toBe(10_000);
		// At the limit: shown and said (a screen reader hears nothing of a cut paste).
		const atLimit =
			"10,000 of 10,000 characters: the limit. Anything more is not added.";
		await page.getByText(atLimit).first().waitFor(WAIT);
		expect(await page.getByTestId("comment-at-limit").textContent()).toBe(
			atLimit,
		);
		await context.close();
	});
});
