/**
 * The Fastify server: API under /api/v1 (API.md), OpenAPI 3.1 at /api/v1/openapi.json,
 * the reference at /api/docs, and /healthz, /readyz, /metrics.
 */

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { constants as zlibConstants } from "node:zlib";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyInstance } from "fastify";
import {
	type FastifyPluginAsyncZod,
	jsonSchemaTransform,
	serializerCompiler,
	validatorCompiler,
	type ZodTypeProvider,
} from "fastify-type-provider-zod";
import client from "prom-client";
import type { AppContext } from "../context.ts";
import { loggableError } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { PACKAGE_ROOT } from "../paths.ts";
import { registerSlaMetrics } from "../reports/sla-metrics.ts";
import {
	registerAuth,
	registerJsonOnly,
	registerSignInRequired,
} from "./auth-hooks.ts";
import { registerIdempotency } from "./idempotency.ts";
import {
	addProblemResponses,
	type ProblemIndex,
	problemTransform,
} from "./openapi-problems.ts";
import { registerSingleQueryValues } from "./page-query.ts";
import { problemOf, sendProblem, toDomainError } from "./problem.ts";
import { postgresRateLimitStore } from "./rate-limit-store.ts";
import { accountRoutes } from "./routes/account.ts";
import { adminCalendarRoutes } from "./routes/admin-calendar.ts";
import { claimRoutes } from "./routes/claims.ts";
import { consentLinkRoutes } from "./routes/consent-link.ts";
import { customerRoutes } from "./routes/customer.ts";
import { directoryRoutes } from "./routes/directory.ts";
import { mailboxRoutes } from "./routes/mailbox.ts";
import { poeTemplateRoutes } from "./routes/poe-template.ts";
import { reportRoutes } from "./routes/reports.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { registerTextInputCheck } from "./text-input.ts";

/** web/dist of this repository. */
const DEFAULT_WEB_ROOT = path.join(PACKAGE_ROOT, "web", "dist");
/** The cache-control of the web app's content-hashed files (web/dist/assets). */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** The smallest answer `cpor serve` compresses (`CPOR_COMPRESS_RESPONSES`), in bytes. */
export const COMPRESS_MIN_BYTES = 4096;

/** Options of {@link buildServer}. */
export interface ServerOptions {
	/** pino logger options, or false for none (tests). */
	logger?: boolean | { level: string };
	/** The built web app (default web/dist of this repository); served when it exists. */
	webRoot?: string;
	/** Extra route plugins under /api/v1 (later areas register theirs here). */
	plugins?: FastifyPluginAsyncZod[];
	/**
	 * Set to the time (epoch ms) each request arrives: the embedded server's sweeper
	 * vacuums only after a pause (src/jobs/sweeper.ts, `lastRequestAt`).
	 */
	activity?: { lastRequestAt: number };
}

/**
 * The problem for a request Node's HTTP parser refused (its error `code`): headers or a
 * URL over 16 KB, a request too slow to arrive, else malformed HTTP.
 */
function parserRefusal(code: string | undefined): DomainError {
	if (code === "HPE_HEADER_OVERFLOW")
		return new DomainError(
			"headers_too_large",
			"The request's URL or headers are larger than 16 KB: send long lists in a request body, or fewer or shorter headers.",
		);
	if (code === "ERR_HTTP_REQUEST_TIMEOUT")
		return new DomainError(
			"request_timeout",
			"The request took too long to arrive; send it again.",
		);
	return new DomainError(
		"bad_request",
		"The request is not valid HTTP (a malformed header line, Content-Length or chunk).",
	);
}

