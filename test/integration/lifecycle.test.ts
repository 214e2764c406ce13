/**
 * SPEC section 4 (the claim lifecycle), R-EDIT-1/2 and R-HIS-1, end to end through HTTP
 * on both databases: every transition of the table as the actor allowed to take it, every
 * other action refused without side effects, optimistic concurrency, and the history.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../src/demo/generate-directory.ts";
import { formatInstant } from "../../src/notifications/i18n.ts";
import { samplePdf, samplePng } from "../support/poe-fixtures.ts";
import { expectProblem } from "../support/problem.ts";
import {
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

interface HistoryEntry {
	id: string;
	at: string;
	actorName: string;
	actorRole: string;
	action: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}
interface CommentEntry {
	authorName: string;
	authorRole: string;
	kind: string;
	body: string;
	template: Record<string, unknown> | null;
	createdAt: string;
}

const nameOf = (email: string) =>
	DEMO_USERS.find((u) => u.email === email)?.name ?? email;

/** Oracle for R-TIME-1 with the default calendar (Mon–Fri, no holidays, UTC). */
function addBusinessDays(from: string | Date, n: number): string {
	const d = new Date(from);
	let left = n;
	while (left > 0) {
		d.setUTCDate(d.getUTCDate() + 1);
		const wd = d.getUTCDay();
		if (wd !== 0 && wd !== 6) left -= 1;
	}
	return d.toISOString();
}
const addCalendarDays = (from: string | Date, n: number) =>
	new Date(new Date(from).getTime() + n * 86_400_000).toISOString();

/** Generated tenants (not Contoso or Adventure Works), each with its first domain. */
const OTHER_TENANTS = (testDirectory().tenants ?? [])
	.filter(
		(t) =>
			t.tenantId !== DEMO_IDS.tenants.contoso &&
			t.tenantId !== DEMO_IDS.tenants.adventureWorks,
	)
	.map((t) => ({ tenantId: t.tenantId, domain: t.domains[0] as string }));
const CONTOSO = {
	tenantId: DEMO_IDS.tenants.contoso,
	domain: DEMO_IDS.domains.contosoInitial,
};

type Status =
	| "draft"
	| "submitted"
	| "under_review"
	| "partner_action_required"
	| "approved"
	| "rejected"
	| "rejected_with_open_dispute";

