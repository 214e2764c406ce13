/**
 * A guard against guessing one account's password from many addresses: after
 * `limit` failed sign-ins for an email within {@link LOGIN_FAILURE_WINDOW_MS}, the next
 * attempts for it (with the right password too) get `429 rate_limited` until the oldest
 * failure leaves the window; a successful sign-in clears its failures. The per-address
 * limit (`CPOR_LOGIN_RATE_LIMIT`, @fastify/rate-limit) stops one address trying many
 * accounts; this one stops many addresses trying one account.
 *
 * Counted in the memory of each server process (as the per-address limit is), in real
 * time, not the sandbox clock's: with N server processes an account gets at most N ×
 * `limit` guesses per window.
 */
import { LRUCache } from "lru-cache";
import { rateLimited } from "../domain/errors.ts";

/** How long a failed sign-in counts against its account (real time, ms). */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Failed sign-ins per account within {@link LOGIN_FAILURE_WINDOW_MS}, per email. */
export class LoginThrottle {
	readonly #limit: number;
	readonly #failures: LRUCache<string, number[]>;

	/** @param limit failures allowed per account and window; 0 turns the guard off. */
	constructor(limit: number) {
		this.#limit = limit;
		this.#failures = new LRUCache({
			max: 100_000,
			ttl: LOGIN_FAILURE_WINDOW_MS,
		});
	}

	/** The failures of `email` still in the window at `now` (epoch ms), oldest first. */
	#recent(email: string, now: number): number[] {
		return (this.#failures.get(email) ?? []).filter(
			(at) => at > now - LOGIN_FAILURE_WINDOW_MS,
		);
	}

	/**
	 * Refuses a sign-in for `email` (trimmed, lower case) that has used up its failures.
	 * @throws DomainError `rate_limited` (429) with `Retry-After` in seconds.
	 */
	check(email: string, now = Date.now()): void {
		if (this.#limit === 0) return;
		const recent = this.#recent(email, now);
		if (recent.length < this.#limit) return;
		const retryAfter = Math.max(
			1,
			Math.ceil(
				((recent[recent.length - this.#limit] as number) +
					LOGIN_FAILURE_WINDOW_MS -
					now) /
					1000,
			),
		);
		throw rateLimited(
			`Too many failed sign-ins for this account: try again in ${Math.ceil(retryAfter / 60)} minute(s), or ask an administrator to set a new password.`,
			retryAfter,
		);
	}

	/** Counts a failed sign-in for `email` at `now` (epoch ms). */
	failed(email: string, now = Date.now()): void {
		if (this.#limit === 0) return;
		const recent = this.#recent(email, now);
		recent.push(now);
		// Only the newest `limit` matter for when the account may try again.
		this.#failures.set(email, recent.slice(-this.#limit));
	}

	/** Forgets the failures of `email` (after it signed in). */
	succeeded(email: string): void {
		this.#failures.delete(email);
	}
}
