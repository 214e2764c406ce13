/**
 * Configuration from the environment, validated at boot with zod (fail fast with a clear
 * message). CLI flags override these (see `cpor --help`).
 */
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { parse as parseConnectionString } from "pg-connection-string";
import { z } from "zod";

/** A yes/no variable: true, 1 or yes; false, 0 or no; unset or empty gives `def`. */
const bool = (def = false) =>
	z
		.enum(["true", "false", "1", "0", "yes", "no", ""])
		.optional()
		.transform((v) =>
			v === undefined || v === ""
				? def
				: v === "true" || v === "1" || v === "yes",
		);
const int = (def: number, min = 0) =>
	z.coerce.number().int().min(min).default(def);

/** A CPOR_TRUST_PROXY value proxy-addr takes: true, false, or keywords, IPs and CIDRs. */
function isTrustProxy(value: string): boolean {
	if (value === "true" || value === "false") return true;
	return value.split(",").every((item) => {
		const [ip = "", prefix, ...rest] = item.trim().split("/");
		if (["loopback", "linklocal", "uniquelocal"].includes(ip))
			return prefix === undefined;
		const family = isIP(ip);
		if (family === 0 || rest.length > 0) return false;
		if (prefix === undefined) return true;
		const bits = Number(prefix);
		return (
			/^\d+$/.test(prefix) && bits >= 0 && bits <= (family === 4 ? 32 : 128)
		);
	});
}

/** The environment variables CPOR reads, with defaults. Listed by `cpor serve --help`. */
const POSTGRES_URL_FORMS =
	"expected postgres://user:password@host:5432/database (or, over a Unix socket, postgres://user@/database?host=/run/postgresql)";

/** Adds an issue unless `url` is a `postgres://` or `postgresql://` URL that pg can parse. */
function checkPostgresUrl(url: string, ctx: z.RefinementCtx): void {
	if (!/^postgres(ql)?:\/\//i.test(url)) {
		ctx.addIssue({ code: "custom", message: POSTGRES_URL_FORMS });
		return;
	}
	try {
		parseConnectionString(url);
	} catch (err) {
		// e.g. an sslcert/sslkey/sslrootcert file that cannot be read
		ctx.addIssue({
			code: "custom",
			message: `${(err as Error).message} (${POSTGRES_URL_FORMS})`,
		});
	}
}

