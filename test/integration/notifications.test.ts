import { eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claims, deliveries, users } from "../../src/db/schema.ts";
import { loadRecipients } from "../../src/notifications/facts.ts";
import { formatInstant } from "../../src/notifications/i18n.ts";
import { planReminders } from "../../src/notifications/reminders.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DB_KINDS,
	type DbKind,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
	uploadPoeAndSubmit,
} from "../support/test-app.ts";

const CUSTOMER = "chris@contoso.example";

interface MailItem {
	id: string;
	to: string;
	subject: string;
	locale: string;
	kind: string;
	outcome: string;
	claimId: string;
	createdAt: string;
}

/** Creates, uploads, submits and starts review of an M365 claim; returns its id. */
async function underReview(
	ana: Client,
	rita: Client,
	productId: string,
	overrides: Record<string, unknown> = {},
): Promise<string> {
	const created = await ana.post(
		"/api/v1/claims",
		m365ClaimBody({
			name: `Notify ${productId}`,
			products: [{ productId }],
			...overrides,
		}),
	);
	expect(created.statusCode, created.body).toBe(201);
	const id = created.json().id as string;
	await ana.upload(`/api/v1/claims/${id}/documents`, samplePdf(), "poe.pdf");
	const submitted = await ana.post(`/api/v1/claims/${id}/submit`);
	expect(submitted.statusCode, submitted.body).toBe(200);
	const started = await rita.post(`/api/v1/claims/${id}/start-review`);
	expect(started.statusCode, started.body).toBe(200);
	return id;
}

/** One submitted M365 claim with PoE per workload, named `${prefix} ${workload}`; their IDs. */
async function submittedClaims(
	ana: Client,
	prefix: string,
	workloads: string[],
): Promise<string[]> {
	const ids: string[] = [];
	for (const productId of workloads) {
		const created = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({
				name: `${prefix} ${productId}`,
				products: [{ productId }],
			}),
		);
		expect(created.statusCode, created.body).toBe(201);
		const id = created.json().id as string;
		await uploadPoeAndSubmit(ana, id);
		ids.push(id);
	}
	return ids;
}

/** The IDs of every reviewer. */
async function reviewerIds(t: TestApp): Promise<{ id: string }[]> {
	return t.ctx.db
		.select({ id: users.id })
		.from(users)
		.where(sql`'reviewer' = any(${users.roles})`);
}

async function approved(ana: Client, rita: Client, productId: string) {
	const id = await underReview(ana, rita, productId);
	const res = await rita.post(`/api/v1/claims/${id}/approve`, {});
	expect(res.statusCode, res.body).toBe(200);
	return res.json() as {
		id: string;
		version: number;
		deadlines: { consentEndsAt: string };
	};
}

/** Runs the background work (fan-out, deliveries) through the sandbox clock. */
async function work(paula: Client, advanceBy = "PT1S") {
	const res = await paula.post("/api/v1/admin/clock", { advanceBy });
	expect(res.statusCode, res.body).toBe(200);
	return res.json();
}

async function mailbox(paula: Client, to: string): Promise<MailItem[]> {
	const res = await paula.get(
		`/api/v1/admin/mailbox?to=${encodeURIComponent(to)}&limit=200`,
	);
	expect(res.statusCode, res.body).toBe(200);
	return res.json().items;
}

async function message(paula: Client, id: string) {
	const res = await paula.get(`/api/v1/admin/mailbox/${id}`);
	expect(res.statusCode, res.body).toBe(200);
	return res.json() as MailItem & { text: string; html: string };
}

/** The consent notice for a claim and its opt-out link (path + token). */
async function consentNotice(paula: Client, claimId: string) {
	const item = (await mailbox(paula, CUSTOMER)).find(
		(m) => m.claimId === claimId && m.kind === "consent_notice",
	);
	expect(item, "consent notice in the mailbox").toBeDefined();
	const msg = await message(paula, (item as MailItem).id);
	const link =
		/http:\/\/127\.0\.0\.1:3000(\/consent\/opt-out\?token=([A-Za-z0-9_.%-]+))/.exec(
			msg.text,
		);
	expect(link, msg.text).not.toBeNull();
	const [, path, token] = link as unknown as [string, string, string];
	return { msg, path, token: decodeURIComponent(token) };
}

