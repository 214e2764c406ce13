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
 * stops one address trying many accounts. Counted in real time, not the sandbox clock's:
 * on the embedded database (one process) in its memory ({@link LoginThrottle}), on
 * PostgreSQL in the database, so that every server process of it counts the same
 * failures ({@link SharedLoginThrottle}; the per-address limit likewise,
 * src/http/rate-limit-store.ts).
 */
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { type Db, pgErrorCode, type Tx } from "../db/client.ts";
import { rateLimited } from "../domain/errors.ts";

/**
 * Counts failed sign-ins per account (see the module's comment). The mark
 * {@link SignInThrottle.attempt} returns identifies the attempt to the other two calls.
 */
export interface SignInThrottle {
	/**
	 * Starts a sign-in for `email` (trimmed, lower case) from `address`: refuses it when
	 * that address, or every address together, has used up the failures, else counts it
	 * as failed until `succeeded` says otherwise. Resolves to the attempt's mark.
	 * @throws DomainError `rate_limited` (429) with `Retry-After` in seconds.
	 */
	attempt(email: string, address: string, now?: number): Promise<number>;
	/** The attempt `mark` succeeded: it and its address's failures for `email` no longer count. */
	succeeded(email: string, address: string, mark: number): Promise<void>;
	/** The attempt `mark` could not be checked (the server failed): it does not count. */
	forgive(email: string, address: string, mark: number): Promise<void>;
}

/** The refusal of a sign-in that must wait `wait` seconds. */
function tooManyFailures(wait: number) {
	return rateLimited(
		`Too many failed sign-ins for this account: try again in ${Math.ceil(wait / 60)} minute(s).`,
		wait,
	);
}

/**
 * Seconds until the failure at `oldest` (epoch ms; the `limit`-th newest in the window)
 * leaves the window, at least 1; 0 when there is no such failure.
 */
function secondsUntilOut(oldest: number | null | undefined, now: number) {
	if (oldest === null || oldest === undefined) return 0;
	return Math.max(
		1,
		Math.ceil((oldest + LOGIN_FAILURE_WINDOW_MS - now) / 1000),
	);
}

/** How long a failed sign-in counts (real time, ms). */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Failures from all addresses together that make every address wait, per `limit`. */
export const ACCOUNT_LIMIT_FACTOR = 10;

/** Emails, and email-address pairs, whose failures are remembered (each, per process). */
const MAX_KEYS = 20_000;

/**
 * Failed sign-ins per email and client address within the window, in this process's
 * memory (the embedded database: one process).
 */
export class LoginThrottle implements SignInThrottle {
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
		return secondsUntilOut(recent[recent.length - limit], now);
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
	 * {@link SignInThrottle.attempt}: the check and the count happen before this returns
	 * its promise, so a parallel burst cannot pass the check before the first is counted.
	 * The mark is the attempt's time (epoch ms).
	 */
	attempt(email: string, address: string, now = Date.now()): Promise<number> {
		try {
			return Promise.resolve(this.#attempt(email, address, now));
		} catch (err) {
			return Promise.reject(err);
		}
	}

	#attempt(email: string, address: string, now: number): number {
		if (this.#limit === 0) return now;
		const accountLimit = this.#limit * ACCOUNT_LIMIT_FACTOR;
		const pair = JSON.stringify([address, email]);
		const wait = Math.max(
			this.#wait(this.#recent(this.#byAddress, pair, now), this.#limit, now),
			this.#wait(this.#recent(this.#byAccount, email, now), accountLimit, now),
		);
		if (wait > 0) throw tooManyFailures(wait);
		this.#add(this.#byAddress, pair, this.#limit, now);
		this.#add(this.#byAccount, email, accountLimit, now);
		return now;
	}

	/** {@link SignInThrottle.succeeded}; `at` is the attempt's mark. */
	async succeeded(email: string, address: string, at: number): Promise<void> {
		this.#byAddress.delete(JSON.stringify([address, email]));
		this.#remove(this.#byAccount, email, at);
	}

	/** {@link SignInThrottle.forgive}; `at` is the attempt's mark. */
	async forgive(email: string, address: string, at: number): Promise<void> {
		this.#remove(this.#byAddress, JSON.stringify([address, email]), at);
		this.#remove(this.#byAccount, email, at);
	}
}

/** Expired failures a sign-in deletes at most. */
const EXPIRED_PER_ATTEMPT = 100;

/** How long a sign-in waits for the others of its account before it is refused. */
const ACCOUNT_LOCK_TIMEOUT = "2s";

/**
 * Takes the sign-in lock of `email` for the rest of `tx` (a transaction-scoped advisory
 * lock), waiting at most {@link ACCOUNT_LOCK_TIMEOUT} (then PostgreSQL's 55P03).
 */
async function lockAccount(tx: Tx, email: string): Promise<void> {
	await tx.execute(
		sql.raw(`set local lock_timeout = '${ACCOUNT_LOCK_TIMEOUT}'`),
	);
	await tx.execute(
		sql`select pg_advisory_xact_lock(hashtext(${`cpor sign-in ${email}`}))`,
	);
}

/**
 * Failed sign-ins kept in PostgreSQL (`sign_in_failures`, migration 0036), so that every
 * server process of the database counts the same ones: with N processes an account
 * still gets `limit` guesses per window from an address, not N × `limit`. Times are the
 * database's (one clock for every process). An attempt is one transaction that waits
 * for the others of the same email (an advisory lock, at most {@link
 * ACCOUNT_LOCK_TIMEOUT}: a burst of parallel guesses at one account does not hold the
 * connection pool), so a parallel burst, across processes too, cannot pass the check
 * before the first is counted; its mark is its row's ID. As in {@link LoginThrottle}, a
 * success clears its address's failures from that address's count (`cleared`), and
 * they still count for the account. After each attempt up to {@link
 * EXPIRED_PER_ATTEMPT} expired failures are deleted, oldest first, skipping rows another
 * attempt holds (so it never waits).
 */
export class SharedLoginThrottle implements SignInThrottle {
	readonly #db: Db;
	readonly #limit: number;

