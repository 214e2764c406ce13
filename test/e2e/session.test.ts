/**
 * A session that ends on the server while a page is open (signed out in another tab, or
 * expired): the next page's request is answered 401, and the app sends the user to the
 * sign-in page, which says why, and back to that page after signing in; a wrong password
 * on the sign-in page is not taken for an ended session.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type E2E,
	E2E_PASSWORD,
	seriousA11yViolations,
	startE2E,
} from "./harness.ts";

const ANA = "ana.global@fabrikam.example";
const DAAN = "daan.incentives@fabrikam.example";
const WAIT = { timeout: 30_000 };

/**
 * Ana signed in with the dashboard open (`prepare` runs on its page first, e.g. to fake
 * its clock), then signed out in a second tab of the same browser, which shows no
 * notice: that was her own doing. Returns the first tab, 401s recorded by path.
 */
async function signedOutInAnotherTab(
	e: E2E,
	prepare: (page: Page) => Promise<void> = async () => {},
): Promise<{ context: BrowserContext; page: Page; unauthorized: string[] }> {
	const { context, page } = await e.signIn(ANA);
	await prepare(page);
	await page.goto("/claims");
	await page.getByTestId("signed-in-user").waitFor(WAIT);
	const other = await context.newPage();
	await other.goto("/claims");
	await other.getByRole("button", { name: "Sign out" }).click();
	await other.waitForURL("**/login**", WAIT);
	expect(await other.getByTestId("session-ended").count()).toBe(0);
	await other.close();
	const unauthorized: string[] = [];
	page.on("response", (r) => {
		if (r.status() === 401) unauthorized.push(new URL(r.url()).pathname);
	});
	return { context, page, unauthorized };
}

/** Clicks Insights in the main navigation. */
async function openInsights(page: Page): Promise<void> {
	await page
		.getByRole("navigation", { name: "Main" })
		.getByRole("link", { name: "Insights" })
		.click();
}

