/**
 * The Drizzle schema: directory (SPEC section 2), accounts, claims and their children,
 * history (R-HIS-1), the transactional outbox, and idempotency keys. Timestamps are
 * `timestamptz` (UTC instants). Constraints that rules depend on live here, in the
 * database: R-CMP-1's uniqueness is a partial unique index on `claim_products`.
 */
import { type SQL, sql } from "drizzle-orm";
import {
	bigint,
	bigserial,
	boolean,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
} from "drizzle-orm/pg-core";
import type { CommentTemplate } from "../claims/comment-template.ts";

const ts = (name: string) =>
	timestamp(name, { withTimezone: true, mode: "date" });

/** R-DIR-1: partner organizations. */
export const organizations = pgTable(
	"organizations",
	{
		id: text("id").primaryKey(),
		name: text("name").notNull(),
		createdAt: ts("created_at").notNull().defaultNow(),
	},
	(t) => [
		// The directory's partner list and name search (by prefix), in byte order.
		index("organizations_name_idx").on(
			sql`(lower(${t.name}) collate "C")`,
			t.id,
		),
	],
);

/** R-DIR-1/R-DIR-2: MPN IDs with program enrollments and partner types. */
export const mpnIds = pgTable(
	"mpn_ids",
	{
		mpnId: text("mpn_id").primaryKey(),
		organizationId: text("organization_id")
			.notNull()
			.references(() => organizations.id),
		programs: text("programs").array().notNull().default(sql`'{}'::text[]`),
		partnerTypes: text("partner_types")
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/**
		 * R-ROL-1: whether the organization uses this MPN ID for claims (its Global and
		 * Incentives admins decide; new claims and submits need one in use).
		 */
		inUse: boolean("in_use").notNull().default(true),
	},
	(t) => [index("mpn_ids_org_idx").on(t.organizationId)],
);

/** R-DIR-3: customer tenants. */
export const tenants = pgTable(
	"tenants",
	{
		tenantId: text("tenant_id").primaryKey(),
		name: text("name").notNull(),
	},
	(t) => [
		// The directory's customer list and name search (by prefix), in byte order.
		index("tenants_name_idx").on(
			sql`(lower(${t.name}) collate "C")`,
			t.tenantId,
		),
	],
);

/** R-DIR-3: verified domains (lower case), each belonging to one tenant. */
export const tenantDomains = pgTable(
	"tenant_domains",
	{
		domain: text("domain").primaryKey(),
		tenantId: text("tenant_id")
			.notNull()
			.references(() => tenants.tenantId),
	},
	(t) => [index("tenant_domains_tenant_idx").on(t.tenantId)],
);

/** R-DIR-4: the product catalog. */
export const products = pgTable("products", {
	productId: text("product_id").primaryKey(),
	name: text("name").notNull(),
	solutionArea: text("solution_area").notNull(),
	dynamics: boolean("dynamics").notNull().default(false),
});

/** R-DIR-5: subscriptions (Business Applications). */
export const subscriptions = pgTable(
	"subscriptions",
	{
		subscriptionId: text("subscription_id").primaryKey(),
		tenantId: text("tenant_id")
			.notNull()
			.references(() => tenants.tenantId),
		productId: text("product_id")
			.notNull()
			.references(() => products.productId),
		channel: text("channel").notNull(),
		status: text("status").notNull(),
		provisioned: boolean("provisioned").notNull(),
	},
	(t) => [index("subscriptions_tenant_idx").on(t.tenantId)],
);

/** R-ACC-2: monthly usage per tenant and product, imported by the platform admin. */
export const usageRecords = pgTable(
	"usage_records",
	{
		tenantId: text("tenant_id").notNull(),
		productId: text("product_id").notNull(),
		month: text("month").notNull(),
		monthlyActiveUsers: integer("monthly_active_users").notNull(),
		paidAvailableUnits: integer("paid_available_units").notNull(),
	},
	(t) => [primaryKey({ columns: [t.tenantId, t.productId, t.month] })],
);

