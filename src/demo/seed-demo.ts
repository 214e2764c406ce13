/**
 * The demo: the generated directory (generate-directory.ts) plus claims in every status,
 * created through the real use cases on a private sandbox clock that walks the last
 * month, so deadlines, overdue SLAs and history look like a live system. Deterministic
 * for a seed.
 */
import { Readable } from "node:stream";
import { en, Faker } from "@faker-js/faker";
import { eq } from "drizzle-orm";
import type { Actor, Role } from "../auth/actor.ts";
import type { CreateClaimInput } from "../claims/claim-input.ts";
import type { ClaimView } from "../claims/claim-view.ts";
import { addComment } from "../claims/comments.ts";
import { createClaim } from "../claims/create-claim.ts";
import { resubmitClaim } from "../claims/resubmit-claim.ts";
import { submitClaim } from "../claims/submit-claim.ts";
import { uploadDocument } from "../claims/upload-document.ts";
import { withdrawClaim } from "../claims/withdraw-claim.ts";
import type { AppContext } from "../context.ts";
import { demoLoads, users } from "../db/schema.ts";
import {
	type ImportSummary,
	importDirectory,
} from "../directory/import-directory.ts";
import { disputeClaim } from "../disputes/dispute-claim.ts";
import { renderSimplePdf } from "../documents/simple-pdf.ts";
import {
	type Activity,
	programsForActivity,
	type SolutionArea,
} from "../domain/claim-validation.ts";
import { SandboxClock } from "../domain/clock.ts";
import { approveClaim } from "../review/approve-claim.ts";
import { rejectClaim } from "../review/reject-claim.ts";
import { requestInformation } from "../review/request-information.ts";
import { startReview } from "../review/start-review.ts";
import {
	DEMO_IDS,
	DEMO_SEED,
	DEMO_USERS,
	generateDemoDirectory,
} from "./generate-directory.ts";

/** What the demo loaded. */
export interface DemoSummary {
	directory: ImportSummary;
	claims: Record<string, number>;
}

const partnerActor = (
	organizationId: string,
	name: string,
	role: Role = "global_admin",
): Actor => ({
	userId: `demo:${organizationId}`,
	name,
	roles: [role],
	kind: "partner",
	organizationId,
});
/**
 * The demo's reviewer, named as her account (the history shows the name she signs in
 * with). Her user ID is set once the directory is loaded (seedDemo), so that the claims
 * she starts are hers: the reminders of their decision go to her, not to every reviewer.
 */
const reviewer: Actor = {
	userId: "demo:reviewer",
	name:
		DEMO_USERS.find((u) => u.email === "rita.reviewer@cpor.example")?.name ??
		"Rita Okafor",
	roles: ["reviewer"],
	kind: "reviewer",
};

/**
 * Loads the demo directory and claims into an empty database. `onProgress` reports
 * steps. Uses `ctx`'s database but its own clock, which walks from 31 days before
 * `ctx`'s now to now; the reviewer's actions on the ecosystem's claims come hours to days
 * after each submission, so the SLA report has times to show and the queue has work both
 * due and overdue.
 */
