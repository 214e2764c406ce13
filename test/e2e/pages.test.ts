import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type E2E,
	screenshot,
	seriousA11yViolations,
	startE2E,
} from "./harness.ts";

/** Each main page: who sees it, where, and what shows it is ready. */
const PAGES: {
	name: string;
	user: string;
	path: (e: E2E) => Promise<string> | string;
}[] = [
	{
		name: "partner-dashboard",
		user: "ana.global@fabrikam.example",
		path: () => "/claims",
	},
	{
		name: "partner-claim",
		user: "ana.global@fabrikam.example",
		path: (e) => firstClaim(e, "fabrikam", "partner_action_required"),
	},
	{
		name: "partner-wizard",
		user: "ana.global@fabrikam.example",
		path: () => "/claims/new",
	},
	{
		name: "partner-insights",
		user: "bea.billing@fabrikam.example",
		path: () => "/insights",
	},
	{
		name: "reviewer-queue",
		user: "rita.reviewer@cpor.example",
		path: () => "/review",
	},
	{
		name: "reviewer-claims",
		user: "rita.reviewer@cpor.example",
		path: () => "/review/claims",
	},
	{
		name: "reviewer-claim",
		user: "rita.reviewer@cpor.example",
		path: async (e) =>
			`/review/claims/${(await firstClaim(e, null, "under_review")).split("/").pop()}`,
	},
	{
		name: "reviewer-arbitration",
		user: "rita.reviewer@cpor.example",
		path: async (e) => `/review/arbitration/${await competingClaimId(e)}`,
	},
	{
		name: "reviewer-sla",
		user: "rita.reviewer@cpor.example",
		path: () => "/review/sla",
	},
	{
		name: "customer-associations",
		user: "carl.customer@contoso.example",
		path: () => "/customer",
	},
	{ name: "admin", user: "paula.platform@cpor.example", path: () => "/admin" },
	{
		name: "admin-directory-tab",
		user: "paula.platform@cpor.example",
		path: () => "/admin?tab=directory",
	},
	{
		name: "admin-calendar-tab",
		user: "paula.platform@cpor.example",
		path: () => "/admin?tab=calendar",
	},
	{
		name: "reviewer-directory",
		user: "rita.reviewer@cpor.example",
		path: () => "/review/directory",
	},
];

async function firstClaim(
	e: E2E,
	org: string | null,
	status: string,
): Promise<string> {
	const row = await e.ctx.db.query.claims.findFirst({
		where: (c, { and, eq }) =>
			org
				? and(eq(c.partnerOrganizationId, org), eq(c.status, status))
				: eq(c.status, status),
	});
	if (!row) throw new Error(`no ${status} claim in the demo`);
	return `/claims/${row.id}`;
}

async function competingClaimId(e: E2E): Promise<string> {
	const row = await e.ctx.db.query.claims.findFirst({
		where: (c, { and, eq, ne }) =>
			and(eq(c.competing, true), ne(c.status, "rejected")),
	});
	if (!row) throw new Error("no competing claim in the demo");
	return row.id;
}

async function settled(page: Page) {
	await page.locator("main h1").first().waitFor({ timeout: 30_000 });
	await page.waitForLoadState("networkidle");
	await page.waitForTimeout(300);
}

const WAIT = { timeout: 30_000 };

