/**
 * The Integrations page through the browser (API tokens and webhook subscriptions), as a
 * partner organization's admin works: a token is created and shown once, copied, proven
 * real against `GET /api/v1/me`, listed with its last use and revoked (then refused); a
 * webhook subscription is refused for a bad URL with the server's error at the field,
 * made for two event types with its signing secret shown once, listed and deleted. A user
 * whose role cannot manage integrations has no link to the page and is told so on it.
 * One demo server for all; the tests build on each other in order.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type E2E,
	screenshot,
	seriousA11yViolations,
	startE2E,
} from "./harness.ts";

/** Fabrikam's global admin (manages integrations). */
const ANA = "ana.global@fabrikam.example";
/** Fabrikam's incentives admin (manages integrations). */
const DAAN = "daan.incentives@fabrikam.example";
/** Fabrikam's incentives user (cannot manage integrations). */
const IVAN = "ivan.incentives@fabrikam.example";
/** The platform admin (API tokens, but no organization's webhooks). */
const PAULA = "paula.platform@cpor.example";
const WAIT = { timeout: 30_000 };
const TOKEN_NAME = "E2E CRM sync";
const HOOK_URL = "https://hooks.example.com/cpor/e2e";

async function settled(page: Page) {
	await page.locator("main h1").first().waitFor(WAIT);
	await page.waitForLoadState("networkidle");
	await page.waitForTimeout(300);
}

/**
 * Waits until no animation that ends is running (a dialog fading in would fail axe's
 * contrast check); endless ones, such as a spinner's, do not count.
 */
async function stillScreen(page: Page) {
	await page.waitForFunction(() =>
		document
			.getAnimations()
			.every(
				(a) =>
					a.playState !== "running" ||
					a.effect?.getComputedTiming().endTime === Number.POSITIVE_INFINITY,
			),
	);
}

/** The main navigation's Integrations link (zero or one). */
function navLink(page: Page): Locator {
	return page
		.getByRole("navigation", { name: "Main" })
		.getByRole("link", { name: "Integrations" });
}

/** The text of the elements that describe `field` (aria-describedby): its hint and message. */
async function descriptionOf(field: Locator): Promise<string> {
	const ids = (await field.getAttribute("aria-describedby")) ?? "";
	const page = field.page();
	const texts = await Promise.all(
		ids
			.split(/\s+/)
			.filter(Boolean)
			.map((id) => page.locator(`[id="${id}"]`).textContent()),
	);
	return texts.join(" ");
}

/** `GET /api/v1/me` with a bearer token, from outside the browser (as an integration would). */
async function meWithToken(
	e: E2E,
	token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const res = await fetch(`${e.baseUrl}/api/v1/me`, {
		headers: { authorization: `Bearer ${token}`, accept: "application/json" },
	});
	return {
		status: res.status,
		body: (await res.json()) as Record<string, unknown>,
	};
}

/** Asserts no serious axe violations, and no sideways scrolling at a phone's width. */
async function accessibleAtBothWidths(page: Page, what: string) {
	await stillScreen(page);
	expect(await seriousA11yViolations(page), what).toEqual([]);
	const before = page.viewportSize();
	await page.setViewportSize({ width: 390, height: 844 });
	await page.waitForTimeout(300);
	await stillScreen(page);
	expect(await seriousA11yViolations(page), `${what} narrow`).toEqual([]);
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth,
	);
	expect(overflow, `${what} scrolls sideways at 390 px`).toBeLessThanOrEqual(1);
	if (before) await page.setViewportSize(before);
}

