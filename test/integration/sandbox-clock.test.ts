/**
 * The sandbox clock across restarts (API.md "Bootstrap and sandbox": it starts at the
 * real time and only moves forward): a move through `POST /admin/clock` is kept in the
 * database, and the next `cpor serve --sandbox` on it goes on from there.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { saveSandboxLead } from "../../src/db/sandbox-clock.ts";
import { SandboxClock } from "../../src/domain/clock.ts";
import { adminClockRoutes } from "../../src/http/routes/admin-clock.ts";
import { buildServer } from "../../src/http/server.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import { createTestDatabase, type DbKind } from "../support/test-app.ts";

const ADMIN = "sandbox.admin@cpor.example";
const PASSWORD = "sandbox-clock-2026";
const DAY_MS = 86_400_000;

/** Moves the runtime's sandbox clock over HTTP as a platform admin; returns the answer. */
async function moveClock(
	rt: Runtime,
	body: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
	const clock = rt.ctx.clock;
	if (!(clock instanceof SandboxClock)) throw new Error("not a sandbox clock");
	const app = await buildServer(rt.ctx, {
		logger: false,
		plugins: [adminClockRoutes(rt.ctx, clock)],
	});
	try {
		const login = await app.inject({
			method: "POST",
			url: "/api/v1/auth/login",
			payload: { email: ADMIN, password: PASSWORD },
		});
		expect(login.statusCode, login.body).toBe(200);
		const setCookie = login.headers["set-cookie"];
		const cookie = String(
			Array.isArray(setCookie) ? setCookie[0] : setCookie,
		).split(";")[0] as string;
		const res = await app.inject({
			method: "POST",
			url: "/api/v1/admin/clock",
			headers: {
				cookie,
				"x-csrf-token": (login.json() as { csrfToken: string }).csrfToken,
			},
			payload: body,
		});
		return { status: res.statusCode, json: res.json() };
	} finally {
		await app.close();
	}
}

for (const kind of ["pglite", "postgres"] as DbKind[]) {
	it(`R-TIME-9 a moved sandbox clock goes on from where it was after a restart, only forward, and never past year 9000 (${kind})`, async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-sandbox-"));
		const config = loadConfig({
			CPOR_DATA_DIR: dataDir,
			LOG_LEVEL: "silent",
			CPOR_ADMIN_EMAIL: ADMIN,
			CPOR_ADMIN_PASSWORD: PASSWORD,
			...(kind === "postgres"
				? { DATABASE_URL: await createTestDatabase() }
				: {}),
		});
		const open: Runtime[] = [];
		const start = async (sandbox: boolean) => {
			const rt = await startRuntime(config, { sandbox });
			open.push(rt);
			return rt;
		};
		try {
			// A first start: the real time.
			const first = await start(true);
			expect(
				Math.abs(first.ctx.clock.now().getTime() - Date.now()),
			).toBeLessThan(5_000);
			const moved = await moveClock(first, { advanceBy: "P6D" });
			expect(moved.status, JSON.stringify(moved.json)).toBe(200);
			const movedTo = new Date(moved.json.now as string).getTime();
			expect(movedTo - Date.now()).toBeGreaterThan(6 * DAY_MS - 5_000);
			await first.close();

			// Restarted: six days ahead still, running with real time.
			const second = await start(true);
			const resumed = second.ctx.clock.now().getTime();
			expect(resumed).toBeGreaterThanOrEqual(movedTo);
			expect(resumed - Date.now()).toBeGreaterThan(6 * DAY_MS - 5_000);
			expect(resumed - Date.now()).toBeLessThan(6 * DAY_MS + 5_000);
			// A move back is refused; a further one is kept as the new lead.
			const back = await moveClock(second, {
				to: new Date(Date.now()).toISOString(),
			});
			expect(back.status).toBe(409);
			expect(back.json.code).toBe("clock_rewind");
			expect((await moveClock(second, { advanceBy: "P1D" })).status).toBe(200);
			// A zero move is no rewind, however the running clock ticks meanwhile: here it
			// moves on a millisecond at every read.
			const clock = second.ctx.clock as SandboxClock;
			const ticking = clock.now.bind(clock);
			let reads = 0;
			clock.now = () => new Date(ticking().getTime() + ++reads);
			try {
				for (let i = 0; i < 5; i++)
					expect((await moveClock(second, { advanceBy: "PT0S" })).status).toBe(
						200,
					);
			} finally {
				clock.now = ticking;
			}
			// A move past what deadlines can be counted from is refused, and changes
			// nothing: neither the clock nor the lead a restart goes on from.
			const before = second.ctx.clock.now().getTime();
			for (const far of [
				{ to: "9999-12-31T23:59:59Z" },
				{ advanceBy: "P7974Y" },
			] as Record<string, string>[]) {
				const refused = await moveClock(second, far);
				expect(refused.status, JSON.stringify(refused.json)).toBe(422);
				expect(refused.json.errors).toEqual([
					expect.objectContaining({
						path: Object.keys(far)[0],
						code: "clock_out_of_range",
					}),
				]);
			}
			expect(second.ctx.clock.now().getTime() - before).toBeLessThan(5_000);

			// A move saved out of order (a smaller lead after a larger one) leaves the larger.
			await saveSandboxLead(second.ctx.db, new Date(Date.now() + DAY_MS));
			await second.close();

			const third = await start(true);
			const lead = third.ctx.clock.now().getTime() - Date.now();
			expect(lead).toBeGreaterThan(7 * DAY_MS - 5_000);
			expect(lead).toBeLessThan(7 * DAY_MS + 5_000);
			await third.close();

			// Without --sandbox the real clock is used, whatever was stored.
			const real = await start(false);
			expect(real.ctx.clock).not.toBeInstanceOf(SandboxClock);
			expect(
				Math.abs(real.ctx.clock.now().getTime() - Date.now()),
			).toBeLessThan(5_000);
		} finally {
			for (const rt of open) await rt.close().catch(() => {});
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
}