/**
 * Local accounts (R-ROL-1..3): partner users carry an organization, customer admins a
 * tenant. `email` is stored in lower case (every writer lowers it).
 */
export const users = pgTable(
	"users",
	{
		id: text("id").primaryKey(),
		email: text("email").notNull().unique(),
		name: text("name").notNull(),
		passwordHash: text("password_hash").notNull(),
		organizationId: text("organization_id").references(() => organizations.id),
		tenantId: text("tenant_id").references(() => tenants.tenantId),
		roles: text("roles").array().notNull(),
		locale: text("locale").notNull().default("en"),
		createdAt: ts("created_at").notNull().defaultNow(),
	},
	(t) => [
		// The reviewers (the reminders' recipients), among every partner's users.
		index("users_reviewer_idx")
			.on(t.id)
			.where(sql`'reviewer' = any(${t.roles})`),
		// A tenant's customer admins (the consent notice's recipients, R-CON-1).
		index("users_customer_admin_idx")
			.on(t.tenantId)
			.where(sql`'customer_admin' = any(${t.roles})`),
		// The platform admin's list of people and name search (by prefix), in byte order.
		index("users_name_idx").on(sql`(lower(${t.name}) collate "C")`, t.id),
		// An organization's people and a tenant's customer admins, for the same list, in
		// its order (a page reads its size however many people they have).
		index("users_organization_name_idx").on(
			t.organizationId,
			sql`(lower(${t.name}) collate "C")`,
			t.id,
		),
		index("users_tenant_admin_name_idx")
			.on(t.tenantId, sql`(lower(${t.name}) collate "C")`, t.id)
			.where(sql`'customer_admin' = any(${t.roles})`),
	],
);

/** Browser sessions: the cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
	"sessions",
	{
		idHash: text("id_hash").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		csrfToken: text("csrf_token").notNull(),
		createdAt: ts("created_at").notNull(),
		expiresAt: ts("expires_at").notNull(),
	},
	(t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Failed sign-ins on PostgreSQL, shared by every server process of the database
 * (src/auth/login-throttle.ts; the embedded database, one process, keeps them in
 * memory). A row counts from `at` for the failure window and is deleted after it; an
 * attempt's row is written before its password is checked and deleted when it succeeds.
 */
export const signInFailures = pgTable(
	"sign_in_failures",
	{
		id: bigint("id", { mode: "number" })
			.primaryKey()
			.generatedAlwaysAsIdentity(),
		/** Trimmed, lower case. */
		email: text("email").notNull(),
		/** The client's address (the request's, after CPOR_TRUST_PROXY). */
		address: text("address").notNull(),
		/** The database's time (real time, not the sandbox clock's). */
		at: ts("at").notNull(),
		/**
		 * A later sign-in from the same address succeeded: no longer counted for the
		 * address, still for the account (as src/auth/login-throttle.ts's memory does).
		 */
		cleared: boolean("cleared").notNull().default(false),
	},
	(t) => [
		index("sign_in_failures_email_at_idx").on(t.email, t.at),
		index("sign_in_failures_at_idx").on(t.at),
	],
);

/**
 * The request counts of the per-address rate limits (@fastify/rate-limit: the sign-in's
 * and the consent link's) on PostgreSQL, shared by every server process of the database
 * (src/http/rate-limit-store.ts). One row per route and key, for its current window.
 */
export const rateLimitWindows = pgTable(
	"rate_limit_windows",
	{
		/** The route and the client's key (its address). */
		key: text("key").primaryKey(),
		/** Requests counted in the window. */
		hits: integer("hits").notNull(),
		/** When the window ends (real time). */
		endsAt: ts("ends_at").notNull(),
	},
	(t) => [index("rate_limit_windows_ends_at_idx").on(t.endsAt)],
);

