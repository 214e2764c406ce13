/**
 * Directory routes: MPN IDs, the catalog, tenant lookup, the directory's tenants and
 * partners for the platform admin and reviewers, and the admin import (SPEC section 2).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { mpnIds, organizations, products } from "../../db/schema.ts";
import {
	listDirectoryPartners,
	listDirectoryTenants,
	listDirectoryUsers,
} from "../../directory/browse-directory.ts";
import {
	importDirectory,
	importDirectoryFile,
} from "../../directory/import-directory.ts";
import { ALLOWED_ACTIVITIES } from "../../domain/claim-validation.ts";
import { DomainError, notFound } from "../../domain/errors.ts";
import { authorize, requireActor } from "../auth-hooks.ts";
import { pageQuery } from "../page-query.ts";

/** An MPN ID as GET /mpn-ids lists it (R-CRT-2, R-ROL-1). */
function mpnIdView(r: typeof mpnIds.$inferSelect) {
	return {
		mpnId: r.mpnId,
		programs: r.programs,
		enrolled: r.programs.length > 0,
		inUse: r.inUse,
	};
}

/** How many organization IDs one `GET /partners` may name. */
export const PARTNER_LOOKUP_MAX = 200;

/** Registers /mpn-ids, /products, /activities, /partners, the directory look-up (/admin/directory/tenants, /partners, /users) and /admin/directory/import. */
export function directoryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		// CSV bodies for the directory import only (this plugin's routes): elsewhere a
		// CSV body is refused (415) before it is read, and its size limit is the import
		// route's own, not 100 MB on every route.
		app.addContentTypeParser(
			"text/csv",
			{ parseAs: "string" },
			(_req, body, done) => done(null, body),
		);
		app.get(
			"/mpn-ids",
			{
				schema: {
					tags: ["directory"],
					summary:
						"Your organization's MPN IDs with enrolled programs (R-CRT-2)",
				},
			},
			async (req) => {
				const actor = authorize(req, "viewClaims");
				if (actor.kind !== "partner")
					throw new DomainError(
						"forbidden",
						"MPN IDs are listed for partner users.",
					);
				const rows = await ctx.db
					.select()
					.from(mpnIds)
					.where(eq(mpnIds.organizationId, actor.organizationId ?? ""))
					.orderBy(asc(mpnIds.mpnId));
				return { items: rows.map(mpnIdView) };
			},
		);

		app.patch(
			"/mpn-ids/:mpnId",
			{
				schema: {
					tags: ["directory"],
					summary:
						"Use an MPN ID for claims, or set it aside (R-ROL-1: Global and Incentives admins)",
					params: z.object({ mpnId: z.string().trim().min(1).max(20) }),
					body: z.object({
						inUse: z
							.boolean()
							.describe(
								"false: new claims and submits with this MPN ID are refused (mpn_not_in_use); claims already submitted go on",
							),
					}),
				},
			},
			async (req) => {
				const actor = authorize(req, "manageMpnIds");
				const [row] = await ctx.db
					.update(mpnIds)
					.set({ inUse: req.body.inUse })
					.where(
						and(
							eq(mpnIds.mpnId, req.params.mpnId),
							eq(mpnIds.organizationId, actor.organizationId ?? ""),
						),
					)
					.returning();
				if (!row) throw notFound("MPN ID");
				return mpnIdView(row);
			},
		);

		app.get(
			"/products",
			{
				schema: {
					tags: ["directory"],
					summary: "The product catalog (R-DIR-4)",
					querystring: z.object({
						solutionArea: z
							.enum(["business_applications", "microsoft_365"])
							.optional(),
					}),
				},
			},
			async (req) => {
				requireActor(req);
				const rows = await ctx.db
					.select()
					.from(products)
					.where(
						req.query.solutionArea
							? eq(products.solutionArea, req.query.solutionArea)
							: undefined,
					)
					.orderBy(asc(products.name));
				return { items: rows };
			},
		);

		const directoryQuery = pageQuery.extend({
			// A cursor holds the last name's key: names run to 200 characters of UTF-8.
			cursor: z.string().max(2000).optional(),
			q: z
				.string()
				.max(200)
				.optional()
				.describe(
					"A name's first letters (any case), or an exact ID: tenant ID, verified domain or subscription ID; organization ID or MPN ID",
				),
		});
		app.get(
			"/admin/directory/tenants",
			{
				schema: {
					tags: ["directory"],
					summary:
						"Customer tenants with their verified domains and subscriptions (R-DIR-3, R-DIR-5), by name, a page at a time (limit 1-200, default 20)",
					querystring: directoryQuery,
				},
			},
			async (req) => {
				authorize(req, "lookUpDirectory");
				return listDirectoryTenants(ctx, req.query);
			},
		);
		app.get(
			"/admin/directory/partners",
			{
				schema: {
					tags: ["directory"],
					summary:
						"Partner organizations with their MPN IDs, programs and use (R-DIR-1, R-DIR-2, R-ROL-1), by name, a page at a time (limit 1-200, default 20)",
					querystring: directoryQuery,
				},
			},
			async (req) => {
				authorize(req, "lookUpDirectory");
				return listDirectoryPartners(ctx, req.query);
			},
		);

		app.get(
			"/admin/directory/users",
			{
				schema: {
					tags: ["directory"],
					summary:
						"The people who can sign in (R-ROL-1..3) with their roles, organization or tenant and language, by name, a page at a time (limit 1-200, default 20); q: a name's first letters, or an exact user ID, email, organization ID or tenant ID",
					querystring: directoryQuery.extend({
						q: z
							.string()
							.max(200)
							.optional()
							.describe(
								"A name's first letters (any case), or an exact user ID, email (any case), organization ID (its people) or tenant ID (its customer admins)",
							),
					}),
				},
			},
			async (req) => {
				authorize(req, "lookUpUsers");
				return listDirectoryUsers(ctx, req.query);
			},
		);

		app.get(
			"/activities",
			{
				schema: {
					tags: ["directory"],
					summary: "Allowed solution area and activity pairs (R-CRT-4)",
				},
			},
			async (req) => {
				requireActor(req);
				return {
					items: Object.entries(ALLOWED_ACTIVITIES).flatMap(
						([solutionArea, acts]) =>
							Object.entries(acts).map(([activity, d]) => ({
								solutionArea,
								activity,
								...d,
							})),
					),
				};
			},
		);

		app.get(
			"/partners",
			{
				config: { commaLists: ["ids"] },
				schema: {
					tags: ["directory"],
					summary:
						"Partner organizations' names by ID, for reviewers (R-ROL-2); unknown IDs are left out",
					querystring: z.object({
						ids: z
							.string()
							.transform((s) => [
								...new Set(
									s
										.split(",")
										.map((id) => id.trim())
										.filter(Boolean),
								),
							])
							.pipe(
								z
									.array(z.string().max(64))
									.min(1, "Give at least one organization ID.")
									.max(
										PARTNER_LOOKUP_MAX,
										`At most ${PARTNER_LOOKUP_MAX} organization IDs at once.`,
									),
							)
							.describe(
								`Comma-separated partner organization IDs (at most ${PARTNER_LOOKUP_MAX})`,
							),
					}),
				},
			},
			async (req) => {
				authorize(req, "review");
				const rows = await ctx.db
					.select({
						organizationId: organizations.id,
						name: organizations.name,
					})
					.from(organizations)
					.where(inArray(organizations.id, req.query.ids))
					.orderBy(asc(organizations.id));
				return { items: rows };
			},
		);

		app.post(
			"/admin/directory/import",
			{
				bodyLimit: 100 * 1024 * 1024,
				schema: {
					tags: ["admin"],
					summary:
						"Import the directory: JSON document, one CSV section (text/csv with ?section=), or a multipart file",
					consumes: ["application/json", "text/csv", "multipart/form-data"],
					querystring: z.object({
						section: z
							.enum([
								"products",
								"partners",
								"tenants",
								"subscriptions",
								"users",
								"usage",
							])
							.optional(),
						dryRun: z
							.enum(["true", "false"])
							.optional()
							.describe(
								"`true`: validate and count exactly as an import, then roll back (nothing is written)",
							),
					}),
				},
			},
			async (req) => {
				authorize(req, "administer");
				const opts = { dryRun: req.query.dryRun === "true" };
				const summary = await load();
				// Updated users may have other roles: forget resolved credentials now (other
				// processes hear of it from the import's notification; auth-cache.ts).
				if (!opts.dryRun && summary.users.updated > 0)
					ctx.authCache.invalidateAll();
				return summary;

				async function load() {
					if (req.isMultipart()) {
						const file = await req.file();
						if (!file)
							throw new DomainError(
								"validation_failed",
								"Attach the import file in a field named `file`.",
							);
						return importDirectoryFile(
							ctx.db,
							{
								content: await file.toBuffer(),
								fileName: file.filename,
							},
							opts,
						);
					}
					const type = String(req.headers["content-type"] ?? "");
					if (type.startsWith("text/csv")) {
						// The section: ?section=, else the one whose columns the header has.
						const section = req.query.section;
						return importDirectoryFile(
							ctx.db,
							{
								content: Buffer.from(String(req.body)),
								...(section ? { fileName: `${section}.csv` } : {}),
								format: "csv",
							},
							opts,
						);
					}
					return importDirectory(ctx.db, req.body, opts);
				}
			},
		);
	};
}
