/**
 * Report routes (API.md "Directory, customers, reports, admin"): SLA (reviewers),
 * earnings (R-ELG-2, partner billing/global/incentives admins) and usage (R-ACC-2,
 * partners, their active associations only). Earnings and usage export as CSV.
 */
import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Actor } from "../../auth/actor.ts";
import type { AppContext } from "../../context.ts";
import { PROGRAMS } from "../../domain/catalog.ts";
import { DomainError, forbidden } from "../../domain/errors.ts";
import {
	EARNINGS_SUMMARY_MAX_LIMIT,
	earningsCsv,
	earningsJson,
	earningsPages,
	earningsSummary,
} from "../../reports/earnings-report.ts";
import { slaReport } from "../../reports/sla-report.ts";
import {
	USAGE_CUSTOMERS_MAX_LIMIT,
	USAGE_SLICE_MAX_LIMIT,
	usageCsv,
	usageCustomers,
	usageJson,
	usagePages,
	usageSlice,
} from "../../reports/usage-report.ts";
import { abandonedSignal } from "../abandoned.ts";
import { authorize } from "../auth-hooks.ts";

const format = z.enum(["json", "csv"]).default("json");

const instant = z
	.union([z.iso.datetime({ offset: true }), z.iso.date()])
	.optional()
	.describe("An ISO 8601 instant, or a date (UTC; `to` then means its end)");

const month = z
	.string()
	.regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, "Expected a month, YYYY-MM")
	// A date is taken as its month, but it must be one (not 2026-02-30).
	.refine(
		(s) => s.length === 7 || z.iso.date().safeParse(s).success,
		"Expected a month, YYYY-MM, or a date of the calendar",
	)
	.transform((s) => s.slice(0, 7))
	.optional()
	.describe(
		"A month, YYYY-MM (inclusive); a date YYYY-MM-DD is taken as its month",
	);

/** How long (ms) a client may leave a streamed export's next page unread. */
export const EXPORT_IDLE_MS = 60_000;

/**
 * `pages` as they are read, but when the client has not taken the last one after
 * `idleMs` (it stopped reading: the response's back-pressure holds the next), the
 * response is dropped; the stream then stops `pages`, which gives back what the read
 * holds (a usage export holds a database connection).
 */
export async function* untilStalled<T>(
	pages: AsyncIterable<T>,
	reply: FastifyReply,
	idleMs = EXPORT_IDLE_MS,
): AsyncGenerator<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		for await (const page of pages) {
			timer = setTimeout(() => reply.raw.destroy(), idleMs);
			yield page;
			clearTimeout(timer);
		}
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Called when a report's `limit` or `cursor` is given (they ask for a slice of its
 * JSON): throws `validation_failed` with format=csv (the export has every row) or
 * without a limit (a cursor alone); afterwards `limit` is known to be given.
 */
function sliceOfJsonOnly(
	format: string | undefined,
	limit: number | undefined,
): asserts limit is number {
	if (format === "csv")
		throw new DomainError(
			"validation_failed",
			"limit and cursor slice the JSON report; the CSV export has every row.",
			[
				{
					path: limit !== undefined ? "limit" : "cursor",
					code: "not_with_csv",
					message: "Not with format=csv.",
				},
			],
		);
	if (limit === undefined)
		throw new DomainError(
			"validation_failed",
			"A cursor continues a slice: give the limit with it.",
			[{ path: "limit", code: "required", message: "Required with cursor." }],
		);
}

/** The partner user asking for the usage report or its customers; 403 for anyone else. */
function usageActor(req: FastifyRequest): Actor {
	const actor = authorize(req, "viewClaims");
	if (actor.kind !== "partner")
		throw forbidden("The usage report is for partner users.");
	return actor;
}

function rangeError(path: string, message: string): DomainError {
	return new DomainError("validation_failed", message, [
		{ path, code: "invalid_range", message },
	]);
}

/**
 * Registers /reports/sla, /reports/earnings, /reports/usage and
 * /reports/usage/customers under /api/v1.
 */
