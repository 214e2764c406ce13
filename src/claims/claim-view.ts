/**
 * The claim resource of API.md, built from the claim row and its products and documents.
 */

import {
	asc,
	eq,
	getTableColumns,
	inArray,
	type SQL,
	type SQLWrapper,
	sql,
} from "drizzle-orm";
import type { Db, Queryable } from "../db/client.ts";
import {
	claimDocuments,
	claimProducts,
	claims,
	products,
} from "../db/schema.ts";
import { shapeConstant } from "../db/shaped-statement.ts";
import type { GeneratedText } from "./comment-template.ts";

/**
 * The claim row's columns that hold copies for the reads (its whole resource, its parts:
 * {@link claimResourceJson}, {@link claimPartsJson}): written by every change, read only
 * by the lists and the claim page, never by an action.
 */
export type ClaimCopyColumn =
	| "resourceJson"
	| "partsProducts"
	| "partsDocuments";

/**
 * A claim row as the actions read and write it: every column but the copies
 * ({@link ClaimCopyColumn}; a row with them is one too).
 */
export type ClaimRow = Omit<typeof claims.$inferSelect, ClaimCopyColumn>;
export type ClaimProductRow = typeof claimProducts.$inferSelect;
export type ClaimDocumentRow = typeof claimDocuments.$inferSelect;

/** Contacts of a claim (SPEC section 3). */
export interface Contacts {
	customer: { name: string; title: string; email: string } | null;
	customerTechnical: { name: string; title: string; email: string } | null;
	partner: { name: string; email: string } | null;
}

/** The information request (R-REV-1). */
export interface InformationRequest {
	reasons: string[];
	comment: string;
	requestedAt: string;
	requestedBy: string;
	respondBy: string;
}

/** A rejection (R-REV-2). */
export interface Rejection {
	reason: string;
	/** The reviewer's (or partner's, customer's) words; CPOR's English when they gave none. */
	comment: string;
	/** When `comment` is CPOR's words: the same as data, for a client to word (comment-template.ts). */
	generated?: GeneratedText;
	rejectedAt: string;
	rejectedBy: string;
	disputeUntil: string | null;
}

/** A dispute (R-DSP-1). */
export interface Dispute {
	status: "open" | "decided";
	justification: string;
	documentIds: string[];
	filedAt: string;
	filedBy: string;
	decision: "approve" | "request_information" | "uphold" | null;
	decidedAt: string | null;
	decisionComment: string | null;
}

/** The association (SPEC section 9). */
export interface Association {
	status: "pending_consent" | "active" | "declined";
	approvedAt: string;
	consentEndsAt: string;
	/**
	 * When the association became active: the consent window's end (R-TIME-6), also when
	 * the timer ran later (after downtime); the history row says when that was. UTC ISO.
	 */
	activatedAt: string | null;
	declinedAt: string | null;
}