describe("integrations page: API tokens and webhooks", () => {
	let e: E2E;
	let token = "";

	beforeAll(async () => {
		e = await startE2E();
	});
	afterAll(async () => e?.close());

	it("a global admin opens Integrations from the navigation, creates an API token that is shown once with a copy button, and the token authenticates GET /api/v1/me", async () => {
		const { context, page } = await e.signIn(ANA);
		await context.grantPermissions(["clipboard-read", "clipboard-write"], {
			origin: e.baseUrl,
		});
		await page.goto("/claims");
		await navLink(page).click();
		await page.waitForURL("**/integrations");
		await page
			.getByRole("heading", { level: 1, name: "Integrations" })
			.waitFor(WAIT);
		expect(
			await page
				.getByRole("tab", { name: "API tokens" })
				.getAttribute("aria-selected"),
		).toBe("true");

		// No tokens yet: the empty state says what a token is for.
		const empty = page.getByRole("heading", { name: "You have no API tokens" });
		await empty.waitFor(WAIT);
		expect(await page.locator("main").textContent()).toContain(
			"needs to read or create claims through the CPOR API",
		);

		// A token needs a name: said at the field, and nothing is sent.
		const created: string[] = [];
		page.on("request", (r) => {
			if (
				new URL(r.url()).pathname === "/api/v1/api-tokens" &&
				r.method() === "POST"
			)
				created.push(r.url());
		});
		const name = page.getByLabel("Token name");
		await page.getByRole("button", { name: "Create token" }).click();
		expect(await name.getAttribute("aria-invalid")).toBe("true");
		expect(await descriptionOf(name)).toContain("Give the token a name");
		expect(created).toEqual([]);

		// Created: the token is shown once, with the warning, and takes the focus.
		await name.fill(TOKEN_NAME);
		await page.getByRole("button", { name: "Create token" }).click();
		const reveal = page.getByTestId("new-token");
		await reveal.waitFor(WAIT);
		expect(created).toHaveLength(1);
		expect(await reveal.textContent()).toContain("You will not see it again");
		expect(await reveal.textContent()).toContain(
			`Token “${TOKEN_NAME}” created`,
		);
		token = await reveal.getByTestId("secret-value").inputValue();
		expect(token).toMatch(/^cpor_[\w-]{40,}$/);
		await expect
			.poll(() =>
				page.evaluate(() =>
					document.activeElement?.getAttribute("data-testid"),
				),
			)
			.toBe("new-token");

		// The copy button puts it on the clipboard.
		await reveal.getByRole("button", { name: "Copy" }).click();
		await reveal.getByText("Copied to the clipboard.").waitFor(WAIT);
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
			token,
		);

		// Listed (without its secret), never used yet.
		const row = page
			.getByTestId("api-token-row")
			.filter({ hasText: TOKEN_NAME });
		await row.waitFor(WAIT);
		expect(await page.getByTestId("api-token-row").count()).toBe(1);
		expect(await row.textContent()).toContain("Never used");
		expect(await row.textContent()).toContain("Global admin");
		expect(await row.textContent()).not.toContain(token);
		expect(await empty.count()).toBe(0);

		await accessibleAtBothWidths(page, "tokens tab with a new token");

		// The token is real: an integration signs in with it as Ana, with her role.
		const me = await meWithToken(e, token);
		expect(me.status).toBe(200);
		expect(me.body.user).toMatchObject({ email: ANA });
		expect(me.body.roles).toEqual(["global_admin"]);
		expect(me.body.organization).toMatchObject({ name: expect.any(String) });

		// Done: the secret is gone from the page, and a reload does not bring it back.
		await reveal
			.getByRole("button", { name: "Done, I have copied it" })
			.click();
		expect(await reveal.count()).toBe(0);
		expect(await page.content()).not.toContain(token);
		await page.reload();
		await row.waitFor(WAIT);
		expect(await page.content()).not.toContain(token);

		// Its use shows as "Last used" (recorded as it authenticated, in the background).
		await expect
			.poll(
				async () => {
					await page.getByRole("button", { name: "Refresh" }).click();
					await page.waitForLoadState("networkidle");
					return row.getByTestId("token-last-used").getAttribute("data-used");
				},
				{ timeout: 15_000, interval: 500 },
			)
			.toBe("true");
		expect(await row.textContent()).toMatch(/Last used \w+/);
		await context.close();
	});

	it("revoking the token asks first (cancel keeps it); once revoked it leaves the list and the token gets 401", async () => {
		expect(token).not.toBe("");
		const { context, page } = await e.signIn(ANA);
		await page.goto("/integrations");
		const row = page
			.getByTestId("api-token-row")
			.filter({ hasText: TOKEN_NAME });
		await row.waitFor(WAIT);
		const revoke = row.getByRole("button", { name: "Revoke" });

		// Cancel: nothing happens, and the focus goes back to the button.
		await revoke.click();
		const dialog = page.getByRole("alertdialog");
		await dialog.waitFor(WAIT);
		expect(await dialog.textContent()).toContain(
			`Revoke the token “${TOKEN_NAME}”?`,
		);
		expect(await dialog.textContent()).toContain("cannot be undone");
		await stillScreen(page);
		expect(await seriousA11yViolations(page), "revoke dialog").toEqual([]);
		await dialog.getByRole("button", { name: "Cancel" }).click();
		await dialog.waitFor({ state: "detached", ...WAIT });
		expect(await page.getByTestId("api-token-row").count()).toBe(1);
		await expect
			.poll(() => page.evaluate(() => document.activeElement?.textContent))
			.toBe("Revoke");
		expect((await meWithToken(e, token)).status).toBe(200);

		// Confirmed with the keyboard: revoked, a notice says so, the list is empty again.
		await revoke.click();
		await dialog.waitFor(WAIT);
		await dialog.getByRole("button", { name: "Revoke token" }).focus();
		await page.keyboard.press("Enter");
		const notice = page.getByTestId("done-notice");
		await notice.waitFor(WAIT);
		expect(await notice.textContent()).toContain(
			`Token “${TOKEN_NAME}” revoked`,
		);
		await page
			.getByRole("heading", { name: "You have no API tokens" })
			.waitFor(WAIT);
		expect(await page.getByTestId("api-token-row").count()).toBe(0);

		// The server agrees: the token is refused, and it is not listed.
		const me = await meWithToken(e, token);
		expect(me.status).toBe(401);
		expect(me.body.code).toBe("unauthenticated");
		const listed = await page.request.get("/api/v1/api-tokens");
		expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
		await context.close();
	});

	it("a webhook subscription: a bad URL gets the server's error at the field; two event types are subscribed with the signing secret shown once, listed with those types, then deleted", async () => {
		const { context, page } = await e.signIn(ANA);
		await page.goto("/integrations");
		await page.getByRole("tab", { name: "Webhooks" }).click();
		await page.waitForURL("**/integrations?tab=webhooks");
		await page
			.getByRole("heading", { name: "No webhook subscriptions yet" })
			.waitFor(WAIT);

		const url = page.getByLabel("Endpoint URL");
		const submit = page.getByRole("button", { name: "Add subscription" });
		const posted = () =>
			page.waitForResponse(
				(r) =>
					new URL(r.url()).pathname === "/api/v1/webhooks" &&
					r.request().method() === "POST",
			);

		// Not a URL: the server refuses it (422), and its error shows at the field.
		await url.fill("not a web address");
		let answer = posted();
		await submit.click();
		let response = await answer;
		expect(response.status()).toBe(422);
		const invalid = (await response.json()) as {
			code: string;
			errors: { path: string; code: string }[];
		};
		expect(invalid.code).toBe("validation_failed");
		expect(invalid.errors.map((x) => x.path)).toEqual(["url"]);
		await expect.poll(() => url.getAttribute("aria-invalid")).toBe("true");
		expect(await descriptionOf(url)).toContain(
			"This is not a full web address",
		);
		const problem = page.getByTestId("form-problem");
		expect(await problem.getAttribute("data-code")).toBe("validation_failed");
		expect(await problem.textContent()).toContain(
			"The problem is shown at the field.",
		);
		await accessibleAtBothWidths(page, "webhooks tab with a refused URL");

		// A private address: refused by the server with its own reason, at the field.
		await url.fill("http://127.0.0.1:9000/hook");
		expect(await url.getAttribute("aria-invalid")).not.toBe("true");
		answer = posted();
		await submit.click();
		response = await answer;
		expect(response.status()).toBe(422);
		expect(
			((await response.json()) as { errors: { code: string }[] }).errors[0]
				?.code,
		).toBe("private_address");
		await expect
			.poll(() => descriptionOf(url))
			.toContain("127.0.0.1 is this computer or a private network");

		// Chosen events: none chosen is said at the choices, and nothing is sent.
		await url.fill(HOOK_URL);
		await page.getByRole("radio", { name: "Only the events I choose" }).check();
		let sent = 0;
		const count = (r: { url(): string; method(): string }) => {
			if (
				new URL(r.url()).pathname === "/api/v1/webhooks" &&
				r.method() === "POST"
			)
				sent++;
		};
		page.on("request", count);
		await submit.click();
		await page
			.getByText("Choose at least one event, or choose All events.")
			.waitFor(WAIT);
		expect(sent).toBe(0);

		// Two event types: subscribed, and the signing secret is shown once.
		await page.getByRole("checkbox", { name: /Claim approved/ }).check();
		await page.getByRole("checkbox", { name: /Claim rejected/ }).check();
		answer = posted();
		await submit.click();
		response = await answer;
		expect(response.status()).toBe(201);
		expect(sent).toBe(1);
		const reveal = page.getByTestId("new-webhook");
		await reveal.waitFor(WAIT);
		expect(await reveal.textContent()).toContain("You will not see it again");
		const secret = await reveal.getByTestId("secret-value").inputValue();
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
		expect(await reveal.getByRole("button", { name: "Copy" }).count()).toBe(1);

		// Listed with those two types (and never with the secret); the server agrees.
		const row = page.getByTestId("webhook-row").filter({ hasText: HOOK_URL });
		await row.waitFor(WAIT);
		const events = row.getByTestId("webhook-events");
		expect(await events.getAttribute("data-event-types")).toBe(
			"claim.approved claim.rejected",
		);
		expect(await events.getByRole("listitem").allTextContents()).toEqual([
			"Claim approved",
			"Claim rejected",
		]);
		expect(await row.textContent()).not.toContain("All events");
		expect(await row.textContent()).not.toContain(secret);
		const listed = (await (
			await page.request.get("/api/v1/webhooks")
		).json()) as {
			items: { url: string; eventTypes: string[] }[];
		};
		expect(listed.items).toEqual([
			expect.objectContaining({
				url: HOOK_URL,
				eventTypes: ["claim.approved", "claim.rejected"],
			}),
		]);

		await accessibleAtBothWidths(page, "webhooks tab with a new subscription");
		await screenshot(page, "integrations");

		await reveal
			.getByRole("button", { name: "Done, I have copied it" })
			.click();
		expect(await page.content()).not.toContain(secret);

		// Delete, after the confirmation: gone from the list and from the server.
		await row.getByRole("button", { name: "Delete" }).click();
		const dialog = page.getByRole("alertdialog");
		await dialog.waitFor(WAIT);
		expect(await dialog.textContent()).toContain(HOOK_URL);
		await dialog.getByRole("button", { name: "Delete subscription" }).click();
		const notice = page.getByTestId("done-notice");
		await notice.waitFor(WAIT);
		expect(await notice.textContent()).toContain(
			`CPOR no longer sends events to ${HOOK_URL}`,
		);
		await page
			.getByRole("heading", { name: "No webhook subscriptions yet" })
			.waitFor(WAIT);
		expect(await page.getByTestId("webhook-row").count()).toBe(0);
		const after = (await (
			await page.request.get("/api/v1/webhooks")
		).json()) as {
			items: unknown[];
		};
		expect(after.items).toEqual([]);
		await context.close();
	});

	it("an incentives user has no Integrations link, and the page's address tells them it is not for their role (the server refuses too)", async () => {
		const { context, page } = await e.signIn(IVAN);
		const asked: string[] = [];
		page.on("request", (r) => {
			const path = new URL(r.url()).pathname;
			if (path === "/api/v1/api-tokens" || path === "/api/v1/webhooks")
				asked.push(path);
		});
		await page.goto("/claims");
		await settled(page);
		expect(
			await page
				.getByRole("navigation", { name: "Main" })
				.getByRole("link")
				.allTextContents(),
		).not.toContain("Integrations");
		expect(await navLink(page).count()).toBe(0);

		await page.goto("/integrations");
		const denied = page.getByTestId("integrations-not-allowed");
		await denied.waitFor(WAIT);
		expect(await denied.textContent()).toContain(
			"You cannot manage integrations",
		);
		expect(await denied.textContent()).toContain("(Incentives user)");
		expect(await page.getByLabel("Token name").count()).toBe(0);
		expect(await page.getByRole("tab").count()).toBe(0);
		await settled(page);
		expect(asked).toEqual([]);
		expect(await seriousA11yViolations(page)).toEqual([]);

		const refused = await page.request.get("/api/v1/api-tokens");
		expect(refused.status()).toBe(403);
		await context.close();
	});

	it("an incentives admin has the link too; a platform admin has API tokens but is told webhooks belong to partner organizations", async () => {
		const daan = await e.signIn(DAAN);
		await daan.page.goto("/claims");
		await navLink(daan.page).waitFor(WAIT);
		await daan.context.close();

		const { context, page } = await e.signIn(PAULA);
		await navLink(page).click();
		await page.waitForURL("**/integrations");
		await page
			.getByRole("heading", { name: "You have no API tokens" })
			.waitFor(WAIT);
		await page.getByRole("tab", { name: "Webhooks" }).click();
		const partnerOnly = page.getByTestId("webhooks-partner-only");
		await partnerOnly.waitFor(WAIT);
		expect(await partnerOnly.textContent()).toContain(
			"Webhooks belong to partner organizations",
		);
		expect(await page.getByLabel("Endpoint URL").count()).toBe(0);
		expect(await seriousA11yViolations(page)).toEqual([]);
		await context.close();
	});

	it("a user with more tokens than a page sees the newest first and the rest after Show more tokens", async () => {
		const { context, page } = await e.signIn(DAAN);
		const me = await (await page.request.get("/api/v1/me")).json();
		const headers = { "x-csrf-token": me.csrfToken as string };
		// One page is 200 tokens; made one after another, so the last is the newest.
		for (let i = 0; i < 203; i++) {
			const res = await page.request.post("/api/v1/api-tokens", {
				headers,
				data: { name: `Batch ${String(i).padStart(3, "0")}` },
			});
			expect(res.status()).toBe(201);
		}
		await page.goto("/integrations");
		const rows = page.getByTestId("api-token-row");
		await rows.first().waitFor(WAIT);
		expect(await rows.count()).toBe(200);
		const titles = async () =>
			(await rows.allTextContents()).map(
				(text) => /Batch \d{3}/.exec(text)?.[0],
			);
		// The server's order (newest first; tokens made in one millisecond go by ID).
		const served: string[] = [];
		let cursor: string | null = null;
		do {
			const q: string = cursor ? `&cursor=${cursor}` : "";
			const body = await (
				await page.request.get(`/api/v1/api-tokens?limit=100${q}`)
			).json();
			served.push(...body.items.map((k: { name: string }) => k.name));
			cursor = body.nextCursor;
		} while (cursor);
		expect(served).toHaveLength(203);
		expect(served.indexOf("Batch 202")).toBeLessThan(
			served.indexOf("Batch 000"),
		);
		expect(await titles()).toEqual(served.slice(0, 200));
		const more = page.getByRole("button", { name: "Show more tokens" });
		await more.click();
		await expect.poll(() => rows.count(), WAIT).toBe(203);
		expect(await titles()).toEqual(served);
		expect(await more.count()).toBe(0);
		await context.close();
	});
});