describe("main pages: accessibility (axe-core) and screenshots", () => {
	let e: E2E;
	beforeAll(async () => {
		e = await startE2E();
	});
	afterAll(async () => e?.close());

	it("the sign-in page has no serious or critical axe violations", async () => {
		const context = await e.browser.newContext({
			baseURL: e.baseUrl,
			viewport: { width: 1280, height: 800 },
		});
		const page = await context.newPage();
		await page.goto("/login");
		await page.getByRole("heading", { level: 1 }).waitFor();
		expect(await seriousA11yViolations(page)).toEqual([]);
		await screenshot(page, "sign-in");
		await context.close();
	});

	for (const p of PAGES) {
		it(`${p.name}: no serious or critical axe violations, on a laptop and a narrow screen`, async () => {
			const { context, page } = await e.signIn(p.user);
			await page.goto(await p.path(e));
			await settled(page);
			expect(await seriousA11yViolations(page), p.name).toEqual([]);
			await screenshot(page, p.name);
			await page.setViewportSize({ width: 390, height: 844 });
			await settled(page);
			expect(await seriousA11yViolations(page), `${p.name} narrow`).toEqual([]);
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - window.innerWidth,
			);
			expect(
				overflow,
				`${p.name} scrolls sideways at 390 px`,
			).toBeLessThanOrEqual(1);
			await screenshot(page, `${p.name}-narrow`);
			await context.close();
		});
	}

	/**
	 * A browser that still runs the previous build asks for a chunk that a deployment
	 * removed: the claim page's code is answered 404 (`times` requests, then served).
	 * Signs in, opens the dashboard and clicks the first claim (a client-side
	 * navigation). Returns the page and how many requests for the chunk were refused.
	 */
	async function openClaimWithChunkGone(times: number) {
		const { context, page } = await e.signIn("ana.global@fabrikam.example");
		await page.goto("/claims");
		const firstClaim = page
			.locator('main a[href^="/claims/"]:not([href="/claims/new"])')
			.first();
		await firstClaim.waitFor();
		let refused = 0;
		await page.route("**/assets/claim-page-*.js", (route) => {
			if (refused >= times) return route.continue();
			refused++;
			return route.fulfill({ status: 404, body: "gone" });
		});
		await firstClaim.click();
		return { context, page, refused: () => refused };
	}

	it("a new page in the app is said to screen readers by its title, and takes the focus that its link took with it; a header link keeps it; the first page says nothing", async () => {
		const { context, page } = await e.signIn("ana.global@fabrikam.example");
		const announcer = page.getByTestId("page-announcer");
		await page.goto("/claims");
		const link = page
			.locator('main a[href^="/claims/"]:not([href="/claims/new"])')
			.first();
		await link.waitFor(WAIT);
		expect(await announcer.textContent()).toBe("");
		const name = (await link.textContent()) ?? "";
		await link.click();
		await page.getByTestId("claim-details").waitFor(WAIT);
		await expect.poll(() => announcer.textContent(), WAIT).toBe(name.trim());
		expect(
			await page.evaluate(() => document.activeElement?.tagName ?? ""),
		).toBe("H1");
		// A header link stays in the page: it keeps the focus, and the title is said.
		const insights = page.getByRole("link", { name: "Insights" });
		await insights.focus();
		await page.keyboard.press("Enter");
		await page.waitForURL("**/insights", WAIT);
		await expect.poll(() => announcer.textContent(), WAIT).toMatch(/Insights/);
		expect(
			await page.evaluate(() => document.activeElement?.textContent ?? ""),
		).toBe("Insights");
		await context.close();
	});

	it("a signed-out visit to a page's address asks only who is signed in, and shows sign-in: no page request is sent to be refused", async () => {
		const context = await e.browser.newContext({ baseURL: e.baseUrl });
		const page = await context.newPage();
		const refused: string[] = [];
		page.on("response", (r) => {
			if (r.status() === 401) refused.push(new URL(r.url()).pathname);
		});
		const claim = (await firstClaim(e, null, "under_review")).split("/").pop();
		for (const path of [
			"/claims",
			`/claims/${claim}`,
			"/review",
			"/insights",
		]) {
			await page.goto(path);
			await page
				.getByRole("heading", { level: 1, name: "Sign in to CPOR" })
				.waitFor({ timeout: 15_000 });
		}
		expect([...new Set(refused)]).toEqual(["/api/v1/me"]);
		await context.close();
	});

	it("a page whose code a deployment removed reloads once and then shows", async () => {
		const { context, page, refused } = await openClaimWithChunkGone(1);
		await page.getByTestId("claim-details").waitFor();
		expect(refused()).toBe(1);
		// It got there by reloading (the guard against a loop was set).
		expect(
			await page.evaluate(() =>
				sessionStorage.getItem("cpor.reloadedForNewBuild"),
			),
		).toMatch(/^\d+$/);
		await context.close();
	});

	it("a page whose code is still missing after that reload says so inside the shell, with a reload, and does not loop", async () => {
		const { context, page, refused } = await openClaimWithChunkGone(100);
		const heading = page.getByRole("heading", {
			name: "This page could not be loaded",
		});
		await heading.waitFor();
		await expect
			.poll(() => refused(), { timeout: 5_000 })
			.toBeGreaterThanOrEqual(2);
		await page.waitForTimeout(1_000);
		// One reload, not a loop: the first load and the reload asked for the chunk.
		expect(refused()).toBe(2);
		await page.getByRole("button", { name: "Reload" }).waitFor();
		await page
			.getByRole("link", { name: "Customer associations" })
			.first()
			.waitFor();
		expect(await seriousA11yViolations(page)).toEqual([]);
		await context.close();
	});
});
