/**
 * Guards against guessing one account's password (brute force) without letting anyone
 * lock an account out from afar:
 * - from one client address, `limit` failed sign-ins for an email within
 *   {@link LOGIN_FAILURE_WINDOW_MS} make that address wait before it tries the email
 *   again (the user's own address is not held up by someone else's guesses);
 * - from all addresses together, {@link ACCOUNT_LIMIT_FACTOR} × `limit` failures make
 *   every address wait for that email (a guess from many addresses at once; someone
 *   with that many addresses can hold the account for a window, the price of stopping
 *   a distributed guess).
 * Waiting ends when the oldest failure counted leaves the window; a successful sign-in
 * clears the address's failures for the email. An attempt counts as failed from the
 * moment it starts (and is forgiven when it succeeds), so a burst of parallel guesses
 * cannot pass the check before the first of them is counted.
 *
 * The per-address limit of all sign-ins (`CPOR_LOGIN_RATE_LIMIT`, @fastify/rate-limit)
 * stops one address trying many accounts. Counted in the memory of each server process
 * (as that limit is), in real time, not the sandbox clock's: with N server processes an
 * account gets at most N times as many guesses per window.
 */
import { LRUCache } from "lru-cache";
import { rateLimited } from "../domain/errors.ts";

/** How long a failed sign-in counts (real time, ms). */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Failures from all addresses together that make every address wait, per `limit`. */
export const ACCOUNT_LIMIT_FACTOR = 10;

/** Emails, and email-address pairs, whose failures are remembered (each, per process). */
const MAX_KEYS = 20_000;

/** Failed sign-ins per email and client address within the window (login-throttle.ts). */
export class LoginThrottle {
	readonly #limit: number;
	/** By email and address (two keys that no email can run together: JSON of the pair). */
	readonly #byAddress = new LRUCache<string, number[]>({
		max: MAX_KEYS,
		ttl: LOGIN_FAILURE_WINDOW_MS,
	});
	/** By email, from all addresses. */
	readonly #byAccount = new LRUCache<string, number[]>({
		max: MAX_KEYS,
		ttl: LOGIN_FAILURE_WINDOW_MS,
	});

	/** @param limit failures allowed per email and address and window; 0 turns the guard off. */
	constructor(limit: number) {
		this.#limit = limit;
	}

	/** The failures under `key` still in the window at `now` (epoch ms), oldest first. */
	#recent(
		cache: LRUCache<string, number[]>,
		key: string,
		now: number,
	): number[] {
		return (cache.get(key) ?? []).filter(
			(at) => at > now - LOGIN_FAILURE_WINDOW_MS,
		);
	}

	/** Seconds until `recent` holds fewer than `limit` failures, or 0 when it does now. */
	#wait(recent: number[], limit: number, now: number): number {
		if (recent.length < limit) return 0;
		const oldest = recent[recent.length - limit] as number;
		return Math.max(
			1,
			Math.ceil((oldest + LOGIN_FAILURE_WINDOW_MS - now) / 1000),
		);
	}

	#add(
		cache: LRUCache<string, number[]>,
		key: string,
		limit: number,
		now: number,
	): void {
		const recent = this.#recent(cache, key, now);
		recent.push(now);
		cache.set(key, recent.slice(-limit));
	}

	#remove(cache: LRUCache<string, number[]>, key: string, at: number): void {
		const list = cache.get(key);
		const i = list?.lastIndexOf(at) ?? -1;
		if (list && i >= 0) list.splice(i, 1);
	}

	/**
	 * Starts a sign-in for `email` (trimmed, lower case) from `address`: refuses it when
	 * that address, or every address together, has used up the failures, else counts it
	 * as failed until {@link succeeded} says otherwise. Returns the attempt's mark.
	 * @throws DomainError `rate_limited` (429) with `Retry-After` in seconds.
	 */
	attempt(email: string, address: string, now = Date.now()): number {
		if (this.#limit === 0) return now;
		const accountLimit = this.#limit * ACCOUNT_LIMIT_FACTOR;
		const pair = JSON.stringify([address, email]);
		const wait = Math.max(
			this.#wait(this.#recent(this.#byAddress, pair, now), this.#limit, now),
			this.#wait(this.#recent(this.#byAccount, email, now), accountLimit, now),
		);
		if (wait > 0)
			throw rateLimited(
				`Too many failed sign-ins for this account: try again in ${Math.ceil(wait / 60)} minute(s).`,
				wait,
			);
		this.#add(this.#byAddress, pair, this.#limit, now);
		this.#add(this.#byAccount, email, accountLimit, now);
		return now;
	}

	/** The sign-in that {@link attempt} marked `at` succeeded: it and its address's failures for `email` no longer count. */
	succeeded(email: string, address: string, at: number): void {
		this.#byAddress.delete(JSON.stringify([address, email]));
		this.#remove(this.#byAccount, email, at);
	}

	/** The sign-in that {@link attempt} marked `at` could not be checked (the server failed): it does not count. */
	forgive(email: string, address: string, at: number): void {
		this.#remove(this.#byAddress, JSON.stringify([address, email]), at);
		this.#remove(this.#byAccount, email, at);
	}
}