/** The claim as the API returns it (API.md "The claim resource"). */
export interface ClaimView {
	id: string;
	name: string;
	status: string;
	version: number;
	partnerOrganizationId: string;
	mpnId: string;
	customer: { tenantId: string; domain: string };
	solutionArea: string;
	activity: string;
	products: {
		productId: string;
		name: string;
		subscriptionId: string | null;
	}[];
	contacts: Contacts;
	revenueAssociation: {
		solutionSellerName: string;
		customerName: string;
		isvSolutionName: string;
	} | null;
	documents: {
		id: string;
		name: string;
		contentType: string;
		size: number;
		sha256: string;
		uploadedAt: string;
		purpose: string;
	}[];
	competing: boolean;
	deadlines: {
		reviewStartDue: string | null;
		decisionDue: string | null;
		partnerResponseDue: string | null;
		consentEndsAt: string | null;
		disputeUntil: string | null;
		disputeDecisionDue: string | null;
	};
	dueAt: string | null;
	informationRequest: InformationRequest | null;
	rejection: Rejection | null;
	dispute: Dispute | null;
	association: Association | null;
	eligibility: unknown[];
	createdAt: string;
	updatedAt: string;
	submittedAt: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Shapes a claim row and its parts into the API resource. */
export function toClaimView(
	row: ClaimRow,
	lines: (ClaimProductRow & { name: string })[],
	docs: ClaimDocumentRow[],
): ClaimView {
	return viewOf(
		row,
		lines
			.slice()
			.sort((a, b) => a.position - b.position)
			.map((l) => ({
				productId: l.productId,
				name: l.name,
				subscriptionId: l.subscriptionId,
			})),
		docs.map((d) => ({
			id: d.id,
			name: d.name,
			contentType: d.contentType,
			size: d.size,
			sha256: d.sha256,
			uploadedAt: d.uploadedAt.toISOString(),
			purpose: d.purpose,
		})),
	);
}

/** The resource from a claim row and its products and documents already in view shape and order. */
function viewOf(
	row: ClaimRow,
	products: ClaimView["products"],
	documents: ClaimView["documents"],
): ClaimView {
	return {
		id: row.id,
		name: row.name,
		status: row.status,
		version: row.version,
		partnerOrganizationId: row.partnerOrganizationId,
		mpnId: row.mpnId,
		customer: { tenantId: row.tenantId, domain: row.domain },
		solutionArea: row.solutionArea,
		activity: row.activity,
		products,
		contacts: row.contacts as Contacts,
		revenueAssociation:
			(row.revenueAssociation as ClaimView["revenueAssociation"]) ?? null,
		documents,
		competing: row.competing,
		deadlines: {
			reviewStartDue: iso(row.reviewStartDue),
			decisionDue: iso(row.decisionDue),
			partnerResponseDue: iso(row.partnerResponseDue),
			consentEndsAt: iso(row.consentEndsAt),
			disputeUntil: iso(row.disputeUntil),
			disputeDecisionDue: iso(row.disputeDecisionDue),
		},
		dueAt: iso(row.dueAt),
		informationRequest:
			(row.informationRequest as InformationRequest | null) ?? null,
		rejection: (row.rejection as Rejection | null) ?? null,
		dispute: (row.dispute as Dispute | null) ?? null,
		association: (row.association as Association | null) ?? null,
		eligibility: (row.eligibility as unknown[]) ?? [],
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString(),
		submittedAt: iso(row.submittedAt),
	};
}

/** Loads products (with catalog names) and documents for many claims at once (no N+1). */
export async function loadClaimParts(
	q: Queryable,
	ids: string[],
): Promise<{
	lines: Map<string, (ClaimProductRow & { name: string })[]>;
	docs: Map<string, ClaimDocumentRow[]>;
}> {
	const lines = new Map<string, (ClaimProductRow & { name: string })[]>();
	const docs = new Map<string, ClaimDocumentRow[]>();
	if (ids.length === 0) return { lines, docs };
	const lineRows = await q
		.select({ line: claimProducts, name: products.name })
		.from(claimProducts)
		.innerJoin(products, eq(products.productId, claimProducts.productId))
		.where(inArray(claimProducts.claimId, ids))
		.orderBy(asc(claimProducts.claimId), asc(claimProducts.position));
	for (const r of lineRows) {
		const list = lines.get(r.line.claimId) ?? [];
		list.push({ ...r.line, name: r.name });
		lines.set(r.line.claimId, list);
	}
	const docRows = await q
		.select()
		.from(claimDocuments)
		.where(inArray(claimDocuments.claimId, ids))
		.orderBy(asc(claimDocuments.uploadedAt), asc(claimDocuments.id));
	for (const d of docRows) {
		const list = docs.get(d.claimId) ?? [];
		list.push(d);
		docs.set(d.claimId, list);
	}
	return { lines, docs };
}

/** Builds views for rows, loading their parts in two queries. */
export async function toClaimViews(
	q: Queryable,
	rows: ClaimRow[],
): Promise<ClaimView[]> {
	const { lines, docs } = await loadClaimParts(
		q,
		rows.map((r) => r.id),
	);
	return rows.map((r) =>
		toClaimView(r, lines.get(r.id) ?? [], docs.get(r.id) ?? []),
	);
}

/** Loads one claim's view by ID, or null. Does not check visibility. */
export async function loadClaimView(
	q: Queryable,
	id: string,
): Promise<ClaimView | null> {
	const [row] = await q
		.select(claimColumns)
		.from(claims)
		.where(eq(claims.id, id));
	if (!row) return null;
	const [view] = await toClaimViews(q, [row]);
	return view ?? null;
}

type LineJson = ClaimProductRow & { name: string };
type DocJson = Omit<ClaimDocumentRow, "uploadedAt"> & { uploadedAt: string };

/**
 * Select fields that bring a claim's product lines (with catalog names, position order)
 * and documents (upload order) along with the claim row, as JSON from correlated
 * subqueries: an action reads the claim and its parts in ONE statement instead of
 * three (the read-only paths use {@link claimJsonColumns}). Use with
 * {@link claimWithPartsColumns} and {@link splitClaimParts}. The subqueries name the
 * outer table `"claims"` (a bare column would bind inside them), so select it from
 * `claims` unaliased.
 */
export const claimPartsColumns: {
	partLines: SQL<LineJson[]>;
	partDocs: SQL<DocJson[]>;
} = {
	partLines: sql<LineJson[]>`coalesce((select json_agg(json_build_object(
		'claimId', p.claim_id, 'position', p.position, 'productId', p.product_id,
		'subscriptionId', p.subscription_id, 'partnerOrganizationId', p.partner_organization_id,
		'tenantId', p.tenant_id, 'activity', p.activity, 'claimKey', p.claim_key,
		'competeKey', p.compete_key, 'live', p.live, 'holdsAssociation', p.holds_association,
		'name', pr.name) order by p.position)
		from claim_products p join products pr on pr.product_id = p.product_id
		where p.claim_id = "claims"."id"), '[]'::json)`,
	partDocs: sql<DocJson[]>`coalesce((select json_agg(json_build_object(
		'id', d.id, 'claimId', d.claim_id, 'name', d.name, 'contentType', d.content_type,
		'size', d.size, 'sha256', d.sha256, 'purpose', d.purpose, 'uploadedBy', d.uploaded_by,
		'uploadedAt', d.uploaded_at) order by d.uploaded_at, d.id)
		from claim_documents d where d.claim_id = "claims"."id"), '[]'::json)`,
};

/**
 * Every claim column but the copies ({@link ClaimCopyColumn}: ~2.7 KB a claim that an
 * action never reads), for `db.select(…)`.
 */
export const claimColumns: {
	[K in keyof ClaimRow]: (typeof claims)[K];
} = (() => {
	const {
		resourceJson: _r,
		partsProducts: _p,
		partsDocuments: _d,
		...columns
	} = getTableColumns(claims);
	return columns;
})();

/** {@link claimColumns} plus {@link claimPartsColumns}, for `db.select(…)`. */
export const claimWithPartsColumns = {
	...claimColumns,
	...claimPartsColumns,
};

/** A row selected with {@link claimWithPartsColumns}. */
export type ClaimRowWithParts = ClaimRow & {
	partLines: LineJson[];
	partDocs: DocJson[];
};

/** Splits a row selected with {@link claimWithPartsColumns} into the row and its parts. */
export function splitClaimParts(r: ClaimRowWithParts): {
	row: ClaimRow;
	lines: (ClaimProductRow & { name: string })[];
	docs: ClaimDocumentRow[];
} {
	const { partLines, partDocs, ...row } = r;
	return {
		row,
		lines: partLines,
		docs: partDocs.map((d) => ({ ...d, uploadedAt: new Date(d.uploadedAt) })),
	};
}

/** A timestamp column as `Date.prototype.toISOString()` writes it (UTC, milliseconds), or null. */
export const isoText = (column: SQLWrapper) =>
	sql<
		string | null
	>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The resource's `products` and `documents` of the claim in `"claims"` (the outer table,
 * unaliased), aggregated from its parts' tables as JSON text: the reads' fallback when
 * the claim row's copies are not current ({@link partsCurrent}), and how stored copies
 * are (re)computed in SQL (migration 0010, a product's new name, the bulk loader).
 */
export const claimPartsJsonFromTables: {
	products: SQL<string>;
	documents: SQL<string>;
} = {
	// The catalog name looked up per line (a lateral join, so a line without a catalog
	// product is left out as by the actions' inner join; `limit 1` keeps PostgreSQL from
	// flattening it into a plain join): a plain join made PostgreSQL hash the whole
	// catalog once per claim (0.96 -> 0.74-0.87 ms per 50-claim page).
	products: sql<string>`coalesce((select json_agg(json_build_object(
		'productId', p.product_id, 'name', pr.name, 'subscriptionId', p.subscription_id)
		order by p.position)
		from claim_products p
		join lateral (select name from products where product_id = p.product_id limit 1) pr
			on true
		where p.claim_id = "claims"."id"), '[]'::json)::text`,
	documents: sql<string>`coalesce((select json_agg(json_build_object(
		'id', d.id, 'name', d.name, 'contentType', d.content_type, 'size', d.size,
		'sha256', d.sha256, 'uploadedAt', ${isoText(sql`d.uploaded_at`)}, 'purpose', d.purpose)
		order by d.uploaded_at, d.id)
		from claim_documents d where d.claim_id = "claims"."id"), '[]'::json)::text`,
};

/** Whether the claim row's `parts_products` and `parts_documents` are current (schema.ts). */
const partsCurrent = sql`"claims"."parts_version" = "claims"."version"`;

/**
 * The claim row's copies of its parts as written by an action or a create
 * (`claims.partsProducts`, `partsDocuments`, `partsVersion`): the view's `products`
 * and `documents` as JSON text, current at `version`.
 */
export function claimPartsJson(
	view: Pick<ClaimView, "products" | "documents" | "version">,
): { partsProducts: string; partsDocuments: string; partsVersion: number } {
	return {
		partsProducts: JSON.stringify(view.products),
		partsDocuments: JSON.stringify(view.documents),
		partsVersion: view.version,
	};
}

/**
 * The claim row's copy of its whole resource as written by an action or a create
 * (`claims.resourceJson`, `resourceVersion`): the view as JSON text, current at its
 * `version`. The view must be the resource exactly as the write leaves the claim.
 */
export function claimResourceJson(view: ClaimView): {
	resourceJson: string;
	resourceVersion: number;
} {
	return { resourceJson: JSON.stringify(view), resourceVersion: view.version };
}

/**
 * The `parts_version` of a write that bumps a claim's `version` (by one) without
 * changing its products or documents: the copies stay current if they were. Unqualified
 * columns, for an UPDATE of `claims` under any alias.
 */
export const carryPartsVersion = shapeConstant(
	"carry parts_version",
	sql<number | null>`case when parts_version = version then version + 1 end`,
);

/**
 * After a directory import changed catalog products (`productIds`; a new name changes
 * the resource of every claim holding one): gives each such claim a new `version` (not
 * a new `updatedAt`: no claim action happened, and list order stays) and writes its
 * copies again from the tables, in two statements. The first takes the claims' row
 * locks: a writer that read the old name before and writes after it finds a new
 * version (an optimistic action then reads again) or has committed already; the second
 * statement's snapshot comes after those locks, so the copies it writes are current.
 * A claim that gets its first line of one of these products while the import runs (a
 * create or an edit in the same moment) can keep the old name until its next action.
 */
export async function refreshClaimsOfProducts(
	q: Queryable,
	productIds: string[],
): Promise<void> {
	const holding = sql`(select claim_id from claim_products where product_id in ${productIds})`;
	await q.execute(
		sql`update claims set version = version + 1 where id in ${holding}`,
	);
	await writePartsCopiesFromTables(q, sql`id in ${holding}`);
}

/**
 * Writes the copies of the parts of the claims matching `which` (a condition on
 * `claims`) from their tables, current at each claim's version.
 */
async function writePartsCopiesFromTables(
	q: Queryable,
	which: SQL,
): Promise<void> {
	await q.execute(sql`update claims set parts_products = ${claimPartsJsonFromTables.products},
		parts_documents = ${claimPartsJsonFromTables.documents}, parts_version = version
		where ${which}`);
}

/** How much of a backlog of stale copies one call writes. */
export interface RefreshBatches {
	/** Claims per transaction (default 500). */
	batchSize?: number;
	/** Transactions at most (default 1). */
	maxBatches?: number;
}

/**
 * Runs `write` for up to `batchSize` × `maxBatches` claims matching `stale` (a partial
 * index's predicate), `batchSize` per transaction, oldest ID first; returns how many.
 * Each batch takes its claims' row locks first (`FOR UPDATE SKIP LOCKED`: a claim a
 * writer holds is left for a later call), and `write` runs after that statement, so its
 * statements' snapshots come after the locks and the claims cannot change meanwhile.
 */
async function refreshInBatches(
	db: Db,
	stale: SQL,
	opts: RefreshBatches,
	write: (tx: Queryable, ids: string[]) => Promise<void>,
): Promise<number> {
	const batchSize = opts.batchSize ?? 500;
	let written = 0;
	for (let i = 0; i < (opts.maxBatches ?? 1); i++) {
		const n = await db.transaction(async (tx) => {
			const locked = (await tx.execute(
				sql`select id from claims where ${stale} order by id limit ${batchSize} for update skip locked`,
			)) as unknown as { rows: { id: string }[] };
			const ids = locked.rows.map((r) => r.id);
			if (ids.length > 0) await write(tx, ids);
			return ids.length;
		});
		written += n;
		if (n < batchSize) break;
	}
	return written;
}

/**
 * Writes the copies of the parts again for the claims whose copies are not current
 * (after an upgrade to migration 0010, or a write by an older server; migration 0011's
 * partial index), in batches ({@link refreshInBatches}); returns how many it wrote. The
 * copies are aggregated under the claims' locks, so they are the parts as of each
 * claim's current version (as in {@link refreshClaimsOfProducts}). Neither `version`
 * nor `updatedAt` changes: the resource stays the same. Run by the background work
 * (jobs/sweeper.ts); safe in several processes at once.
 */
export function refreshStaleClaimParts(
	db: Db,
	opts: RefreshBatches = {},
): Promise<number> {
	return refreshInBatches(
		db,
		sql`parts_version is distinct from version`,
		opts,
		(tx, ids) => writePartsCopiesFromTables(tx, sql`id in ${ids}`),
	);
}

/**
 * Writes the copy of the whole resource again (`resource_json`, {@link claimJson} of its
 * columns) for the claims whose copy is not current (after a timers' batch, a competing
 * mark, a product's new name, a write by an older server, or the upgrade to migration
 * 0012; its partial index), in batches ({@link refreshInBatches}): reads their columns
 * under the locks, then writes, so each copy is current at the version it names.
 * Returns how many it wrote. `version` and `updatedAt` stay. Run by the background work
 * (jobs/sweeper.ts); safe in several processes at once.
 */
export function refreshStaleClaimResources(
	db: Db,
	opts: RefreshBatches = {},
): Promise<number> {
	return refreshInBatches(
		db,
		sql`resource_version is distinct from version`,
		opts,
		async (tx, ids) =>
			writeResourceCopies(
				tx,
				(await tx
					.select(claimJsonColumns)
					.from(claims)
					.where(inArray(claims.id, ids))) as ClaimJsonRow[],
			),
	);
}

/**
 * Writes each claim's copy of its resource ({@link claimJson} of `rows`, read with
 * {@link claimJsonColumns}) in one statement, current at the claim's version: the rows
 * must not change between their read and this write (their locks held, or a load
 * that runs alone, as bench/bulk-claims.ts).
 */
export async function writeResourceCopies(
	q: Queryable,
	rows: ClaimJsonRow[],
): Promise<void> {
	await q.execute(sql`update claims set resource_json = v.json, resource_version = claims.version
		from (select unnest(${sql.param(rows.map((r) => r.id))}::text[]) as id,
		             unnest(${sql.param(rows.map(claimJson))}::text[]) as json) v
		where claims.id = v.id`);
}

/**
 * Select fields for the read-only paths (the claim page, lists, the review queue): every
 * field of the claim resource as text, ready to be written into JSON by
 * {@link claimJson} without building objects. Timestamps come formatted by PostgreSQL
 * (ISO 8601 UTC, milliseconds), JSON columns as their JSON text, the product lines and
 * documents as JSON arrays already in the resource's shape and order. Reading texts
 * took a 50-claim page's server CPU from ~4 to ~1.8 ms (docs/performance.md, session
 * 8): parsing rows into objects, `Date`s and back, and `JSON.stringify` were most of a
 * list's cost. The lines and documents are the claim row's copies when current, else
 * aggregated from their tables ({@link claimPartsJsonFromTables}); the copies took a
 * 50-claim page from ~660 to ~1,050 pages/s (session 12). Every key is also the
 * field's SQL alias, so rows read raw (`db.execute`) and rows mapped by Drizzle have
 * the same shape ({@link ClaimJsonRow}). Select from `claims` unaliased (the
 * subqueries name it).
 */
export const claimJsonColumns = {
	id: sql<string>`${claims.id}`.as("id"),
	name: sql<string>`${claims.name}`.as("name"),
	status: sql<string>`${claims.status}`.as("status"),
	version: sql<string>`${claims.version}::text`.as("version"),
	partnerOrganizationId: sql<string>`${claims.partnerOrganizationId}`.as(
		"partnerOrganizationId",
	),
	mpnId: sql<string>`${claims.mpnId}`.as("mpnId"),
	tenantId: sql<string>`${claims.tenantId}`.as("tenantId"),
	domain: sql<string>`${claims.domain}`.as("domain"),
	solutionArea: sql<string>`${claims.solutionArea}`.as("solutionArea"),
	activity: sql<string>`${claims.activity}`.as("activity"),
	products:
		sql<string>`coalesce(case when ${partsCurrent} then "claims"."parts_products" end,
		${claimPartsJsonFromTables.products})`.as("products"),
	contacts: sql<string>`${claims.contacts}::text`.as("contacts"),
	revenueAssociation: sql<string | null>`${claims.revenueAssociation}::text`.as(
		"revenueAssociation",
	),
	documents:
		sql<string>`coalesce(case when ${partsCurrent} then "claims"."parts_documents" end,
		${claimPartsJsonFromTables.documents})`.as("documents"),
	competing: sql<"true" | "false">`${claims.competing}::text`.as("competing"),
	reviewStartDue: isoText(claims.reviewStartDue).as("reviewStartDue"),
	decisionDue: isoText(claims.decisionDue).as("decisionDue"),
	partnerResponseDue: isoText(claims.partnerResponseDue).as(
		"partnerResponseDue",
	),
	consentEndsAt: isoText(claims.consentEndsAt).as("consentEndsAt"),
	disputeUntil: isoText(claims.disputeUntil).as("disputeUntil"),
	disputeDecisionDue: isoText(claims.disputeDecisionDue).as(
		"disputeDecisionDue",
	),
	dueAt: isoText(claims.dueAt).as("dueAt"),
	informationRequest: sql<string | null>`${claims.informationRequest}::text`.as(
		"informationRequest",
	),
	rejection: sql<string | null>`${claims.rejection}::text`.as("rejection"),
	dispute: sql<string | null>`${claims.dispute}::text`.as("dispute"),
	association: sql<string | null>`${claims.association}::text`.as(
		"association",
	),
	eligibility: sql<string>`${claims.eligibility}::text`.as("eligibility"),
	createdAt: isoText(claims.createdAt).as("createdAt"),
	updatedAt: isoText(claims.updatedAt).as("updatedAt"),
	submittedAt: isoText(claims.submittedAt).as("submittedAt"),
};

/**
 * A row selected with {@link claimJsonColumns}: every field as text (JSON text for the
 * JSON ones, ISO 8601 for timestamps), null where the resource has null.
 */
export type ClaimJsonRow = {
	[K in keyof typeof claimJsonColumns]: (typeof claimJsonColumns)[K]["_"]["type"];
};

const str = JSON.stringify;
const strOrNull = (v: string | null) => (v === null ? "null" : str(v));
const jsonOrNull = (v: string | null) => v ?? "null";

/**
 * The claim resource of API.md as JSON text, written from a {@link ClaimJsonRow} (the
 * same fields, in the same order, as {@link toClaimView}'s object; a test compares them
 * for claims in every state).
 */
export function claimJson(r: ClaimJsonRow): string {
	return `{"id":${str(r.id)},"name":${str(r.name)},"status":${str(r.status)},"version":${r.version},"partnerOrganizationId":${str(r.partnerOrganizationId)},"mpnId":${str(r.mpnId)},"customer":{"tenantId":${str(r.tenantId)},"domain":${str(r.domain)}},"solutionArea":${str(r.solutionArea)},"activity":${str(r.activity)},"products":${r.products},"contacts":${r.contacts},"revenueAssociation":${jsonOrNull(r.revenueAssociation)},"documents":${r.documents},"competing":${r.competing},"deadlines":{"reviewStartDue":${strOrNull(r.reviewStartDue)},"decisionDue":${strOrNull(r.decisionDue)},"partnerResponseDue":${strOrNull(r.partnerResponseDue)},"consentEndsAt":${strOrNull(r.consentEndsAt)},"disputeUntil":${strOrNull(r.disputeUntil)},"disputeDecisionDue":${strOrNull(r.disputeDecisionDue)}},"dueAt":${strOrNull(r.dueAt)},"informationRequest":${jsonOrNull(r.informationRequest)},"rejection":${jsonOrNull(r.rejection)},"dispute":${jsonOrNull(r.dispute)},"association":${jsonOrNull(r.association)},"eligibility":${r.eligibility},"createdAt":${str(r.createdAt)},"updatedAt":${str(r.updatedAt)},"submittedAt":${strOrNull(r.submittedAt)}}`;
}