/**
 * API tokens: hashed, shown once, a subset of the creator's roles. A user's tokens are
 * listed newest first by `api_tokens_user_created_idx` (migration 0026; 0025 indexed the
 * user alone: with 200,000 tokens the list had read them all, 24 ms).
 */
export const apiTokens = pgTable(
	"api_tokens",
	{
		id: text("id").primaryKey(),
		tokenHash: text("token_hash").notNull().unique(),
		name: text("name").notNull(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		roles: text("roles").array().notNull(),
		createdAt: ts("created_at").notNull(),
		lastUsedAt: ts("last_used_at"),
		revokedAt: ts("revoked_at"),
	},
	(t) => [index("api_tokens_user_created_idx").on(t.userId, t.createdAt, t.id)],
);

/**
 * The reviewer queue's claims (API.md `/review-queue`): submitted, under review, or
 * rejected with an open dispute. Shared by the partial index and the query, so that
 * PostgreSQL can prove the index applies.
 */
export const REVIEW_QUEUE_PREDICATE = sql`(status in ('submitted', 'under_review') or (status = 'rejected' and dispute->>'status' = 'open'))`;

/**
 * Claims whose association is active (R-TIME-6: approved, consent window passed without
 * an opt-out): the usage report's and the earnings report's claims (R-ACC-2, R-ELG-2),
 * of the claims aliased `alias` (none: unqualified, as the partial index has it). One
 * text for the index and the queries, so that PostgreSQL can prove the index applies.
 */
export function activeAssociation(alias?: string): SQL {
	const c = alias ? `${alias}.` : "";
	return sql.raw(
		`(${c}status = 'approved' and ${c}association->>'status' = 'active')`,
	);
}

/**
 * Claims (SPEC section 3). Nested parts the API returns whole (contacts, the information
 * request, rejection, dispute, association, eligibility) are JSONB; every deadline of
 * SPEC section 5 is its own column so timers and the queue can use indexes.
 */
export const claims = pgTable(
	"claims",
	{
		id: text("id").primaryKey(),
		name: text("name").notNull(),
		status: text("status").notNull(),
		version: integer("version").notNull().default(1),
		partnerOrganizationId: text("partner_organization_id")
			.notNull()
			.references(() => organizations.id),
		mpnId: text("mpn_id").notNull(),
		tenantId: text("tenant_id").notNull(),
		domain: text("domain").notNull(),
		solutionArea: text("solution_area").notNull(),
		activity: text("activity").notNull(),
		contacts: jsonb("contacts").notNull(),
		revenueAssociation: jsonb("revenue_association"),
		competing: boolean("competing").notNull().default(false),
		reviewStartDue: ts("review_start_due"),
		decisionDue: ts("decision_due"),
		partnerResponseDue: ts("partner_response_due"),
		consentEndsAt: ts("consent_ends_at"),
		disputeUntil: ts("dispute_until"),
		disputeDecisionDue: ts("dispute_decision_due"),
		/** The deadline that matters now (review queue order, partner's "respond by"). */
		dueAt: ts("due_at"),
		informationRequest: jsonb("information_request"),
		rejection: jsonb("rejection"),
		dispute: jsonb("dispute"),
		association: jsonb("association"),
		eligibility: jsonb("eligibility").notNull().default(sql`'[]'::jsonb`),
		/** R-DIR-6: the directory facts the claim was last validated against. */
		snapshot: jsonb("snapshot"),
		reviewerId: text("reviewer_id"),
		createdBy: text("created_by").notNull(),
		createdAt: ts("created_at").notNull(),
		updatedAt: ts("updated_at").notNull(),
		submittedAt: ts("submitted_at"),
		reviewStartedAt: ts("review_started_at"),
		decidedAt: ts("decided_at"),
		/**
		 * The resource's `products` and `documents` as JSON text (API.md claim resource),
		 * written with the claim so the read paths do not aggregate its parts per claim
		 * (`claimJsonColumns`; docs/performance.md, session 12). Current only while
		 * `partsVersion` equals `version`: a write that changes the claim but not these
		 * columns leaves them stale, and the reads then aggregate the parts' tables.
		 */
		partsProducts: text("parts_products"),
		/** See `partsProducts`. */
		partsDocuments: text("parts_documents"),
		/** The `version` at which `partsProducts` and `partsDocuments` were current, or null. */
		partsVersion: integer("parts_version"),
		/**
		 * The whole claim resource as JSON text (API.md), written by create and every
		 * action from the resource they build, so lists read one text per claim
		 * (docs/performance.md, session 13). Current only while `resourceVersion` equals
		 * `version`; other writes (the timers' batch, competing marks, a product's new
		 * name) leave it stale, the reads then build the resource from the columns, and
		 * the background work writes it again (`refreshStaleClaimResources`).
		 */
		resourceJson: text("resource_json"),
		/** The `version` at which `resourceJson` was current, or null. */
		resourceVersion: integer("resource_version"),
	},
	(t) => [
		// The partner dashboard (R-DSH-1): newest first, by status, by due date, competing.
		index("claims_org_updated_idx").on(
			t.partnerOrganizationId,
			t.updatedAt,
			t.id,
		),
		index("claims_org_status_updated_idx").on(
			t.partnerOrganizationId,
			t.status,
			t.updatedAt,
			t.id,
		),
		index("claims_org_due_idx").on(t.partnerOrganizationId, t.dueAt, t.id),
		// A partner's list filtered by MPN ID, in the list's order. Without it an MPN ID
		// with few claims walked all of its partner's claims (1.1 s warm, 16 s cold for
		// Fabrikam's second MPN ID). With the partner in it, a named statement's generic
		// plan reads this index alone; one on (MPN ID, ...) was ANDed with the partner's
		// index and sorted all 170,120 of Fabrikam's main MPN ID's claims (1.1 s). 0024.
		index("claims_org_mpn_updated_idx").on(
			t.partnerOrganizationId,
			t.mpnId,
			t.updatedAt,
			t.id,
		),
		index("claims_org_competing_updated_idx")
			.on(t.partnerOrganizationId, t.updatedAt, t.id)
			.where(sql`competing`),
		// The reviewer queue: exactly its open work, soonest due first. With the status,
		// the open SLA counts (`/metrics`, the SLA report) come from the index alone.
		index("claims_review_queue_idx")
			.on(t.dueAt, t.id, t.status)
			.where(REVIEW_QUEUE_PREDICATE),
		index("claims_updated_idx").on(t.updatedAt, t.id),
		index("claims_status_due_idx").on(t.status, t.dueAt, t.id),
		// A reviewer's list by due date over every organization (sort=dueAt): the claims
		// with a deadline, in order; the rest (no due date) follow by ID.
		index("claims_due_idx").on(t.dueAt, t.id).where(sql`due_at is not null`),
		// A tenant's claims, and a partner's claims of a tenant: with the partner in the
		// index a list's generic plan finds them here, where one of (tenant) was ANDed
		// with the partner's index, all of a large partner's entries read (0023).
		index("claims_tenant_idx").on(t.tenantId, t.partnerOrganizationId),
		// The partner's customers with an active association (R-ACC-2: the usage
		// report's customer search), read from the index alone; only those claims'
		// writes pay for it.
		index("claims_org_active_idx")
			.on(t.partnerOrganizationId, t.tenantId, t.domain, t.id)
			.where(activeAssociation()),
		index("claims_partner_response_due_idx")
			.on(t.partnerResponseDue)
			.where(sql`status = 'partner_action_required'`),
		index("claims_consent_ends_idx")
			.on(t.consentEndsAt)
			.where(
				sql`status = 'approved' and association->>'status' = 'pending_consent'`,
			),
		// The claims whose copies of their parts are not current, which the background
		// work writes again (refreshStaleClaimParts): empty while every writer keeps them.
		index("claims_parts_stale_idx")
			.on(t.id)
			.where(sql`parts_version is distinct from version`),
		// The claims whose copy of the resource is not current (refreshStaleClaimResources).
		index("claims_resource_stale_idx")
			.on(t.id)
			.where(sql`resource_version is distinct from version`),
	],
);

/**
 * The text the claim list's search (`q`: R-DSH-1) looks in, one row per claim: its name,
 * tenant ID and domain in lowercase, joined by U+001F (a character `q` cannot hold, so a
 * match lies within one field). Searched with LIKE and a lowercase pattern, which in
 * UTF-8 is ILIKE and ~4× faster to scan. Kept by triggers on `claims` (migration 0019): on
 * insert, on delete, and on an update that changes one of the three or the organization,
 * so the claim's other writes (every status change) add nothing to the trigram index. The
 * rows are narrow: a search of one or two letters, which has no trigram, reads this table
 * instead of every claim.
 */
export const claimSearch = pgTable(
	"claim_search",
	{
		claimId: text("claim_id").primaryKey(),
		/** The claim's partner organization: a partner's search reads its own rows' claims only. */
		partnerOrganizationId: text("partner_organization_id").notNull(),
		text: text("text").notNull(),
	},
	(t) => [
		index("claim_search_text_idx").using("gin", t.text.op("gin_trgm_ops")),
	],
);

/**
 * Claims per partner organization, status and the dashboard's filters that a claim's
 * rows carry (solution area, activity, MPN ID, competing): R-DSH-1's counters, kept
 * exactly by triggers on `claims`. Every insert, delete and change of one of these
 * columns appends ±1 rows to `claim_status_deltas` in the same transaction (no row is
 * updated, so concurrent writers never wait on each other), and the background work
 * folds the deltas into `claim_status_counts`. A count is the sum of both (see
 * src/claims/status-counts.ts), for no filter or any of those four (migration 0020).
 */
export const claimStatusCounts = pgTable(
	"claim_status_counts",
	{
		partnerOrganizationId: text("partner_organization_id").notNull(),
		status: text("status").notNull(),
		solutionArea: text("solution_area").notNull(),
		activity: text("activity").notNull(),
		mpnId: text("mpn_id").notNull(),
		competing: boolean("competing").notNull(),
		n: bigint("n", { mode: "number" }).notNull(),
	},
	(t) => [
		primaryKey({
			name: "claim_status_counts_pk",
			columns: [
				t.partnerOrganizationId,
				t.status,
				t.solutionArea,
				t.activity,
				t.mpnId,
				t.competing,
			],
		}),
		// A reviewer's counts for one MPN ID (every organization's rows).
		index("claim_status_counts_mpn_idx").on(t.mpnId),
	],
);

/**
 * {@link claimStatusCounts} summed over every partner organization (and MPN ID): claims
 * per status, solution area, activity and competing flag, for a reviewer's counts
 * (R-DSH-1), a few hundred rows whatever the number of partners. Kept by statement
 * triggers on `claim_status_counts` (migration 0021), so every writer of the counters
 * (the fold, a recount, an older server's fold) keeps it in the same transaction.
 */
export const claimStatusTotals = pgTable(
	"claim_status_totals",
	{
		status: text("status").notNull(),
		solutionArea: text("solution_area").notNull(),
		activity: text("activity").notNull(),
		competing: boolean("competing").notNull(),
		n: bigint("n", { mode: "number" }).notNull(),
	},
	(t) => [
		primaryKey({
			name: "claim_status_totals_pk",
			columns: [t.status, t.solutionArea, t.activity, t.competing],
		}),
	],
);

/** Not yet folded changes of {@link claimStatusCounts} (written by triggers only). */
export const claimStatusDeltas = pgTable(
	"claim_status_deltas",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		partnerOrganizationId: text("partner_organization_id").notNull(),
		status: text("status").notNull(),
		solutionArea: text("solution_area").notNull(),
		activity: text("activity").notNull(),
		mpnId: text("mpn_id").notNull(),
		competing: boolean("competing").notNull(),
		delta: integer("delta").notNull(),
	},
	(t) => [index("claim_status_deltas_org_idx").on(t.partnerOrganizationId)],
);

