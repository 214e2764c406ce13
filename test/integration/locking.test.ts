/**
 * Claim actions under the row lock on PostgreSQL (R-EDIT-2, R-CRT-7): an action that
 * waited for another transaction's lock on the claim must act on what that transaction
 * committed, the claim's documents included. The claim and its parts are read in one
 * statement; when it waited, the parts are read again under the lock. An upload runs
 * without a lock (`optimistic`): when the claim changed between its read and its write,
 * its write raises and nothing of it is kept, and it is read and applied again.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { performClaimAction } from "../../src/claims/claim-action.ts";
import type { Tx } from "../../src/db/client.ts";
import { claimDocuments, claimHistory, claims } from "../../src/db/schema.ts";
import { DEMO_IDS } from "../../src/demo/generate-directory.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	baClaimBody,
	type Client,
	createDraftWithPoe,
	m365ClaimBody,
	northwindBaClaimBody,
	startTestApp,
	type TestApp,
	USERS,
	uploadPoeAndSubmit,
} from "../support/test-app.ts";

describe("claim actions that wait for the row lock on postgres", () => {
	let t: TestApp;
	let ana: Client;
	beforeAll(async () => {
		t = await startTestApp("postgres");
		ana = await t.login(USERS.ana);
	});
	afterAll(async () => t?.close());

	/**
	 * Runs `work` in a transaction of its own and keeps that transaction (and the locks it
	 * took) open until `commit()`, which resolves once it committed.
	 */
	async function holdInTransaction(work: (tx: Tx) => Promise<void>) {
		let release!: () => void;
		const released = new Promise<void>((resolve) => {
			release = resolve;
		});
		let done!: () => void;
		const worked = new Promise<void>((resolve) => {
			done = resolve;
		});
		const transaction = t.ctx.db.transaction(async (tx) => {
			await work(tx);
			done();
			await released;
		});
		await Promise.race([worked, transaction]);
		return {
			commit: async () => {
				release();
				await transaction;
			},
		};
	}

	/** Waits until a statement of this database waits for a lock (the request under test). */
	async function waitForLockWaiter(what: string) {
		for (let i = 0; ; i++) {
			const waiting = (await t.ctx.db.execute(
				sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
			)) as unknown as { rows: { n: number }[] };
			if ((waiting.rows[0]?.n ?? 0) > 0) return;
			expect(i, `${what} never waited for the lock`).toBeLessThan(200);
			await new Promise((r) => setTimeout(r, 25));
		}
	}

	/**
	 * Fabrikam's (Ana's) and Northwind's (Nora's) presales drafts on one Business
	 * Applications subscription, each with a PoE: ready to submit, competing (R-CMP-2).
	 */
	async function competingDrafts(subscriptionId: string) {
		const nora = await t.login(USERS.nora);
		const products = [{ subscriptionId }];
		return {
			a: (await createDraftWithPoe(ana, baClaimBody({ products }))).id,
			b: (await createDraftWithPoe(nora, northwindBaClaimBody({ products })))
				.id,
			nora,
		};
	}

	it("R-CRT-7 a resubmit that waited for an upload in progress sees the uploaded PoE", async () => {
		// Resubmit runs under the row lock (submit and upload run optimistic, see below).
		const created = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({ products: [{ productId: "entra-id-p2" }] }),
		);
		expect(created.statusCode, created.body).toBe(201);
		const id = created.json().id as string;
		await uploadPoeAndSubmit(ana, id);
		const rita = await t.login(USERS.rita);
		const review = await rita.post(`/api/v1/claims/${id}/start-review`);
		expect(review.statusCode, review.body).toBe(200);
		const asked = await rita.post(`/api/v1/claims/${id}/request-information`, {
			reasons: ["missing_products"],
			comment: "Which workloads?",
		});
		expect(asked.statusCode, asked.body).toBe(200);
		const before = asked.json();
		const docId = randomUUID();

		// Another transaction holds the claim's row lock while it adds a PoE document and
		// bumps the version (what an upload does), and commits only when told to.
		const upload = await holdInTransaction(async (tx) => {
			await tx.execute(sql`select 1 from claims where id = ${id} for update`);
			await tx.insert(claimDocuments).values({
				id: docId,
				claimId: id,
				name: "sow.pdf",
				contentType: "application/pdf",
				size: 1024,
				sha256: "0".repeat(64),
				purpose: "poe",
				uploadedBy: "test",
				uploadedAt: t.clock.now(),
			});
			await tx
				.update(claims)
				.set({ version: sql`${claims.version} + 1` })
				.where(eq(claims.id, id));
		});

		const resubmit = ana.post(`/api/v1/claims/${id}/resubmit`);
		await waitForLockWaiter("the resubmit");
		await upload.commit();

		const res = await resubmit;
		expect(res.statusCode, res.body).toBe(200);
		const claim = res.json();
		expect(claim.status).toBe("under_review");
		expect(claim.version).toBe(before.version + 2);
		expect(claim.documents.map((d: { id: string }) => d.id)).toContain(docId);
		expect(claim.documents).toHaveLength(2);
	});

	it("R-EDIT-2 an upload whose claim changed between its read and its write is applied again, once", async () => {
		const created = await ana.post("/api/v1/claims", m365ClaimBody());
		expect(created.statusCode, created.body).toBe(201);
		const id = created.json().id as string;

		// Another transaction changes the claim (a rename, bumping the version) and holds
		// the row lock until told to commit.
		const rename = await holdInTransaction(async (tx) => {
			await tx
				.update(claims)
				.set({ name: "Renamed meanwhile", version: sql`${claims.version} + 1` })
				.where(eq(claims.id, id));
		});

		// The upload reads version 1 (the rename is not committed), stores the file and
		// then waits for the row lock with its version-guarded write.
		const upload = ana.upload(
			`/api/v1/claims/${id}/documents`,
			samplePdf(),
			"poe.pdf",
		);
		await waitForLockWaiter("the upload");
		await rename.commit();

		const res = await upload;
		expect(res.statusCode, res.body).toBe(201);
		const claim = res.json().claim ?? res.json();
		// Applied to the renamed claim: version 1 → 2 (rename) → 3 (upload).
		expect(claim.name).toBe("Renamed meanwhile");
		expect(claim.version).toBe(3);
		expect(claim.documents).toHaveLength(1);
		const docs = await t.ctx.db
			.select()
			.from(claimDocuments)
			.where(eq(claimDocuments.claimId, id));
		expect(docs).toHaveLength(1);
		const uploads = await t.ctx.db
			.select()
			.from(claimHistory)
			.where(eq(claimHistory.claimId, id));
		expect(uploads.filter((h) => h.action === "upload_document")).toHaveLength(
			1,
		);
		const [row] = await t.ctx.db
			.select({ version: claims.version, name: claims.name })
			.from(claims)
			.where(eq(claims.id, id));
		expect(row).toEqual({ version: 3, name: "Renamed meanwhile" });
	});

	it("R-CMP-2 two organizations submitting competing claims at the same moment are both marked competing", async () => {
		const { a, b, nora } = await competingDrafts(
			DEMO_IDS.subscriptions.contosoCustomerService,
		);

		// Fabrikam's submit reads its claim and finds no competitor (Northwind's claim is a
		// draft), then waits for the row lock with its write, held here.
		const hold = await holdInTransaction(async (tx) => {
			await tx.execute(sql`select 1 from claims where id = ${a} for update`);
		});
		const submitA = ana.post(`/api/v1/claims/${a}/submit`);
		await waitForLockWaiter("Fabrikam's submit");
		// Meanwhile Northwind submits, and finds Fabrikam's claim still a draft.
		const submitB = await nora.post(`/api/v1/claims/${b}/submit`);
		expect(submitB.statusCode, submitB.body).toBe(200);
		expect(submitB.json().competing).toBe(false);
		await hold.commit();

		const resA = await submitA;
		expect(resA.statusCode, resA.body).toBe(200);
		expect(resA.json()).toMatchObject({ status: "submitted", competing: true });
		const rows = await t.ctx.db
			.select({ id: claims.id, competing: claims.competing })
			.from(claims)
			.where(inArray(claims.id, [a, b]));
		expect(rows.map((r) => r.competing)).toEqual([true, true]);
		const marks = await t.ctx.db
			.select({ claimId: claimHistory.claimId })
			.from(claimHistory)
			.where(
				and(
					inArray(claimHistory.claimId, [a, b]),
					eq(claimHistory.action, "mark_competing"),
				),
			);
		expect(marks.map((m) => m.claimId).sort()).toEqual([a, b].sort());
	});

	it("R-CMP-2 a submit whose check meets another submit holding the compete key waits for it, then marks both competing", async () => {
		const { a, b } = await competingDrafts(DEMO_IDS.subscriptions.contosoSales);

		// Northwind's submit, as a transaction that holds the compete key's lock (taken the
		// way a submit takes it) and has made its claim submitted, not yet committed.
		const northwindSubmit = await holdInTransaction(async (tx) => {
			await tx.execute(sql`select cpor_lock_compete_keys(${b})`);
			await tx
				.update(claims)
				.set({
					status: "submitted",
					submittedAt: t.clock.now(),
					version: sql`${claims.version} + 1`,
				})
				.where(eq(claims.id, b));
		});
		// Fabrikam's submit reads Northwind's claim as a draft, writes, and its check
		// waits for the key's lock; once Northwind's commits, it sees it and is tried again.
		const submitA = ana.post(`/api/v1/claims/${a}/submit`);
		await waitForLockWaiter("Fabrikam's check");
		await northwindSubmit.commit();

		const res = await submitA;
		expect(res.statusCode, res.body).toBe(200);
		expect(res.json()).toMatchObject({ status: "submitted", competing: true });
		const [other] = await t.ctx.db
			.select({ competing: claims.competing })
			.from(claims)
			.where(eq(claims.id, b));
		expect(other?.competing).toBe(true);
	});

	it("R-EDIT-2 an action under the row lock that a deadlock aborted runs again, once", async () => {
		const draft = async (productId: string) => {
			const created = await ana.post(
				"/api/v1/claims",
				m365ClaimBody({ products: [{ productId }] }),
			);
			expect(created.statusCode, created.body).toBe(201);
			return created.json().id as string;
		};
		const x = await draft("exchange-online");
		const y = await draft("sharepoint-online");

		// Another transaction holds Y's row, then asks for X's once the action holds X and
		// waits for Y: a deadlock. It checks for deadlocks only after 10 s, so the action's
		// backend (after 1 s) finds it and is the one aborted.
		const signal = () => {
			let done!: () => void;
			const happened = new Promise<void>((resolve) => {
				done = resolve;
			});
			return { done, happened };
		};
		const yLocked = signal();
		const xLocked = signal();
		const askForX = signal();
		const other = t.ctx.db.transaction(async (tx) => {
			await tx.execute(sql`set local deadlock_timeout = '10s'`);
			await tx.execute(sql`select 1 from claims where id = ${y} for update`);
			yLocked.done();
			await askForX.happened;
			await tx.execute(sql`select 1 from claims where id = ${x} for update`);
		});
		await yLocked.happened;
		let attempts = 0;
		const action = performClaimAction(t.ctx, {
			claimId: x,
			actor: SYSTEM_ACTOR,
			action: "edit",
			skipTransitionCheck: true,
			apply: async ({ tx }) => {
				attempts++;
				if (attempts === 1) {
					xLocked.done();
					await tx.execute(
						sql`select 1 from claims where id = ${y} for update`,
					);
				}
				return { name: "Renamed after a deadlock" };
			},
		});
		await xLocked.happened;
		await waitForLockWaiter("the action");
		askForX.done();
		// The other transaction gets X once the action's first try is aborted, and commits.
		await other;
		const claim = await action;
		expect(attempts).toBe(2);
		expect(claim.name).toBe("Renamed after a deadlock");
		const edits = await t.ctx.db
			.select()
			.from(claimHistory)
			.where(and(eq(claimHistory.claimId, x), eq(claimHistory.action, "edit")));
		expect(edits).toHaveLength(1);
	});
});