describe("a session that ends while the app is open", () => {
	let e: E2E;
	beforeAll(async () => {
		e = await startE2E();
	});
	afterAll(async () => e?.close());

	it("signed out in another tab: the next page goes to sign-in, which says the session ended, then back to that page", async () => {
		const { context, page, unauthorized } = await signedOutInAnotherTab(e);
		await openInsights(page);
		await page.waitForURL("**/login?next=%2Finsights", WAIT);
		const notice = page.getByTestId("session-ended");
		await notice.waitFor(WAIT);
		expect(await notice.textContent()).toContain("Your session has ended");
		expect(await seriousA11yViolations(page)).toEqual([]);
		expect(unauthorized.length).toBeGreaterThan(0);
		// No error with a useless Retry on the way.
		expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(0);

		// A wrong password says so, instead of the notice.
		await page.getByLabel(/email/i).fill(ANA);
		await page.getByLabel(/password/i).fill("not the password");
		await page.getByRole("button", { name: /sign in/i }).click();
		await page.getByText("The email or password is not right.").waitFor(WAIT);
		expect(await notice.count()).toBe(0);

		await page.getByLabel(/password/i).fill(E2E_PASSWORD);
		await page.getByRole("button", { name: /sign in/i }).click();
		await page.waitForURL((u) => u.pathname === "/insights", WAIT);
		await page.getByTestId("signed-in-user").waitFor(WAIT);
		await context.close();
	});

	it("an idle tab whose session ended meanwhile: the notice shows however its answers arrive", async () => {
		const { context, page, unauthorized } = await signedOutInAnotherTab(
			e,
			(p) => p.clock.install(),
		);
		// Idle for two minutes: the next page asks again who is signed in, beside its own
		// requests, and either answer may come first. Here the page's own request answers
		// late, so GET /me's 401 comes first.
		await page.clock.fastForward("02:00");
		await page.route("**/api/v1/reports/earnings**", async (route) => {
			await new Promise((r) => setTimeout(r, 1500));
			await route.continue();
		});
		await openInsights(page);
		await page.waitForURL("**/login?next=%2Finsights", WAIT);
		await page.getByTestId("session-ended").waitFor(WAIT);
		expect(unauthorized).toContain("/api/v1/me");
		await context.close();
	});

	it("a wrong password on a fresh visit shows the sign-in error only", async () => {
		const context = await e.browser.newContext({ baseURL: e.baseUrl });
		const page = await context.newPage();
		await page.goto("/claims");
		await page.waitForURL("**/login**", WAIT);
		await page.getByLabel(/email/i).fill(ANA);
		await page.getByLabel(/password/i).fill("wrong");
		await page.getByRole("button", { name: /sign in/i }).click();
		await page.getByText("The email or password is not right.").waitFor(WAIT);
		expect(await page.getByTestId("session-ended").count()).toBe(0);
		await context.close();
	});
	it("after ten wrong passwords for one account the sign-in page says how long to wait, not that the password is wrong", async () => {
		const context = await e.browser.newContext({ baseURL: e.baseUrl });
		const page = await context.newPage();
		await page.goto("/login");
		const email = "someone.guessed@fabrikam.example";
		await page.getByLabel(/email/i).fill(email);
		const error = page.getByTestId("sign-in-error");
		for (let i = 0; i < 10; i++) {
			await page.getByLabel(/password/i).fill(`wrong ${i}`);
			await page.getByRole("button", { name: /sign in/i }).click();
			await page.getByText("The email or password is not right.").waitFor(WAIT);
		}
		await page.getByLabel(/password/i).fill("wrong 10");
		await page.getByRole("button", { name: /sign in/i }).click();
		await page
			.getByText("Too many sign-in attempts: try again in 15 minutes.")
			.waitFor(WAIT);
		expect(await error.count()).toBe(1);
		await context.close();
	});
	it("a sign-in link whose next address leaves the app goes to the user's home page instead, and one inside the app is kept", async () => {
		for (const next of [
			"//example.com/claims",
			"/.//example.com",
			"/a/..//example.com",
			"https://example.com/",
			"/\\example.com",
			"javascript:alert(1)",
			"/login?next=/claims",
		]) {
			const context = await e.browser.newContext({ baseURL: e.baseUrl });
			const page = await context.newPage();
			const errors: string[] = [];
			page.on("pageerror", (err) => errors.push(err.message));
			await page.goto(`/login?next=${encodeURIComponent(next)}`);
			await page.getByLabel(/email/i).fill(ANA);
			await page.getByLabel(/password/i).fill(E2E_PASSWORD);
			await page.getByRole("button", { name: /sign in/i }).click();
			await page.getByTestId("signed-in-user").waitFor(WAIT);
			expect(new URL(page.url()).origin, next).toBe(e.baseUrl);
			// Home: the app's root, which shows a partner the claims ("Customer associations").
			expect(new URL(page.url()).pathname, next).toMatch(/^\/(claims)?$/);
			await page
				.getByRole("heading", {
					level: 1,
					name: "Customer associations",
					exact: true,
				})
				.waitFor(WAIT);
			expect(errors, next).toEqual([]);
			// Coming back to the sign-in page with the link while signed in: the same.
			await page.goto(`/login?next=${encodeURIComponent(next)}`);
			await page.waitForURL((u) => u.pathname === "/claims", WAIT);
			await context.close();
		}
		const { context, page } = await e.signIn(ANA);
		await page.goto(
			`/login?next=${encodeURIComponent("/insights?tab=usage#top")}`,
		);
		await page.waitForURL("**/insights?tab=usage#top", WAIT);
		await context.close();
	});
	it("a user's own language (daan's Dutch) is the app's in a browser that chose none; picking another in the menu sets it for the account, in the next browser too", async () => {
		/** The signed-in user's own language, as the API has it. */
		const accountLocale = async (context: BrowserContext) =>
			(
				(await (await context.request.get("/api/v1/me")).json()) as {
					user: { locale: string };
				}
			).user.locale;
		const signInFresh = async () => {
			const context = await e.browser.newContext({
				baseURL: e.baseUrl,
				locale: "en-US",
			});
			const page = await context.newPage();
			await page.goto("/login");
			await page.getByLabel(/email/i).fill(DAAN);
			await page.getByLabel(/password/i).fill(E2E_PASSWORD);
			await page.getByRole("button", { name: /sign in/i }).click();
			await page.waitForURL((u) => !u.pathname.startsWith("/login"));
			return { context, page };
		};
		const first = await signInFresh();
		await first.page
			.getByRole("link", { name: "Klantkoppelingen" })
			.first()
			.waitFor(WAIT);
		expect(await first.page.evaluate(() => document.documentElement.lang)).toBe(
			"nl",
		);
		await first.page.getByRole("combobox", { name: "Taal" }).click();
		await first.page.getByRole("option", { name: "Svenska" }).click();
		await first.page
			.getByRole("link", { name: "Kundassociationer" })
			.first()
			.waitFor(WAIT);
		await expect.poll(() => accountLocale(first.context), WAIT).toBe("sv");
		await first.context.close();
		const second = await signInFresh();
		await second.page
			.getByRole("link", { name: "Kundassociationer" })
			.first()
			.waitFor(WAIT);
		// Back to Dutch, for the tests after this one.
		await second.page.getByRole("combobox", { name: "Språk" }).click();
		await second.page.getByRole("option", { name: "Nederlands" }).click();
		await expect.poll(() => accountLocale(second.context), WAIT).toBe("nl");
		await second.context.close();
	});

	it("the sign-in form says what is missing in the page's language, and a refused sign-in leaves the focus on its button", async () => {
		const context = await e.browser.newContext({ baseURL: e.baseUrl });
		const page = await context.newPage();
		await page.addInitScript(() => localStorage.setItem("cpor.lang", "nl"));
		await page.goto("/login");
		const submit = page.getByRole("button", { name: "Aanmelden" });
		await submit.click();
		await page
			.getByText("Vul het e-mailadres in waarmee u zich aanmeldt.")
			.waitFor(WAIT);
		await page.getByText("Vul uw wachtwoord in.").waitFor(WAIT);
		expect(await page.getByText(/Too small|expected string/).count()).toBe(0);
		await page.getByLabel(/e-mail/i).fill(ANA);
		await page.getByLabel(/wachtwoord/i).fill("not-the-password");
		await submit.focus();
		await page.keyboard.press("Enter");
		await page.getByRole("alert").first().waitFor(WAIT);
		expect(await submit.evaluate((el) => el === document.activeElement)).toBe(
			true,
		);
		await context.close();
	});
});