/**
 * A claim's products. `claimKey` is what one partner of record holds (R-CMP-0): the
 * subscription ID (Business Applications) or `tenant:workload` (Microsoft 365).
 * `competeKey` is what competes (R-CMP-2): `tenant:subscription` (Business Applications,
 * claimed per subscription, R-DIR-4, so that a successor subscription's claim can be
 * approved beside the ended one's, R-CRT-8; migration 0029) or `tenant:workload`
 * (Microsoft 365). `live` is false once the claim is rejected;
 * `holdsAssociation` is true while approved.
 */
export const claimProducts = pgTable(
	"claim_products",
	{
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id, { onDelete: "cascade" }),
		position: integer("position").notNull(),
		productId: text("product_id").notNull(),
		subscriptionId: text("subscription_id"),
		partnerOrganizationId: text("partner_organization_id").notNull(),
		tenantId: text("tenant_id").notNull(),
		activity: text("activity").notNull(),
		claimKey: text("claim_key").notNull(),
		competeKey: text("compete_key").notNull(),
		live: boolean("live").notNull().default(true),
		holdsAssociation: boolean("holds_association").notNull().default(false),
	},
	(t) => [
		primaryKey({ columns: [t.claimId, t.claimKey] }),
		// R-CMP-1: one live claim per (partner organization, activity, subscription/workload).
		uniqueIndex("claim_products_r_cmp_1_uq")
			.on(t.partnerOrganizationId, t.activity, t.claimKey)
			.where(sql`live`),
		// R-CMP-2: at most one approved claim per (tenant, product/workload, activity).
		uniqueIndex("claim_products_r_cmp_2_uq")
			.on(t.competeKey, t.activity)
			.where(sql`holds_association`),
		index("claim_products_compete_idx")
			.on(t.competeKey, t.activity)
			.where(sql`live`),
		// The lines of a partner's associations (the usage report: R-ACC-2), read from the
		// index alone; a line enters it when its claim is approved.
		index("claim_products_org_association_idx")
			.on(t.partnerOrganizationId, t.claimId, t.productId)
			.where(sql`holds_association`),
	],
);