	/**
	 * @param db the PostgreSQL database
	 * @param limit failures allowed per email and address and window; 0 turns the guard off
	 */
	constructor(db: Db, limit: number) {
		this.#db = db;
		this.#limit = limit;
	}

	/**
	 * {@link SignInThrottle.attempt}. `now` is not used: the database's clock is. Also
	 * throws `rate_limited` when the account's other sign-ins held it for {@link
	 * ACCOUNT_LOCK_TIMEOUT}, and the database's error.
	 */
	async attempt(email: string, address: string): Promise<number> {
		if (this.#limit === 0) return 0;
		const accountLimit = this.#limit * ACCOUNT_LIMIT_FACTOR;
		const window = sql`(${LOGIN_FAILURE_WINDOW_MS} * interval '1 millisecond')`;
		// Seconds until the failure leaves the window.
		const waitOf = sql`ceil(extract(epoch from at + ${window} - statement_timestamp()))::float8`;
		let id: number;
		try {
			id = await this.#db.transaction(async (tx) => {
				await lockAccount(tx, email);
				const waits = (await tx.execute(sql`select
					(select ${waitOf} from sign_in_failures
						where email = ${email} and address = ${address} and not cleared
							and at > statement_timestamp() - ${window}
						order by at desc offset ${this.#limit - 1} limit 1) as "byAddress",
					(select ${waitOf} from sign_in_failures
						where email = ${email} and at > statement_timestamp() - ${window}
						order by at desc offset ${accountLimit - 1} limit 1) as "byAccount"
				`)) as unknown as {
					rows: { byAddress: number | null; byAccount: number | null }[];
				};
				const row = waits.rows[0];
				const wait = Math.max(
					...[row?.byAddress, row?.byAccount].map((w) =>
						w === null || w === undefined ? 0 : Math.max(1, w),
					),
				);
				if (wait > 0) throw tooManyFailures(wait);
				const [inserted] = (
					(await tx.execute(sql`insert into sign_in_failures (email, address, at)
						values (${email}, ${address}, statement_timestamp()) returning id`)) as unknown as {
						rows: { id: number | string }[];
					}
				).rows;
				return Number(inserted?.id ?? 0);
			});
		} catch (err) {
			if (pgErrorCode(err) === "55P03")
				throw rateLimited(
					"Too many sign-ins for this account at once: try again in a moment.",
					1,
				);
			throw err;
		}
		await this.#db
			.execute(sql`delete from sign_in_failures where id in (
				select id from sign_in_failures where at <= statement_timestamp() - ${window}
				order by at limit ${EXPIRED_PER_ATTEMPT} for update skip locked)`)
			.catch(() => {});
		return id;
	}

	/**
	 * {@link SignInThrottle.succeeded}; `id` is the attempt's mark (its row). Under the
	 * account's lock, as attempts are: two successes at once from one address (a double
	 * submit) would otherwise each hold its own row and wait for the other's.
	 */
	async succeeded(email: string, address: string, id: number): Promise<void> {
		if (this.#limit === 0) return;
		await this.#db.transaction(async (tx) => {
			await lockAccount(tx, email);
			await tx.execute(sql`delete from sign_in_failures where id = ${id}`);
			await tx.execute(sql`update sign_in_failures set cleared = true
				where email = ${email} and address = ${address} and not cleared`);
		});
	}

	/**
	 * {@link SignInThrottle.forgive}; `id` is the attempt's mark (its row). Called when the
	 * database just failed, so a failed delete is tried once more after 200 ms.
	 */
	async forgive(_email: string, _address: string, id: number): Promise<void> {
		if (this.#limit === 0) return;
		const forget = () =>
			this.#db.execute(sql`delete from sign_in_failures where id = ${id}`);
		await forget().catch(async () => {
			await new Promise((r) => setTimeout(r, 200));
			await forget();
		});
	}
}

/**
 * The throttle for a database: {@link SharedLoginThrottle} on PostgreSQL (several
 * processes may serve it), {@link LoginThrottle} on the embedded one.
 */
export function createLoginThrottle(
	db: Db,
	dbKind: "pglite" | "postgres",
	limit: number,
): SignInThrottle {
	return dbKind === "postgres"
		? new SharedLoginThrottle(db, limit)
		: new LoginThrottle(limit);
}
