/**
 * A claim's products: validation against the directory (R-CRT-4, R-CRT-5), the
 * duplicate rule (R-CMP-1, enforced by a partial unique index so it holds under
 * concurrency) and competing claims (R-CMP-2).
 */
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Queryable, Tx } from "../db/client.ts";
import { pgConstraint, pgErrorCode } from "../db/client.ts";
import { claimProducts, products, subscriptions } from "../db/schema.ts";
import { type ShapedPart, shapedInsert } from "../db/shaped-statement.ts";
import {
	type Activity,
	type CatalogProduct,
	checkProductLine,
	isGuid,
	type ProductInput,
	type SolutionArea,
	type SubscriptionFacts,
} from "../domain/claim-validation.ts";
import { DomainError, type FieldProblem } from "../domain/errors.ts";
import type { DirectoryFacts } from "./directory-facts.ts";

/** A validated product line, ready to store. */
export interface ResolvedLine {
	productId: string;
	/** The catalog name of the product. */
	name: string;
	subscriptionId: string | null;
	claimKey: string;
	competeKey: string;
}

/** Loads the catalog as a map (small; read per call so imports take effect at once). */
export async function loadCatalog(
	q: Queryable,
): Promise<Map<string, CatalogProduct>> {
	const rows = await q.select().from(products);
	return new Map(
		rows.map((p) => [
			p.productId,
			{ ...p, solutionArea: p.solutionArea as SolutionArea },
		]),
	);
}

/** The lower-case subscription IDs of lines that look like GUIDs (others cannot match). */
export function lineSubscriptionIds(lines: ProductInput[]): string[] {
	return lines
		.map((l) => (l.subscriptionId ?? "").trim().toLowerCase())
		.filter((s) => isGuid(s));
}

/** The whole catalog and the lines' subscriptions, in two queries. */
async function readLineDirectory(
	q: Queryable,
	lines: ProductInput[],
): Promise<Pick<DirectoryFacts, "catalog" | "subscriptions">> {
	const catalog = await loadCatalog(q);
	const subIds = lineSubscriptionIds(lines);
	const subRows = subIds.length
		? await q
				.select({ sub: subscriptions, dynamics: products.dynamics })
				.from(subscriptions)
				.innerJoin(products, eq(products.productId, subscriptions.productId))
				.where(inArray(subscriptions.subscriptionId, subIds))
		: [];
	return {
		catalog,
		subscriptions: new Map<string, SubscriptionFacts>(
			subRows.map((r) => [
				r.sub.subscriptionId,
				{ ...r.sub, dynamics: r.dynamics } as SubscriptionFacts,
			]),
		),
	};
}

/**
 * Validates product lines against the directory (R-CRT-5 codes, in SPEC order) and the
 * organization's other live claims (R-CMP-1). Returns resolved lines or the problems.
 */
