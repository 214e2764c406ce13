/**
 * Resolved credentials are cached per process (src/auth/auth-cache.ts), and whatever
 * changes who a credential is takes effect at once: in the process that made the change,
 * and on PostgreSQL in every other server process through LISTEN/NOTIFY, well inside the
 * cache's time to live.
 */

import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
	logout,
	resolveApiToken,
	resolveSession,
} from "../../src/auth/accounts.ts";
import { AuthCache, listenForAuthChanges } from "../../src/auth/auth-cache.ts";
import {
	type Client,
	DB_KINDS,
	PASSWORD,
	queryRows,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

/** Sends GET /me with a bearer token through an app; returns the status. */
async function meWithToken(t: TestApp, token: string): Promise<number> {
	const res = await t.app.inject({
		method: "GET",
		url: `${API}/me`,
		headers: { authorization: `Bearer ${token}` },
	});
	return res.statusCode;
}

/** Polls `check` every 20 ms until it is true or `ms` passed; returns the time taken. */
async function within(ms: number, check: () => Promise<boolean>) {
	const t0 = Date.now();
	while (Date.now() - t0 < ms) {
		if (await check()) return Date.now() - t0;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error(`not within ${ms} ms`);
}

describe("AuthCache", () => {
	it("serves a resolved value until the TTL, and looks it up again after invalidateAll", async () => {
		const cache = new AuthCache(60, false);
		const load = vi.fn(async () => ({ who: "ana" }));
		expect(await cache.resolve("k", load)).toEqual({ who: "ana" });
		expect(await cache.resolve("k", load)).toEqual({ who: "ana" });
		expect(load).toHaveBeenCalledTimes(1);
		cache.invalidateAll();
		await cache.resolve("k", load);
		expect(load).toHaveBeenCalledTimes(2);
	});

	it("does not keep what a lookup under way at an invalidation found", async () => {
		const cache = new AuthCache(60, false);
		let release!: () => void;
		const gate = new Promise<void>((r) => {
			release = r;
		});
		const slow = vi.fn(async () => {
			await gate;
			return { who: "revoked meanwhile" };
		});
		const pending = cache.resolve("k", slow);
		cache.invalidateAll();
		release();
		expect(await pending).toEqual({ who: "revoked meanwhile" });
		const fresh = vi.fn(async () => null);
		expect(await cache.resolve("k", fresh)).toBeNull();
		expect(fresh).toHaveBeenCalledTimes(1);
	});

	it("keeps nothing past a value's own expiry, with TTL 0, or while not listening", async () => {
		const expired = new AuthCache(60, false);
		const load = vi.fn(async () => ({ until: Date.now() - 1 }));
		await expired.resolve("k", load, (v) => v.until);
		await expired.resolve("k", load, (v) => v.until);
		expect(load).toHaveBeenCalledTimes(2);

		const off = new AuthCache(0, false);
		const load2 = vi.fn(async () => ({}));
		await off.resolve("k", load2);
		await off.resolve("k", load2);
		expect(load2).toHaveBeenCalledTimes(2);
		expect(off.enabled).toBe(false);

		const postgres = new AuthCache(60, true);
		expect(postgres.enabled).toBe(false);
		const load3 = vi.fn(async () => ({}));
		await postgres.resolve("k", load3);
		await postgres.resolve("k", load3);
		expect(load3).toHaveBeenCalledTimes(2);
		postgres.setListening(true);
		await postgres.resolve("k", load3);
		await postgres.resolve("k", load3);
		expect(load3).toHaveBeenCalledTimes(3);
	});
});

describe.each(DB_KINDS)("credentials in one process (%s)", (kind) => {
	let t: TestApp;
	let ana: Client;
	beforeAll(async () => {
		t = await startTestApp(kind, { env: { CPOR_AUTH_CACHE_SECONDS: "600" } });
		// On PostgreSQL the cache serves only while the process listens, as `cpor serve` does.
		if (t.databaseUrl)
			stop = await listenForAuthChanges(t.databaseUrl, t.ctx.authCache);
		ana = await t.login(USERS.ana);
	});
	let stop: (() => Promise<void>) | undefined;
	afterAll(async () => {
		await stop?.();
		await t?.close();
	});

	it("a token is looked up once, and a revoked token is refused on the next request", async () => {
		const created = await ana.post(`${API}/api-tokens`, { name: "cached" });
		expect(created.statusCode).toBe(201);
		const { id, token } = created.json() as { id: string; token: string };
		const select = vi.spyOn(t.ctx.db, "select");
		expect(await resolveApiToken(t.ctx, token)).toMatchObject({ tokenId: id });
		expect(await resolveApiToken(t.ctx, token)).toMatchObject({ tokenId: id });
		expect(select).toHaveBeenCalledTimes(1);
		select.mockRestore();
		expect(await meWithToken(t, token)).toBe(200);

		expect((await ana.del(`${API}/api-tokens/${id}`)).statusCode).toBe(204);
		expect(await meWithToken(t, token)).toBe(401);
	});

	it("a token's lastUsedAt is recorded when it is used", async () => {
		const created = await ana.post(`${API}/api-tokens`, { name: "last used" });
		const { id, token } = created.json() as { id: string; token: string };
		const listed = async () =>
			(
				(await ana.get(`${API}/api-tokens`)).json() as {
					items: { id: string; lastUsedAt: string | null }[];
				}
			).items.find((t) => t.id === id)?.lastUsedAt;
		expect(await listed()).toBeNull();
		const before = Date.now();
		expect(await meWithToken(t, token)).toBe(200);
		// Written next to the request, not awaited by it.
		await within(1000, async () => (await listed()) !== null);
		expect(Date.parse((await listed()) as string)).toBeGreaterThanOrEqual(
			before - 1000,
		);
	});

	it("signing out with an unknown cookie leaves the cached credentials alone", async () => {
		const rob = await t.login(USERS.rob);
		const sessionToken = rob.cookie?.split("=")[1] as string;
		expect((await rob.get(`${API}/me`)).statusCode).toBe(200);
		await resolveSession(t.ctx, sessionToken);
		const select = vi.spyOn(t.ctx.db, "select");
		await logout(t.ctx, "not-a-session");
		expect(await resolveSession(t.ctx, sessionToken)).not.toBeNull();
		expect(select).not.toHaveBeenCalled();
		select.mockRestore();
	});

	it("an import that changes a user's password ends the user's sessions", async () => {
		const nora = await t.login(USERS.nora);
		expect((await nora.get(`${API}/me`)).statusCode).toBe(200);
		const entry = testDirectory().users?.find((u) => u.email === USERS.nora);
		const paula = await t.login(USERS.paula);
		const imported = await paula.post(`${API}/admin/directory/import`, {
			users: [{ ...entry, password: "a-new-password-456" }],
		});
		expect(imported.json().users.updated).toBe(1);
		expect((await nora.get(`${API}/me`)).statusCode).toBe(401);
		const again = await t.app.inject({
			method: "POST",
			url: `${API}/auth/login`,
			payload: { email: USERS.nora, password: "a-new-password-456" },
		});
		expect(again.statusCode).toBe(200);
		// The other users' sessions stay.
		expect((await ana.get(`${API}/me`)).statusCode).toBe(200);
	});

	it("a token loses the roles its user lost, and with none left it is refused", async () => {
		const daan = await t.login(USERS.daan);
		const created = await daan.post(`${API}/api-tokens`, { name: "daan" });
		expect(created.statusCode).toBe(201);
		const { token } = created.json() as { token: string };
		expect(await meWithToken(t, token)).toBe(200);
		const entry = testDirectory().users?.find((u) => u.email === USERS.daan);
		const paula = await t.login(USERS.paula);
		const imported = await paula.post(`${API}/admin/directory/import`, {
			users: [{ ...entry, roles: ["incentives_user"] }],
		});
		expect(imported.json().users.updated).toBe(1);
		expect(await meWithToken(t, token)).toBe(401);
	});

	it("a user who sets their language (PATCH /me) has it on the next request, for the web app and for email; an unknown language is refused", async () => {
		const daan = await t.login(USERS.daan);
		const me = async () => (await daan.get(`${API}/me`)).json().user.locale;
		expect(await me()).toBe("nl");
		// Only this user's credentials are dropped, and only when the language changes.
		const all = vi.spyOn(t.ctx.authCache, "invalidateAll");
		const one = vi.spyOn(t.ctx.authCache, "invalidate");
		const same = await daan.patch(`${API}/me`, { locale: "nl" });
		expect(same.statusCode, same.body).toBe(200);
		expect(one).not.toHaveBeenCalled();
		const set = await daan.patch(`${API}/me`, { locale: "sv" });
		expect(set.statusCode, set.body).toBe(200);
		expect(all).not.toHaveBeenCalled();
		expect(one).toHaveBeenCalled();
		for (const [key] of one.mock.calls) expect(key).toMatch(/^[st]:/);
		all.mockRestore();
		one.mockRestore();
		expect(set.json().user.locale).toBe("sv");
		expect(set.json().csrfToken).toEqual(expect.any(String));
		// The cached credential carried "nl": it is looked up again.
		expect(await me()).toBe("sv");
		const [row] = await queryRows<{ locale: string }>(
			t,
			sql`select locale from users where email = ${USERS.daan}`,
		);
		expect(row?.locale).toBe("sv");
		const refused = await daan.patch(`${API}/me`, { locale: "fr" });
		expect(refused.statusCode).toBe(422);
		expect(refused.json().errors[0].path).toBe("locale");
		expect(await me()).toBe("sv");
		expect((await daan.patch(`${API}/me`, { locale: "nl" })).statusCode).toBe(
			200,
		);
		expect(await me()).toBe("nl");
	});

	it("a session that signed out is refused on the next request", async () => {
		const ivan = await t.login(USERS.ivan);
		expect((await ivan.get(`${API}/me`)).statusCode).toBe(200);
		expect((await ivan.post(`${API}/auth/logout`, {})).statusCode).toBeLessThan(
			300,
		);
		expect((await ivan.get(`${API}/me`)).statusCode).toBe(401);
	});

	it("a user whose roles an import changed has the new roles on the next request", async () => {
		const bea = await t.login(USERS.bea);
		const before = (await bea.get(`${API}/me`)).json() as { roles: string[] };
		expect(before.roles).toEqual(["billing_admin"]);
		const entry = testDirectory().users?.find((u) => u.email === USERS.bea);
		expect(entry).toBeDefined();
		const paula = await t.login(USERS.paula);
		const imported = await paula.post(`${API}/admin/directory/import`, {
			users: [{ ...entry, roles: ["billing_admin", "incentives_user"] }],
		});
		expect(imported.statusCode).toBe(200);
		expect(imported.json().users.updated).toBe(1);
		const after = (await bea.get(`${API}/me`)).json() as { roles: string[] };
		expect(after.roles).toEqual(["billing_admin", "incentives_user"]);
	});
});

describe("credentials across two server processes on one PostgreSQL", () => {
	let a: TestApp;
	let b: TestApp;
	const stops: (() => Promise<void>)[] = [];
	beforeAll(async () => {
		// A TTL of 10 minutes: whatever is refused below was refused by the notification.
		const env = { CPOR_AUTH_CACHE_SECONDS: "600" };
		a = await startTestApp("postgres", { env });
		b = await startTestApp("postgres", {
			env,
			databaseUrl: a.databaseUrl as string,
		});
		for (const t of [a, b])
			stops.push(
				await listenForAuthChanges(t.databaseUrl as string, t.ctx.authCache),
			);
	});
	afterAll(async () => {
		for (const stop of stops) await stop();
		await b?.close();
		await a?.close();
	});

	/** POST /auth/login through `t` from `remoteAddress`; returns the answer. */
	const signIn = (
		t: TestApp,
		remoteAddress: string,
		email: string,
		password: string,
	) =>
		t.app.inject({
			method: "POST",
			url: `${API}/auth/login`,
			remoteAddress,
			payload: { email, password },
		});

	it("the sign-in limits count in the database: 10 failed sign-ins for one account from one address, split over both processes, make that address wait on either; 20 sign-ins a minute from one address, split likewise, refuse the 21st", async () => {
		for (let i = 0; i < 10; i++) {
			const res = await signIn(
				i % 2 ? a : b,
				"203.0.113.77",
				USERS.ivan,
				"wrong password",
			);
			expect(res.statusCode, res.body).toBe(401);
		}
		for (const t of [a, b]) {
			const refused = await signIn(t, "203.0.113.77", USERS.ivan, PASSWORD);
			expect(refused.statusCode, refused.body).toBe(429);
			expect(refused.json().code).toBe("rate_limited");
			expect(Number(refused.headers["retry-after"])).toBeGreaterThan(800);
		}
		// Another address is not held up, and its success clears nothing of the first's.
		expect(
			(await signIn(a, "198.51.100.77", USERS.ivan, PASSWORD)).statusCode,
		).toBe(200);
		expect(
			(await signIn(b, "203.0.113.77", USERS.ivan, PASSWORD)).statusCode,
		).toBe(429);

		// The per-address limit: unknown emails, so no account's count is involved.
		for (let i = 0; i < 20; i++) {
			const res = await signIn(
				i % 2 ? a : b,
				"192.0.2.177",
				`nobody-${i}@example.com`,
				"x",
			);
			expect(res.statusCode, res.body).toBe(401);
		}
		const limited = await signIn(a, "192.0.2.177", "nobody@example.com", "x");
		expect(limited.statusCode, limited.body).toBe(429);
		expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
		const rows = await queryRows<{ key: string; hits: number }>(
			a,
			sql`select key, hits from rate_limit_windows where key like '%192.0.2.177'`,
		);
		expect(rows).toEqual([
			{ key: "POST /api/v1/auth/login 192.0.2.177", hits: 21 },
		]);
		// Over its limit, an address is refused from the process's memory; the other
		// process still counts it in the database.
		expect(
			(await signIn(a, "192.0.2.177", "nobody@example.com", "x")).statusCode,
		).toBe(429);
		expect(
			(await signIn(b, "192.0.2.177", "nobody@example.com", "x")).statusCode,
		).toBe(429);
		expect(
			await queryRows<{ hits: number }>(
				a,
				sql`select hits from rate_limit_windows where key like '%192.0.2.177'`,
			),
		).toEqual([{ hits: 22 }]);
	});

	it("a sign-in that waits 2 s for the account's other sign-ins (its lock held) is refused with 429 and Retry-After, and counts nothing", async () => {
		const holder = new pg.Client({ connectionString: a.databaseUrl as string });
		await holder.connect();
		try {
			await holder.query("begin");
			await holder.query(
				"select pg_advisory_xact_lock(hashtext('cpor sign-in ' || $1))",
				[USERS.bea],
			);
			const held = await signIn(a, "198.51.100.240", USERS.bea, PASSWORD);
			expect(held.statusCode, held.body).toBe(429);
			expect(held.json()).toMatchObject({ code: "rate_limited" });
			expect(held.json().detail).toMatch(/at once/);
			expect(Number(held.headers["retry-after"])).toBeGreaterThanOrEqual(1);
			await holder.query("rollback");
			expect(
				await queryRows<{ n: number }>(
					a,
					sql`select count(*)::int as n from sign_in_failures where email = ${USERS.bea}`,
				),
			).toEqual([{ n: 0 }]);
			expect(
				(await signIn(b, "198.51.100.240", USERS.bea, PASSWORD)).statusCode,
			).toBe(200);
		} finally {
			await holder.end();
		}
	});

	it("two right sign-ins at once for one account from one address both succeed, leave no attempt counted, and clear that address's failure", async () => {
		for (let round = 0; round < 5; round++) {
			const address = `198.51.100.${150 + round}`;
			expect(
				(await signIn(a, address, USERS.daan, "wrong password")).statusCode,
			).toBe(401);
			const both = await Promise.all([
				signIn(a, address, USERS.daan, PASSWORD),
				signIn(b, address, USERS.daan, PASSWORD),
			]);
			expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
			// The one failure is left, cleared from the address's count (it still counts
			// for the account); a deadlock between the two would leave the loser's
			// attempt too.
			expect(
				await queryRows<{ cleared: boolean }>(
					a,
					sql`select cleared from sign_in_failures
						where email = ${USERS.daan} and address = ${address}`,
				),
			).toEqual([{ cleared: true }]);
		}
	});

	it("a sign-in deletes failures older than the window and rate-limit windows that ended, but not its own address's current window", async () => {
		await a.ctx.db.execute(sql`
			insert into sign_in_failures (email, address, at) values
				('old@example.com', '192.0.2.1', now() - interval '16 minutes'),
				('recent@example.com', '192.0.2.1', now() - interval '14 minutes');
			insert into rate_limit_windows (key, hits, ends_at) values
				('POST /api/v1/auth/login 192.0.2.2', 5, now() - interval '2 minutes'),
				('POST /api/v1/auth/login 192.0.2.3', 5, now() + interval '30 seconds')`);
		expect(
			(await signIn(b, "192.0.2.9", "someone@example.com", "x")).statusCode,
		).toBe(401);
		const failures = await queryRows<{ email: string }>(
			a,
			sql`select email from sign_in_failures where address = '192.0.2.1'`,
		);
		expect(failures).toEqual([{ email: "recent@example.com" }]);
		const windows = await queryRows<{ key: string }>(
			a,
			sql`select key from rate_limit_windows where key like '%192.0.2._' order by key`,
		);
		expect(windows.map((w) => w.key)).toEqual([
			"POST /api/v1/auth/login 192.0.2.3",
			"POST /api/v1/auth/login 192.0.2.9",
		]);
	});

	it("a token revoked through one process is refused by the other within a second", async () => {
		const ana = await a.login(USERS.ana);
		const { id, token } = (
			await ana.post(`${API}/api-tokens`, { name: "two processes" })
		).json() as { id: string; token: string };
		expect(await meWithToken(b, token)).toBe(200);
		expect(b.ctx.authCache.enabled).toBe(true);
		expect((await ana.del(`${API}/api-tokens/${id}`)).statusCode).toBe(204);
		const ms = await within(
			1000,
			async () => (await meWithToken(b, token)) === 401,
		);
		expect(ms).toBeLessThan(1000);
	});

	it("a session ended through one process is refused by the other within a second", async () => {
		const ivanA = await a.login(USERS.ivan);
		const me = (t: TestApp) =>
			t.app.inject({
				method: "GET",
				url: `${API}/me`,
				headers: { cookie: ivanA.cookie as string },
			});
		expect((await me(b)).statusCode).toBe(200);
		expect(
			(await ivanA.post(`${API}/auth/logout`, {})).statusCode,
		).toBeLessThan(300);
		await within(1000, async () => (await me(b)).statusCode === 401);
	});

	it("a listener whose connection was killed turns the cache off, then reconnects", async () => {
		const admin = new pg.Client({ connectionString: a.databaseUrl as string });
		await admin.connect();
		try {
			const killed = await admin.query(
				`select pg_terminate_backend(pid) from pg_stat_activity
				 where application_name = 'cpor-auth-listener' and datname = current_database()`,
			);
			expect(killed.rowCount).toBe(2);
			await within(1000, async () => !a.ctx.authCache.enabled);
			await within(5000, async () => a.ctx.authCache.enabled);
			await within(5000, async () => b.ctx.authCache.enabled);
		} finally {
			await admin.end();
		}
	});

	it("a process whose listener stopped looks credentials up on every request", async () => {
		const c = await startTestApp("postgres", {
			env: { CPOR_AUTH_CACHE_SECONDS: "600" },
			databaseUrl: a.databaseUrl as string,
		});
		try {
			const stop = await listenForAuthChanges(
				c.databaseUrl as string,
				c.ctx.authCache,
			);
			expect(c.ctx.authCache.enabled).toBe(true);
			await stop();
			expect(c.ctx.authCache.enabled).toBe(false);
		} finally {
			await c.close();
		}
	});
});
