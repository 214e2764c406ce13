import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	DB_KINDS,
	type TestApp,
	USERS,
	m365ClaimBody,
	startTestApp,
} from "../support/test-app.ts";

describe.each(DB_KINDS)("R-CRT-1 a claim's first steps on %s", (kind) => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp(kind);
	});
	afterAll(async () => t?.close());

	it("R-CRT-1 a new claim starts In progress and is submitted once PoE is uploaded", async () => {
		const ana = await t.login(USERS.ana);
		const created = await ana.post("/api/v1/claims", m365ClaimBody());
		expect(created.statusCode, created.body).toBe(201);
		const claim = created.json();
		expect(claim.status).toBe("draft");
		expect(created.headers.etag).toBe('"1"');
		const up = await ana.upload(
			`/api/v1/claims/${claim.id}/documents`,
			samplePdf(),
			"sow.pdf",
		);
		expect(up.statusCode, up.body).toBe(201);
		const sub = await ana.post(`/api/v1/claims/${claim.id}/submit`);
		expect(sub.statusCode, sub.body).toBe(200);
		expect(sub.json().status).toBe("submitted");
		expect(sub.json().deadlines.reviewStartDue).toBe(
			"2026-11-30T09:00:00.000Z",
		);
	});
});