describe.each(DB_KINDS)("SPEC section 4 claim lifecycle on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let ivan: Client;
	let rita: Client;
	let carl: Client;
	let tenantCursor = 0;
	/** A fresh generated tenant, so Microsoft 365 claims never collide (R-CMP-1). */
	const freshTenant = () => {
		const tenant = OTHER_TENANTS[tenantCursor++ % OTHER_TENANTS.length];
		if (!tenant) throw new Error("no generated tenants in the test directory");
		return tenant;
	};

	beforeAll(async () => {
		t = await startTestApp(kind);
		[ana, ivan, rita, carl] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.ivan),
			t.login(USERS.rita),
			t.login(USERS.carl),
		]);
	});
	afterAll(async () => t?.close());

	const getClaim = async (id: string) => {
		const res = await ana.get(`${API}/claims/${id}`);
		expect(res.statusCode, res.body).toBe(200);
		expect(res.headers.etag).toBe(`"${res.json().version}"`);
		return res.json();
	};
	const historyOf = async (
		id: string,
		who: Client = ana,
	): Promise<HistoryEntry[]> => {
		const res = await who.get(`${API}/claims/${id}/history`);
		expect(res.statusCode, res.body).toBe(200);
		return res.json().items;
	};
	const commentsOf = async (
		id: string,
		who: Client = ana,
	): Promise<CommentEntry[]> => {
		const res = await who.get(`${API}/claims/${id}/comments`);
		expect(res.statusCode, res.body).toBe(200);
		return res.json().items;
	};

	/** Creates a Microsoft 365 usage draft (as ana) and returns its resource. */
	const createDraft = async (
		customer: { tenantId: string; domain: string },
		productId = "microsoft-teams",
	) => {
		const res = await ana.post(
			`${API}/claims`,
			m365ClaimBody({
				name: `${productId} on ${customer.domain}`,
				customer,
				products: [{ productId }],
			}),
		);
		expect(res.statusCode, res.body).toBe(201);
		return res.json();
	};

	/** Walks a new claim to `status` through HTTP and returns its ID. */
	const claimIn = async (
		status: Status,
		customer: { tenantId: string; domain: string },
		productId: string,
	): Promise<string> => {
		const { id } = await createDraft(customer, productId);
		const ok = async (p: Promise<LightMyRequestResponse>, code = 200) => {
			const res = await p;
			expect(res.statusCode, res.body).toBe(code);
		};
		if (status === "draft") return id;
		await ok(
			ana.upload(`${API}/claims/${id}/documents`, samplePdf(), "sow.pdf"),
			201,
		);
		await ok(ana.post(`${API}/claims/${id}/submit`));
		if (status === "submitted") return id;
		await ok(rita.post(`${API}/claims/${id}/start-review`));
		if (status === "under_review") return id;
		if (status === "partner_action_required") {
			await ok(
				rita.post(`${API}/claims/${id}/request-information`, {
					reasons: ["missing_products"],
					comment: "Which workloads did you deploy?",
				}),
			);
			return id;
		}
		if (status === "approved") {
			await ok(rita.post(`${API}/claims/${id}/approve`, {}));
			return id;
		}
		await ok(
			rita.post(`${API}/claims/${id}/reject`, {
				reason: "insufficient_poe",
				comment: "The PoE does not show the work.",
			}),
		);
		if (status === "rejected") return id;
		await ok(
			ana.post(`${API}/claims/${id}/dispute`, {
				justification: "The statement of work is signed by the customer.",
			}),
		);
		return id;
	};

	/**
	 * Takes one action and checks what every transition must do: 200, the ETag is the new
	 * version (one more than before), GET returns the same resource, and exactly one new
	 * history row (R-HIS-1) with the action, the actor's name and role, the time and the
	 * status before/after.
	 */
	const act = async (
		who: Client,
		id: string,
		path: string,
		body: unknown,
		exp: { status: string; action: string; role: string },
	) => {
		const before = await getClaim(id);
		const historyBefore = await historyOf(id);
		const url =
			path === "opt-out"
				? `${API}/customer/associations/${id}/opt-out`
				: `${API}/claims/${id}/${path}`;
		const res = await who.post(url, body);
		expect(res.statusCode, res.body).toBe(200);
		const claim = res.json();
		expect(claim.status).toBe(exp.status);
		expect(claim.version).toBe(before.version + 1);
		expect(res.headers.etag).toBe(`"${claim.version}"`);
		expect(await getClaim(id)).toEqual(claim);
		const history = await historyOf(id);
		expect(history).toHaveLength(historyBefore.length + 1);
		const row = history.at(-1) as HistoryEntry;
		expect(row).toMatchObject({
			action: exp.action,
			actorRole: exp.role,
			actorName: nameOf(who.email),
			at: t.clock.now().toISOString(),
		});
		if (before.status !== claim.status) {
			expect(row.before?.status).toBe(before.status);
			expect(row.after?.status).toBe(claim.status);
		}
		return claim;
	};
	const lastComment = async (id: string) =>
		(await commentsOf(id)).at(-1) as CommentEntry;

	it("R-REV-1 R-REV-2 R-REV-3 R-EDIT-1 R-HIS-1 R-DSP-1 R-CON-2 every transition of SPEC section 4's table works through HTTP as its actor, with deadlines, ETag, history and comments", async () => {
		// ---- draft → submitted, and the path through review to a customer opt-out ----
		const t0 = t.clock.now().toISOString();
		const draft = await createDraft(CONTOSO, "microsoft-teams");
		const id = draft.id as string;
		expect(draft).toMatchObject({ status: "draft", version: 1 });
		expect(Object.values(draft.deadlines).every((d) => d === null)).toBe(true);
		expect((await historyOf(id)).map((h) => h.action)).toEqual(["create"]);
		// The answer to the create is the claim as stored (defaults included).
		const stored = await ana.get(`${API}/claims/${id}`);
		expect(stored.statusCode, stored.body).toBe(200);
		expect(stored.json()).toEqual(draft);

		const up = await ana.upload(
			`${API}/claims/${id}/documents`,
			samplePdf(),
			"sow.pdf",
		);
		expect(up.statusCode, up.body).toBe(201);
		expect(up.headers.etag).toBe('"2"');

		let claim = await act(ana, id, "submit", undefined, {
			status: "submitted",
			action: "submit",
			role: "global_admin",
		});
		// R-TIME-2: review start due 5 business days later, same time of day.
		expect(claim.submittedAt).toBe(t0);
		expect(claim.deadlines).toEqual({
			reviewStartDue: addBusinessDays(t0, 5),
			decisionDue: null,
			partnerResponseDue: null,
			consentEndsAt: null,
			disputeUntil: null,
			disputeDecisionDue: null,
		});
		expect(claim.dueAt).toBe(addBusinessDays(t0, 5));

		const t1 = t.clock.advanceBy("PT2H").toISOString();
		claim = await act(rita, id, "start-review", undefined, {
			status: "under_review",
			action: "start_review",
			role: "reviewer",
		});
		// R-TIME-3: decision due 5 business days after the review's start.
		expect(claim.deadlines.decisionDue).toBe(addBusinessDays(t1, 5));
		expect(claim.dueAt).toBe(addBusinessDays(t1, 5));

		// R-REV-1: information request with reasons → partner_action_required.
		const t2 = t.clock.advanceBy("PT1H").toISOString();
		claim = await act(
			rita,
			id,
			"request-information",
			{
				// A reason sent twice is kept once.
				reasons: [
					"missing_customer_acknowledgement",
					"missing_or_old_dates",
					"missing_customer_acknowledgement",
				],
				comment: "Please add the customer's signature and the project dates.",
			},
			{
				status: "partner_action_required",
				action: "request_information",
				role: "reviewer",
			},
		);
		// R-TIME-4: the partner answers within 5 business days.
		expect(claim.deadlines.partnerResponseDue).toBe(addBusinessDays(t2, 5));
		expect(claim.dueAt).toBe(addBusinessDays(t2, 5));
		expect(claim.informationRequest).toMatchObject({
			reasons: ["missing_customer_acknowledgement", "missing_or_old_dates"],
			comment: "Please add the customer's signature and the project dates.",
			requestedAt: t2,
			respondBy: addBusinessDays(t2, 5),
		});
		// R-REV-3: the request is posted to the thread with reasons and the deadline.
		let comment = await lastComment(id);
		expect(comment).toMatchObject({
			kind: "information_request",
			authorRole: "reviewer",
			createdAt: t2,
		});
		expect(comment.body).toContain("signature");
		expect(comment.body).toContain("project dates");
		// The same comment as data, for the web app to word in the reader's language.
		expect(comment.template).toEqual({
			key: "information_requested",
			reasons: ["missing_customer_acknowledgement", "missing_or_old_dates"],
			text: "Please add the customer's signature and the project dates.",
			respondBy: addBusinessDays(t2, 5),
		});
		expect(comment.body).toContain(
			formatInstant(addBusinessDays(t2, 5), "en", "UTC"),
		);

		// R-EDIT-1: the partner edits (If-Match) and adds PoE, then resubmits.
		const t3 = t.clock.advanceBy("P1D").toISOString();
		const historyBeforeEdit = await historyOf(id);
		const newContacts = {
			...draft.contacts,
			customer: {
				name: "Chris Customer",
				title: "CTO",
				email: "chris@contoso.example",
			},
		};
		const edit = await ana.patch(
			`${API}/claims/${id}`,
			{ contacts: newContacts },
			{ "if-match": `"${claim.version}"` },
		);
		expect(edit.statusCode, edit.body).toBe(200);
		expect(edit.json()).toMatchObject({
			status: "partner_action_required",
			version: claim.version + 1,
			contacts: newContacts,
			products: claim.products,
		});
		expect(edit.headers.etag).toBe(`"${claim.version + 1}"`);
		const editRow = (await historyOf(id)).at(-1) as HistoryEntry;
		expect(editRow).toMatchObject({
			action: "edit",
			actorRole: "global_admin",
			at: t3,
			before: { contacts: draft.contacts },
			after: { contacts: newContacts },
		});
		expect(await historyOf(id)).toHaveLength(historyBeforeEdit.length + 1);
		const signed = await ana.upload(
			`${API}/claims/${id}/documents`,
			samplePng(),
			"signature.png",
		);
		expect(signed.statusCode, signed.body).toBe(201);

		const decisionDueBefore = (await getClaim(id)).deadlines.decisionDue;
		claim = await act(
			ana,
			id,
			"resubmit",
			{ comment: "Signed PoE with dates attached." },
			{ status: "under_review", action: "resubmit", role: "global_admin" },
		);
		// R-TIME-3: the decision SLA is extended by the partner's business day.
		expect(claim.deadlines.partnerResponseDue).toBeNull();
		expect(claim.deadlines.decisionDue).toBe(
			addBusinessDays(decisionDueBefore, 1),
		);
		expect(claim.informationRequest.answeredAt).toBe(t3);
		expect(await lastComment(id)).toMatchObject({
			kind: "response",
			authorRole: "global_admin",
			body: "Signed PoE with dates attached.",
		});

		// under_review → approved; the consent window opens (R-TIME-5: 7 calendar days).
		const t4 = t.clock.advanceBy("PT1H").toISOString();
		claim = await act(
			rita,
			id,
			"approve",
			{ comment: "PoE is complete." },
			{ status: "approved", action: "approve", role: "reviewer" },
		);
		expect(claim.deadlines.consentEndsAt).toBe(addCalendarDays(t4, 7));
		expect(claim.dueAt).toBe(addCalendarDays(t4, 7));
		expect(claim.association).toMatchObject({
			status: "pending_consent",
			approvedAt: t4,
			consentEndsAt: addCalendarDays(t4, 7),
		});
		comment = await lastComment(id);
		expect(comment).toMatchObject({ kind: "decision", authorRole: "reviewer" });
		expect(comment.body).toContain("Approved");
		expect(comment.body).toContain("PoE is complete.");
		expect(comment.template).toMatchObject({
			key: "approved",
			consentEndsAt: addCalendarDays(t4, 7),
		});
		expect(comment.body).toContain(
			formatInstant(addCalendarDays(t4, 7), "en", "UTC"),
		);

		// approved, window open → customer opts out → rejected (customer_declined).
		const t5 = t.clock.advanceBy("P2D").toISOString();
		claim = await act(
			carl,
			id,
			"opt-out",
			{},
			{ status: "rejected", action: "opt_out", role: "customer_admin" },
		);
		expect(claim.rejection).toMatchObject({
			reason: "customer_declined",
			rejectedAt: t5,
		});
		expect(claim.association).toMatchObject({
			status: "declined",
			declinedAt: t5,
		});
		expect(claim.deadlines.consentEndsAt).toBe(addCalendarDays(t4, 7));
		comment = await lastComment(id);
		expect(comment.kind).toBe("decision");
		expect(comment.body).toContain("opted out");
		expect(comment.template).toMatchObject({
			key: "rejected",
			reason: "customer_declined",
			disputeUntil: addCalendarDays(t5, 30),
		});

		// ---- draft → (gone) ----
		const gone = await createDraft(freshTenant());
		const del = await ana.del(`${API}/claims/${gone.id}`);
		expect(del.statusCode, del.body).toBe(204);
		expectProblem(await ana.get(`${API}/claims/${gone.id}`), 404, "not_found");
		expectProblem(
			await ana.get(`${API}/claims/${gone.id}/history`),
			404,
			"not_found",
		);

		// ---- request rejection (partner admin) from each allowed status ----
		for (const from of [
			"submitted",
			"under_review",
			"partner_action_required",
		] as const) {
			const wid = await claimIn(from, freshTenant(), "exchange-online");
			// R-ROL-1: an incentives user may not request rejection.
			expectProblem(
				await ivan.post(`${API}/claims/${wid}/withdraw`, {}),
				403,
				"forbidden",
			);
			const w = await act(
				ana,
				wid,
				"withdraw",
				{ comment: "Entered by mistake." },
				{
					status: "rejected",
					action: "request_rejection",
					role: "global_admin",
				},
			);
			expect(w.rejection).toMatchObject({
				reason: "partner_request",
				comment: "Entered by mistake.",
			});
			// R-DSP-1: no dispute window after a partner's own request.
			expect(w.deadlines.disputeUntil).toBeNull();
			expect(w.deadlines.partnerResponseDue).toBeNull();
			expect(w.dueAt).toBeNull();
			expect(await lastComment(wid)).toMatchObject({
				kind: "decision",
				authorRole: "global_admin",
				body: "Entered by mistake.",
			});
		}

		// ---- reject with reason → dispute → request information → resubmit →
		// reject → dispute → uphold ----
		const rid = await claimIn("under_review", freshTenant(), "intune");
		const t6 = t.clock.advanceBy("PT30M").toISOString();
		claim = await act(
			rita,
			rid,
			"reject",
			{
				reason: "insufficient_poe",
				comment: "The PoE shows no Intune work.",
			},
			{ status: "rejected", action: "reject", role: "reviewer" },
		);
		// R-REV-2 and R-TIME-7: a reason, and 30 calendar days to dispute.
		expect(claim.rejection).toMatchObject({
			reason: "insufficient_poe",
			comment: "The PoE shows no Intune work.",
			rejectedAt: t6,
			disputeUntil: addCalendarDays(t6, 30),
		});
		expect(claim.deadlines.disputeUntil).toBe(addCalendarDays(t6, 30));
		expect(claim.dueAt).toBeNull();
		comment = await lastComment(rid);
		expect(comment).toMatchObject({ kind: "decision", authorRole: "reviewer" });
		expect(comment.body).toContain("The PoE shows no Intune work.");
		expect(comment.body).toContain(
			formatInstant(addCalendarDays(t6, 30), "en", "UTC"),
		);

		const t7 = t.clock.advanceBy("P1D").toISOString();
		claim = await act(
			ana,
			rid,
			"dispute",
			{ justification: "The Intune rollout plan is on page 3." },
			{ status: "rejected", action: "dispute", role: "global_admin" },
		);
		expect(claim.dispute).toMatchObject({
			status: "open",
			justification: "The Intune rollout plan is on page 3.",
			filedAt: t7,
		});
		// R-TIME-8: reviewers answer a dispute within 5 business days.
		expect(claim.deadlines.disputeDecisionDue).toBe(addBusinessDays(t7, 5));
		expect(claim.dueAt).toBe(addBusinessDays(t7, 5));
		expect(await lastComment(rid)).toMatchObject({
			kind: "dispute",
			authorRole: "global_admin",
		});

		const t8 = t.clock.advanceBy("PT1H").toISOString();
		claim = await act(
			rita,
			rid,
			"dispute-decision",
			{
				decision: "request_information",
				reasons: ["missing_partner_solution"],
				comment: "Describe the Intune configuration you delivered.",
			},
			{
				status: "partner_action_required",
				action: "dispute_request_information",
				role: "reviewer",
			},
		);
		expect(claim.dispute).toMatchObject({
			status: "decided",
			decision: "request_information",
			decidedAt: t8,
		});
		expect(claim.rejection).toBeNull();
		expect(claim.informationRequest).toMatchObject({
			reasons: ["missing_partner_solution"],
		});
		expect(claim.deadlines).toMatchObject({
			partnerResponseDue: addBusinessDays(t8, 5),
			disputeDecisionDue: null,
			disputeUntil: null,
		});
		comment = await lastComment(rid);
		expect(comment).toMatchObject({
			kind: "information_request",
			authorRole: "reviewer",
		});
		expect(comment.body).toContain(
			"Describe the Intune configuration you delivered.",
		);
		expect(comment.body).toContain(
			formatInstant(addBusinessDays(t8, 5), "en", "UTC"),
		);

		claim = await act(
			ana,
			rid,
			"resubmit",
			{ comment: "Configuration baseline attached." },
			{ status: "under_review", action: "resubmit", role: "global_admin" },
		);
		const t9 = t.clock.advanceBy("PT1H").toISOString();
		claim = await act(
			rita,
			rid,
			"reject",
			{ reason: "missing_products", comment: "Still no Intune." },
			{ status: "rejected", action: "reject", role: "reviewer" },
		);
		expect(claim.rejection).toMatchObject({
			reason: "missing_products",
			disputeUntil: addCalendarDays(t9, 30),
		});
		expect(claim.dispute).toBeNull();
		claim = await act(
			ana,
			rid,
			"dispute",
			{ justification: "Intune is named in the signed SOW." },
			{ status: "rejected", action: "dispute", role: "global_admin" },
		);
		const t10 = t.clock.advanceBy("PT1H").toISOString();
		claim = await act(
			rita,
			rid,
			"dispute-decision",
			{ decision: "uphold", comment: "The SOW is not signed." },
			{ status: "rejected", action: "dispute_uphold", role: "reviewer" },
		);
		expect(claim.dispute).toMatchObject({
			status: "decided",
			decision: "uphold",
			decidedAt: t10,
			decisionComment: "The SOW is not signed.",
		});
		expect(claim.rejection).toMatchObject({ reason: "missing_products" });
		expect(claim.deadlines.disputeDecisionDue).toBeNull();
		expect(claim.dueAt).toBeNull();
		comment = await lastComment(rid);
		expect(comment).toMatchObject({ kind: "decision", authorRole: "reviewer" });
		expect(comment.body).toContain("upheld");
		expect(comment.body).toContain("The SOW is not signed.");
		expect(comment.template).toEqual({
			key: "dispute_upheld",
			text: "The SOW is not signed.",
		});

		// ---- rejected → dispute → approve → approved; then withdraw from approved ----
		const aid = await claimIn("rejected", freshTenant(), "entra-id-p1");
		await act(
			ana,
			aid,
			"dispute",
			{ justification: "The customer confirmed the rollout in writing." },
			{ status: "rejected", action: "dispute", role: "global_admin" },
		);
		const t11 = t.clock.advanceBy("PT1H").toISOString();
		claim = await act(
			rita,
			aid,
			"dispute-decision",
			{ decision: "approve", comment: "Confirmation accepted." },
			{ status: "approved", action: "dispute_approve", role: "reviewer" },
		);
		expect(claim.dispute).toMatchObject({
			status: "decided",
			decision: "approve",
		});
		expect(claim.rejection).toBeNull();
		expect(claim.deadlines).toMatchObject({
			consentEndsAt: addCalendarDays(t11, 7),
			disputeUntil: null,
			disputeDecisionDue: null,
		});
		expect(claim.association).toMatchObject({ status: "pending_consent" });
		comment = await lastComment(aid);
		expect(comment).toMatchObject({ kind: "decision", authorRole: "reviewer" });
		expect(comment.body).toContain("Confirmation accepted.");

		claim = await act(
			ana,
			aid,
			"withdraw",
			{},
			{
				status: "rejected",
				action: "request_rejection",
				role: "global_admin",
			},
		);
		expect(claim.rejection).toMatchObject({ reason: "partner_request" });
		expect(claim.association).toMatchObject({ status: "declined" });
		expect(claim.deadlines.disputeUntil).toBeNull();
		expect(await lastComment(aid)).toMatchObject({ kind: "decision" });

		// The two timer transitions of the table (partner_action_required → rejected
		// `no_partner_response` when the deadline passes; the consent window ending with
		// no opt-out) are walked through HTTP with the sandbox clock in timers.test.ts.
	});

	const ACTIONS = [
		"submit",
		"delete",
		"edit",
		"start_review",
		"request_information",
		"resubmit",
		"approve",
		"reject",
		"opt_out",
		"withdraw",
		"dispute",
		"dispute_decision",
	] as const;
	type Action = (typeof ACTIONS)[number];
	/** SPEC section 4's table: the actions allowed in each status (timers aside). */
	const ALLOWED: Record<Status, readonly Action[]> = {
		draft: ["submit", "delete", "edit"],
		submitted: ["start_review", "withdraw", "edit"],
		under_review: ["request_information", "approve", "reject", "withdraw"],
		partner_action_required: ["resubmit", "withdraw", "edit"],
		approved: ["opt_out", "withdraw"],
		rejected: ["dispute"],
		rejected_with_open_dispute: ["dispute_decision"],
	};
	/** Each action as the party whose role may take it. */
	const run = (
		action: Action,
		id: string,
		version: number,
	): Promise<LightMyRequestResponse> => {
		const c = `${API}/claims/${id}`;
		switch (action) {
			case "submit":
				return ana.post(`${c}/submit`);
			case "delete":
				return ana.del(c);
			case "edit":
				return ana.patch(
					c,
					{
						contacts: {
							customer: { name: "X", title: "Y", email: "x@contoso.example" },
							partner: { name: "Ana", email: "ana.global@fabrikam.example" },
						},
					},
					{ "if-match": `"${version}"` },
				);
			case "start_review":
				return rita.post(`${c}/start-review`);
			case "request_information":
				return rita.post(`${c}/request-information`, {
					reasons: ["missing_all_poe"],
					comment: "Wrong file.",
				});
			case "resubmit":
				return ana.post(`${c}/resubmit`, {});
			case "approve":
				return rita.post(`${c}/approve`, {});
			case "reject":
				return rita.post(`${c}/reject`, {
					reason: "insufficient_poe",
					comment: "Not enough.",
				});
			case "opt_out":
				return carl.post(`${API}/customer/associations/${id}/opt-out`, {});
			case "withdraw":
				return ana.post(`${c}/withdraw`, {});
			case "dispute":
				return ana.post(`${c}/dispute`, {
					justification: "Please look again.",
				});
			case "dispute_decision":
				return rita.post(`${c}/dispute-decision`, {
					decision: "uphold",
					comment: "Upheld.",
				});
		}
	};
	/** The Contoso workload each status's claim uses (carl is Contoso's admin). */
	const WORKLOAD: Record<Status, string> = {
		draft: "exchange-online",
		submitted: "sharepoint-online",
		under_review: "onedrive-for-business",
		partner_action_required: "microsoft-365-apps",
		approved: "defender-for-office-365",
		rejected: "purview-information-protection",
		rejected_with_open_dispute: "viva-engage",
	};

	it.each(Object.keys(ALLOWED) as Status[])(
		"SPEC-4 (SPEC section 4: every other action in every status is refused with invalid_transition and changes nothing) in status %s",
		async (status) => {
			const id = await claimIn(status, CONTOSO, WORKLOAD[status]);
			const refused = ACTIONS.filter((a) => !ALLOWED[status].includes(a));
			expect(refused.length).toBeGreaterThan(0);
			for (const action of refused) {
				const before = await ana.get(`${API}/claims/${id}`);
				expect(before.statusCode, before.body).toBe(200);
				const historyBefore = await historyOf(id);
				const commentsBefore = await commentsOf(id);
				const res = await run(action, id, before.json().version);
				// A draft is the partner's own: reviewers and customers get 404 (no existence leak).
				const hidden =
					status === "draft" &&
					![
						"submit",
						"delete",
						"edit",
						"resubmit",
						"withdraw",
						"dispute",
					].includes(action);
				const code = hidden
					? "not_found"
					: action === "edit"
						? "claim_not_editable" // R-EDIT-1
						: action === "dispute" && status === "rejected_with_open_dispute"
							? "dispute_already_open" // R-DSP-1: one open dispute per claim
							: "invalid_transition";
				expect(res.statusCode, `${action} in ${status}: ${res.body}`).toBe(
					hidden ? 404 : 409,
				);
				expect(res.json().code, `${action} in ${status}`).toBe(code);
				const after = await ana.get(`${API}/claims/${id}`);
				expect(after.json(), `${action} in ${status}`).toEqual(before.json());
				expect(after.headers.etag).toBe(before.headers.etag);
				expect(await historyOf(id)).toEqual(historyBefore);
				expect(await commentsOf(id)).toEqual(commentsBefore);
			}
		},
	);

	it("R-EDIT-2 a stale If-Match gets 412 version_conflict and a PATCH without If-Match gets 428", async () => {
		const id = await claimIn("submitted", freshTenant(), "microsoft-teams");
		const read = await getClaim(id);
		const etag = `"${read.version}"`;
		const contacts = (title: string) => ({
			...read.contacts,
			customer: { ...read.contacts.customer, title },
		});

		// Ana and Ivan both read version N; Ana saves first.
		const first = await ana.patch(
			`${API}/claims/${id}`,
			{ contacts: contacts("CEO") },
			{ "if-match": etag },
		);
		expect(first.statusCode, first.body).toBe(200);
		expect(first.headers.etag).toBe(`"${read.version + 1}"`);
		const historyAfterFirst = await historyOf(id);

		const second = await ivan.patch(
			`${API}/claims/${id}`,
			{ contacts: contacts("CFO") },
			{ "if-match": etag },
		);
		expectProblem(second, 412, "version_conflict");
		expect(second.json().currentVersion).toBe(read.version + 1);
		const now = await getClaim(id);
		expect(now).toEqual(first.json());
		expect(now.contacts.customer.title).toBe("CEO");
		expect(await historyOf(id)).toEqual(historyAfterFirst);

		const blind = await ivan.patch(`${API}/claims/${id}`, {
			contacts: contacts("CFO"),
		});
		expectProblem(blind, 428, "precondition_required");
		expect(await getClaim(id)).toEqual(first.json());

		// Actions take If-Match too: a stale one is refused the same way.
		expectProblem(
			await rita.post(`${API}/claims/${id}/start-review`, undefined, {
				"if-match": etag,
			}),
			412,
			"version_conflict",
		);
		expect(await getClaim(id)).toEqual(first.json());

		// With the current ETag the second editor succeeds.
		const retry = await ivan.patch(
			`${API}/claims/${id}`,
			{ contacts: contacts("CFO") },
			{ "if-match": first.headers.etag as string },
		);
		expect(retry.statusCode, retry.body).toBe(200);
		expect(retry.json().contacts.customer.title).toBe("CFO");
		expect(retry.headers.etag).toBe(`"${read.version + 2}"`);
	});

	it("R-HIS-1 a PATCH that sends the same contacts in another key order records no change of them", async () => {
		const created = await ana.post(
			`${API}/claims`,
			m365ClaimBody({
				customer: freshTenant(),
				products: [{ productId: "intune" }],
			}),
		);
		expect(created.statusCode, created.body).toBe(201);
		const claim = created.json();
		// The same contacts, keys reversed at every level (jsonb stores its own order).
		const reversed = (o: Record<string, unknown>): Record<string, unknown> =>
			Object.fromEntries(
				Object.entries(o)
					.reverse()
					.map(([k, v]) => [
						k,
						v && typeof v === "object" && !Array.isArray(v)
							? reversed(v as Record<string, unknown>)
							: v,
					]),
			);
		const patch = await ana.patch(
			`${API}/claims/${claim.id}`,
			{ contacts: reversed(claim.contacts), name: "Renamed" },
			{ "if-match": `"${claim.version}"` },
		);
		expect(patch.statusCode, patch.body).toBe(200);
		expect(patch.json().contacts).toEqual(claim.contacts);
		const last = (await historyOf(claim.id)).at(-1) as HistoryEntry;
		expect(last.action).toBe("edit");
		expect(last.after).toEqual({ name: "Renamed" });
		expect(last.before).toEqual({ name: claim.name });
	});

	it("R-HIS-1 the partner's history shows actor, role, time and before/after for every change", async () => {
		const customer = freshTenant();
		const steps: { action: string; actor: string; role: string; at: string }[] =
			[];
		const at = () => t.clock.advanceBy("PT10M").toISOString();
		const ok = (res: LightMyRequestResponse, code = 200) => {
			expect(res.statusCode, res.body).toBe(code);
			return res.json();
		};

		let time = at();
		const { id, contacts } = ok(
			await ana.post(
				`${API}/claims`,
				m365ClaimBody({ customer, products: [{ productId: "intune" }] }),
			),
			201,
		);
		steps.push({
			action: "create",
			actor: USERS.ana,
			role: "global_admin",
			at: time,
		});

		time = at();
		const upload = ok(
			await ivan.upload(
				`${API}/claims/${id}/documents`,
				samplePdf(),
				"sow.pdf",
			),
			201,
		);
		steps.push({
			action: "upload_document",
			actor: USERS.ivan,
			role: "incentives_user",
			at: time,
		});

		time = at();
		ok(await ivan.post(`${API}/claims/${id}/submit`));
		steps.push({
			action: "submit",
			actor: USERS.ivan,
			role: "incentives_user",
			at: time,
		});

		time = at();
		ok(await rita.post(`${API}/claims/${id}/start-review`));
		steps.push({
			action: "start_review",
			actor: USERS.rita,
			role: "reviewer",
			at: time,
		});

		time = at();
		ok(
			await rita.post(`${API}/claims/${id}/request-information`, {
				reasons: ["missing_products"],
				comment: "Name Intune in the PoE.",
			}),
		);
		steps.push({
			action: "request_information",
			actor: USERS.rita,
			role: "reviewer",
			at: time,
		});

		time = at();
		ok(
			await ana.post(`${API}/claims/${id}/comments`, {
				body: "Updating the PoE now.",
			}),
			201,
		);
		steps.push({
			action: "comment",
			actor: USERS.ana,
			role: "global_admin",
			at: time,
		});

		time = at();
		const current = await getClaim(id);
		const newContacts = {
			...contacts,
			partner: {
				name: "Ivan Novak",
				email: "ivan.incentives@fabrikam.example",
			},
		};
		ok(
			await ivan.patch(
				`${API}/claims/${id}`,
				{ contacts: newContacts },
				{ "if-match": `"${current.version}"` },
			),
		);
		steps.push({
			action: "edit",
			actor: USERS.ivan,
			role: "incentives_user",
			at: time,
		});

		time = at();
		ok(await ivan.post(`${API}/claims/${id}/resubmit`, {}));
		steps.push({
			action: "resubmit",
			actor: USERS.ivan,
			role: "incentives_user",
			at: time,
		});

		time = at();
		ok(
			await rita.post(`${API}/claims/${id}/reject`, {
				reason: "missing_products",
				comment: "Intune is not in the PoE.",
			}),
		);
		steps.push({
			action: "reject",
			actor: USERS.rita,
			role: "reviewer",
			at: time,
		});

		time = at();
		ok(
			await ana.post(`${API}/claims/${id}/dispute`, {
				justification: "See page 2.",
			}),
		);
		steps.push({
			action: "dispute",
			actor: USERS.ana,
			role: "global_admin",
			at: time,
		});

		const history = await historyOf(id, ana);
		expect(
			history.map((h) => ({
				action: h.action,
				actorName: h.actorName,
				actorRole: h.actorRole,
				at: h.at,
			})),
		).toEqual(
			steps.map((s) => ({
				action: s.action,
				actorName: nameOf(s.actor),
				actorRole: s.role,
				at: s.at,
			})),
		);
		// Append-only and ordered.
		// IDs are opaque strings (API.md); their order is the history's.
		const ids = history.map((h) => h.id);
		for (const id of ids) expect(typeof id).toBe("string");
		expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(ids);

		const row = (action: string) =>
			history.find((h) => h.action === action) as HistoryEntry;
		expect(row("create").before).toBeNull();
		expect(row("create").after).toMatchObject({
			status: "draft",
			name: expect.any(String),
			products: [expect.objectContaining({ productId: "intune" })],
		});
		expect(row("upload_document").before).toMatchObject({ documents: [] });
		expect(row("upload_document").after).toMatchObject({
			documents: [
				{
					id: upload.document.id,
					name: "sow.pdf",
					sha256: upload.document.sha256,
				},
			],
		});
		for (const [action, from, to] of [
			["submit", "draft", "submitted"],
			["start_review", "submitted", "under_review"],
			["request_information", "under_review", "partner_action_required"],
			["resubmit", "partner_action_required", "under_review"],
			["reject", "under_review", "rejected"],
		] as const) {
			expect(row(action).before, action).toMatchObject({ status: from });
			expect(row(action).after, action).toMatchObject({ status: to });
		}
		expect(row("submit").after).toMatchObject({
			deadlines: expect.objectContaining({
				reviewStartDue: addBusinessDays(row("submit").at, 5),
			}),
		});
		expect(row("request_information").after).toMatchObject({
			informationRequest: expect.objectContaining({
				reasons: ["missing_products"],
			}),
		});
		expect(row("comment").after).toMatchObject({
			body: "Updating the PoE now.",
		});
		expect(row("edit").before).toEqual({ contacts });
		expect(row("edit").after).toEqual({ contacts: newContacts });
		expect(row("reject").after).toMatchObject({
			rejection: expect.objectContaining({ reason: "missing_products" }),
		});
		expect(row("dispute").before).toMatchObject({ dispute: null });
		expect(row("dispute").after).toMatchObject({
			dispute: expect.objectContaining({ status: "open" }),
		});

		// The reviewer sees the same record (there are no internal notes here).
		expect(await historyOf(id, rita)).toEqual(history);
		// Nobody outside the organization sees it.
		const nora = await t.login(USERS.nora);
		expectProblem(
			await nora.get(`${API}/claims/${id}/history`),
			404,
			"not_found",
		);
	});
});