function form(app: TestApp, token: string) {
	return app.app.inject({
		method: "POST",
		url: "/consent/opt-out",
		headers: { "content-type": "application/x-www-form-urlencoded" },
		payload: new URLSearchParams({ token }).toString(),
	});
}

/** The approval → consent notice → link → opt-out flow (R-CON-1, R-CON-2). */
async function optOutFlow(
	t: TestApp,
	ana: Client,
	rita: Client,
	paula: Client,
	productId: string,
	productName: string,
) {
	const claim = await approved(ana, rita, productId);
	await work(paula);
	const { msg, path, token } = await consentNotice(paula, claim.id);
	// What the notice says (R-CON-1).
	expect(msg.subject).toContain("Fabrikam Consulting");
	expect(msg.locale).toBe("en");
	expect(msg.outcome).toBe("kept");
	expect(msg.text).toContain("Hello Chris Customer,");
	expect(msg.text).toContain("Partner: Fabrikam Consulting");
	expect(msg.text).toContain("Customer: Contoso Ltd (contoso.onmicrosoft.com)");
	expect(msg.text).toContain(`Products: ${productName}`);
	expect(msg.text).toContain(
		"usage and seat data of these products only (monthly active users and paid available units, per month)",
	);
	const ends = formatInstant(claim.deadlines.consentEndsAt, "en", "UTC");
	expect(msg.text).toContain(`Opt-out possible until: ${ends}`);
	expect(msg.html).toContain(
		`href="http://127.0.0.1:3000${path.replace(/&/g, "&amp;")}"`,
	);
	expect(msg.html).toContain("Fabrikam Consulting");
	// The partner is told about the approval.
	expect(
		(await mailbox(paula, USERS.ana)).some(
			(m) => m.claimId === claim.id && m.kind === "approved",
		),
	).toBe(true);

	// Following the link shows what the customer would opt out of.
	const page = await t.anonymous().get(path);
	expect(page.statusCode).toBe(200);
	expect(page.headers["content-type"]).toMatch(/text\/html/);
	expect(page.headers["referrer-policy"]).toBe("no-referrer");
	expect(page.body).toContain("Fabrikam Consulting");
	expect(page.body).toContain(productName);
	expect(page.body).toContain(ends);
	expect(page.body).toMatch(/<form method="post" action="opt-out">/);
	// GET changes nothing.
	expect((await ana.get(`/api/v1/claims/${claim.id}`)).json().version).toBe(
		claim.version,
	);

	// Opting out (the page's form) rejects the claim with customer_declined.
	const done = await form(t, token);
	expect(done.statusCode, done.body).toBe(200);
	expect(done.body).toContain("You have opted out");
	// What the partner would have seen, and until when, no longer apply.
	expect(done.body).not.toContain("Data the partner will see");
	expect(done.body).not.toContain("Opt-out possible until");
	const after = (await ana.get(`/api/v1/claims/${claim.id}`)).json();
	expect(after.status).toBe("rejected");
	expect(after.rejection.reason).toBe("customer_declined");
	expect(after.association.status).toBe("declined");
	const history = (await ana.get(`/api/v1/claims/${claim.id}/history`)).json()
		.items as { action: string; actorRole: string; actorName: string }[];
	expect(history.find((h) => h.action === "opt_out")).toMatchObject({
		actorRole: "customer",
		actorName: "Chris Customer (consent link)",
	});

	// The partner gets the "customer declined" email, once (no separate rejection mail).
	await work(paula);
	const partnerMail = (await mailbox(paula, USERS.ana)).filter(
		(m) => m.claimId === claim.id,
	);
	expect(partnerMail.filter((m) => m.kind === "consent_declined")).toHaveLength(
		1,
	);
	expect(partnerMail.filter((m) => m.kind === "rejected")).toHaveLength(0);
	const declined = await message(
		paula,
		(partnerMail.find((m) => m.kind === "consent_declined") as MailItem).id,
	);
	expect(declined.subject).toBe(`Customer opted out: Notify ${productId}`);
	expect(declined.text).toContain(
		"Contoso Ltd (contoso.onmicrosoft.com) opted out",
	);
	expect(declined.text).toContain("Status: Rejected");

	// Using the link again says so and changes nothing.
	const again = await form(t, token);
	expect(again.statusCode).toBe(200);
	expect(again.body).toContain("You have already opted out");
	expect(again.body).not.toContain("Data the partner will see");
	expect((await ana.get(`/api/v1/claims/${claim.id}`)).json().version).toBe(
		after.version,
	);
}

