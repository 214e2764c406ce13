/**
 * A store of @fastify/rate-limit's counts in PostgreSQL (`rate_limit_windows`, migration
 * 0036), so that every server process of the database counts a client's requests to a
 * route together: with N processes the sign-in's 20 a minute per address stay 20, not
 * N × 20. The embedded database (one process) keeps the plugin's own memory store.
 * Windows are fixed, as the memory store's: the first request of a key starts one of
 * `timeWindow` ms (the database's clock: one for every process), later ones count in it
 * until it ends. A key over its limit is refused from the process's memory until its
 * window ends (a flood costs no statement per request); other processes count it on.
 */
import type {
	FastifyRateLimitStore,
	FastifyRateLimitStoreCtor,
} from "@fastify/rate-limit";
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "../db/client.ts";

/** Ended windows a request deletes at most (besides renewing its own key's). */
const ENDED_PER_REQUEST = 100;

/** Keys over their limit that a process refuses from memory, at most. */
const REFUSED_KEYS = 10_000;

/**
 * Returns a store class for @fastify/rate-limit's `store` option that counts in `db`'s
 * `rate_limit_windows`. Each route's store prefixes its keys with the route's method and
 * URL; a request renews or counts its key's window in one statement, which also deletes
 * up to {@link ENDED_PER_REQUEST} windows that ended a minute or more before (skipping
 * rows another request holds). A database error reaches the plugin, which answers it as
 * the server's error (`skipOnError` is off: no unlimited sign-ins while it fails).
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
	/** Keys over their limit: the count so far and when the window ends (epoch ms). */
	const refused = new LRUCache<string, { current: number; endsAt: number }>({
		max: REFUSED_KEYS,
	});
	class PostgresRateLimitStore implements FastifyRateLimitStore {
		readonly prefix: string;

		/** `options`: the plugin's; a route's store gets its prefix from {@link child}. */
		constructor(options: { keyPrefix?: string } = {}) {
			this.prefix = options.keyPrefix ?? "";
		}

		incr(
			key: string,
			callback: (
				error: Error | null,
				result?: { current: number; ttl: number },
			) => void,
			timeWindow = 60_000,
			max = Number.POSITIVE_INFINITY,
		): void {
			const fullKey = this.prefix + key;
			const held = refused.get(fullKey);
			if (held && held.endsAt > Date.now()) {
				held.current += 1;
				callback(null, {
					current: held.current,
					ttl: held.endsAt - Date.now(),
				});
				return;
			}
			const window = sql`(${timeWindow} * interval '1 millisecond')`;
			db.execute(sql`
				with ended as (
					delete from rate_limit_windows where key in (
						select key from rate_limit_windows
						where ends_at < statement_timestamp() - interval '1 minute'
							and key <> ${fullKey}
						order by ends_at
						limit ${ENDED_PER_REQUEST} for update skip locked)
				)
				insert into rate_limit_windows as w (key, hits, ends_at)
				values (${fullKey}, 1, statement_timestamp() + ${window})
				on conflict (key) do update set
					hits = case when w.ends_at <= statement_timestamp() then 1 else w.hits + 1 end,
					ends_at = case when w.ends_at <= statement_timestamp() then excluded.ends_at else w.ends_at end
				returning hits,
					greatest(0, extract(epoch from ends_at - statement_timestamp()) * 1000)::float8 as "ttlMs"`).then(
				(result) => {
					const row = (
						result as unknown as { rows: { hits: number; ttlMs: number }[] }
					).rows[0];
					if (!row)
						return callback(
							new Error("the rate limit's count was not returned"),
						);
					if (row.hits > max)
						refused.set(
							fullKey,
							{ current: row.hits, endsAt: Date.now() + row.ttlMs },
							{ ttl: Math.max(1, Math.ceil(row.ttlMs)) },
						);
					callback(null, { current: row.hits, ttl: row.ttlMs });
				},
				// Only the statement's error: a throw from the callback is not answered twice.
				(err: Error) => callback(err),
			);
		}

		/**
		 * A route's store. The plugin passes the route's merged limit options, whose
		 * `routeInfo` is the route (its declared type says the route's options).
		 */
		child(
			options: Parameters<FastifyRateLimitStore["child"]>[0],
		): FastifyRateLimitStore {
			const route =
				(
					options as unknown as {
						routeInfo?: { method?: string | string[]; url?: string };
					}
				).routeInfo ?? {};
			return new PostgresRateLimitStore({
				keyPrefix: `${this.prefix}${String(route.method ?? "")} ${route.url ?? ""} `,
			});
		}
	}
	return PostgresRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