/** R-CRT-7: PoE documents; content lives on disk, addressed by SHA-256. */
export const claimDocuments = pgTable(
	"claim_documents",
	{
		id: text("id").primaryKey(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id, { onDelete: "cascade" }),
		name: text("name").notNull(),
		contentType: text("content_type").notNull(),
		size: bigint("size", { mode: "number" }).notNull(),
		sha256: text("sha256").notNull(),
		purpose: text("purpose").notNull().default("poe"),
		uploadedBy: text("uploaded_by").notNull(),
		uploadedAt: ts("uploaded_at").notNull(),
	},
	(t) => [index("claim_documents_claim_idx").on(t.claimId)],
);

/** R-REV-3: the claim's comment thread. */
export const claimComments = pgTable(
	"claim_comments",
	{
		id: text("id").primaryKey(),
		seq: bigserial("seq", { mode: "number" }).notNull(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id, { onDelete: "cascade" }),
		authorId: text("author_id"),
		authorName: text("author_name").notNull(),
		authorRole: text("author_role").notNull(),
		kind: text("kind").notNull().default("comment"),
		body: text("body").notNull(),
		/**
		 * A comment CPOR wrote, as data (comment-template.ts), for the web app to word in
		 * the reader's language; null for a person's comment (migration 0028).
		 */
		template: jsonb("template").$type<CommentTemplate>(),
		internal: boolean("internal").notNull().default(false),
		createdAt: ts("created_at").notNull(),
	},
	(t) => [index("claim_comments_claim_idx").on(t.claimId, t.seq)],
);