export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/reports/sla",
			{
				schema: {
					tags: ["reports"],
					summary:
						"Reviewer SLAs (R-TIME-2, R-TIME-3, R-TIME-8): open due/overdue now; breached/met and median/p90 hours over from..to (default the last 90 days)",
					querystring: z.object({ from: instant, to: instant }),
				},
			},
			async (req) => {
				authorize(req, "review");
				const from = req.query.from
					? new Date(
							req.query.from.length === 10
								? `${req.query.from}T00:00:00.000Z`
								: req.query.from,
						)
					: undefined;
				const to = req.query.to
					? new Date(
							req.query.to.length === 10
								? `${req.query.to}T23:59:59.999Z`
								: req.query.to,
						)
					: undefined;
				if (from && to && from.getTime() > to.getTime())
					throw rangeError("from", "`from` must not be after `to`.");
				return slaReport(ctx, { from, to });
			},
		);

		app.get(
			"/reports/earnings",
			{
				schema: {
					tags: ["reports"],
					summary:
						"Earnings and payout reporting (R-ELG-2): eligible active associations per MPN ID and program; format=csv exports one row per association; limit (and cursor) give slices per group",
					querystring: z.object({
						program: z.enum(PROGRAMS).optional(),
						mpnId: z.string().trim().min(1).max(100).optional(),
						limit: z.coerce
							.number()
							.int()
							.min(1)
							.max(EARNINGS_SUMMARY_MAX_LIMIT)
							.optional()
							.describe(
								"Slices instead of the whole report: each group's first `limit` associations with its `total` and a `nextCursor`, and the distinct `claimCount` (JSON only)",
							),
						cursor: z
							.string()
							.max(500)
							.optional()
							.describe(
								"A group's nextCursor (with its mpnId, program and a limit): that group's next slice",
							),
						format,
					}),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "viewEarnings");
				const { program, mpnId, limit, cursor, format } = req.query;
				if (limit !== undefined || cursor !== undefined) {
					sliceOfJsonOnly(format, limit);
					return earningsSummary(
						ctx,
						actor,
						{ program, mpnId, limit, cursor },
						abandonedSignal(reply),
					);
				}
				// Streamed a page of associations at a time (earningsPages): a failure after
				// the first page ends the response without its last chunk, so the client sees
				// a broken download, not a short report.
				const pages = await earningsPages(
					ctx,
					actor,
					{ program, mpnId },
					undefined,
					abandonedSignal(reply),
				);
				if (format === "csv")
					return reply
						.type("text/csv; charset=utf-8")
						.header(
							"content-disposition",
							'attachment; filename="earnings.csv"',
						)
						.send(Readable.from(earningsCsv(pages)));
				return reply
					.type("application/json; charset=utf-8")
					.send(Readable.from(earningsJson(pages)));
			},
		);

		app.get(
			"/reports/usage",
			{
				// A full report waits for a free reader at most 30 s (db/row-pages.ts).
				config: { problems: ["429"] },
				schema: {
					tags: ["reports"],
					summary:
						"Usage of the claimed products per month, for your active associations only (R-ACC-2, R-ACC-1); format=csv exports; limit (and cursor) give a slice with the total and the charts' series",
					querystring: z.object({
						tenantId: z.string().trim().min(1).max(100).optional(),
						from: month,
						to: month,
						limit: z.coerce
							.number()
							.int()
							.min(1)
							.max(USAGE_SLICE_MAX_LIMIT)
							.optional()
							.describe(
								"A slice instead of the whole report: the first `limit` rows with `nextCursor`, the `total` and the charts' `series` (JSON only)",
							),
						cursor: z
							.string()
							.max(500)
							.optional()
							.describe("The previous slice's nextCursor (with a limit)"),
						format,
					}),
				},
			},
			async (req, reply) => {
				const actor = usageActor(req);
				const { tenantId, from, to, limit, cursor } = req.query;
				if (from && to && from > to)
					throw rangeError("from", "`from` must not be after `to`.");
				if (limit !== undefined || cursor !== undefined) {
					sliceOfJsonOnly(req.query.format, limit);
					return usageSlice(
						ctx,
						actor,
						{ tenantId, from, to, limit, cursor },
						abandonedSignal(reply),
					);
				}
				// Streamed a page of rows at a time (usagePages): a failure after the first
				// page ends the response without its last chunk (a broken download).
				const pages = await usagePages(ctx, actor, { tenantId, from, to });
				if (req.query.format === "csv")
					return reply
						.type("text/csv; charset=utf-8")
						.header("content-disposition", 'attachment; filename="usage.csv"')
						.send(Readable.from(usageCsv(untilStalled(pages, reply))));
				return reply
					.type("application/json; charset=utf-8")
					.send(Readable.from(usageJson(untilStalled(pages, reply))));
			},
		);

		app.get(
			"/reports/usage/customers",
			{
				schema: {
					tags: ["reports"],
					summary:
						"The customers the usage report can be filtered by: your active associations' tenants (R-ACC-2), by name, searched with q",
					querystring: z.object({
						q: z
							.string()
							.max(200)
							.optional()
							.describe(
								"Only customers whose name, tenant ID or a claimed domain contains this (case-insensitive)",
							),
						limit: z.coerce
							.number()
							.int()
							.min(1)
							.max(USAGE_CUSTOMERS_MAX_LIMIT)
							.default(20),
						cursor: z
							.string()
							.max(500)
							.optional()
							.describe("The previous page's nextCursor"),
					}),
				},
			},
			async (req, reply) => {
				const actor = usageActor(req);
				return usageCustomers(ctx, actor, req.query, abandonedSignal(reply));
			},
		);
	};
}