describe("notifications and the consent link on pglite", () => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	beforeAll(async () => {
		t = await startTestApp("pglite");
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
	});
	afterAll(async () => t?.close());

	it("R-CON-1 approval puts the consent notice in the mailbox; R-CON-2 its link opts out and the partner is told", async () => {
		await optOutFlow(t, ana, rita, paula, "microsoft-teams", "Microsoft Teams");
	});

	it("R-CON-1 a consent notice delivered after its window ended is not sent (its link could only say the window has ended); the partner still hears of the approval", async () => {
		const claim = await approved(ana, rita, "entra-id-p2");
		// The sweeper runs again only after the window's seven days (downtime, a clock move).
		await work(paula, "P8D");
		const notices = (await mailbox(paula, CUSTOMER)).filter(
			(m) => m.claimId === claim.id && m.kind === "consent_notice",
		);
		expect(notices).toEqual([]);
		expect(
			(await mailbox(paula, USERS.ana)).some(
				(m) => m.claimId === claim.id && m.kind === "approved",
			),
		).toBe(true);
	});

	it("R-CON-1 R-ROL-3 the consent notice also goes to the tenant's customer admins, once each, whatever contact the partner named", async () => {
		const contacts = (email: string) => ({
			contacts: {
				customer: { name: "Named contact", title: "CIO", email },
				partner: { name: "Ana Garcia", email: USERS.ana },
			},
		});
		// The partner names itself as the customer's contact.
		const self = await underReview(
			ana,
			rita,
			"defender-for-office-365",
			contacts(USERS.ana),
		);
		// The partner names the customer admin, in another case.
		const named = await underReview(
			ana,
			rita,
			"purview-information-protection",
			contacts(USERS.carl.toUpperCase()),
		);
		for (const id of [self, named])
			expect(
				(await rita.post(`/api/v1/claims/${id}/approve`, {})).statusCode,
			).toBe(200);
		await work(paula);
		const notices = (await mailbox(paula, USERS.carl)).filter(
			(m) => m.kind === "consent_notice",
		);
		expect(notices.filter((m) => m.claimId === self)).toHaveLength(1);
		expect(notices.filter((m) => m.claimId === named)).toHaveLength(1);
		const msg = await message(
			paula,
			(notices.find((m) => m.claimId === self) as MailItem).id,
		);
		expect(msg.text).toContain("Hello Carl");
		expect(msg.text).toMatch(/\/consent\/opt-out\?token=/);
		// The named contact still gets it too.
		expect(
			(await mailbox(paula, USERS.ana)).filter(
				(m) => m.claimId === self && m.kind === "consent_notice",
			),
		).toHaveLength(1);
	});

	it("R-NTF-1 a Dutch-locale partner contact gets Dutch messages", async () => {
		const id = await underReview(ana, rita, "intune", {
			contacts: {
				...m365ClaimBody().contacts,
				partner: { name: "Daan de Vries", email: USERS.daan },
			},
		});
		const req = await rita.post(`/api/v1/claims/${id}/request-information`, {
			reasons: ["missing_customer_acknowledgement"],
			comment: "Laat de klant tekenen.",
		});
		expect(req.statusCode, req.body).toBe(200);
		await work(paula);
		const mail = (await mailbox(paula, USERS.daan)).filter(
			(m) => m.claimId === id,
		);
		expect(mail.map((m) => m.kind).sort()).toEqual([
			"information_requested",
			"submitted",
		]);
		expect(mail.every((m) => m.locale === "nl")).toBe(true);
		const submitted = await message(
			paula,
			(mail.find((m) => m.kind === "submitted") as MailItem).id,
		);
		expect(submitted.subject).toBe("Claim ingediend: Notify intune");
		expect(submitted.text).toContain("Hallo Daan de Vries,");
		expect(submitted.text).toContain("Status: Ingediend");
		expect(submitted.html).toContain('<html lang="nl">');
		const info = await message(
			paula,
			(mail.find((m) => m.kind === "information_requested") as MailItem).id,
		);
		expect(info.subject).toBe(
			'Actie vereist: meer informatie nodig voor "Notify intune"',
		);
		expect(info.text).toContain(
			"De handtekening van de klant staat niet op het bewijs van uitvoering.",
		);
		expect(info.text).toContain("Laat de klant tekenen.");
		expect(info.text).toContain("Status: Partneractie vereist");
		// The respond-by deadline, in Dutch.
		const due = req.json().deadlines.partnerResponseDue as string;
		expect(info.text).toContain(
			`Reageren vóór: ${formatInstant(due, "nl", "UTC")}`,
		);
		expect(info.text).toMatch(/Reageren vóór: \w+dag \d+ \w+ 2026/);
	});

	it("R-NTF-1 text from claims is escaped in HTML email", async () => {
		const id = await underReview(ana, rita, "entra-id-p1", {
			name: `<script>alert("x")</script> & co`,
		});
		await work(paula);
		const item = (await mailbox(paula, USERS.ana)).find(
			(m) => m.claimId === id && m.kind === "submitted",
		) as MailItem;
		const msg = await message(paula, item.id);
		expect(msg.html).not.toContain("<script>");
		expect(msg.html).toContain(
			"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co",
		);
		expect(msg.text).toContain(`<script>alert("x")</script> & co`);
	});

	it("R-CON-2 a tampered link gets a clear 400 page and changes nothing", async () => {
		const claim = await approved(ana, rita, "sharepoint-online");
		await work(paula);
		const { token } = await consentNotice(paula, claim.id);
		const [body, sig] = token.split(".") as [string, string];
		const otherClaim = Buffer.from(
			JSON.stringify({
				...JSON.parse(Buffer.from(body, "base64url").toString()),
				e: Date.now() + 365 * 86_400_000,
			}),
		).toString("base64url");
		for (const bad of [
			`${otherClaim}.${sig}`,
			`${body}.${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`,
			"not-a-token",
		]) {
			const page = await t
				.anonymous()
				.get(`/consent/opt-out?token=${encodeURIComponent(bad)}`);
			expect(page.statusCode).toBe(400);
			expect(page.headers["content-type"]).toMatch(/text\/html/);
			expect(page.body).toContain("This link is not valid");
			expect(page.body).toContain("Nothing was changed.");
			const post = await form(t, bad);
			expect(post.statusCode).toBe(400);
			expect(post.body).toContain("This link is not valid");
		}
		expect((await t.anonymous().get("/consent/opt-out")).statusCode).toBe(400);
		const now = (await ana.get(`/api/v1/claims/${claim.id}`)).json();
		expect(now.status).toBe("approved");
		expect(now.association.status).toBe("pending_consent");
		expect(now.version).toBe(claim.version);
	});

	it("R-CON-2 after the window has passed the link gets a clear page and changes nothing", async () => {
		const claim = await approved(ana, rita, "onedrive-for-business");
		await work(paula);
		const { path, token } = await consentNotice(paula, claim.id);
		const ends = claim.deadlines.consentEndsAt;
		const moved = await paula.post("/api/v1/admin/clock", {
			to: new Date(new Date(ends).getTime() + 60_000).toISOString(),
		});
		expect(moved.statusCode, moved.body).toBe(200);
		const active = (await ana.get(`/api/v1/claims/${claim.id}`)).json();
		expect(active.association.status).toBe("active");
		const page = await t.anonymous().get(path);
		expect(page.statusCode).toBe(410);
		expect(page.body).toContain("The opt-out window has ended");
		expect(page.body).toContain(formatInstant(ends, "en", "UTC"));
		const post = await form(t, token);
		expect(post.statusCode).toBe(410);
		expect(post.body).toContain("The opt-out window has ended");
		const after = (await ana.get(`/api/v1/claims/${claim.id}`)).json();
		expect(after.status).toBe("approved");
		expect(after.association.status).toBe("active");
		expect(after.version).toBe(active.version);
		// The partner was told the association is active.
		await work(paula);
		expect(
			(await mailbox(paula, USERS.ana)).some(
				(m) => m.claimId === claim.id && m.kind === "association_activated",
			),
		).toBe(true);
	});

	it("R-CON-2 the API opt-out accepts the signed link's token instead of a session", async () => {
		const claim = await approved(ana, rita, "viva-engage");
		await work(paula);
		const { token } = await consentNotice(paula, claim.id);
		const anon = t.anonymous();
		for (const wrong of [`${token}x`, "bogus"]) {
			const bad = await anon.post(
				`/api/v1/customer/associations/${claim.id}/opt-out?token=${encodeURIComponent(wrong)}`,
			);
			expect(bad.statusCode, bad.body).toBe(401);
			expect(bad.json().code).toBe("unauthenticated");
		}
		expect((await ana.get(`/api/v1/claims/${claim.id}`)).json().status).toBe(
			"approved",
		);
		const res = await anon.post(
			`/api/v1/customer/associations/${claim.id}/opt-out?token=${encodeURIComponent(token)}`,
		);
		expect(res.statusCode, res.body).toBe(200);
		expect(res.json().status).toBe("rejected");
		expect(res.json().rejection.reason).toBe("customer_declined");
	});

	it("R-NTF-1 the mailbox is for platform admins only", async () => {
		expect((await ana.get("/api/v1/admin/mailbox")).statusCode).toBe(403);
		expect((await t.anonymous().get("/api/v1/admin/mailbox")).statusCode).toBe(
			401,
		);
		expect(
			(await paula.get("/api/v1/admin/mailbox/999999999")).statusCode,
		).toBe(404);
		const page1 = (await paula.get("/api/v1/admin/mailbox?limit=2")).json();
		expect(page1.items).toHaveLength(2);
		expect(Number(page1.items[0].id)).toBeGreaterThan(
			Number(page1.items[1].id),
		);
		const page2 = (
			await paula.get(
				`/api/v1/admin/mailbox?limit=2&cursor=${page1.nextCursor}`,
			)
		).json();
		expect(Number(page2.items[0].id)).toBeLessThan(Number(page1.items[1].id));
		const html = await paula.get(
			`/api/v1/admin/mailbox/${page1.items[0].id}?format=html`,
		);
		expect(html.headers["content-type"]).toMatch(/text\/html/);
		expect(html.body).toMatch(/^<!doctype html>/);
	});
});

