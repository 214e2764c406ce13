/**
 * A store of @fastify/rate-limit's counts in PostgreSQL (`rate_limit_windows`, migration
 * 0036), so that every server process of the database counts a client's requests to a
 * route together: with N processes the sign-in's 20 a minute per address stay 20, not
 * N × 20. The embedded database (one process) keeps the plugin's own memory store.
 * Windows are fixed, as the memory store's: the first request of a key starts one of
 * `timeWindow` ms (real time), later ones count in it until it ends.
 */
import type {
	FastifyRateLimitStore,
	FastifyRateLimitStoreCtor,
} from "@fastify/rate-limit";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";

/** Ended windows a request deletes at most (besides renewing its own key's). */
const ENDED_PER_REQUEST = 100;

/**
 * Returns a store class for @fastify/rate-limit's `store` option that counts in `db`'s
 * `rate_limit_windows`. Each route's store prefixes its keys with the route's method and
 * URL; a request renews or counts its key's window in one statement, which also deletes
 * up to {@link ENDED_PER_REQUEST} windows that ended a minute or more before (skipping
 * rows another request holds). A database error reaches the plugin, which answers it as
 * the server's error (`skipOnError` is off: no unlimited sign-ins while it fails).
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
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
		): void {
			const now = Date.now();
			const at = new Date(now);
			const endsAt = new Date(now + timeWindow);
			const cutoff = new Date(now - 60_000);
			const fullKey = this.prefix + key;
			db.execute(sql`
				with ended as (
					delete from rate_limit_windows where key in (
						select key from rate_limit_windows
						where ends_at < ${cutoff} and key <> ${fullKey}
						limit ${ENDED_PER_REQUEST} for update skip locked)
				)
				insert into rate_limit_windows as w (key, hits, ends_at)
				values (${fullKey}, 1, ${endsAt})
				on conflict (key) do update set
					hits = case when w.ends_at <= ${at} then 1 else w.hits + 1 end,
					ends_at = case when w.ends_at <= ${at} then excluded.ends_at else w.ends_at end
				returning hits, (extract(epoch from ends_at) * 1000)::float8 as "endsMs"`)
				.then((result) => {
					const row = (
						result as unknown as { rows: { hits: number; endsMs: number }[] }
					).rows[0];
					if (!row) throw new Error("the rate limit's count was not returned");
					callback(null, {
						current: row.hits,
						ttl: Math.max(0, row.endsMs - now),
					});
				})
				.catch((err: Error) => callback(err));
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
