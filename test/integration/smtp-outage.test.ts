import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	DB_KINDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

/** How the SMTP peer behaves: refuses connections (421), refuses the sender (451), or works. */
type Mode = "refuse_connect" | "refuse_mail" | "up";

interface Received {
	messageId: string;
	to: string[];
	subject: string;
}

/** A real SMTP server on 127.0.0.1 (random port, no auth, no TLS) whose outage we control. */
async function startSmtpPeer() {
	const state = { mode: "up" as Mode, received: [] as Received[], refused: 0 };
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ["AUTH", "STARTTLS"],
		logger: false,
		onConnect(_session, callback) {
			if (state.mode === "refuse_connect") {
				state.refused++;
				return callback(
					Object.assign(new Error("Service not available, try again later"), {
						responseCode: 421,
					}),
				);
			}
			callback();
		},
		onMailFrom(_address, _session, callback) {
			if (state.mode === "refuse_mail") {
				state.refused++;
				return callback(
					Object.assign(new Error("Mailbox temporarily unavailable"), {
						responseCode: 451,
					}),
				);
			}
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on("data", (c: Buffer) => chunks.push(c));
			stream.on("end", () => {
				const raw = Buffer.concat(chunks).toString("utf8");
				const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
				state.received.push({
					messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? "",
					to: session.envelope.rcptTo.map((r) => r.address),
					subject: /^Subject:\s*(.*)$/im.exec(head)?.[1] ?? "",
				});
				callback();
			});
		},
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const port = (server.server.address() as AddressInfo).port;
	return {
		state,
		port,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe.each(DB_KINDS)("email during an SMTP outage on %s", (kind) => {
	let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	beforeAll(async () => {
		smtp = await startSmtpPeer();
		t = await startTestApp(kind, {
			env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
		});
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
	});
	afterAll(async () => {
		await t?.close();
		await smtp?.close();
	});

	const clock = async (advanceBy: string) => {
		const res = await paula.post("/api/v1/admin/clock", { advanceBy });
		expect(res.statusCode, res.body).toBe(200);
		return res.json().deliveries as {
			sent: number;
			retried: number;
			failed: number;
		};
	};
	/** A submitted M365 claim of Ana's with PoE (its submit mails the partner). */
	const submitted = async (name: string, productId: string) => {
		const c = (
			await ana.post(
				"/api/v1/claims",
				m365ClaimBody({ name, products: [{ productId }] }),
			)
		).json() as { id: string };
		await ana.upload(
			`/api/v1/claims/${c.id}/documents`,
			samplePdf(),
			"poe.pdf",
		);
		expect((await ana.post(`/api/v1/claims/${c.id}/submit`)).statusCode).toBe(
			200,
		);
		return c;
	};
	const emailRows = async () =>
		(
			(await t.ctx.db.execute(
				sql`select id, target, outcome, attempts, last_error from deliveries where channel = 'email' order by id`,
			)) as unknown as {
				rows: {
					id: string | number;
					target: string;
					outcome: string | null;
					attempts: number;
					last_error: string | null;
				}[];
			}
		).rows;

	it("R-NTF-1 no email is lost while the mail server is down, and none is sent twice after it recovers", async () => {
		smtp.state.mode = "refuse_connect";
		// Two claims: submitted (partner mail) and one approved (partner + customer notice
		// to the contact and to the tenant's customer admin).
		for (const productId of ["microsoft-teams", "intune"]) {
			const c = await submitted(`Outage ${productId}`, productId);
			if (productId === "intune") {
				await rita.post(`/api/v1/claims/${c.id}/start-review`);
				expect(
					(await rita.post(`/api/v1/claims/${c.id}/approve`, {})).statusCode,
				).toBe(200);
			}
		}
		const first = await clock("PT1S");
		expect(first.sent).toBe(0);
		expect(first.retried).toBeGreaterThan(0);
		let rows = await emailRows();
		expect(rows).toHaveLength(5);
		expect(rows.every((r) => r.outcome === null)).toBe(true);
		expect(rows.some((r) => /421/.test(r.last_error ?? ""))).toBe(true);
		expect(smtp.state.received).toHaveLength(0);

		// Still down: retries after the backoff fail again; nothing is given up or lost.
		await clock("PT10S");
		await clock("PT30S");
		smtp.state.mode = "refuse_mail";
		await clock("PT1M");
		await clock("PT2M");
		rows = await emailRows();
		expect(rows.every((r) => r.outcome === null)).toBe(true);
		expect(rows.some((r) => /451/.test(r.last_error ?? ""))).toBe(true);
		expect(smtp.state.received).toHaveLength(0);
		expect(smtp.state.refused).toBeGreaterThanOrEqual(5);

		// The server recovers: the next retries deliver everything.
		smtp.state.mode = "up";
		await clock("PT1H");
		rows = await emailRows();
		expect(rows.map((r) => r.outcome)).toEqual([
			"sent",
			"sent",
			"sent",
			"sent",
			"sent",
		]);
		const ids = smtp.state.received.map((m) => m.messageId);
		expect(ids).toHaveLength(5);
		expect(new Set(ids).size).toBe(5);
		for (const id of ids) expect(id).toMatch(/^<cpor\.\d+\.[0-9a-f]{16}@/);
		// Each delivery row's message arrived exactly once, to its recipient.
		for (const r of rows) {
			const got = smtp.state.received.filter((m) =>
				m.messageId.startsWith(`<cpor.${r.id}.`),
			);
			expect(got).toHaveLength(1);
			expect(got[0]?.to).toEqual([r.target]);
		}
		expect(
			smtp.state.received.filter((m) => m.to[0] === "chris@contoso.example"),
		).toHaveLength(1);

		// Later rounds send nothing again.
		await clock("PT2H");
		await clock("P1D");
		expect(smtp.state.received).toHaveLength(5);
	});

	it("R-NTF-1 an outage of two days loses no email: past 20 attempts it is still retried, and sent once the server is back", async () => {
		smtp.state.mode = "refuse_connect";
		const before = smtp.state.received.length;
		const c = await submitted("Outage of days", "exchange-online");
		for (let hour = 0; hour < 48; hour++) await clock("PT1H");
		const mine = async () =>
			(
				(await t.ctx.db.execute(
					sql`select outcome, attempts from deliveries where channel = 'email' and claim_id = ${c.id}`,
				)) as unknown as {
					rows: { outcome: string | null; attempts: number }[];
				}
			).rows;
		const waiting = await mine();
		expect(waiting).toHaveLength(1);
		expect(waiting[0]?.outcome).toBeNull();
		expect(waiting[0]?.attempts).toBeGreaterThan(20);
		smtp.state.mode = "up";
		await clock("PT1H");
		expect((await mine())[0]?.outcome).toBe("sent");
		expect(smtp.state.received.slice(before)).toHaveLength(1);
		expect(smtp.state.received.at(-1)?.subject).toContain("Outage of days");
	});
});
