/**
 * PoE documents over HTTP (SPEC R-CRT-7): multipart upload of every allowed type (checked
 * by content), refusal of anything else, safe names, download as an attachment,
 * content-addressed storage, removal only while In progress, and R-ACC-1 for downloads.
 * On both databases.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDocuments } from "../../src/db/schema.ts";
import {
	sampleDocx,
	sampleEml,
	sampleExe,
	sampleJpeg,
	sampleMsg,
	samplePdf,
	samplePng,
	samplePptx,
	sampleXlsx,
} from "../support/poe-fixtures.ts";
import {
	type Client,
	DB_KINDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

interface DocumentView {
	id: string;
	name: string;
	contentType: string;
	size: number;
	sha256: string;
	uploadedAt: string;
}
interface ClaimView {
	id: string;
	status: string;
	version: number;
	documents: DocumentView[];
}

const sha256 = (bytes: Uint8Array) =>
	createHash("sha256").update(bytes).digest("hex");

/** Every file under a directory (recursively), by name. */
function filesUnder(dir: string): string[] {
	try {
		return readdirSync(dir, { recursive: true, withFileTypes: true })
			.filter((e) => e.isFile())
			.map((e) => path.join(e.parentPath, e.name));
	} catch {
		return [];
	}
}

const ALLOWED: {
	label: string;
	bytes: () => Uint8Array;
	fileName: string;
	contentType: string;
	name: string;
}[] = [
	{
		label: "PDF",
		bytes: () => samplePdf("Signed SOW"),
		fileName: "sow.pdf",
		contentType: "application/pdf",
		name: "sow.pdf",
	},
	{
		label: "DOCX",
		bytes: sampleDocx,
		fileName: "statement of work.docx",
		contentType:
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		name: "statement of work.docx",
	},
	{
		label: "XLSX",
		bytes: sampleXlsx,
		fileName: "seats.xlsx",
		contentType:
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		name: "seats.xlsx",
	},
	{
		label: "PPTX",
		bytes: samplePptx,
		fileName: "kickoff.pptx",
		contentType:
			"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		name: "kickoff.pptx",
	},
	{
		label: "PNG",
		bytes: samplePng,
		fileName: "screenshot.png",
		contentType: "image/png",
		name: "screenshot.png",
	},
	{
		label: "JPEG",
		bytes: sampleJpeg,
		fileName: "photo.jpeg",
		contentType: "image/jpeg",
		name: "photo.jpg",
	},
	{
		label: "MSG",
		bytes: sampleMsg,
		fileName: "approval.msg",
		contentType: "application/vnd.ms-outlook",
		name: "approval.msg",
	},
	{
		label: "EML",
		bytes: sampleEml,
		fileName: "go-live.eml",
		contentType: "message/rfc822",
		name: "go-live.eml",
	},
];