export const envSchema = z
	.object({
		PORT: int(3000, 0),
		HOST: z.string().min(1).default("127.0.0.1"),
		CPOR_DATA_DIR: z.string().min(1).default("./data"),
		/**
		 * PostgreSQL connection URL, parsed as pg parses it (pg-connection-string), so the
		 * Unix-socket forms `postgres://user@/db?host=/run/postgresql` and
		 * `postgres:///db?host=/run/postgresql&user=u` are accepted.
		 */
		DATABASE_URL: z
			.string()
			.superRefine(checkPostgresUrl)
			.optional()
			.or(z.literal("").transform(() => undefined)),
		/** Connections each process keeps to PostgreSQL (default {@link defaultDbPoolSize}). */
		CPOR_DB_POOL_SIZE: z.coerce
			.number()
			.int()
			.min(1, "at least 1")
			.max(
				1000,
				"at most 1000 (each connection is a PostgreSQL backend process)",
			)
			.optional(),
		/** Longest a server's PostgreSQL statement may run, in ms (default {@link DEFAULT_STATEMENT_TIMEOUT_MS}; 0: no limit). */
		CPOR_STATEMENT_TIMEOUT_MS: z.coerce
			.number()
			.int()
			.min(0, "0 (no limit) or more")
			.max(3_600_000, "at most 3600000 (an hour)")
			.optional(),
		/** The base of links in email (default `http://HOST:PORT`, the port listened on); empty is unset. */
		CPOR_PUBLIC_URL: z
			.string()
			.url()
			.optional()
			.or(z.literal("").transform(() => undefined)),
		/** SMTP server for email (R-NTF-1), e.g. `smtp://user:pass@mail.example:587`; unset keeps mail in the dev mailbox. */
		SMTP_URL: z
			.string()
			.url()
			.optional()
			.or(z.literal("").transform(() => undefined)),
		/** The From address of email (default `CPOR <no-reply@HOST of CPOR_PUBLIC_URL>`). */
		SMTP_FROM: z.string().min(3).optional(),
		/** HMAC secret for signed links (R-CON-1); unset: a random one kept in `<data dir>/secret`. */
		CPOR_SECRET: z
			.string()
			.min(32, "use at least 32 characters (e.g. `openssl rand -hex 32`)")
			.optional(),
		CPOR_ADMIN_EMAIL: z.string().email().optional(),
		CPOR_ADMIN_PASSWORD: z.string().min(8).optional(),
		CPOR_DEMO_PASSWORD: z.string().min(8).default("cpor-demo-2026"),
		/** Seconds a server process keeps a resolved API token or session (0: off). */
		CPOR_AUTH_CACHE_SECONDS: int(10, 0).pipe(
			z.number().max(3600, "at most 3600 (an hour)"),
		),
		/** Sign-in attempts per minute from one client address (brute-force guard). */
		CPOR_LOGIN_RATE_LIMIT: int(20, 1),
		/**
		 * Which proxies' X-Forwarded-For (and -Proto, -Host) to believe: proxy-addr's
		 * keywords and addresses or CIDRs, comma-separated, `true` (any) or `false` (none).
		 */
		CPOR_TRUST_PROXY: z
			.string()
			.trim()
			.min(1)
			.default("loopback")
			.refine(isTrustProxy, {
				message:
					'expected true, false, or proxy addresses: comma-separated IPs, CIDRs (10.0.0.0/8) or the keywords loopback, linklocal, uniquelocal (e.g. "loopback,10.0.0.0/8")',
			}),
		/** Failed sign-ins per account within 15 minutes before it must wait (0: no limit). */
		CPOR_LOGIN_FAILURES_PER_ACCOUNT: int(10, 0),
		CPOR_MAX_UPLOAD_MB: int(25, 1),
		/** Page cache of the embedded database (PGlite's shared_buffers), in MB. */
		CPOR_PGLITE_CACHE_MB: int(16, 1).pipe(
			z
				.number()
				.max(
					1024,
					"at most 1024 (PGlite's WebAssembly memory is limited to 4 GB)",
				),
		),
		CPOR_TIME_ZONE: z.string().default("UTC"),
		/** date-holidays code: `NL`, `DE-BY`, `SE` …; empty for none (R-TIME-1). */
		CPOR_HOLIDAYS: z.string().default(""),
		CPOR_REVIEW_START_DAYS: int(5, 1),
		CPOR_DECISION_DAYS: int(5, 1),
		CPOR_PARTNER_RESPONSE_DAYS: int(5, 1),
		CPOR_CONSENT_WINDOW_DAYS: int(7, 1),
		CPOR_CONSENT_WINDOW_UNIT: z
			.enum(["calendar", "business"])
			.default("calendar"),
		CPOR_DISPUTE_WINDOW_DAYS: int(30, 1),
		CPOR_DISPUTE_DECISION_DAYS: int(5, 1),
		CPOR_SESSION_HOURS: int(12, 1),
		CPOR_SECURE_COOKIES: bool(),
		/**
		 * Lets webhooks go to loopback, private and link-local addresses (an on-premises
		 * receiver, development); refused by default (src/webhooks/network-policy.ts).
		 */
		CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool(),
		/**
		 * Compress API answers of 4 KB or more and streamed exports (brotli or gzip, by the
		 * request's `Accept-Encoding`); `false` when a reverse proxy in front already does.
		 */
		CPOR_COMPRESS_RESPONSES: bool(true),
		LOG_LEVEL: z
			.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
			.default("info"),
	})
	// The first platform admin needs both: one alone was ignored without a word.
	.superRefine((e, ctx) => {
		if (!e.CPOR_ADMIN_EMAIL === !e.CPOR_ADMIN_PASSWORD) return;
		const missing = e.CPOR_ADMIN_EMAIL
			? "CPOR_ADMIN_PASSWORD"
			: "CPOR_ADMIN_EMAIL";
		ctx.addIssue({
			code: "custom",
			path: [missing],
			message: `set it too (the first platform admin needs CPOR_ADMIN_EMAIL and CPOR_ADMIN_PASSWORD), or unset the other`,
		});
	});
