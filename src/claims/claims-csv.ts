/**
 * The claim list as CSV (API.md `GET /claims?format=csv`, R-DSH-1's export): the
 * dashboard's filters and sort, every claim the actor may list, written page by page as
 * it is read, so an export of any size starts at once and holds one page in memory.
 */
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { csvLines } from "../csv.ts";
import type { ClaimView } from "./claim-view.ts";
import { type ListClaimsQuery, listClaims } from "./list-claims.ts";

/** The export's columns, in order (its header row). */
export const CLAIMS_CSV_COLUMNS = [
	"id",
	"name",
	"status",
	"mpnId",
	"tenantId",
	"domain",
	"solutionArea",
	"activity",
	"products",
	"subscriptionIds",
	"competing",
	"dueAt",
	"submittedAt",
	"updatedAt",
	"eligibility",
] as const;

/** Claims read per keyset page of an export. */
export const CLAIMS_CSV_PAGE_SIZE = 500;

function csvRow(c: ClaimView): unknown[] {
	return [
		c.id,
		c.name,
		c.status,
		c.mpnId,
		c.customer.tenantId,
		c.customer.domain,
		c.solutionArea,
		c.activity,
		c.products.map((p) => p.name).join("; "),
		c.products
			.map((p) => p.subscriptionId ?? "")
			.filter(Boolean)
			.join("; "),
		c.competing,
		c.dueAt ?? "",
		c.submittedAt ?? "",
		c.updatedAt,
		(c.eligibility as { program: string; result: string }[])
			.map((e) => `${e.program}:${e.result}`)
			.join("; "),
	];
}

/**
 * Exports the claims of a list (the filters, sort and optional starting cursor of
 * {@link listClaims}) as CSV text: the header row, then the rows of one keyset page of
 * `pageSize` claims per chunk. The first page is read before this resolves, so a bad
 * query fails before any byte is sent; each later page is read when the consumer asks
 * for the next chunk (a stream's back-pressure), and none once it stops asking.
 * Timestamps are ISO 8601 UTC, as in the claim resource.
 * @throws `validation_failed` for a bad cursor (from the first page).
 */
export async function claimsCsv(
	ctx: AppContext,
	actor: Actor,
	query: Omit<ListClaimsQuery, "limit">,
	pageSize = CLAIMS_CSV_PAGE_SIZE,
): Promise<AsyncIterable<string>> {
	const read = (cursor: string | undefined) =>
		listClaims(ctx, actor, { ...query, limit: pageSize, cursor });
	const first = await read(query.cursor);
	return (async function* () {
		yield csvLines([CLAIMS_CSV_COLUMNS]);
		for (let page = first; ; page = await read(page.nextCursor)) {
			if (page.items.length > 0) yield csvLines(page.items.map(csvRow));
			if (!page.nextCursor) return;
		}
	})();
}