/** R-HIS-1: append-only history. No foreign key, so a deleted draft's history remains. */
export const claimHistory = pgTable(
	"claim_history",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		claimId: text("claim_id").notNull(),
		at: ts("at").notNull(),
		actorId: text("actor_id"),
		actorName: text("actor_name").notNull(),
		actorRole: text("actor_role").notNull(),
		action: text("action").notNull(),
		before: jsonb("before"),
		after: jsonb("after"),
		internal: boolean("internal").notNull().default(false),
	},
	(t) => [index("claim_history_claim_idx").on(t.claimId, t.id)],
);

/**
 * Every exit of a claim from a reviewer SLA's state (R-TIME-2, R-TIME-3, R-TIME-8), one
 * row per {@link claimHistory} row that is one, written by a trigger on `claim_history`
 * in the same statement (migration 0014, `claim_sla_exit_of`). The SLA report's historic
 * figures read this narrow table by `at` instead of the history's JSON and one claim row
 * per exit. Times are UTC instants.
 */
export const claimSlaExits = pgTable(
	"claim_sla_exits",
	{
		/** The history row of the exit. */
		historyId: bigint("history_id", { mode: "number" }).primaryKey(),
		claimId: text("claim_id").notNull(),
		/** `review_start`, `decision` or `dispute_decision` (src/reports/sla-report.ts). */
		sla: text("sla").notNull(),
		/** When the claim left the SLA's state. */
		at: ts("at").notNull(),
		/** The SLA's deadline in effect then; null when the claim had none. */
		deadline: ts("deadline"),
		/** When the SLA's clock started; null for exits that are not timed. */
		startedAt: ts("started_at"),
	},
	(t) => [index("claim_sla_exits_at_idx").on(t.at)],
);

