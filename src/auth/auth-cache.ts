/**
 * A short-lived, per-process cache of resolved credentials (API tokens and session
 * cookies → actor), so that a request does not pay a database round trip to learn who
 * sent it (issue 5: no per-request work that can be done once).
 *
 * Correctness rests on invalidation, not on the time to live:
 * - whatever changes who a credential is (revoking a token, signing out, importing
 *   users) calls {@link notifyAuthChanged} inside its transaction and empties the
 *   credential from the local cache after it commits;
 * - on PostgreSQL every server process LISTENs on {@link AUTH_CHANNEL}
 *   ({@link listenForAuthChanges}) and drops the credential named in the notification
 *   (every one, after an import) when a process commits such a change; while that
 *   connection is down the cache is off;
 * - a lookup that was under way when the cache was emptied is not stored (generation
 *   check), so it cannot put back what was just revoked;
 * - the time to live (`CPOR_AUTH_CACHE_SECONDS`, default 10 s; 0 turns the cache off)
 *   bounds staleness if a notification is lost, e.g. behind a transaction-pooling proxy.
 */

import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "../db/client.ts";

/** The PostgreSQL NOTIFY channel of credential changes. */
export const AUTH_CHANNEL = "cpor_auth_changed";

/** At most this many credentials are kept per process (least recently used go first). */
const MAX_ENTRIES = 10_000;

/** Per-process cache of credential hash → resolved value, with expiry in epoch ms. */
export class AuthCache {
	readonly #ttlMs: number;
	readonly #entries: LRUCache<string, { v: object | null }> | null;
	#generation = 0;
	#listening: boolean;

	/**
	 * @param ttlSeconds time to live of an entry in seconds; 0 disables the cache.
	 * @param needsListener true on PostgreSQL: entries are served only while
	 *   {@link setListening} says the change listener is connected.
	 */
	constructor(ttlSeconds: number, needsListener: boolean) {
		this.#ttlMs = ttlSeconds * 1000;
		this.#entries =
			ttlSeconds > 0
				? new LRUCache({ max: MAX_ENTRIES, ttl: this.#ttlMs })
				: null;
		this.#listening = !needsListener;
	}

	/** True when lookups may be served from the cache. */
	get enabled(): boolean {
		return this.#entries !== null && this.#listening;
	}

	/**
	 * Returns the cached value for `key`, or resolves it with `load` and keeps the
	 * result (null included: an unknown token costs a lookup once per TTL, not per
	 * request) until `expiresAt(value)` (epoch ms) or the TTL, whichever is first.
	 */
	async resolve<T extends object>(
		key: string,
		load: () => Promise<T | null>,
		expiresAt?: (value: T) => number,
	): Promise<T | null> {
		const entries = this.#entries;
		if (!entries || !this.#listening) return load();
		const hit = entries.get(key);
		if (hit) return hit.v as T | null;
		const generation = this.#generation;
		const value = await load();
		if (generation === this.#generation && this.#listening) {
			const ttl =
				value && expiresAt
					? Math.min(this.#ttlMs, expiresAt(value) - Date.now())
					: this.#ttlMs;
			if (ttl > 0) entries.set(key, { v: value }, { ttl });
		}
		return value;
	}

	/** Forgets one credential (its key as given to {@link resolve}), and every lookup under way. */
	invalidate(key: string): void {
		this.#generation++;
		this.#entries?.delete(key);
	}

	/** Forgets every entry, and every lookup still under way. */
	invalidateAll(): void {
		this.#generation++;
		this.#entries?.clear();
	}

	/** Called by the change listener: the cache serves entries only while it is connected. */
	setListening(listening: boolean): void {
		this.#listening = listening;
		this.invalidateAll();
	}
}

/**
 * Tells every CPOR process on this database that a credential changed (`key`, as given to
 * {@link AuthCache.resolve}) or, without a key, that any may have; call it inside the
 * transaction that changes them (the notification is delivered at commit).
 */
export async function notifyAuthChanged(db: Db, key = ""): Promise<void> {
	await db.execute(sql`select pg_notify(${AUTH_CHANNEL}, ${key})`);
}

/** How often the listening connection proves it is alive, and how long it may take (ms). */
const HEARTBEAT_MS = 5000;

/**
 * Keeps a dedicated PostgreSQL connection LISTENing on {@link AUTH_CHANNEL} and drops the
 * named credential (or every one) from `cache` on each notification. The connection runs
 * a heartbeat query every 5 s (TCP keep-alive on too): an idle connection that a proxy or
 * NAT dropped silently would otherwise look connected while missing revocations. While
 * the connection is down or its heartbeat fails the cache is off, and the connection is
 * retried every `retryMs` (default 1 s). Returns a function that stops it.
 */
export async function listenForAuthChanges(
	databaseUrl: string,
	cache: AuthCache,
	opts: { retryMs?: number; onError?: (err: Error) => void } = {},
): Promise<() => Promise<void>> {
	const { default: pg } = await import("pg");
	const retryMs = opts.retryMs ?? 1000;
	let stopped = false;
	let client: import("pg").Client | null = null;
	let timer: NodeJS.Timeout | null = null;
	let heartbeat: NodeJS.Timeout | null = null;

	const connect = async (): Promise<void> => {
		if (stopped) return;
		const c = new pg.Client({
			connectionString: databaseUrl,
			application_name: "cpor-auth-listener",
			keepAlive: true,
			query_timeout: HEARTBEAT_MS,
		});
		const down = (err?: Error) => {
			if (client !== c) return;
			client = null;
			if (heartbeat) clearInterval(heartbeat);
			heartbeat = null;
			cache.setListening(false);
			if (err) opts.onError?.(err);
			c.end().catch(() => {});
			if (!stopped) timer = setTimeout(connect, retryMs);
		};
		c.on("error", down);
		c.on("end", () => down());
		c.on("notification", (n) => {
			if (n.channel !== AUTH_CHANNEL) return;
			if (n.payload) cache.invalidate(n.payload);
			else cache.invalidateAll();
		});
		client = c;
		try {
			await c.connect();
			await c.query(`LISTEN ${AUTH_CHANNEL}`);
			if (client !== c || stopped) return;
			cache.setListening(true);
			heartbeat = setInterval(() => {
				c.query("select 1").catch((err: Error) => down(err));
			}, HEARTBEAT_MS);
			heartbeat.unref();
		} catch (err) {
			down(err as Error);
		}
	};
	await connect();
	return async () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		if (heartbeat) clearInterval(heartbeat);
		const c = client;
		client = null;
		cache.setListening(false);
		await c?.end().catch(() => {});
	};
}