describe.each(DB_KINDS)("R-CRT-7 PoE documents over HTTP on %s", (kind) => {
	let t: TestApp;
	let ana: Client;
	let nora: Client;
	let rita: Client;
	let tenantNo = 2;
	const docsDir = () => path.join(t.ctx.config.dataDir, "documents");

	/** A new draft on its own tenant (no document yet). */
	async function newDraft(): Promise<ClaimView> {
		const tenant = testDirectory().tenants?.[tenantNo++];
		if (!tenant) throw new Error("out of test tenants");
		const res = await ana.post(
			`${API}/claims`,
			m365ClaimBody({
				name: `Documents ${tenant.name}`,
				customer: { tenantId: tenant.tenantId, domain: tenant.domains[0] },
			}),
		);
		expect(res.statusCode, res.body).toBe(201);
		return res.json();
	}

	async function upload(
		claimId: string,
		bytes: Uint8Array,
		fileName: string,
		as: Client = ana,
	) {
		return as.upload(`${API}/claims/${claimId}/documents`, bytes, fileName);
	}

	async function documentRows(claimId: string) {
		const rows = await t.ctx.db.select().from(claimDocuments);
		return rows.filter((r) => r.claimId === claimId);
	}

	beforeAll(async () => {
		t = await startTestApp(kind);
		ana = await t.login(USERS.ana);
		nora = await t.login(USERS.nora);
		rita = await t.login(USERS.rita);
	});
	afterAll(async () => t?.close());

	it.each(ALLOWED.map((a) => [a.label, a] as const))(
		"R-CRT-7 a %s upload is stored with name, type by content, size and SHA-256, and downloads unchanged",
		async (_label, a) => {
			const claim = await newDraft();
			const bytes = a.bytes();
			const res = await upload(claim.id, bytes, a.fileName);
			expect(res.statusCode, res.body).toBe(201);
			const { document, claim: after } = res.json() as {
				document: DocumentView;
				claim: ClaimView;
			};
			expect(document).toMatchObject({
				name: a.name,
				contentType: a.contentType,
				size: bytes.length,
				sha256: sha256(bytes),
			});
			expect(document.id).toEqual(expect.any(String));
			expect(document.uploadedAt).toBe(t.clock.now().toISOString());
			expect(res.headers.location).toBe(
				`${API}/claims/${claim.id}/documents/${document.id}`,
			);
			expect(res.headers.etag).toBe(`"${after.version}"`);
			expect(after.documents.map((d) => d.id)).toEqual([document.id]);

			const down = await ana.get(
				`${API}/claims/${claim.id}/documents/${document.id}`,
			);
			expect(down.statusCode).toBe(200);
			expect(Buffer.compare(down.rawPayload, Buffer.from(bytes))).toBe(0);
			expect(down.headers["content-type"]).toContain(a.contentType);
			expect(String(down.headers["content-disposition"])).toMatch(
				/^attachment;\s*filename/,
			);
			expect(String(down.headers["content-disposition"])).toContain(
				`filename="${a.name}"`,
			);
			expect(down.headers["x-content-type-options"]).toBe("nosniff");
			expect(Number(down.headers["content-length"])).toBe(bytes.length);
		},
	);

	it("R-CRT-7 the type comes from the content, not the name: a PNG named .pdf is a PNG", async () => {
		const claim = await newDraft();
		const res = await upload(claim.id, samplePng(), "scan.pdf");
		expect(res.statusCode, res.body).toBe(201);
		expect(res.json().document).toMatchObject({
			name: "scan.png",
			contentType: "image/png",
		});
	});

	it("R-CRT-7 an executable named sow.pdf is refused with 415 and nothing is stored", async () => {
		const claim = await newDraft();
		const filesBefore = filesUnder(docsDir()).sort();
		const res = await upload(claim.id, sampleExe(), "sow.pdf");
		expect(res.statusCode, res.body).toBe(415);
		expect(res.json().code).toBe("unsupported_media_type");
		expect(res.headers["content-type"]).toContain("application/problem+json");
		expect(await documentRows(claim.id)).toEqual([]);
		const now = (
			await ana.get(`${API}/claims/${claim.id}`)
		).json() as ClaimView;
		expect(now.documents).toEqual([]);
		expect(now.version).toBe(claim.version);
		// No stored file and no temp file left behind.
		expect(filesUnder(docsDir()).sort()).toEqual(filesBefore);
		expect(
			filesUnder(docsDir()).some((f) => f.includes(sha256(sampleExe()))),
		).toBe(false);
	});

	it("R-CRT-7 two files in one upload are refused (one file per request), and the claim keeps no document", async () => {
		const claim = await newDraft();
		const boundary = "----cporTwoFiles";
		const part = (name: string, bytes: Uint8Array) =>
			Buffer.concat([
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
				),
				Buffer.from(bytes),
				Buffer.from("\r\n"),
			]);
		const csrf = (await ana.get(`${API}/me`)).json().csrfToken as string;
		const res = await t.app.inject({
			method: "POST",
			url: `${API}/claims/${claim.id}/documents`,
			headers: {
				cookie: ana.cookie as string,
				"x-csrf-token": csrf,
				"content-type": `multipart/form-data; boundary=${boundary}`,
			},
			payload: Buffer.concat([
				part("sow.pdf", samplePdf()),
				part("second.pdf", samplePdf()),
				Buffer.from(`--${boundary}--\r\n`),
			]),
		});
		expect(res.statusCode, res.body).toBe(422);
		expect(res.json().errors).toEqual([
			expect.objectContaining({ path: "file", code: "too_many_files" }),
		]);
		expect(await documentRows(claim.id)).toEqual([]);
		const now = (
			await ana.get(`${API}/claims/${claim.id}`)
		).json() as ClaimView;
		expect(now.version).toBe(claim.version);
		// One file is still welcome.
		expect((await upload(claim.id, samplePdf(), "sow.pdf")).statusCode).toBe(
			201,
		);
	});

	it("API idempotency: an upload retried with its Idempotency-Key is answered as before and stored once; another file under the key is refused", async () => {
		const claim = await newDraft();
		const key = { "idempotency-key": `upload-${claim.id}` };
		const url = `${API}/claims/${claim.id}/documents`;
		const first = await ana.upload(url, samplePdf("One"), "sow.pdf", key);
		expect(first.statusCode, first.body).toBe(201);
		const again = await ana.upload(url, samplePdf("One"), "sow.pdf", key);
		expect(again.statusCode, again.body).toBe(201);
		expect(again.headers["idempotent-replayed"]).toBe("true");
		expect(again.json().document.id).toBe(first.json().document.id);
		const other = await ana.upload(url, samplePdf("Two"), "sow.pdf", key);
		expect(other.statusCode, other.body).toBe(422);
		expect(other.json().code).toBe("idempotency_key_reused");
		expect(await documentRows(claim.id)).toHaveLength(1);
	});

	it("R-CRT-7 a path-traversal file name is stored as a safe name, inside the store", async () => {
		const claim = await newDraft();
		const bytes = samplePdf("traversal");
		const res = await upload(claim.id, bytes, "../../etc/passwd.pdf");
		expect(res.statusCode, res.body).toBe(201);
		const doc = res.json().document as DocumentView;
		expect(doc.name).toBe("passwd.pdf");
		expect(doc.name).not.toMatch(/[/\\]|\.\./);
		const down = await ana.get(`${API}/claims/${claim.id}/documents/${doc.id}`);
		expect(String(down.headers["content-disposition"])).toBe(
			'attachment; filename="passwd.pdf"',
		);
		const stored = filesUnder(docsDir()).filter((f) => f.endsWith(doc.sha256));
		expect(stored).toHaveLength(1);
		expect(path.relative(docsDir(), stored[0] as string).startsWith("..")).toBe(
			false,
		);
		const windows = await upload(
			claim.id,
			samplePdf("win"),
			"..\\..\\boot.ini\u202Efdp.exe",
		);
		expect(windows.statusCode, windows.body).toBe(201);
		expect(windows.json().document.name).not.toMatch(/[/\\\u202E]/);
		expect(windows.json().document.name).toMatch(/\.pdf$/);
	});

	it("R-CRT-7 the same bytes uploaded twice are stored once on disk (content-addressed)", async () => {
		const one = await newDraft();
		const two = await newDraft();
		const bytes = samplePdf("stored once");
		const hash = sha256(bytes);
		const a = await upload(one.id, bytes, "first.pdf");
		const b = await upload(two.id, bytes, "second.pdf");
		const c = await upload(one.id, bytes, "again.pdf");
		for (const r of [a, b, c]) expect(r.statusCode, r.body).toBe(201);
		const docs = [a, b, c].map((r) => r.json().document as DocumentView);
		expect(new Set(docs.map((d) => d.id)).size).toBe(3);
		for (const d of docs) expect(d.sha256).toBe(hash);
		expect(docs.map((d) => d.name)).toEqual([
			"first.pdf",
			"second.pdf",
			"again.pdf",
		]);
		const onDisk = filesUnder(docsDir()).filter(
			(f) => path.basename(f) === hash,
		);
		expect(onDisk).toHaveLength(1);
		expect(
			filesUnder(docsDir()).some((f) => path.basename(f).startsWith(".tmp")),
		).toBe(false);
		const down = await ana.get(
			`${API}/claims/${two.id}/documents/${docs[1]?.id}`,
		);
		expect(Buffer.compare(down.rawPayload, Buffer.from(bytes))).toBe(0);
	});

	it("R-CRT-7 a document can be removed only while the claim is In progress", async () => {
		const claim = await newDraft();
		const keep = (await upload(claim.id, samplePdf("keep"), "keep.pdf")).json()
			.document as DocumentView;
		const drop = (await upload(claim.id, samplePng(), "drop.png")).json()
			.document as DocumentView;
		const removed = await ana.del(
			`${API}/claims/${claim.id}/documents/${drop.id}`,
		);
		expect(removed.statusCode, removed.body).toBe(200);
		expect((removed.json() as ClaimView).documents.map((d) => d.id)).toEqual([
			keep.id,
		]);
		const gone = await ana.get(
			`${API}/claims/${claim.id}/documents/${drop.id}`,
		);
		expect(gone.statusCode).toBe(404);
		const again = await ana.del(
			`${API}/claims/${claim.id}/documents/${drop.id}`,
		);
		expect(again.statusCode).toBe(404);

		const submitted = await ana.post(`${API}/claims/${claim.id}/submit`);
		expect(submitted.statusCode, submitted.body).toBe(200);
		const refused = await ana.del(
			`${API}/claims/${claim.id}/documents/${keep.id}`,
		);
		expect(refused.statusCode, refused.body).toBe(409);
		expect(refused.json().code).toBe("invalid_transition");
		const after = (
			await ana.get(`${API}/claims/${claim.id}`)
		).json() as ClaimView;
		expect(after.documents.map((d) => d.id)).toEqual([keep.id]);
		expect(after.version).toBe((submitted.json() as ClaimView).version);
		expect(await documentRows(claim.id)).toHaveLength(1);
	});

	it("R-ACC-1 another organization cannot download a document (404); the reviewer can", async () => {
		const claim = await newDraft();
		const bytes = samplePdf("confidential");
		const doc = (await upload(claim.id, bytes, "confidential.pdf")).json()
			.document as DocumentView;
		const url = `${API}/claims/${claim.id}/documents/${doc.id}`;
		const before = await nora.get(url);
		expect(before.statusCode).toBe(404);
		expect(before.json().code).toBe("not_found");
		expect(before.body).not.toContain("confidential");
		const sub = await ana.post(`${API}/claims/${claim.id}/submit`);
		expect(sub.statusCode, sub.body).toBe(200);
		const noraAfter = await nora.get(url);
		expect(noraAfter.statusCode).toBe(404);
		expect(noraAfter.json().code).toBe("not_found");
		// nora cannot add to or remove from it either.
		expect(
			(await upload(claim.id, samplePdf("x"), "x.pdf", nora)).statusCode,
		).toBe(404);
		expect((await nora.del(url)).statusCode).toBe(404);
		const byReviewer = await rita.get(url);
		expect(byReviewer.statusCode).toBe(200);
		expect(Buffer.compare(byReviewer.rawPayload, Buffer.from(bytes))).toBe(0);
		expect(byReviewer.headers["x-content-type-options"]).toBe("nosniff");
		// The reviewer does not upload on the partner's behalf (R-ROL-2).
		const reviewerUpload = await upload(
			claim.id,
			samplePdf("r"),
			"r.pdf",
			rita,
		);
		expect(reviewerUpload.statusCode).toBe(403);
		expect(await documentRows(claim.id)).toHaveLength(1);
		// A document ID of another claim is not reachable through this claim.
		const other = await newDraft();
		const otherDoc = (await upload(other.id, samplePng(), "o.png")).json()
			.document as DocumentView;
		expect(
			(await ana.get(`${API}/claims/${claim.id}/documents/${otherDoc.id}`))
				.statusCode,
		).toBe(404);
	});
});