/** The transactional outbox: events written with the change, dispatched after commit. */
export const outbox = pgTable(
	"outbox",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		eventId: text("event_id").notNull().unique(),
		type: text("type").notNull(),
		claimId: text("claim_id"),
		organizationId: text("organization_id"),
		payload: jsonb("payload").notNull(),
		createdAt: ts("created_at").notNull(),
		processedAt: ts("processed_at"),
	},
	(t) => [
		index("outbox_unprocessed_idx").on(t.id).where(sql`processed_at is null`),
	],
);

/** Idempotency-Key records: a retry with the same key replays the first answer. */
export const idempotencyKeys = pgTable(
	"idempotency_keys",
	{
		principal: text("principal").notNull(),
		key: text("key").notNull(),
		requestHash: text("request_hash").notNull(),
		statusCode: integer("status_code"),
		responseBody: text("response_body"),
		responseHeaders: jsonb("response_headers"),
		createdAt: ts("created_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.principal, t.key] })],
);

/**
 * Deliveries fanned out from outbox events (R-NTF-1): one row per email message or
 * webhook call, retried with backoff until delivered. `dedupeKey` makes a fan-out or a
 * reminder idempotent (at most one delivery per key).
 */
export const deliveries = pgTable(
	"deliveries",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		dedupeKey: text("dedupe_key").notNull().unique(),
		channel: text("channel").notNull(),
		eventId: text("event_id"),
		eventType: text("event_type").notNull(),
		claimId: text("claim_id"),
		/** Email address, or webhook subscription ID. */
		target: text("target").notNull(),
		locale: text("locale").notNull().default("en"),
		subject: text("subject"),
		bodyText: text("body_text"),
		bodyHtml: text("body_html"),
		payload: jsonb("payload"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: ts("next_attempt_at").notNull(),
		/**
		 * While a dispatcher pass sends it: until when (real time, not the sandbox clock)
		 * no other pass takes it. Null when not being sent.
		 */
		reservedUntil: ts("reserved_until"),
		deliveredAt: ts("delivered_at"),
		/** `sent` (SMTP / HTTP), `kept` (no SMTP configured: the dev mailbox), or `failed` (gave up). */
		outcome: text("outcome"),
		lastError: text("last_error"),
		createdAt: ts("created_at").notNull(),
	},
	(t) => [
		index("deliveries_due_idx")
			.on(t.nextAttemptAt, t.id)
			.where(sql`delivered_at is null`),
		index("deliveries_target_claim_idx").on(t.target, t.claimId, t.id),
		// The dispatcher's hold-back probe (an earlier undelivered delivery to the same target
		// for the same claim): an equality on coalesce(claim_id, '') can use an index, where
		// `is not distinct from` made each probe read every delivery of the target.
		index("deliveries_undelivered_queue_idx")
			.on(t.target, sql`coalesce(${t.claimId}, '')`, t.id)
			.where(sql`delivered_at is null`),
		index("deliveries_channel_created_idx").on(t.channel, t.createdAt),
	],
);

/** Webhook subscriptions of a partner organization (API.md `/webhooks`). */
export const webhooks = pgTable(
	"webhooks",
	{
		id: text("id").primaryKey(),
		organizationId: text("organization_id")
			.notNull()
			.references(() => organizations.id),
		url: text("url").notNull(),
		/** Standard Webhooks secret (`whsec_…`), shown once at creation. */
		secret: text("secret").notNull(),
		eventTypes: text("event_types").array().notNull(),
		createdBy: text("created_by").notNull(),
		createdAt: ts("created_at").notNull(),
		deletedAt: ts("deleted_at"),
	},
	// An organization's subscriptions, newest first (newest-first.ts).
	(t) => [
		index("webhooks_org_created_idx").on(t.organizationId, t.createdAt, t.id),
	],
);

/**
 * The sandbox clock's lead over real time (`cpor serve --sandbox`; API.md "Bootstrap and
 * sandbox"): one row, written when an admin moves the clock, read at start, so that a
 * restart goes on from where the clock was instead of going back to the real time.
 */
export const sandboxClock = pgTable("sandbox_clock", {
	/** Always 1: the database has one sandbox clock. */
	id: integer("id").primaryKey(),
	/** Sandbox time minus real time, in milliseconds (never negative). */
	offsetMs: bigint("offset_ms", { mode: "number" }).notNull(),
	/** When the clock was last moved (real time). */
	movedAt: ts("moved_at").notNull(),
});

/**
 * The demo's load into this database (`cpor serve --demo`, `cpor demo`): one row, written
 * when the load starts and finished when its last claim is made, so that a load cut off
 * half way (Ctrl-C at the first start) is told apart from a whole one and from a database
 * without the demo. Times are real UTC instants.
 */
export const demoLoads = pgTable("demo_loads", {
	/** Always 1: a database holds the demo once. */
	id: integer("id").primaryKey(),
	startedAt: ts("started_at").notNull(),
	/** Null while the load runs, and for good when it was cut off. */
	finishedAt: ts("finished_at"),
});

/**
 * The business calendar as the platform admin set it (SPEC R-ROL-2 "configures
 * calendars", R-TIME-1), one row per change, newest last: the newest row is the calendar
 * in force, and the rows before it are its history. With no row the configuration's
 * calendar (`CPOR_TIME_ZONE`, `CPOR_HOLIDAYS`) is in force. `at` is the (sandbox) clock's
 * UTC instant of the change.
 */
export const calendarChanges = pgTable("calendar_changes", {
	id: bigserial("id", { mode: "number" }).primaryKey(),
	at: ts("at").notNull(),
	/** The platform admin who changed it (a user ID; null for a change by the CLI). */
	actorId: text("actor_id"),
	actorName: text("actor_name").notNull(),
	/** IANA time zone name, as validated (e.g. `Europe/Amsterdam`). */
	timeZone: text("time_zone").notNull(),
	/** date-holidays code in canonical case (`NL`, `DE-BY`), or null for no holidays. */
	holidays: text("holidays"),
});