describe("CPOR's own words in the recipient's language on pglite", () => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	beforeAll(async () => {
		t = await startTestApp("pglite");
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
	});
	afterAll(async () => t?.close());

	const daanContact = {
		contacts: {
			...m365ClaimBody().contacts,
			partner: { name: "Daan de Vries", email: USERS.daan },
		},
	};
	const rejectionMail = async (id: string) => {
		const item = (await mailbox(paula, USERS.daan)).find(
			(m) => m.claimId === id && m.kind === "rejected",
		);
		expect(item, "rejection in the mailbox").toBeDefined();
		return message(paula, (item as MailItem).id);
	};

	it("R-NTF-1 R-TIME-4 R-DSP-2 a rejection in CPOR's words reaches a Dutch partner in Dutch, not as a reviewer's English comment", async () => {
		// Withdrawn without a comment (section 4: the partner's request).
		const withdrawn = await underReview(ana, rita, "intune", daanContact);
		expect(
			(await ana.post(`/api/v1/claims/${withdrawn}/withdraw`, {})).statusCode,
		).toBe(200);
		// No answer to an information request (R-TIME-4).
		const silent = await underReview(ana, rita, "exchange-online", daanContact);
		const asked = await rita.post(
			`/api/v1/claims/${silent}/request-information`,
			{ reasons: ["missing_all_poe"], comment: "Graag de juiste PoE." },
		);
		expect(asked.statusCode, asked.body).toBe(200);
		const due = asked.json().deadlines.partnerResponseDue as string;
		await work(paula, "P14D");

		const a = await rejectionMail(withdrawn);
		expect(a.locale).toBe("nl");
		expect(a.text).toContain(
			"Details: De partner heeft gevraagd deze claim af te wijzen.",
		);
		const b = await rejectionMail(silent);
		expect(b.text).toContain(
			`Details: De partner heeft de informatievraag niet beantwoord vóór ${formatInstant(due, "nl", "UTC")}.`,
		);
		for (const m of [a, b]) {
			expect(m.text).not.toContain("Toelichting van de beoordelaar");
			expect(m.text).not.toMatch(/The partner|did not answer|asked for/);
		}
		// A partner's own words on its request are its comment, not a reviewer's.
		const said = await underReview(ana, rita, "sharepoint-online", daanContact);
		await ana.post(`/api/v1/claims/${said}/withdraw`, {
			comment: "Klant gaat met een andere partner verder.",
		});
		await work(paula);
		expect((await rejectionMail(said)).text).toContain(
			"Toelichting: Klant gaat met een andere partner verder.",
		);
	});

	it("R-NTF-1 R-DSP-1 one dispute decision is one email: an approval or an information request says it answers the dispute; an upheld rejection is told as such", async () => {
		const disputed = async (productId: string) => {
			const id = await underReview(ana, rita, productId, daanContact);
			const rejected = await rita.post(`/api/v1/claims/${id}/reject`, {
				reason: "insufficient_poe",
				comment: "De PoE noemt de workload niet.",
			});
			expect(rejected.statusCode, rejected.body).toBe(200);
			const filed = await ana.post(`/api/v1/claims/${id}/dispute`, {
				justification: "Pagina 2 noemt de workload.",
			});
			expect(filed.statusCode, filed.body).toBe(200);
			return id;
		};
		const approved = await disputed("microsoft-teams");
		const asked = await disputed("onedrive-for-business");
		const upheld = await disputed("entra-id-p1");
		const decide = (id: string, body: Record<string, unknown>) =>
			rita.post(`/api/v1/claims/${id}/dispute-decision`, body);
		expect(
			(await decide(approved, { decision: "approve", comment: "Klopt." }))
				.statusCode,
		).toBe(200);
		expect(
			(
				await decide(asked, {
					decision: "request_information",
					comment: "Graag de getekende versie.",
					reasons: ["missing_customer_acknowledgement"],
				})
			).statusCode,
		).toBe(200);
		expect(
			(await decide(upheld, { decision: "uphold", comment: "Blijft staan." }))
				.statusCode,
		).toBe(200);
		await work(paula);
		const mail = await mailbox(paula, USERS.daan);
		const kindsAfter = (id: string) =>
			mail
				.filter(
					(m) =>
						m.claimId === id && !["submitted", "rejected"].includes(m.kind),
				)
				.map((m) => m.kind);
		expect(kindsAfter(approved)).toEqual(["approved"]);
		expect(kindsAfter(asked)).toEqual(["information_requested"]);
		expect(kindsAfter(upheld)).toEqual(["dispute_decided"]);
		const text = async (id: string, kind: string) =>
			(
				await message(
					paula,
					(mail.find((m) => m.claimId === id && m.kind === kind) as MailItem)
						.id,
				)
			).text;
		expect(await text(approved, "approved")).toContain(
			"Uw bezwaar is toegewezen",
		);
		expect(await text(asked, "information_requested")).toContain(
			"over uw bezwaar tegen de afwijzing",
		);
	});
});