export type Env = z.infer<typeof envSchema>;

/** The deadline policy of SPEC section 5 (days; unit noted per field). */
export interface DeadlinePolicy {
	/** R-TIME-2: business days from submit to review start. */
	reviewStartDays: number;
	/** R-TIME-3: business days from review start to decision. */
	decisionDays: number;
	/** R-TIME-4: business days the partner has to answer an information request. */
	partnerResponseDays: number;
	/** R-TIME-5: the customer's opt-out window. */
	consentWindow: { days: number; unit: "calendar" | "business" };
	/** R-TIME-7: calendar days to file a dispute after a rejection. */
	disputeWindowDays: number;
	/** R-TIME-8: business days for a reviewer to decide a dispute. */
	disputeDecisionDays: number;
}

/** Calendar settings of R-TIME-1. */
export interface CalendarSettings {
	timeZone: string;
	holidays: { country: string; state?: string; region?: string } | null;
}

/** The validated configuration a server, worker or CLI command runs with. */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	databaseUrl: string | undefined;
	/**
	 * Connections each process (a server process, a worker) keeps to PostgreSQL, besides
	 * its one listening connection; unused on the embedded database.
	 */
	dbPoolSize: number;
	/**
	 * Longest a statement of a server process's PostgreSQL pool may run, in ms (0: no
	 * limit); PostgreSQL stops it and the request gets `503 statement_timeout`. `cpor
	 * serve` applies it (src/runtime.ts `serving`); migrations, workers and the other
	 * commands run without it. Unused on the embedded database.
	 */
	statementTimeoutMs: number;
	/** PGlite's page cache (shared_buffers) in MB; unused on PostgreSQL. */
	pgliteCacheMb: number;
	/**
	 * Seconds a server process keeps a resolved API token or session cookie (0: every
	 * request looks it up). Changes are pushed to every process; this bounds the rest.
	 */
	authCacheSeconds: number;
	/**
	 * Sign-in attempts (POST /auth/login) allowed per minute from one client address;
	 * more get 429. Raise it where many users share an address (an office's NAT).
	 */
	loginRateLimit: number;
	/**
	 * Failed sign-ins per account (email) within 15 minutes, from any address, after which
	 * its sign-ins get 429 until the oldest failure is 15 minutes old; 0 turns it off.
	 */
	loginFailuresPerAccount: number;
	/**
	 * Fastify's `trustProxy`: whose X-Forwarded-For to believe (the client address the
	 * sign-in limits count by). Default: a proxy on this machine only.
	 */
	trustProxy: boolean | string;
	publicUrl: string | undefined;
	/** SMTP URL for email; undefined keeps messages in the dev mailbox. */
	smtpUrl: string | undefined;
	smtpFrom: string | undefined;
	/** HMAC secret for signed links; undefined: generated and kept under the data dir. */
	secret: string | undefined;
	adminEmail: string | undefined;
	adminPassword: string | undefined;
	demoPassword: string;
	maxUploadBytes: number;
	calendar: CalendarSettings;
	deadlines: DeadlinePolicy;
	sessionHours: number;
	secureCookies: boolean;
	/** Webhooks may go to private networks (`CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS`). */
	webhookAllowPrivateNetworks: boolean;
	/**
	 * The server compresses answers of 4 KB or more and streamed exports with brotli
	 * (quality 1) or gzip (level 3) when the client accepts it (`CPOR_COMPRESS_RESPONSES`,
	 * default true; src/http/server.ts).
	 */
	compressResponses: boolean;
	logLevel: Env["LOG_LEVEL"];
}

/**
 * The default PostgreSQL pool size of one process: 2 × the cores Node may use + 1
 * (`os.availableParallelism()`), the rule Prisma's connection pool uses by default. A
 * pool much larger than the cores makes many backends compete for them: on 2 cores,
 * with PostgreSQL on the same machine, two server processes with pools of 5 did 8%
 * more claims/s than with pools of 20, and as many list pages/s (docs/performance.md,
 * session 13).
 */
