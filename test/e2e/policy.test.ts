/**
 * The texts that name an SLA's length follow the server's configuration (SPEC section 5,
 * CPOR_*_DAYS), not a fixed "5 business days": here the review start is 3 business days
 * and a dispute's answer 1 business day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

const WAIT = { timeout: 30_000 };

describe("SLA lengths in the app's texts", () => {
	let e: E2E;
	beforeAll(async () => {
		e = await startE2E({
			env: { CPOR_REVIEW_START_DAYS: "3", CPOR_DISPUTE_DECISION_DAYS: "1" },
		});
	});
	afterAll(async () => e?.close());

	it("R-TIME-2 R-TIME-8 the SLA report names the configured lengths, in English and in Dutch", async () => {
		const reviewer = await e.signIn("rita.reviewer@cpor.example");
		await reviewer.page.goto("/review/sla");
		const intro = reviewer.page.getByText(
			"How reviewers keep the service levels",
		);
		await intro.waitFor(WAIT);
		const text = (await intro.textContent()) ?? "";
		expect(text).toContain("review start within 3 business days of submission");
		expect(text).toContain("decision within 5 business days");
		expect(text).toContain("dispute answer within 1 business day (R-TIME-8)");
		await reviewer.context.close();

		const dutch = await e.signIn("rita.reviewer@cpor.example", {
			locale: "nl-NL",
		});
		await dutch.page.goto("/review/sla");
		const inleiding = dutch.page.getByText(
			"Hoe beoordelaars de serviceniveaus halen",
		);
		await inleiding.waitFor(WAIT);
		expect(await inleiding.textContent()).toContain(
			"start van de beoordeling binnen 3 werkdagen na indiening",
		);
		await dutch.context.close();
	});

	it("R-TIME-9 a claim page judges overdue by the server's (sandbox) clock, as the queue does, not by the browser's", async () => {
		const claim = await e.ctx.db.query.claims.findFirst({
			where: (c, { and, eq, gt }) =>
				and(
					eq(c.status, "under_review"),
					gt(c.decisionDue, new Date(Date.now() + 86_400_000)),
				),
		});
		if (!claim) throw new Error("no claim under review due after tomorrow");
		const { context, page } = await e.signIn("rita.reviewer@cpor.example");
		await page.goto(`/review/claims/${claim.id}`);
		const actions = page.getByTestId("review-actions");
		await actions
			.getByRole("button", { name: "Approve", exact: true })
			.waitFor(WAIT);
		expect(await actions.getByText("Overdue").count()).toBe(0);
		// The sandbox clock moves a month ahead; the browser's stays.
		e.clock.advanceBy("P30D");
		await page.reload();
		await actions.getByText("Overdue").waitFor(WAIT);
		await context.close();
	});

	it("R-TIME-7 a partner is offered a dispute only while the window runs by the server's clock", async () => {
		// Rejected claims whose dispute window is still open by the browser's clock but
		// closed by the sandbox clock, which the test before moved a month ahead.
		const now = e.clock.now();
		const closed = await e.ctx.db.query.claims.findFirst({
			where: (c, { and, eq, gt, lt, isNull }) =>
				and(
					eq(c.partnerOrganizationId, "fabrikam"),
					eq(c.status, "rejected"),
					isNull(c.dispute),
					gt(c.disputeUntil, new Date(Date.now() + 60_000)),
					lt(c.disputeUntil, now),
				),
		});
		if (!closed)
			throw new Error("no Fabrikam claim whose window the clock closed");
		const { context, page } = await e.signIn("ana.global@fabrikam.example");
		await page.goto(`/claims/${closed.id}`);
		await page.getByTestId("history-entry").first().waitFor(WAIT);
		expect(
			await page.getByRole("button", { name: "Dispute", exact: true }).count(),
		).toBe(0);
		await context.close();
	});
});