export async function seedDemo(
	ctx: AppContext,
	opts: {
		demoPassword: string;
		seed?: number;
		claims?: number;
		onProgress?: (msg: string) => void;
	},
): Promise<DemoSummary> {
	const seed = opts.seed ?? DEMO_SEED;
	const say = opts.onProgress ?? (() => {});
	// Finished below, after the last claim: a load cut off half way stays unfinished
	// (runtime.ts, demoState).
	// A load cut off before anything but this row was kept (its directory import is one
	// transaction) leaves the database empty: loading it again starts the row again.
	const startedAt = new Date();
	await ctx.db
		.insert(demoLoads)
		.values({ id: 1, startedAt })
		.onConflictDoUpdate({
			target: demoLoads.id,
			set: { startedAt, finishedAt: null },
		});
	say("loading the demo directory");
	const doc = generateDemoDirectory(seed, opts.demoPassword);
	const directory = await importDirectory(ctx.db, doc);
	const [rita] = await ctx.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, "rita.reviewer@cpor.example"));
	if (rita) reviewer.userId = rita.id;
	const end = ctx.clock.now();
	const clock = new SandboxClock(new Date(end.getTime() - 31 * 86_400_000));
	const c: AppContext = { ...ctx, clock };
	const faker = new Faker({ locale: [en] });
	faker.seed(seed + 1);
	const counts: Record<string, number> = {};
	const done = (v: ClaimView) => {
		counts[v.status] = (counts[v.status] ?? 0) + 1;
		return v;
	};
	const tick = (hours: number) => clock.advanceBy(`PT${hours}H`);

	const pdf = (title: string) =>
		renderSimplePdf([
			"Proof of execution",
			title,
			`Date: ${clock.now().toISOString().slice(0, 10)}`,
			"Work performed: workshops, deployment and adoption plan.",
			"Customer acknowledgement: signed by the customer's project sponsor.",
		]);
	const upload = async (actor: Actor, claim: ClaimView, name: string) =>
		(
			await uploadDocument(c, {
				actor,
				claimId: claim.id,
				stream: Readable.from([Buffer.from(pdf(name))]),
				fileName: name,
			})
		).claim;

	const contacts = (org: string) => ({
		customer: {
			name: faker.person.fullName(),
			title: faker.person.jobTitle(),
			email: faker.internet
				.email({ provider: "customer.example" })
				.toLowerCase(),
		},
		customerTechnical: {
			name: faker.person.fullName(),
			title: "IT Manager",
			email: faker.internet
				.email({ provider: "customer.example" })
				.toLowerCase(),
		},
		partner: { name: faker.person.fullName(), email: `claims@${org}.example` },
	});

	/** Creates, uploads and (optionally) submits one claim. */
	const make = async (
		actor: Actor,
		input: Omit<CreateClaimInput, "contacts">,
		submit = true,
	) => {
		let v = await createClaim(c, {
			actor,
			input: { ...input, contacts: contacts(actor.organizationId as string) },
		});
		tick(1);
		v = await upload(actor, v, `PoE ${input.name}.pdf`);
		if (submit) {
			tick(1);
			v = await submitClaim(c, { actor, claimId: v.id });
		}
		return v;
	};

	say("creating the well-known demo claims");
	const ana = partnerActor(DEMO_IDS.organizations.fabrikam, "Ana Garcia");
	const nora = partnerActor(DEMO_IDS.organizations.northwind, "Nora Lindqvist");
	const T = DEMO_IDS.tenants;
	const S = DEMO_IDS.subscriptions;
	const M = DEMO_IDS.mpnIds;
	const m365 = (
		name: string,
		tenantId: string,
		domain: string,
		productIds: string[],
	) => ({
		name,
		mpnId: M.fabrikamEnrolled,
		customer: { tenantId, domain },
		solutionArea: "microsoft_365" as const,
		activity: "usage" as const,
		products: productIds.map((productId) => ({ productId })),
	});
	const ba = (
		name: string,
		mpnId: string,
		tenantId: string,
		domain: string,
		subs: string[],
		activity: "presales" | "usage" = "presales",
	) => ({
		name,
		mpnId,
		customer: { tenantId, domain },
		solutionArea: "business_applications" as const,
		activity,
		products: subs.map((subscriptionId) => ({ subscriptionId })),
	});

	// Approved, consent window running (Contoso's customer admin can opt out).
	let v = await make(
		ana,
		m365("Contoso Teams and SharePoint adoption", T.contoso, "contoso.com", [
			"microsoft-teams",
			"sharepoint-online",
		]),
	);
	tick(20);
	const teams = await startReview(c, { actor: reviewer, claimId: v.id });
	// An association that became active weeks ago: eligibility, earnings and usage to see.
	v = await make(
		ana,
		m365("Contoso Microsoft 365 Apps adoption", T.contoso, "contoso.com", [
			"microsoft-365-apps",
		]),
	);
	tick(6);
	v = await startReview(c, { actor: reviewer, claimId: v.id });
	tick(4);
	done(
		await approveClaim(c, {
			actor: reviewer,
			claimId: v.id,
			comment: "Signed adoption plan and usage review attached.",
		}),
	);
	// Competing pair on Contoso Customer Service (arbitration).
	tick(2);
	const a = await make(
		ana,
		ba(
			"Contoso Customer Service rollout",
			M.fabrikamEnrolled,
			T.contoso,
			"contoso.onmicrosoft.com",
			[S.contosoCustomerService],
		),
	);
	tick(3);
	const b = await make(
		nora,
		ba(
			"Customer Service presales for Contoso",
			M.northwind,
			T.contoso,
			"contoso.com",
			[S.contosoCustomerService],
		),
	);
	done(await startReview(c, { actor: reviewer, claimId: a.id }));
	done(b);
	// Submitted, waiting for review (Contoso Sales).
	tick(3);
	done(
		await make(
			ana,
			ba(
				"Contoso Dynamics 365 Sales presales",
				M.fabrikamEnrolled,
				T.contoso,
				"contoso.com",
				[S.contosoSales],
			),
		),
	);
	// A draft to finish.
	done(
		await make(
			ana,
			m365(
				"Contoso Intune rollout (draft)",
				T.contoso,
				"contoso.onmicrosoft.com",
				["intune"],
			),
			false,
		),
	);

	say("creating claims across the partner ecosystem");
	const total = opts.claims ?? 160;
	const products = doc.products ?? [];
	const allTenants = doc.tenants ?? [];
	const m365Workloads = products
		.filter((p) => p.solutionArea === "microsoft_365")
		.map((p) => p.productId);
	const claimable = (doc.subscriptions ?? []).filter(
		(s) =>
			s.channel !== "csp" &&
			s.provisioned &&
			(s.status === "active" || s.status === "in_grace") &&
			products.find((p) => p.productId === s.productId)?.dynamics,
	);
	const partners = (doc.partners ?? []).filter(
		(p) =>
			p.organizationId !== DEMO_IDS.organizations.fabrikam &&
			p.organizationId !== DEMO_IDS.organizations.northwind,
	);
	const tenantsById = new Map(allTenants.map((t) => [t.tenantId, t]));
	const usedKeys = new Set<string>();
	// A partner's MPN ID enrolled in a program the activity feeds (R-CRT-2), or none: a
	// claim the partner could never submit is not made.
	const enrolledMpnId = (
		partner: (typeof partners)[number],
		area: SolutionArea,
		activity: Activity,
	) => {
		const needed: readonly string[] = programsForActivity(area, activity);
		return partner.mpnIds.find(
			(m) =>
				needed.length === 0 ||
				needed.some((p) => (m.programs as readonly string[]).includes(p)),
		);
	};
	// `i` counts the claims tried (some the rules refuse); a draw that tries none (a
	// partner without an enrolled MPN ID, a key used already) is drawn again.
	for (let i = 0, draws = 0; i < total && draws < total * 20; draws++) {
		const partner = faker.helpers.arrayElement(partners);
		const actor = partnerActor(partner.organizationId, faker.person.fullName());
		let input: Omit<CreateClaimInput, "contacts">;
		if (faker.number.int(2) === 0) {
			const sub = faker.helpers.arrayElement(claimable);
			const tenant = tenantsById.get(sub.tenantId);
			const key = `${partner.organizationId}:${sub.subscriptionId}:presales`;
			const mpn = enrolledMpnId(partner, "business_applications", "presales");
			if (!tenant || !mpn || usedKeys.has(key)) continue;
			usedKeys.add(key);
			input = ba(
				`${tenant.name} ${sub.productId.replace(/-/g, " ")}`,
				mpn.mpnId,
				sub.tenantId,
				tenant.domains[0] as string,
				[sub.subscriptionId],
			);
		} else {
			const tenant = faker.helpers.arrayElement(allTenants);
			const workload = faker.helpers.arrayElement(m365Workloads);
			const key = `${partner.organizationId}:${tenant.tenantId}:${workload}`;
			const mpn = enrolledMpnId(partner, "microsoft_365", "usage");
			if (!mpn || usedKeys.has(key)) continue;
			usedKeys.add(key);
			input = {
				...m365(
					`${tenant.name} ${workload.replace(/-/g, " ")} adoption`,
					tenant.tenantId,
					tenant.domains[0] as string,
					[workload],
				),
				mpnId: mpn.mpnId,
			};
		}
		tick(faker.number.int({ min: 1, max: 3 }));
		try {
			const outcome = faker.number.int(9);
			v = await make(actor, input, outcome !== 0);
			// What follows the submission happens later, on a clock of this claim's own
			// (`clock` walks on with the next claims): the review starts 2-97 hours after
			// it (every seventh a week later: a breach), the decision 2-49 hours after that,
			// never after `end`. The waits come from the claim's index, not from faker, so
			// the claims drawn stay the same.
			const later = new SandboxClock(clock.now());
			const wait = (hours: number) =>
				later.setTo(
					new Date(
						Math.min(
							later.now().getTime() + hours * 3_600_000,
							end.getTime() - 3_600_000,
						),
					),
				);
			const l: AppContext = { ...ctx, clock: later };
			if (outcome >= 3) {
				wait(2 + ((i * 37) % 96) + (i % 7 === 0 ? 168 : 0));
				v = await startReview(l, { actor: reviewer, claimId: v.id });
				wait(2 + ((i * 53) % 48));
			}
			if (outcome === 4 || outcome === 5)
				v = await requestInformation(l, {
					actor: reviewer,
					claimId: v.id,
					reasons: ["missing_products"],
					comment: "The PoE does not name the claimed workload.",
				});
			if (outcome === 5) {
				wait(1 + (i % 30));
				v = await resubmitClaim(l, {
					actor,
					claimId: v.id,
					comment: "Updated PoE now lists the workload.",
				});
			}
			if (outcome === 6 || outcome === 7)
				v = await approveClaim(l, { actor: reviewer, claimId: v.id });
			if (outcome === 8)
				v = await rejectClaim(l, {
					actor: reviewer,
					claimId: v.id,
					reason: "insufficient_poe",
					comment: "The PoE does not show work for this customer.",
				});
			if (outcome === 9)
				v = await withdrawClaim(l, {
					actor,
					claimId: v.id,
					comment: "Entered by mistake.",
				});
			done(v);
		} catch {
			// A generated claim that the rules refuse is left where they refused it.
		}
		i++;
	}

	say("creating rejected and disputed claims");
	tick(2);
	v = await make(
		ana,
		m365("Contoso Exchange Online migration", T.contoso, "contoso.com", [
			"exchange-online",
		]),
	);
	v = await startReview(c, { actor: reviewer, claimId: v.id });
	done(
		await rejectClaim(c, {
			actor: reviewer,
			claimId: v.id,
			reason: "insufficient_poe",
			comment: "The PoE predates the claim by two years.",
		}),
	);
	tick(2);
	v = await make(
		ana,
		m365(
			"Contoso Defender for Office 365 hardening",
			T.contoso,
			"contoso.com",
			["defender-for-office-365"],
		),
	);
	v = await startReview(c, { actor: reviewer, claimId: v.id });
	v = await rejectClaim(c, {
		actor: reviewer,
		claimId: v.id,
		reason: "missing_customer_consent_on_poe",
		comment: "The customer has not signed the PoE.",
	});
	tick(5);
	v = await upload(ana, v, "Signed acceptance.pdf");
	done(
		await disputeClaim(c, {
			actor: ana,
			claimId: v.id,
			justification:
				"The signed acceptance is now attached; the customer signed it on site.",
		}),
	);
	await addComment(c, {
		actor: ana,
		claimId: a.id,
		body: "We ran the Customer Service design workshops in September; happy to share more.",
	});
	// The recent part of the demo, two days before now: an approval whose consent window
	// is still open (Contoso's customer admin can opt out) and an open information request.
	clock.setTo(
		new Date(Math.max(clock.now().getTime(), end.getTime() - 2 * 86_400_000)),
	);
	done(
		await approveClaim(c, {
			actor: reviewer,
			claimId: teams.id,
			comment: "PoE shows the adoption workshops and the signed acceptance.",
		}),
	);
	// Partner action required (Adventure Works).
	tick(4);
	v = await make(
		ana,
		ba(
			"Adventure Works Sales presales",
			M.fabrikamEnrolled,
			T.adventureWorks,
			"adventure-works.com",
			[S.adventureWorksSales],
		),
	);
	v = await startReview(c, { actor: reviewer, claimId: v.id });
	done(
		await requestInformation(c, {
			actor: reviewer,
			claimId: v.id,
			reasons: ["missing_customer_acknowledgement", "missing_or_old_dates"],
			comment:
				"Please upload the statement of work signed by the customer, with the engagement dates.",
		}),
	);
	await ctx.db
		.update(demoLoads)
		.set({ finishedAt: new Date() })
		.where(eq(demoLoads.id, 1));
	return { directory, claims: counts };
}