export function defaultDbPoolSize(): number {
	return 2 * availableParallelism() + 1;
}

/**
 * The default longest run of one PostgreSQL statement, in ms: 30 s. The slowest everyday
 * reads at 1,000,000 claims take ~1 s (a reviewer's counts over a wide filter, the usage
 * report's slice); a statement past 30 s holds one of the process's few connections
 * (CPOR_DB_POOL_SIZE) from every other request, and its client has long given up.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Parses `CC[-STATE[-REGION]]` holiday codes (any case); empty or null → null (none). */
export function parseHolidayCode(
	code: string | null | undefined,
): CalendarSettings["holidays"] {
	const trimmed = (code ?? "").trim();
	if (!trimmed) return null;
	const [country, state, region] = trimmed.split("-");
	return {
		country: (country ?? "").toUpperCase(),
		...(state ? { state: state.toUpperCase() } : {}),
		...(region ? { region: region.toUpperCase() } : {}),
	};
}

/**
 * Reads and validates the environment. Throws an Error listing every bad variable with
 * what is expected.
 */
export function loadConfig(
	env: NodeJS.ProcessEnv = process.env,
	overrides: Partial<Config> = {},
): Config {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map(
			(i) => `  ${i.path.join(".")}: ${i.message}`,
		);
		throw new Error(
			`Invalid configuration in the environment:\n${lines.join("\n")}`,
		);
	}
	const e = parsed.data;
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir: e.CPOR_DATA_DIR,
		databaseUrl: e.DATABASE_URL,
		dbPoolSize: e.CPOR_DB_POOL_SIZE ?? defaultDbPoolSize(),
		statementTimeoutMs:
			e.CPOR_STATEMENT_TIMEOUT_MS ?? DEFAULT_STATEMENT_TIMEOUT_MS,
		pgliteCacheMb: e.CPOR_PGLITE_CACHE_MB,
		authCacheSeconds: e.CPOR_AUTH_CACHE_SECONDS,
		loginRateLimit: e.CPOR_LOGIN_RATE_LIMIT,
		loginFailuresPerAccount: e.CPOR_LOGIN_FAILURES_PER_ACCOUNT,
		trustProxy:
			e.CPOR_TRUST_PROXY === "true"
				? true
				: e.CPOR_TRUST_PROXY === "false"
					? false
					: e.CPOR_TRUST_PROXY,
		publicUrl: e.CPOR_PUBLIC_URL,
		smtpUrl: e.SMTP_URL,
		smtpFrom: e.SMTP_FROM,
		secret: e.CPOR_SECRET,
		adminEmail: e.CPOR_ADMIN_EMAIL,
		adminPassword: e.CPOR_ADMIN_PASSWORD,
		demoPassword: e.CPOR_DEMO_PASSWORD,
		maxUploadBytes: e.CPOR_MAX_UPLOAD_MB * 1024 * 1024,
		calendar: {
			timeZone: e.CPOR_TIME_ZONE,
			holidays: parseHolidayCode(e.CPOR_HOLIDAYS),
		},
		deadlines: {
			reviewStartDays: e.CPOR_REVIEW_START_DAYS,
			decisionDays: e.CPOR_DECISION_DAYS,
			partnerResponseDays: e.CPOR_PARTNER_RESPONSE_DAYS,
			consentWindow: {
				days: e.CPOR_CONSENT_WINDOW_DAYS,
				unit: e.CPOR_CONSENT_WINDOW_UNIT,
			},
			disputeWindowDays: e.CPOR_DISPUTE_WINDOW_DAYS,
			disputeDecisionDays: e.CPOR_DISPUTE_DECISION_DAYS,
		},
		sessionHours: e.CPOR_SESSION_HOURS,
		secureCookies: e.CPOR_SECURE_COOKIES,
		webhookAllowPrivateNetworks: e.CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS,
		compressResponses: e.CPOR_COMPRESS_RESPONSES,
		logLevel: e.LOG_LEVEL,
		...overrides,
	};
}