/** Builds (does not listen) the HTTP server for a context. */
export async function buildServer(
	ctx: AppContext,
	opts: ServerOptions = {},
): Promise<FastifyInstance> {
	const app = Fastify({
		logger: opts.logger ?? false,
		bodyLimit: 1024 * 1024,
		// Only proxies that may set X-Forwarded-For: a client that reaches the server
		// directly cannot choose the address the sign-in limits count by.
		trustProxy: ctx.config.trustProxy,
		ajv: { customOptions: { coerceTypes: "array" } },
		// Requests Node's HTTP parser refuses before Fastify sees them (headers or a URL over
		// 16 KB, a malformed header line or Content-Length) as problem+json too.
		clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
			if (err.code === "ECONNRESET" || socket.destroyed) return;
			const problem = problemOf(parserRefusal(err.code));
			// Not into an answer already under way (as Node's own handler), and the socket
			// is closed after it (a half-open one would stay).
			const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })
				._httpMessage?.headersSent;
			if (socket.writable && !inFlight) {
				const body = JSON.stringify(problem);
				socket.write(
					`HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
				);
			}
			socket.destroy();
		},
		// Router-level errors (bad URL encoding, over-long path parameter) as problem+json too.
		frameworkErrors: (err, req, reply) =>
			sendProblem(
				reply,
				req,
				toDomainError(err) ?? new DomainError("bad_request", err.message),
			),
	}).withTypeProvider<ZodTypeProvider>();
	app.setValidatorCompiler(validatorCompiler);
	app.setSerializerCompiler(serializerCompiler);
	const { activity } = opts;
	if (activity)
		app.addHook("onRequest", async () => {
			activity.lastRequestAt = Date.now();
		});

	// An answer sent before the request's body was read to its end (an upload refused at
	// the size limit or for its type) closes the connection: the rest of the body would
	// otherwise wait unread in front of the client's next request on it, which then hangs.
	app.addHook("onSend", async (req, reply, payload) => {
		if (req.raw.complete === false) reply.header("connection", "close");
		return payload;
	});
	app.setErrorHandler((err, req, reply) => {
		const de = toDomainError(err);
		if (de) return sendProblem(reply, req, de);
		req.log.error({ err: loggableError(err) }, "unhandled error");
		return reply.status(500).type("application/problem+json").send({
			type: "https://cpor.dev/problems/internal_error",
			title: "Internal server error",
			status: 500,
			detail:
				"Something went wrong on our side; the change was not applied. Try again, and tell the platform admin if it persists.",
			code: "internal_error",
			errors: [],
		});
	});
	// Answers of 4 KB or more, compressed by the client's Accept-Encoding (a dashboard page
	// of 50 claims: ~105 KB of JSON, ~14 KB as brotli). Brotli quality 1 or gzip level 3,
	// in the request's own thread up to 1 MiB: 0.33 ms of CPU per such page, where the
	// plugin's defaults (quality 4, a zlib stream on libuv's thread pool above 8 KB) cost
	// 2.0 ms; a claim (~2 KB) is not worth its 18% (docs/performance.md). Streams (the CSV
	// exports, the reports) go through a zlib stream. Registered before the routes: it adds
	// an onSend hook to each route as it is declared, and a route's own hooks run after the
	// instance's, so the idempotency record keeps the JSON text. The web build's own .br
	// and .gz files are sent as they are; request bodies are not decompressed.
	if (ctx.config.compressResponses) {
		await app.register(compress, {
			encodings: ["br", "gzip"],
			threshold: COMPRESS_MIN_BYTES,
			globalDecompression: false,
			brotliOptions: {
				params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 },
			},
			zlibOptions: { level: 3 },
			syncThreshold: 1024 * 1024,
		});
	}
	// The web app (web/dist, built by `npm run build:web`) at the same origin: files by
	// name, and index.html for any other page a browser asks for (client-side routes).
	const webRoot = opts.webRoot ?? DEFAULT_WEB_ROOT;
	const hasWeb = existsSync(path.join(webRoot, "index.html"));
	const webAssets = path.join(path.resolve(webRoot), "assets") + path.sep;
	if (hasWeb) {
		await app.register(fastifyStatic, {
			root: webRoot,
			prefix: "/",
			wildcard: false,
			index: false,
			decorateReply: false,
			// The build's .br/.gz files (vite.config.ts), by the browser's Accept-Encoding.
			preCompressed: true,
			cacheControl: false,
			// Files under assets/ have their content's hash in their name: a browser keeps
			// them for a year and never asks again. Anything else is checked every time.
			setHeaders: (reply, filePath) => {
				reply.header(
					"cache-control",
					filePath.startsWith(webAssets) ? IMMUTABLE : "no-cache",
				);
			},
		});
	}
	const isPage = (url: string) =>
		!/^\/(api|consent|dev|healthz|readyz|metrics)(\/|$|\?)/.test(url);
	app.setNotFoundHandler((req, reply) => {
		if (
			hasWeb &&
			req.method === "GET" &&
			isPage(req.url) &&
			String(req.headers.accept ?? "").includes("text/html")
		) {
			return reply
				.type("text/html; charset=utf-8")
				.header("cache-control", "no-cache")
				.send(readFileSync(path.join(webRoot, "index.html")));
		}
		return sendProblem(
			reply,
			req,
			new DomainError(
				"not_found",
				`There is no ${req.method} ${req.url.split("?")[0]}; see /api/docs.`,
			),
		);
	});

	await app.register(cookie);
	await app.register(multipart, {
		limits: { fileSize: ctx.config.maxUploadBytes + 1, files: 1, fields: 10 },
	});
	// On PostgreSQL the counts are the database's, shared by every server process.
	await app.register(rateLimit, {
		global: false,
		...(ctx.dbKind === "postgres"
			? { store: postgresRateLimitStore(ctx.db) }
			: {}),
	});
	const problems: ProblemIndex = new Map();
	await app.register(swagger, {
		openapi: {
			openapi: "3.1.0",
			info: {
				title: "CPOR API",
				version: "1.0.0",
				description:
					"Claimed Partner of Record: customer association claims, proof of execution, review, consent, disputes and arbitration. Errors are RFC 9457 problem+json with a stable `code`.",
			},
			components: {
				securitySchemes: {
					session: { type: "apiKey", in: "cookie", name: "cpor_session" },
					bearer: { type: "http", scheme: "bearer" },
				},
			},
			security: [{ session: [] }, { bearer: [] }],
		},
		// Each operation's problem+json answers, which the route schemas do not declare.
		transform: problemTransform(jsonSchemaTransform, problems),
		transformObject: (doc) =>
			addProblemResponses(
				"openapiObject" in doc ? doc.openapiObject : doc.swaggerObject,
				problems,
			),
	});
	await app.register(swaggerUi, { routePrefix: "/api/docs" });

	registerAuth(app, ctx);
	registerIdempotency(app, ctx);

	// Metrics
	const registry = new client.Registry();
	client.collectDefaultMetrics({ register: registry });
	const httpDuration = new client.Histogram({
		name: "cpor_http_request_duration_seconds",
		help: "HTTP request duration by route and status",
		labelNames: ["method", "route", "status"],
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
		registers: [registry],
	});
	app.addHook("onResponse", async (req, reply) => {
		httpDuration.observe(
			{
				method: req.method,
				route: req.routeOptions.url ?? "unknown",
				status: String(reply.statusCode),
			},
			reply.elapsedTime / 1000,
		);
	});
	registerSlaMetrics(registry, ctx);
	app.decorate("metricsRegistry", registry);

	app.get("/healthz", { schema: { hide: true } }, async () => ({
		status: "ok",
	}));
	app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
		try {
			await ctx.db.execute(sql`select 1`);
			return { status: "ready", database: ctx.dbKind };
		} catch (err) {
			return reply
				.status(503)
				.send({ status: "unavailable", error: (err as Error).message });
		}
	});
	app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
		reply.type(registry.contentType).send(await registry.metrics()),
	);
	app.get("/api/v1/openapi.json", { schema: { hide: true } }, async () =>
		app.swagger(),
	);

	// The consent notice's signed opt-out link (R-CON-1): public pages, no session.
	await app.register(consentLinkRoutes(ctx));
	await app.register(
		async (api) => {
			registerSignInRequired(api);
			registerJsonOnly(api);
			registerTextInputCheck(api);
			registerSingleQueryValues(api);
			await api.register(accountRoutes(ctx));
			await api.register(claimRoutes(ctx));
			await api.register(directoryRoutes(ctx));
			await api.register(adminCalendarRoutes(ctx));
			await api.register(customerRoutes(ctx));
			await api.register(mailboxRoutes(ctx));
			await api.register(poeTemplateRoutes(ctx));
			await api.register(reportRoutes(ctx));
			await api.register(webhookRoutes(ctx));
			for (const p of opts.plugins ?? []) await api.register(p);
		},
		{ prefix: "/api/v1" },
	);
	return app;
}

declare module "fastify" {
	interface FastifyInstance {
		metricsRegistry: client.Registry;
	}
}