export async function resolveLines(
	q: Queryable,
	input: {
		lines: ProductInput[];
		solutionArea: SolutionArea;
		activity: Activity;
		tenantId: string;
		organizationId: string;
		/** The claim being edited: its own rows do not count as duplicates. */
		claimId?: string;
	},
	/** The catalog and subscriptions already read ({@link readDirectoryFacts}); else read here. */
	directory?: Pick<DirectoryFacts, "catalog" | "subscriptions" | "taken">,
): Promise<{ lines: ResolvedLine[]; problems: FieldProblem[] }> {
	const { catalog, subscriptions: subs } =
		directory ?? (await readLineDirectory(q, input.lines));
	const problems: FieldProblem[] = [];
	const lines: ResolvedLine[] = [];
	const seen = new Set<string>();
	input.lines.forEach((line, i) => {
		const subscriptionId = (line.subscriptionId ?? "").trim().toLowerCase();
		const p = checkProductLine(i, line, {
			solutionArea: input.solutionArea,
			tenantId: input.tenantId,
			catalog,
			subscription: subs.get(subscriptionId),
		});
		if (p.length) {
			problems.push(...p);
			return;
		}
		const tenant = input.tenantId.toLowerCase();
		const productId =
			input.solutionArea === "business_applications"
				? (subs.get(subscriptionId) as SubscriptionFacts).productId
				: (line.productId as string);
		const name = catalog.get(productId)?.name ?? productId;
		const resolved: ResolvedLine =
			input.solutionArea === "business_applications"
				? {
						productId,
						name,
						subscriptionId,
						claimKey: subscriptionId,
						// R-CMP-0: one partner of record per subscription (a successor
						// subscription, R-CRT-8, is claimed and approved on its own).
						competeKey: `${tenant}:${subscriptionId}`,
					}
				: {
						productId,
						name,
						subscriptionId: null,
						claimKey: `${tenant}:${productId}`,
						competeKey: `${tenant}:${productId}`,
					};
		if (seen.has(resolved.claimKey)) {
			problems.push({
				path: `products[${i}]`,
				code: "duplicate_product",
				message: "This product or subscription is listed twice in the claim.",
			});
			return;
		}
		seen.add(resolved.claimKey);
		lines.push(resolved);
	});
	// R-CMP-1 pre-check for a precise message; the unique index decides races.
	if (lines.length) {
		const keys = new Set(lines.map((l) => l.claimKey));
		const taken = directory?.taken
			? directory.taken.filter((t) => keys.has(t.claimKey))
			: await q
					.select({
						claimKey: claimProducts.claimKey,
						claimId: claimProducts.claimId,
					})
					.from(claimProducts)
					.where(liveClaimKeysWhere({ ...input, claimKeys: [...keys] }));
		for (const t of taken) {
			const i = lines.findIndex((l) => l.claimKey === t.claimKey);
			problems.push(duplicateProblem(input.solutionArea, i, t.claimId));
		}
	}
	return { lines, problems };
}

/**
 * The claim key a line would get (R-CMP-1): the subscription (Business Applications) or
 * tenant and workload (Microsoft 365). Same derivation as {@link resolveLines}.
 */
export function lineClaimKey(
	solutionArea: SolutionArea,
	tenantId: string,
	line: ProductInput,
): string {
	return solutionArea === "business_applications"
		? (line.subscriptionId ?? "").trim().toLowerCase()
		: `${tenantId.toLowerCase()}:${line.productId}`;
}

/**
 * R-CMP-1: the organization's live product rows for the activity on these claim keys,
 * other than the claim's own (`claimId`). `live` is a literal, so that a generic plan
 * can use the partial unique index.
 */
export function liveClaimKeysWhere(input: {
	organizationId: string;
	activity: Activity;
	claimKeys: string[];
	claimId?: string | undefined;
}) {
	return and(
		eq(claimProducts.partnerOrganizationId, input.organizationId),
		eq(claimProducts.activity, input.activity),
		sql`${claimProducts.live}`,
		inArray(claimProducts.claimKey, input.claimKeys),
		input.claimId ? ne(claimProducts.claimId, input.claimId) : sql`true`,
	);
}

function duplicateProblem(
	area: SolutionArea,
	index: number,
	otherClaimId?: string,
): FieldProblem {
	const ba = area === "business_applications";
	return {
		path: ba
			? `products[${index}].subscriptionId`
			: `products[${index}].productId`,
		code: ba ? "subscription_already_claimed" : "workload_already_claimed",
		message: `Your organization already has a live claim${otherClaimId ? ` (${otherClaimId})` : ""} for this ${
			ba ? "subscription" : "workload"
		} and activity. Edit that claim instead, or wait until it is rejected.`,
	};
}

/**
 * Replaces the claim's product rows (`fresh`: the claim was just created and has none,
 * so nothing is deleted first). A concurrent claim that won the R-CMP-1 race makes
 * the insert fail on the partial unique index; that becomes the same 409 error.
 */
