import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devMailboxPage } from "../../src/http/routes/dev-mailbox-page.ts";
import { buildServer } from "../../src/http/server.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type TestApp,
	USERS,
	m365ClaimBody,
	startTestApp,
} from "../support/test-app.ts";

describe("the sandbox's dev mailbox page", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite");
	});
	afterAll(async () => t?.close());

	it("R-NTF-1 lists kept email and shows the consent notice with its opt-out link, which opens the opt-out page", async () => {
		const [ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
		const empty = await t.app.inject({ method: "GET", url: "/dev/mailbox" });
		expect(empty.statusCode).toBe(404); // not registered by default
		// The sandbox server of `cpor serve --sandbox` (no SMTP_URL) registers the page.
		const app = await buildServer(t.ctx, { logger: false });
		await app.register(devMailboxPage(t.ctx));
		await app.ready();
		const c = (await ana.post("/api/v1/claims", m365ClaimBody())).json();
		await ana.upload(
			`/api/v1/claims/${c.id}/documents`,
			samplePdf(),
			"poe.pdf",
		);
		await ana.post(`/api/v1/claims/${c.id}/submit`);
		await rita.post(`/api/v1/claims/${c.id}/start-review`);
		await rita.post(`/api/v1/claims/${c.id}/approve`, {});
		await paula.post("/api/v1/admin/clock", { advanceBy: "PT1M" });
		const list = await app.inject({
			method: "GET",
			url: "/dev/mailbox?to=chris%40contoso.example",
		});
		expect(list.statusCode).toBe(200);
		expect(list.headers["content-type"]).toMatch(/text\/html/);
		const href = /href="\/dev\/mailbox\/(\d+)"/.exec(list.body);
		expect(href, list.body).not.toBeNull();
		const msg = await app.inject({
			method: "GET",
			url: `/dev/mailbox/${(href as RegExpExecArray)[1]}`,
		});
		expect(msg.statusCode).toBe(200);
		const link = /\/consent\/opt-out\?token=([A-Za-z0-9_.%-]+)/.exec(msg.body);
		expect(link, msg.body).not.toBeNull();
		const optOutPage = await app.inject({
			method: "GET",
			url: (link as RegExpExecArray)[0].replace(/&amp;/g, "&"),
		});
		expect(optOutPage.statusCode).toBe(200);
		expect(optOutPage.body).toMatch(/Fabrikam Consulting/);
		expect(
			(await app.inject({ method: "GET", url: "/dev/mailbox/999999" }))
				.statusCode,
		).toBe(404);
		await app.close();
	});
});