describe("reminders before deadlines on pglite", () => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	beforeAll(async () => {
		// Monday 2026-11-23 09:00 UTC
		t = await startTestApp("pglite");
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
	});
	afterAll(async () => t?.close());

	it("R-TIME-9 partners are reminded 2 and 1 business days before the response deadline, exactly once each; reviewers 1 business day before an SLA", async () => {
		const id = await underReview(ana, rita, "exchange-online");
		const req = await rita.post(`/api/v1/claims/${id}/request-information`, {
			reasons: ["missing_all_poe"],
			comment: "Upload the signed statement of work.",
		});
		const due = req.json().deadlines.partnerResponseDue as string;
		expect(due).toBe("2026-11-30T09:00:00.000Z");
		// A second claim waits for its review to start (due Monday 30 Nov 09:00 too).
		const created = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({
				name: "Waiting for review",
				products: [{ productId: "viva-engage" }],
			}),
		);
		const waiting = created.json().id as string;
		await ana.upload(
			`/api/v1/claims/${waiting}/documents`,
			samplePdf(),
			"poe.pdf",
		);
		expect(
			(await ana.post(`/api/v1/claims/${waiting}/submit`)).json().deadlines
				.reviewStartDue,
		).toBe("2026-11-30T09:00:00.000Z");

		const reminders = async () =>
			(await mailbox(paula, USERS.ana)).filter(
				(m) => m.claimId === id && m.kind === "partner_reminder",
			);
		const reviewerReminders = async () =>
			(await mailbox(paula, USERS.rita)).filter(
				(m) => m.claimId === waiting && m.kind === "reviewer_reminder",
			);
		const to = async (instant: string) => {
			const res = await paula.post("/api/v1/admin/clock", { to: instant });
			expect(res.statusCode, res.body).toBe(200);
			return res.json();
		};

		await to("2026-11-26T08:59:59.000Z");
		expect(await reminders()).toHaveLength(0);
		// Thursday 09:00: two business days (Friday, Monday) before the deadline.
		expect((await to("2026-11-26T09:00:00.000Z")).reminders).toBe(1);
		await to("2026-11-26T15:00:00.000Z");
		const first = await reminders();
		expect(first).toHaveLength(1);
		const two = await message(paula, (first[0] as MailItem).id);
		expect(two.subject).toBe(
			`Reminder: respond by ${formatInstant(due, "en", "UTC")}: Notify exchange-online`,
		);
		expect(two.text).toContain(
			`update and resubmit the claim by ${formatInstant(due, "en", "UTC")}`,
		);
		// No count of days left: a reminder sent late would misstate it.
		expect(two.text).not.toMatch(/business days? (is|are) left/);
		expect(await reviewerReminders()).toHaveLength(0);

		// Friday 09:00: one business day before (the weekend does not count).
		await to("2026-11-27T09:00:00.000Z");
		const both = await reminders();
		expect(both).toHaveLength(2);
		const one = await message(paula, (both[0] as MailItem).id);
		expect(one.text).not.toMatch(/business days? (is|are) left/);
		// The reviewers are reminded that the review should start by Monday.
		const rr = await reviewerReminders();
		expect(rr).toHaveLength(1);
		expect((await message(paula, (rr[0] as MailItem).id)).text).toContain(
			"review start",
		);
		expect(
			(await mailbox(paula, USERS.rob)).filter(
				(m) => m.claimId === waiting && m.kind === "reviewer_reminder",
			),
		).toHaveLength(1);

		// Nothing more over the weekend, and none twice.
		await to("2026-11-28T12:00:00.000Z");
		await to("2026-11-30T08:59:00.000Z");
		expect(await reminders()).toHaveLength(2);
		expect(await reviewerReminders()).toHaveLength(1);
		// At the deadline the claim is rejected and the partner told (R-DSP-2).
		await to(due);
		const rejected = (await mailbox(paula, USERS.ana)).find(
			(m) => m.claimId === id && m.kind === "rejected",
		) as MailItem;
		const notice = await message(paula, rejected.id);
		expect(notice.text).toContain(
			"Reason: The partner did not answer the information request in time.",
		);
		expect(notice.text).toContain(`/claims/${id}`);
		expect(notice.text).toMatch(/dispute the rejection .* until \w+day/);
		expect(await reminders()).toHaveLength(2);
	});
});