export async function writeLines(
	tx: Tx,
	claim: LineOwner,
	lines: ResolvedLine[],
	opts: { fresh?: boolean } = {},
): Promise<void> {
	if (!opts.fresh)
		await tx.delete(claimProducts).where(eq(claimProducts.claimId, claim.id));
	if (lines.length === 0) return;
	try {
		await tx.insert(claimProducts).values(lineRows(claim, lines));
	} catch (err) {
		throwLineConflict(err, claim);
	}
}

/** The claim a product line belongs to (the columns its line rows repeat). */
export interface LineOwner {
	id: string;
	partnerOrganizationId: string;
	tenantId: string;
	activity: string;
	solutionArea: string;
}

/**
 * The INSERT of a claim's product lines in position order (a shaped part, not yet run),
 * or undefined for none. Run it inside a try and pass errors to {@link throwLineConflict}.
 */
export function linesInsert(
	claim: LineOwner,
	lines: ResolvedLine[],
): ShapedPart | undefined {
	if (lines.length === 0) return undefined;
	return shapedInsert(claimProducts, lineRows(claim, lines));
}

/** The `claim_products` rows (values by column key) of a claim's lines, in position order. */
function lineRows(claim: LineOwner, lines: ResolvedLine[]) {
	return lines.map((l, position) => ({
		claimId: claim.id,
		position,
		productId: l.productId,
		subscriptionId: l.subscriptionId,
		partnerOrganizationId: claim.partnerOrganizationId,
		tenantId: claim.tenantId.toLowerCase(),
		activity: claim.activity,
		claimKey: l.claimKey,
		competeKey: l.competeKey,
	}));
}

/**
 * Rethrows an error of writing product lines: a unique violation of R-CMP-1's index
 * (`claim_products_r_cmp_1_uq`: a live claim already holds the workload) as the duplicate
 * problem of the solution area; anything else as it is.
 * @throws DomainError (R-CMP-1's duplicate code), or `err`.
 */
export function throwLineConflict(err: unknown, claim: LineOwner): never {
	if (
		pgErrorCode(err) === "23505" &&
		pgConstraint(err) === "claim_products_r_cmp_1_uq"
	) {
		const p = duplicateProblem(claim.solutionArea as SolutionArea, 0);
		throw new DomainError(p.code, p.message, [{ ...p, path: "products" }]);
	}
	throw err;
}

/** Sets `live` (R-CMP-1) and `holdsAssociation` (R-CMP-2) on a claim's product rows. */
export async function setLineFlags(
	tx: Tx,
	claimId: string,
	flags: { live?: boolean; holdsAssociation?: boolean },
	solutionArea: string,
): Promise<void> {
	try {
		await tx
			.update(claimProducts)
			.set(flags)
			.where(eq(claimProducts.claimId, claimId));
	} catch (err) {
		if (pgErrorCode(err) === "23505") {
			if (pgConstraint(err) === "claim_products_r_cmp_2_uq") {
				throw new DomainError(
					"association_already_approved",
					"Another claim for the same customer, product and activity is already approved; at most one can be (R-CMP-2).",
				);
			}
			const p = duplicateProblem(solutionArea as SolutionArea, 0);
			throw new DomainError(p.code, p.message, [{ ...p, path: "products" }]);
		}
		throw err;
	}
}

/**
 * R-CMP-2: the IDs of other organizations' claims that compete with this one: live,
 * past draft, same tenant and product/workload and activity. One statement, through the
 * database function `cpor_competitors` (migration 0006, inlined by the planner; also
 * used by `cpor_directory_facts`): the claim's own lines joined to the others' live
 * lines on the compete key (the partial index `claim_products_compete_idx`). Sorted by ID.
 */
export async function findCompetitors(
	q: Queryable,
	claimId: string,
): Promise<string[]> {
	const rows = await q
		.select({ claimId: sql<string>`c.id` })
		.from(sql`cpor_competitors(${claimId}) as c(id)`)
		.orderBy(sql`c.id`);
	return rows.map((r) => r.claimId);
}