describe("reminders planned in slices on pglite", () => {
	let t: TestApp;
	afterAll(async () => t?.close());

	it("R-TIME-9 many claims due at once: planned over several transactions, each reminder exactly once", async () => {
		// Monday 2026-11-23 09:00 UTC
		t = await startTestApp("pglite");
		const [ana, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.paula),
		]);
		const workloads = [
			"exchange-online",
			"sharepoint-online",
			"microsoft-teams",
			"viva-engage",
			"onedrive-for-business",
		];
		const ids = await submittedClaims(ana, "Slice", workloads);
		// Friday 09:00: one business day before each review-start SLA (Monday 30 Nov).
		t.clock.setTo(new Date("2026-11-27T09:00:00.000Z"));
		const reviewers = await reviewerIds(t);
		expect(reviewers.length).toBeGreaterThanOrEqual(2);
		// One claim per slice and two reminders per transaction: several of each.
		const batching = { rowsPerSlice: 1, candidatesPerTransaction: 2 };
		expect(await planReminders(t.ctx, batching)).toBe(
			workloads.length * reviewers.length,
		);
		expect(await planReminders(t.ctx, batching)).toBe(0);
		const planned = await t.ctx.db
			.select({ key: deliveries.dedupeKey })
			.from(deliveries)
			.where(like(deliveries.dedupeKey, "reminder:%"));
		for (const id of ids)
			expect(
				planned.filter((d) => d.key.startsWith(`reminder:${id}:review_start:`)),
			).toHaveLength(reviewers.length);
		expect(new Set(planned.map((d) => d.key)).size).toBe(planned.length);
	});

	it("R-TIME-9 an incremental sweep finds a claim changed since the last one whose reminder instant is already behind it", async () => {
		// Friday 2026-11-27 09:00 UTC: reviews of claims submitted now should start by
		// Friday 4 December.
		const t = await startTestApp("pglite", {
			now: new Date("2026-11-27T09:00:00.000Z"),
		});
		try {
			const ana = await t.login(USERS.ana);
			const [moved, far] = (await submittedClaims(ana, "Moved", [
				"exchange-online",
				"microsoft-teams",
			])) as [string, string];
			// The full pass: no reminder is due yet.
			expect(await planReminders(t.ctx)).toBe(0);
			// Ten minutes later both claims change; one's review-start deadline moves to
			// Monday 08:00, so its reminder instant (Friday 08:00) lies before the previous
			// sweep: no due-date window reaches it, only "changed since the last sweep",
			// and its deadline is nearly three days ahead (over a weekend).
			t.clock.setTo(new Date("2026-11-27T09:10:00.000Z"));
			const changedAt = t.clock.now();
			const monday = new Date("2026-11-30T08:00:00.000Z");
			await t.ctx.db
				.update(claims)
				.set({ reviewStartDue: monday, dueAt: monday, updatedAt: changedAt })
				.where(eq(claims.id, moved));
			await t.ctx.db
				.update(claims)
				.set({ updatedAt: changedAt })
				.where(eq(claims.id, far));
			t.clock.setTo(new Date("2026-11-27T09:30:00.000Z"));
			const reviewers = await reviewerIds(t);
			expect(await planReminders(t.ctx)).toBe(reviewers.length);
			const planned = await t.ctx.db
				.select({ key: deliveries.dedupeKey })
				.from(deliveries)
				.where(like(deliveries.dedupeKey, "reminder:%"));
			expect(
				planned.every((d) =>
					d.key.startsWith(`reminder:${moved}:review_start:`),
				),
			).toBe(true);
			expect(planned).toHaveLength(reviewers.length);
		} finally {
			await t.close();
		}
	});
});

describe.each<DbKind>(["postgres"])("the consent link on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	beforeAll(async () => {
		t = await startTestApp(kind);
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
	});
	afterAll(async () => t?.close());

	it("R-CON-2 the consent notice's link opts out and the partner is told", async () => {
		await optOutFlow(
			t,
			ana,
			rita,
			paula,
			"microsoft-365-apps",
			"Microsoft 365 Apps",
		);
	});
});

describe.each(DB_KINDS)("message recipients on %s", (kind) => {
	let t: TestApp | undefined;
	afterAll(async () => t?.close());

	it("R-NTF-1 a recipient's language and name are their user's, whatever the case of the address; an address without a user gets English", async () => {
		t = await startTestApp(kind);
		const found = await loadRecipients(t.ctx.db, [
			` ${USERS.daan.toUpperCase()} `,
			USERS.daan,
			"nobody@example.com",
		]);
		expect(found.get(USERS.daan)).toEqual({
			locale: "nl",
			name: "Daan de Vries",
		});
		expect(found.get("nobody@example.com")).toEqual({
			locale: "en",
			name: null,
		});
		expect(found.size).toBe(2);
	});
});
