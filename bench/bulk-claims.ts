/**
 * Bulk loader for benchmarks: a directory with many partner organizations and tenants,
 * and N claims in realistic states, written with set-based SQL (`insert … select … from
 * generate_series`, one statement per chunk of claims) on PGlite or PostgreSQL.
 *
 * What {@link bulkLoadClaims} generates:
 * - the demo directory (generateDemoDirectory + importDirectory: catalog, 36 partners with
 *   Fabrikam and Northwind, 400 tenants, the demo accounts such as
 *   ana.global@fabrikam.example and the reviewers rita/rob), plus generated partner
 *   organizations `bench-partner-NNNN` up to `partners` (one MPN ID each, enrolled in
 *   osa_sell, osu_bizapps and osu_m365), a global admin for every organization without
 *   one (`admin@<organizationId>.example`), six more reviewers
 *   (`reviewer-N@cpor.example`); every account (demo ones too) has the password of the
 *   `password` option (`result.password`);
 * - tenants `bench-tNNN` (GUID tenant IDs, an initial and a custom domain each) for the
 *   claims, plus `freshTenants` tenants that no claim uses (for write loads: every
 *   tenant × Microsoft 365 workload of those is claimable by any partner);
 * - `claims` claims over the first `partners` organizations, Zipf-distributed by rank
 *   (Fabrikam first: about 1/H(partners) of all claims, ~17% at 100 partners), each
 *   following a timeline (created over the last 400 days, more of them recently; draft
 *   → submitted → review → maybe an information request → decision → consent window /
 *   dispute) cut at "now", so the status mix and the deadline columns are what the use
 *   cases would have left: drafts (abandoned or in progress), submitted and under review
 *   (some past their SLA), partner action required (response deadline always in the
 *   future, so the sweeper has nothing to expire), approved (pending consent with the
 *   window still open, or active with eligibility), rejected (reviewer reasons, no
 *   partner response, partner request = "withdrawn", customer opt-out), disputes open
 *   (in the review queue) and decided. Deadlines use 5 business days ≈ 7 calendar days.
 * - per claim 1–3 product lines (Microsoft 365 usage workloads or Business Applications
 *   subscriptions, which are inserted into `subscriptions` as they are used); every
 *   (tenant, product, activity) is used by one claim only, so R-CMP-1 and R-CMP-2's
 *   partial unique indexes hold (no competing claims are generated);
 * - 1–3 `claim_history` rows per claim (create, submit, the last transition) and a PoE
 *   `claim_documents` row for every claim past draft (and half the drafts); with
 *   `dataDir` the PDF itself is stored in `<dataDir>/documents`, so downloads work too;
 * - the deadline reminders a running server would already have sent (`deliveries`, as
 *   kept), so a server started on the data finds no reminder backlog. (Without them
 *   — `sentReminders: false` — the first sweep plans, renders and delivers every due
 *   reminder at once: ~2,200 at 100,000 claims, ~22,800 at 1,000,000.)
 * - the dashboard counters (`claim_status_counts`) recounted from the claims, and the SLA
 *   report's exits (`claim_sla_exits`) written from the history, since the load bypasses
 *   the triggers that maintain them.
 * How: one INSERT … SELECT statement per chunk of claims (data-modifying CTEs for claims,
 * lines, history and documents), two at a time on PostgreSQL, triggers (foreign keys,
 * status counters) off for them (session_replication_role, as superuser), the claim
 * tables' secondary indexes dropped before and built again after; then ANALYZE. Progress
 * goes to stderr. About 90–120 s for 1,000,000 claims on PostgreSQL, 20–45 s for 100,000
 * on PGlite (2 shared vCPUs).
 *
 * Tokens: {@link issueApiToken}(database, email) inserts an API token (carrying the user's
 * roles) and returns its secret, e.g. for `result.partners[0].adminEmail` (Fabrikam's
 * Ana) or `result.reviewers[0].email` (Rita). Or sign in with email + `result.password`.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { hash } from "@node-rs/argon2";
import { sql } from "drizzle-orm";
import {
	type ClaimJsonRow,
	claimJsonColumns,
	writeResourceCopies,
} from "../src/claims/claim-view.ts";
import { rebuildClaimStatusCounts } from "../src/claims/status-counts.ts";
import type { Database } from "../src/db/client.ts";
import {
	apiTokens,
	claims,
	mpnIds,
	organizations,
	users,
} from "../src/db/schema.ts";
import {
	DEMO_IDS,
	generateDemoDirectory,
} from "../src/demo/generate-directory.ts";
import { importDirectory } from "../src/directory/import-directory.ts";
import { DocumentStore } from "../src/documents/document-store.ts";
import {
	BusinessCalendar,
	type CalendarConfig,
} from "../src/domain/calendar.ts";
import {
	PARTNER_REMINDER_DAYS,
	REVIEWER_REMINDER_DAYS,
} from "../src/notifications/reminders.ts";

/** Options of {@link bulkLoadClaims}. */
export interface BulkLoadOptions {
	/** How many claims to insert. */
	claims: number;
	/** Partner organizations that hold claims (demo ones first; at least 2). Default 100. */
	partners?: number;
	/** Seed of everything generated (same seed, same data apart from user IDs). Default 1. */
	seed?: number;
	/** Password of every account (demo and generated). Default `bench-password-123`. */
	password?: string;
	/** Tenants without any claim, for write loads. Default 1,000. */
	freshTenants?: number;
	/** Claims per INSERT statement. Default 50,000. */
	chunkSize?: number;
	/**
	 * Keep the secondary indexes of the claim tables during the load (default: drop them
	 * and build them again at the end, which is faster).
	 */
	keepIndexes?: boolean;
	/** Chunk statements running at once on PostgreSQL (default 2; PGlite: always 1). */
	concurrency?: number;
	/** The data directory: the PoE PDF is stored in `<dataDir>/documents` so downloads work. */
	dataDir?: string;
	/**
	 * Record the deadline reminders (R-TIME-9) that a running server would already have
	 * sent by now as delivered (`deliveries`, outcome `kept`), so the sweeper of a server
	 * started on the data is in its steady state. Default true. With false, the first
	 * sweeps plan every reminder due at once (a backlog; see the file comment).
	 */
	sentReminders?: boolean;
	/** The business calendar of those reminders (default UTC, no holidays, like the server's default). */
	calendar?: CalendarConfig;
	/** "Now" of the timelines. Default: the current time. */
	now?: Date;
	/** Progress lines. Default: stderr. */
	log?: (line: string) => void;
}

/** A partner organization of the loaded data with its admin account. */
export interface BulkPartner {
	organizationId: string;
	name: string;
	/** The MPN ID its claims use (enrolled in every program for generated partners). */
	mpnId: string;
	/** A global admin of the organization (password: `BulkLoadResult.password`). */
	adminEmail: string;
	adminName: string;
	adminUserId: string;
	/** Claims it holds after the load. */
	claims: number;
}

/** What {@link bulkLoadClaims} loaded. */
export interface BulkLoadResult {
	claims: number;
	/** Organizations in rank order (Fabrikam first, the most claims). */
	partners: BulkPartner[];
	/** Reviewer accounts (Rita and Rob of the demo first). */
	reviewers: { email: string; name: string; userId: string }[];
	/** Password of every account. */
	password: string;
	/** Tenants no claim uses, each with a verified domain. */
	freshTenants: { tenantId: string; domain: string }[];
	/** Microsoft 365 workloads (claimable per tenant, activity `usage`). */
	m365Workloads: string[];
	/** Row counts after the load. */
	rows: Record<string, number>;
	/** Claims per status. */
	byStatus: Record<string, number>;
	/** Milliseconds per phase. */
	timings: Record<string, number>;
}

const DEFAULT_PASSWORD = "bench-password-123";

/** The PoE every loaded claim carries (a minimal PDF). */
const PDF = Buffer.from(
	"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/**
 * Product slots of one tenant: each claim takes one (tenant, slot) and 1–3 products of
 * the slot's group. Groups are disjoint per (solution area, activity), so no two claims
 * share a (tenant, product, activity): R-CMP-1 and R-CMP-2 hold by construction.
 */
const SLOTS: {
	area: "microsoft_365" | "business_applications";
	activity: "usage" | "presales" | "revenue_association";
	label: string;
	products: string[];
}[] = [
	{
		area: "microsoft_365",
		activity: "usage",
		label: "Microsoft 365 adoption",
		products: ["exchange-online", "sharepoint-online", "onedrive-for-business"],
	},
	{
		area: "microsoft_365",
		activity: "usage",
		label: "Teams and Apps rollout",
		products: ["microsoft-teams", "microsoft-365-apps"],
	},
	{
		area: "microsoft_365",
		activity: "usage",
		label: "Endpoint and identity",
		products: ["intune", "entra-id-p1", "entra-id-p2"],
	},
	{
		area: "microsoft_365",
		activity: "usage",
		label: "Security and compliance",
		products: [
			"defender-for-office-365",
			"purview-information-protection",
			"viva-engage",
		],
	},
	{
		area: "business_applications",
		activity: "presales",
		label: "CRM pre-sales",
		products: ["dynamics-365-sales", "dynamics-365-customer-service"],
	},
	{
		area: "business_applications",
		activity: "presales",
		label: "Field and marketing pre-sales",
		products: ["dynamics-365-field-service", "dynamics-365-marketing"],
	},
	{
		area: "business_applications",
		activity: "presales",
		label: "ERP pre-sales",
		products: ["dynamics-365-finance", "dynamics-365-supply-chain-management"],
	},
	{
		area: "business_applications",
		activity: "presales",
		label: "Business Central pre-sales",
		products: ["dynamics-365-business-central"],
	},
	{
		area: "business_applications",
		activity: "presales",
		label: "Commerce and HR pre-sales",
		products: [
			"dynamics-365-commerce",
			"dynamics-365-human-resources",
			"dynamics-365-project-operations",
		],
	},
	{
		area: "business_applications",
		activity: "usage",
		label: "CRM adoption",
		products: [
			"dynamics-365-sales",
			"dynamics-365-customer-service",
			"dynamics-365-field-service",
		],
	},
	{
		area: "business_applications",
		activity: "usage",
		label: "ERP adoption",
		products: ["dynamics-365-business-central", "dynamics-365-finance"],
	},
	{
		area: "business_applications",
		activity: "revenue_association",
		label: "Solution influence",
		products: ["dynamics-365-sales", "dynamics-365-marketing"],
	},
];

const M365_WORKLOADS = [
	"exchange-online",
	"sharepoint-online",
	"onedrive-for-business",
	"microsoft-teams",
	"microsoft-365-apps",
	"intune",
	"entra-id-p1",
	"entra-id-p2",
	"defender-for-office-365",
	"purview-information-protection",
	"viva-engage",
];

const TENANT_WORDS_A = [
	"Contoso",
	"Litware",
	"Tailspin",
	"Wingtip",
	"Alpine",
	"Coho",
	"Lucerne",
	"Margie",
	"Proseware",
	"Trey",
	"Woodgrove",
	"Relecloud",
	"Munson",
	"Fourth Coffee",
	"Graphic Design",
	"Humongous",
	"Consolidated",
	"Blue Yonder",
	"Southridge",
	"Northwind",
];
const TENANT_WORDS_B = [
	"Holdings",
	"Group",
	"Manufacturing",
	"Logistics",
	"Health",
	"Insurance",
	"Retail",
	"Energy",
	"Foods",
	"Media",
	"Labs",
	"Bank",
];
const CUSTOMER_NAMES = [
	"Chris Meyer",
	"Dana Lee",
	"Eli Novak",
	"Fatima Khan",
	"Gus Olsen",
	"Hana Sato",
	"Ines Duarte",
	"Jonas Berg",
];
const CUSTOMER_TITLES = ["CIO", "IT Director", "Head of IT", "CTO", "COO"];
const PARTNER_WORDS = [
	"Blue",
	"North",
	"Silver",
	"Bright",
	"Iron",
	"Clear",
	"Summit",
	"Harbor",
	"Cedar",
	"Granite",
	"Lumen",
	"Alder",
];
const PARTNER_SUFFIXES = [
	"Consulting",
	"Solutions",
	"Advisory",
	"Partners",
	"Technologies",
	"Digital",
	"Group",
	"Cloud Services",
];

/** A SQL string literal. */
function lit(s: string): string {
	return `'${s.replaceAll("'", "''")}'`;
}
/** A SQL text[] literal of safe strings. */
function textArray(values: readonly string[]): string {
	return `array[${values.map(lit).join(",")}]::text[]`;
}

/** A version-4-shaped GUID from md5(key); {@link sqlGuid} is the same in SQL. */
export function bulkGuid(key: string): string {
	const h = createHash("md5").update(key).digest("hex");
	const u = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
	return `${u.slice(0, 14)}4${u.slice(15, 19)}8${u.slice(20)}`;
}
function sqlGuid(keyExpr: string): string {
	return `overlay(overlay(md5(${keyExpr})::uuid::text placing '4' from 15) placing '8' from 20)`;
}

/** The tenant ID of bench tenant `i` (SQL expression over an integer expression). */
const tenantIdSql = (seed: number, i: string) =>
	sqlGuid(`'bench-tenant:${seed}:' || ${i}`);
const tenantIdOf = (seed: number, i: number) =>
	bulkGuid(`bench-tenant:${seed}:${i}`);
const tenantNameSql = (i: string) =>
	`(${textArray(TENANT_WORDS_A)})[1 + ${i} % ${TENANT_WORDS_A.length}] || ' ' || (${textArray(TENANT_WORDS_B)})[1 + (${i} / ${TENANT_WORDS_A.length}) % ${TENANT_WORDS_B.length}] || ' ' || ${i}`;
const initialDomainSql = (i: string) =>
	`'bench-t' || ${i} || '.onmicrosoft.com'`;
const customDomainSql = (i: string) => `'bench-t' || ${i} || '.example.com'`;

function gcd(a: number, b: number): number {
	while (b) [a, b] = [b, a % b];
	return a;
}

type Rows = { rows: Record<string, unknown>[] };

/**
 * Loads a directory and `claims` claims into an empty, migrated database (see the file
 * comment for what is generated). Works on both drivers through `database.db.execute`.
 * @throws when the database already holds claims.
 */
export async function bulkLoadClaims(
	database: Database,
	opts: BulkLoadOptions,
): Promise<BulkLoadResult> {
	const started = performance.now();
	const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const seed = opts.seed ?? 1;
	const n = Math.max(0, Math.floor(opts.claims));
	const password = opts.password ?? DEFAULT_PASSWORD;
	const freshCount = opts.freshTenants ?? 1_000;
	const chunk = opts.chunkSize ?? 50_000;
	const now = opts.now ?? new Date();
	const db = database.db;
	const run = async (query: string) =>
		((await db.execute(sql.raw(query))) as unknown as Rows).rows;
	const timings: Record<string, number> = {};
	const phase = async <T>(name: string, f: () => Promise<T>) => {
		const t = performance.now();
		const r = await f();
		timings[name] = Math.round(performance.now() - t);
		return r;
	};

	const existing = await run("select count(*)::int as n from claims");
	if (Number(existing[0]?.n) > 0)
		throw new Error("bulkLoadClaims needs a database without claims");

	// ------------------------------------------------------------ directory
	const passwordHash = await hash(password);
	const directory = generateDemoDirectory(seed, password);
	const partners = await phase("directory", async () => {
		await importDirectory(db, directory);
		const demo = directory.partners ?? [];
		const usedMpn = new Set(demo.flatMap((p) => p.mpnIds.map((m) => m.mpnId)));
		const wanted = Math.max(2, opts.partners ?? 100);
		const list: Omit<BulkPartner, "claims" | "adminUserId">[] = demo.map(
			(p) => ({
				organizationId: p.organizationId,
				name: p.name,
				mpnId:
					p.organizationId === DEMO_IDS.organizations.fabrikam
						? DEMO_IDS.mpnIds.fabrikamEnrolled
						: (p.mpnIds[0]?.mpnId as string),
				adminEmail:
					p.organizationId === DEMO_IDS.organizations.fabrikam
						? "ana.global@fabrikam.example"
						: p.organizationId === DEMO_IDS.organizations.northwind
							? "nora.admin@northwind.example"
							: `admin@${p.organizationId}.example`,
				adminName:
					p.organizationId === DEMO_IDS.organizations.fabrikam
						? "Ana Garcia"
						: p.organizationId === DEMO_IDS.organizations.northwind
							? "Nora Hansen"
							: `${p.name} Admin`,
			}),
		);
		const generated: typeof list = [];
		let nextMpn = 90_000_000 + seed * 10_000;
		for (
			let i = list.length + 1;
			list.length + generated.length < wanted;
			i++
		) {
			const id = `bench-partner-${String(i).padStart(4, "0")}`;
			while (usedMpn.has(String(nextMpn))) nextMpn++;
			const mpnId = String(nextMpn++);
			usedMpn.add(mpnId);
			const name = `${PARTNER_WORDS[i % PARTNER_WORDS.length]}${PARTNER_WORDS[(i * 7) % PARTNER_WORDS.length]?.toLowerCase()} ${PARTNER_SUFFIXES[i % PARTNER_SUFFIXES.length]} ${i}`;
			generated.push({
				organizationId: id,
				name,
				mpnId,
				adminEmail: `admin@${id}.example`,
				adminName: `Admin of ${name}`,
			});
		}
		for (let i = 0; i < generated.length; i += 500) {
			const batch = generated.slice(i, i + 500);
			await db
				.insert(organizations)
				.values(batch.map((p) => ({ id: p.organizationId, name: p.name })));
			await db.insert(mpnIds).values(
				batch.map((p) => ({
					mpnId: p.mpnId,
					organizationId: p.organizationId,
					programs: ["osa_sell", "osu_bizapps", "osu_m365"],
					partnerTypes: [],
				})),
			);
		}
		const all = [...list, ...generated];
		// A global admin for every organization that has none (the demo's have Ana, Nora).
		const known = new Map(
			(await run("select email from users")).map((r) => [String(r.email), r]),
		);
		const newUsers = all
			.filter((p) => !known.has(p.adminEmail))
			.map((p) => ({
				id: randomUUID(),
				email: p.adminEmail,
				name: p.adminName,
				passwordHash,
				organizationId: p.organizationId,
				roles: ["global_admin"],
				locale: "en",
			}));
		const reviewers = Array.from({ length: 6 }, (_, i) => ({
			id: randomUUID(),
			email: `reviewer-${i + 1}@cpor.example`,
			name: `Reviewer ${i + 1}`,
			passwordHash,
			organizationId: null,
			roles: ["reviewer"],
			locale: "en",
		}));
		for (const batch of chunks([...newUsers, ...reviewers], 500))
			await db.insert(users).values(batch);
		const ids = new Map(
			(await run("select email, id from users")).map((r) => [
				String(r.email),
				String(r.id),
			]),
		);
		return all.map((p) => ({
			...p,
			adminUserId: ids.get(p.adminEmail) as string,
		}));
	});
	const reviewers = (
		await run(
			"select email, name, id from users where 'reviewer' = any(roles) order by (email like 'reviewer-%'), email",
		)
	).map((r) => ({
		email: String(r.email),
		name: String(r.name),
		userId: String(r.id),
	}));
	const claimPartners = partners.slice(
		0,
		Math.max(2, Math.min(partners.length, opts.partners ?? 100)),
	);

	// ------------------------------------------------------------ tenants
	// Each claim gets a distinct (tenant, slot): combo = ((g-1)·A + B) mod M is a
	// permutation of 0..M-1 (A coprime with M), M ≈ 1.5 N, so tenants hold 0–12 claims.
	const S = SLOTS.length;
	const claimTenants = Math.max(1, Math.ceil((Math.max(n, 1) * 1.5) / S));
	const M = claimTenants * S;
	let A = Math.max(1, Math.floor(M * 0.6180339887)) | 1;
	while (gcd(A, M) !== 1) A++;
	const B = (seed * 7919) % M;
	const totalTenants = claimTenants + freshCount;
	await phase("tenants", async () => {
		for (let a = 1; a <= totalTenants; a += 200_000) {
			const b = Math.min(totalTenants, a + 199_999);
			await run(`insert into tenants (tenant_id, name)
				select ${tenantIdSql(seed, "i")}, ${tenantNameSql("i")}
				from generate_series(${a}, ${b}) i`);
			await run(`insert into tenant_domains (domain, tenant_id)
				select d, ${tenantIdSql(seed, "i")}
				from generate_series(${a}, ${b}) i,
				  lateral (values (${initialDomainSql("i")}), (${customDomainSql("i")})) v(d)`);
		}
		log(`[bulk] ${totalTenants.toLocaleString("en")} tenants`);
	});
	const freshTenants = Array.from({ length: freshCount }, (_, k) => {
		const i = claimTenants + 1 + k;
		return {
			tenantId: tenantIdOf(seed, i),
			domain: `bench-t${i}.onmicrosoft.com`,
		};
	});

	// ------------------------------------------------------------ claims
	// Zipf by rank (s = 1): partner p of P gets 1/p / H(P) of the claims.
	const weights = claimPartners.map((_, i) => 1 / (i + 1));
	const total = weights.reduce((s, w) => s + w, 0);
	const cdf = [0];
	for (const w of weights)
		cdf.push((cdf[cdf.length - 1] as number) + w / total);
	cdf[cdf.length - 1] = 1.000001;
	// Looked up by a hash join (subscripting a long text[] per row walks the array).
	const partnerValues = claimPartners
		.map(
			(p, i) =>
				`(${i + 1}, ${lit(p.organizationId)}, ${lit(p.mpnId)}, ${lit(p.adminUserId)}, ${lit(p.adminName)}, ${lit(p.adminEmail)})`,
		)
		.join(",\n");
	const reviewerValues = reviewers
		.map((r, i) => `(${i + 1}, ${lit(r.userId)}, ${lit(r.name)})`)
		.join(", ");
	const slotsValues = SLOTS.map(
		(s, i) =>
			`(${i + 1}, ${lit(s.area)}, ${lit(s.activity)}, ${lit(s.label)}, ${textArray(s.products)})`,
	).join(",\n");
	const T0 = `${lit(now.toISOString())}::timestamptz`;
	const u = (k: number) =>
		`((hashint8extended(g, ${seed * 100 + k}) & 9007199254740991)::float8 / 9007199254740992.0)`;
	// Millisecond precision, like timestamps the app writes from JavaScript Dates.
	const at = (offsetDays: string) =>
		`date_trunc('milliseconds', ${T0} - (age - (${offsetDays})) * interval '1 day')`;
	const iso = (ts: string) =>
		`to_char(${ts} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
	const sha = createHash("sha256").update(PDF).digest("hex");
	// A line's subscription (Business Applications), its claim's PoE's name and time:
	// written to the parts' tables and to the claim's copies of them.
	const subscriptionSql = `case when area = 'business_applications' then ${sqlGuid(`'bench-sub:${seed}:' || ti || ':' || l.product_id`)} end`;
	const docNameSql = `'PoE ' || tenant_name || '.pdf'`;
	const docAtSql = at("least(age, sd * 0.5)");
	const reviewerCount = reviewers.length;

	const chunkSql = (a: number, b: number) => `
with r as (
  select g,
    ${u(0)} as u0, ${u(1)} as u1, ${u(2)} as u2, ${u(3)} as u3, ${u(4)} as u4,
    ${u(5)} as u5, ${u(6)} as u6, ${u(7)} as u7, ${u(8)} as u8, ${u(9)} as u9,
    ${u(10)} as u10, ${u(11)} as u11, ${u(12)} as u12, ${u(13)} as u13, ${u(14)} as u14,
    ((g - 1) * ${A} + ${B}) % ${M} as combo
  from generate_series(${a}::bigint, ${b}::bigint) g
),
o as (
  -- Offsets in days from creation; age is "now" in the same terms.
  select r.*,
    400 * pow(u0, 1.3) as age,
    u1 < 0.05 as abandoned,
    3 * pow(u2, 2) as sd,
    u4 < 0.18 as has_info,
    9 * u6 as respd,
    case when u8 < 0.66 then 'approve' when u8 < 0.95 then 'reject' else 'withdraw' end as outcome,
    combo / ${S} + 1 as ti,
    (combo % ${S})::int + 1 as si,
    width_bucket(u12, array[${cdf.join(",")}]::float8[]) as pi,
    1 + floor(u13 * ${reviewerCount})::int as ri
  from r
),
o2 as (
  select o.*, sd + 8 * pow(u3, 1.5) as rd from o
),
o3 as (
  select o2.*,
    rd + 3 * u5 as ird,
    rd + 3 * u5 + respd as rsd,
    rd + 3 * u5 + 7 as prdd,
    (case when has_info then rd + 3 * u5 + respd else rd end) + 6 * pow(u7, 1.5) as dd
  from o2
),
o4 as (
  select o3.*,
    dd + 7 as ced,
    dd + 7 * u10 as optd,
    dd + 25 * u10 as disd,
    dd + 25 * u10 + 6 * u11 as decd,
    case
      when abandoned or sd > age then 'draft'
      when rd > age then 'submitted'
      when has_info and ird > age then 'under_review'
      when has_info and respd >= 7 and prdd > age then 'par'
      when has_info and respd >= 7 then 'rej_no_response'
      when has_info and rsd > age then 'par'
      when dd > age then 'under_review'
      when outcome = 'withdraw' then 'rej_withdrawn'
      when outcome = 'reject' and u9 < 0.08 and dd + 25 * u10 <= age and dd + 25 * u10 + 6 * u11 <= age then 'rej_dispute_decided'
      when outcome = 'reject' and u9 < 0.08 and dd + 25 * u10 <= age then 'rej_dispute_open'
      when outcome = 'reject' then 'rej_reviewer'
      when u9 < 0.03 and dd + 7 * u10 <= age then 'rej_declined'
      when dd + 7 > age then 'approved_pending'
      else 'approved_active'
    end as st
  from o3
),
b as materialized (
  select o4.*,
    case st when 'draft' then 'draft' when 'submitted' then 'submitted'
      when 'under_review' then 'under_review' when 'par' then 'partner_action_required'
      when 'approved_pending' then 'approved' when 'approved_active' then 'approved'
      else 'rejected' end as status,
    case st
      when 'draft' then least(age, sd * 0.5)
      when 'submitted' then sd
      when 'under_review' then case when has_info and ird <= age then rsd else rd end
      when 'par' then ird
      when 'rej_no_response' then prdd
      when 'rej_dispute_open' then disd
      when 'rej_dispute_decided' then decd
      when 'rej_declined' then optd
      when 'approved_active' then ced
      else dd
    end as upd,
    -- The decision SLA, extended by the partner's time after an answered request.
    rd + 7 + case when has_info and respd < 7 and ird <= age then respd else 0 end as decdue,
    ${tenantIdSql(seed, "ti")} as tenant_id,
    ${tenantNameSql("ti")} as tenant_name,
    case when u14 < 0.6 then ${customDomainSql("ti")} else ${initialDomainSql("ti")} end as domain,
    p.org_id, p.mpn_id, p.admin_id, p.admin_name, p.admin_email,
    rv.reviewer_id, rv.reviewer_name,
    case when s.area = 'microsoft_365' then 'osu_m365' when s.activity = 'presales' then 'osa_sell'
      when s.activity = 'usage' then 'osu_bizapps' end as fed,
    s.area, s.activity, s.label, s.products[1:least(cardinality(s.products), 1 + (u14 < 0.25)::int + (u14 < 0.07)::int)] as lines,
    case st when 'draft' then 2 when 'submitted' then 3 when 'under_review' then case when has_info and ird <= age then 7 else 4 end
      when 'par' then 5 when 'approved_pending' then 5 when 'approved_active' then 6
      when 'rej_dispute_open' then 6 when 'rej_dispute_decided' then 7 else 5 end as ver,
    st <> 'draft' or u14 < 0.5 as has_doc,
    ${sqlGuid(`'bench-claim:${seed}:' || g`)} as id,
    ${sqlGuid(`'bench-doc:${seed}:' || g`)} as doc_id
  from o4
  join (values ${slotsValues}) s(si, area, activity, label, products) on s.si = o4.si
  join (values ${partnerValues}) p(pi, org_id, mpn_id, admin_id, admin_name, admin_email) on p.pi = o4.pi
  join (values ${reviewerValues}) rv(ri, reviewer_id, reviewer_name) on rv.ri = o4.ri
),
ins_claims as (
  insert into claims (id, name, status, version, partner_organization_id, mpn_id, tenant_id, domain,
    solution_area, activity, contacts, revenue_association, competing,
    review_start_due, decision_due, partner_response_due, consent_ends_at, dispute_until, dispute_decision_due, due_at,
    information_request, rejection, dispute, association, eligibility, snapshot, reviewer_id,
    created_by, created_at, updated_at, submitted_at, review_started_at, decided_at,
    parts_products, parts_documents, parts_version)
  select id,
    label || ' · ' || tenant_name,
    status,
    ver,
    org_id, mpn_id, tenant_id, domain, area, activity,
    jsonb_build_object(
      'customer', jsonb_build_object('name', (${textArray(CUSTOMER_NAMES)})[1 + (ti % ${CUSTOMER_NAMES.length})],
        'title', (${textArray(CUSTOMER_TITLES)})[1 + (ti % ${CUSTOMER_TITLES.length})], 'email', 'it@' || ${customDomainSql("ti")}),
      'customerTechnical', null,
      'partner', jsonb_build_object('name', admin_name, 'email', admin_email)),
    case when activity = 'revenue_association' then jsonb_build_object('solutionSellerName', admin_name,
      'customerName', tenant_name, 'isvSolutionName', 'Bench ISV solution') end,
    false,
    case when st <> 'draft' then ${at("sd + 7")} end,
    case when st not in ('draft', 'submitted') then ${at("decdue")} end,
    case when st = 'par' then ${at("prdd")} end,
    case when st in ('approved_pending', 'approved_active', 'rej_declined') then ${at("ced")} end,
    case st when 'rej_no_response' then ${at("prdd + 30")} when 'rej_declined' then ${at("optd + 30")}
      when 'rej_reviewer' then ${at("dd + 30")} when 'rej_dispute_open' then ${at("dd + 30")}
      when 'rej_dispute_decided' then ${at("dd + 30")} end,
    case when st = 'rej_dispute_open' then ${at("disd + 7")} end,
    case st when 'submitted' then ${at("sd + 7")} when 'under_review' then ${at("decdue")}
      when 'par' then ${at("prdd")} when 'approved_pending' then ${at("ced")}
      when 'rej_dispute_open' then ${at("disd + 7")} end,
    case when has_info and ird <= age and st not in ('draft', 'submitted') then
      jsonb_build_object('reasons', jsonb_build_array((array['missing_all_poe','missing_customer_acknowledgement','missing_or_old_dates','missing_partner_solution','missing_products'])[1 + floor(u5 * 5)::int]),
        'comment', 'Please upload a PoE signed by the customer.', 'requestedAt', ${iso(at("ird"))},
        'requestedBy', reviewer_name, 'respondBy', ${iso(at("prdd"))})
      || case when respd < 7 and rsd <= age then jsonb_build_object('answeredAt', ${iso(at("rsd"))}) else '{}'::jsonb end
    end,
    case when status = 'rejected' then jsonb_build_object(
      'reason', case st when 'rej_no_response' then 'no_partner_response' when 'rej_withdrawn' then 'partner_request'
        when 'rej_declined' then 'customer_declined'
        else (array['insufficient_poe','missing_customer_consent_on_poe','missing_products','poe_not_available'])[1 + floor(u11 * 4)::int] end,
      'comment', case st when 'rej_withdrawn' then 'The partner asked for this claim to be rejected.'
        when 'rej_declined' then 'The customer opted out of this partner association.'
        when 'rej_no_response' then 'The partner did not answer the information request in time.'
        else 'The proof of execution does not support the claimed products.' end,
      'rejectedAt', ${iso(at("case st when 'rej_no_response' then prdd when 'rej_declined' then optd else dd end"))},
      'rejectedBy', case st when 'rej_no_response' then 'CPOR' when 'rej_withdrawn' then admin_name
        when 'rej_declined' then 'Customer admin' else reviewer_name end,
      'disputeUntil', case st when 'rej_withdrawn' then null
        when 'rej_no_response' then ${iso(at("prdd + 30"))} when 'rej_declined' then ${iso(at("optd + 30"))}
        else ${iso(at("dd + 30"))} end)
    end,
    case when st in ('rej_dispute_open', 'rej_dispute_decided') then jsonb_build_object(
      'status', case st when 'rej_dispute_open' then 'open' else 'decided' end,
      'justification', 'The customer confirmed our involvement; updated PoE attached.',
      'documentIds', '[]'::jsonb, 'filedAt', ${iso(at("disd"))}, 'filedBy', admin_name,
      'decision', case when st = 'rej_dispute_decided' then 'uphold' end,
      'decidedAt', case when st = 'rej_dispute_decided' then ${iso(at("decd"))} end,
      'decisionComment', case when st = 'rej_dispute_decided' then 'The rejection stands.' end,
      'mpnId', mpn_id, 'tenantId', tenant_id)
    end,
    case st
      when 'approved_pending' then jsonb_build_object('status', 'pending_consent', 'approvedAt', ${iso(at("dd"))},
        'consentEndsAt', ${iso(at("ced"))}, 'activatedAt', null, 'declinedAt', null)
      when 'approved_active' then jsonb_build_object('status', 'active', 'approvedAt', ${iso(at("dd"))},
        'consentEndsAt', ${iso(at("ced"))}, 'activatedAt', ${iso(at("ced"))}, 'declinedAt', null)
      when 'rej_declined' then jsonb_build_object('status', 'declined', 'approvedAt', ${iso(at("dd"))},
        'consentEndsAt', ${iso(at("ced"))}, 'activatedAt', null, 'declinedAt', ${iso(at("optd"))})
    end,
    case when st = 'approved_active' then jsonb_build_array(${[
			"osa_sell",
			"osu_m365",
			"osu_bizapps",
		]
			.map(
				(pg) => `jsonb_build_object('program', '${pg}',
        'result', case when fed = '${pg}' then 'eligible' else 'not_eligible' end,
        'reasons', case when activity = 'revenue_association' then jsonb_build_array('Revenue association is recorded for recognition only and never pays.')
          when fed = '${pg}' then '[]'::jsonb
          else jsonb_build_array('The ' || activity || ' activity in ' || area || ' does not feed ${pg}.') end,
        'evaluatedAt', ${iso(at("ced"))})`,
			)
			.join(", ")})
    else '[]'::jsonb end,
    jsonb_build_object('tenantName', tenant_name, 'mpnPrograms', jsonb_build_array('osa_sell', 'osu_bizapps', 'osu_m365'),
      'validatedAt', ${iso(at("case when st = 'draft' then 0 else sd end"))}),
    case when st not in ('draft', 'submitted') then reviewer_id end,
    admin_id,
    ${at("0")},
    ${at("upd")},
    case when st <> 'draft' then ${at("sd")} end,
    case when st not in ('draft', 'submitted') then ${at("rd")} end,
    case when status in ('approved', 'rejected') then ${at("case st when 'rej_no_response' then prdd else dd end")} end,
    -- The resource's copies of the parts written below, as the app writes them (schema.ts).
    coalesce((select json_agg(json_build_object('productId', l.product_id, 'name', pr.name,
        'subscriptionId', ${subscriptionSql}) order by l.ord)
      from unnest(lines) with ordinality l(product_id, ord) join products pr on pr.product_id = l.product_id),
      '[]'::json)::text,
    case when has_doc then json_build_array(json_build_object('id', doc_id, 'name', ${docNameSql},
        'contentType', 'application/pdf', 'size', ${PDF.length}, 'sha256', ${lit(sha)},
        'uploadedAt', ${iso(docAtSql)}, 'purpose', 'poe'))::text else '[]' end,
    ver
  from b
),
ins_lines as (
  insert into claim_products (claim_id, position, product_id, subscription_id, partner_organization_id,
    tenant_id, activity, claim_key, compete_key, live, holds_association)
  select id, (l.ord - 1)::int, l.product_id,
    ${subscriptionSql},
    org_id, tenant_id, activity,
    case when area = 'business_applications' then ${sqlGuid(`'bench-sub:${seed}:' || ti || ':' || l.product_id`)}
      else tenant_id || ':' || l.product_id end,
    case when area = 'business_applications' then tenant_id || ':' || ${subscriptionSql}
      else tenant_id || ':' || l.product_id end,
    status <> 'rejected', status = 'approved'
  from b, unnest(lines) with ordinality l(product_id, ord)
),
ins_history as (
  insert into claim_history (claim_id, at, actor_id, actor_name, actor_role, action, before, after, internal)
  select id, h.at, h.actor_id, h.actor_name, h.actor_role, h.action, h.before, h.after, false
  from b, lateral (values
    (${at("0")}, admin_id, admin_name, 'global_admin', 'create', null::jsonb,
      jsonb_build_object('status', 'draft', 'name', label || ' · ' || tenant_name, 'mpnId', mpn_id)),
    (case when st <> 'draft' then ${at("sd")} end, admin_id, admin_name, 'global_admin', 'submit',
      jsonb_build_object('status', 'draft'), jsonb_build_object('status', 'submitted')),
    (case when st not in ('draft', 'submitted') then ${at("upd")} end,
      case when st in ('rej_no_response', 'approved_active') then null
        when st in ('rej_withdrawn', 'rej_dispute_open') or (st = 'under_review' and has_info and ird <= age) then admin_id
        when st = 'rej_declined' then null else reviewer_id end,
      case when st in ('rej_no_response', 'approved_active') then 'CPOR'
        when st in ('rej_withdrawn', 'rej_dispute_open') or (st = 'under_review' and has_info and ird <= age) then admin_name
        when st = 'rej_declined' then 'Customer admin' else reviewer_name end,
      case when st in ('rej_no_response', 'approved_active') then 'system'
        when st in ('rej_withdrawn', 'rej_dispute_open') or (st = 'under_review' and has_info and ird <= age) then 'global_admin'
        when st = 'rej_declined' then 'customer_admin' else 'reviewer' end,
      case st when 'under_review' then case when has_info and ird <= age then 'resubmit' else 'start_review' end
        when 'par' then 'request_information' when 'rej_no_response' then 'expire_partner_response'
        when 'rej_withdrawn' then 'request_rejection' when 'rej_reviewer' then 'reject'
        when 'rej_dispute_open' then 'dispute' when 'rej_dispute_decided' then 'dispute_uphold'
        when 'rej_declined' then 'opt_out' when 'approved_pending' then 'approve'
        when 'approved_active' then 'activate_association' end,
      jsonb_build_object('status', case st when 'under_review' then case when has_info and ird <= age then 'partner_action_required' else 'submitted' end
        when 'par' then 'under_review' when 'rej_no_response' then 'partner_action_required'
        when 'rej_withdrawn' then 'under_review' when 'rej_reviewer' then 'under_review'
        when 'rej_dispute_open' then 'rejected' when 'rej_dispute_decided' then 'rejected'
        when 'rej_declined' then 'approved' when 'approved_pending' then 'under_review'
        else 'approved' end),
      jsonb_build_object('status', status))
  ) h(at, actor_id, actor_name, actor_role, action, before, after)
  where h.at is not null
),
ins_docs as (
  insert into claim_documents (id, claim_id, name, content_type, size, sha256, purpose, uploaded_by, uploaded_at)
  select doc_id, id, ${docNameSql}, 'application/pdf', ${PDF.length}, ${lit(sha)}, 'poe', admin_id,
    ${docAtSql}
  from b where has_doc
)
select count(*)::int as n from b`;

	// Foreign keys are right by construction (existing organizations; lines, history and
	// documents of the claims of the same statement), so their per-row trigger checks are
	// skipped where allowed (superuser: PGlite, the throwaway cluster).
	let skipTriggers = true;
	const runFast = async (text: string) => {
		if (!skipTriggers) return run(text);
		try {
			return await db.transaction(async (tx) => {
				await tx.execute(sql`set local session_replication_role = replica`);
				return tx.execute(sql.raw(text));
			});
		} catch (err) {
			if (!/permission denied|must be superuser/i.test(String(err))) throw err;
			skipTriggers = false;
			return run(text);
		}
	};
	// Secondary indexes of the claim tables are dropped during the load and built again
	// afterwards from their own definitions (one sort each instead of ~N random inserts);
	// building the partial unique indexes again also checks R-CMP-1 and R-CMP-2.
	const dropped = opts.keepIndexes
		? []
		: (
				await run(`select indexname, indexdef from pg_indexes
					where schemaname = current_schema()
					  and tablename in ('claims', 'claim_products', 'claim_history', 'claim_documents', 'claim_search')
					  and indexname not in (select conname from pg_constraint)
					order by tablename, indexname`)
			).map((r) => ({ name: String(r.indexname), def: String(r.indexdef) }));
	for (const ix of dropped) await run(`drop index ${ix.name}`);
	await phase("claims", async () => {
		const t = performance.now();
		const ranges: [number, number][] = [];
		for (let a = 1; a <= n; a += chunk)
			ranges.push([a, Math.min(n, a + chunk - 1)]);
		let done = 0;
		// PostgreSQL: two statements at a time (two backends); PGlite is single-threaded.
		const workers = database.kind === "postgres" ? (opts.concurrency ?? 2) : 1;
		await Promise.all(
			Array.from({ length: workers }, async () => {
				for (let r = ranges.shift(); r; r = ranges.shift()) {
					await runFast(chunkSql(r[0], r[1]));
					done += r[1] - r[0] + 1;
					const s = (performance.now() - t) / 1000;
					log(
						`[bulk] claims ${done.toLocaleString("en")}/${n.toLocaleString("en")} (${s.toFixed(1)} s, ${Math.round(done / s).toLocaleString("en")}/s)`,
					);
				}
			}),
		);
	});
	// The Business Applications subscriptions the claims name (one statement, so that
	// concurrent chunks never insert the same subscription).
	await phase("subscriptions", () =>
		runFast(`insert into subscriptions (subscription_id, tenant_id, product_id, channel, status, provisioned)
			select distinct on (subscription_id) subscription_id, tenant_id, product_id,
			  case when left(subscription_id, 1) < '9' then 'volume_licensing' else 'web_direct' end,
			  case when substr(subscription_id, 2, 1) = 'f' then 'in_grace' else 'active' end, true
			from claim_products where subscription_id is not null
			order by subscription_id`),
	);
	// Each claim's copy of its whole resource (migration 0012), as the background work
	// writes it (writeResourceCopies), in ID order, before the indexes
	// are built again (the UPDATEs then maintain the primary key only).
	await phase("resources", async () => {
		const t = performance.now();
		const batch = database.kind === "postgres" ? 5000 : 1000;
		let last = "";
		let done = 0;
		for (;;) {
			const rows = (await db
				.select(claimJsonColumns)
				.from(claims)
				.where(sql`${claims.id} > ${last}`)
				.orderBy(claims.id)
				.limit(batch)) as ClaimJsonRow[];
			if (rows.length === 0) break;
			await writeResourceCopies(db, rows);
			last = rows[rows.length - 1]?.id ?? last;
			done += rows.length;
			if (done % (batch * 20) === 0 || rows.length < batch) {
				const s = (performance.now() - t) / 1000;
				log(
					`[bulk] resources ${done.toLocaleString("en")}/${n.toLocaleString("en")} (${s.toFixed(1)} s, ${Math.round(done / s).toLocaleString("en")}/s)`,
				);
			}
		}
	});
	// The claims' search texts (migration 0019), which a trigger writes when triggers run.
	await phase("search", async () => {
		const [filled] = await run("select claim_search_fill()::int as n");
		log(
			`[bulk] ${Number(filled?.n).toLocaleString("en")} search texts written`,
		);
	});
	await phase("indexes", async () => {
		const pending = [...dropped];
		const workers = database.kind === "postgres" ? (opts.concurrency ?? 2) : 1;
		await Promise.all(
			Array.from({ length: workers }, async () => {
				for (let ix = pending.shift(); ix; ix = pending.shift())
					await run(ix.def);
			}),
		);
		if (dropped.length) log(`[bulk] ${dropped.length} indexes built`);
	});
	if (opts.dataDir) {
		const store = new DocumentStore(path.resolve(opts.dataDir, "documents"));
		await store.put(Readable.from([PDF]));
	}
	// The status counters' triggers did not fire for the load (or left a delta per claim).
	await phase("counters", () => rebuildClaimStatusCounts(db));
	// Nor did the trigger that keeps the SLA report's exits (migration 0014).
	await phase("slaExits", async () => {
		const [filled] = await run("select claim_sla_exits_fill()::int as n");
		log(`[bulk] ${Number(filled?.n).toLocaleString("en")} SLA exits recorded`);
	});
	if (opts.sentReminders ?? true)
		await phase("reminders", async () => {
			const sent = await recordSentReminders(
				database,
				now,
				new BusinessCalendar(
					opts.calendar ?? { timeZone: "UTC", holidays: null },
				),
				reviewers,
			);
			log(`[bulk] ${sent.toLocaleString("en")} reminders recorded as sent`);
		});
	await phase("analyze", () => run("analyze"));

	const byStatus = Object.fromEntries(
		(
			await run(
				"select status, count(*)::int as n from claims group by 1 order by 1",
			)
		).map((r) => [String(r.status), Number(r.n)]),
	);
	const perOrg = new Map(
		(
			await run(
				"select partner_organization_id as o, count(*)::int as n from claims group by 1",
			)
		).map((r) => [String(r.o), Number(r.n)]),
	);
	const rows: Record<string, number> = {};
	for (const table of [
		"claims",
		"claim_products",
		"claim_history",
		"claim_documents",
		"deliveries",
		"tenants",
		"tenant_domains",
		"subscriptions",
		"organizations",
		"users",
	]) {
		// Estimates after ANALYZE (exact counts of 1M-row tables cost a scan each).
		const [r] = await run(
			`select reltuples::bigint as n from pg_class where relname = ${lit(table)}`,
		);
		rows[table] = Number(r?.n ?? 0);
	}
	timings.total = Math.round(performance.now() - started);
	log(
		`[bulk] ${n.toLocaleString("en")} claims loaded in ${(timings.total / 1000).toFixed(1)} s ${JSON.stringify(timings)}`,
	);
	return {
		claims: n,
		partners: partners.map((p) => ({
			...p,
			claims: perOrg.get(p.organizationId) ?? 0,
		})),
		reviewers,
		password,
		freshTenants,
		m365Workloads: [...M365_WORKLOADS],
		rows,
		byStatus,
		timings,
	};
}

/**
 * Creates an API token for the user with this email (carrying all the user's roles)
 * directly in the database, as POST /api-tokens would, and returns its secret for
 * `Authorization: Bearer …`.
 */
export async function issueApiToken(
	database: Database,
	email: string,
	name = "bench",
): Promise<string> {
	const [user] = (
		(await database.db.execute(
			sql`select id, roles::text[] as roles from users where email = ${email.toLowerCase()}`,
		)) as unknown as Rows
	).rows;
	if (!user) throw new Error(`no user ${email}`);
	const secret = `cpor_${randomBytes(32).toString("base64url")}`;
	await database.db.insert(apiTokens).values({
		id: randomUUID(),
		tokenHash: createHash("sha256").update(secret).digest("hex"),
		name,
		userId: String(user.id),
		roles: user.roles as string[],
		createdAt: new Date(),
	});
	return secret;
}

/**
 * The reminders planReminders (src/notifications/reminders.ts) would have planned by
 * `now` for the loaded claims, with its dedupe keys, inserted as delivered. Same rules:
 * claims due within 14 days; partners 2 and 1 business days before the response
 * deadline (the current window only, not before the request); reviewers from 1 business
 * day before the SLA, the assigned reviewer for decisions, else every reviewer.
 */
async function recordSentReminders(
	database: Database,
	now: Date,
	calendar: BusinessCalendar,
	reviewers: { email: string; name: string; userId: string }[],
): Promise<number> {
	const horizon = new Date(now.getTime() + 14 * 86_400_000);
	const deadlines: Record<string, string> = {
		submitted: "review_start",
		under_review: "decision",
		rejected: "dispute_decision",
	};
	const claimsDue = (
		(await database.db.execute(
			sql`select id, status, to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as due,
			  reviewer_id, contacts->'partner'->>'email' as partner_email,
			  information_request->>'requestedAt' as requested_at, dispute->>'status' as dispute_status
			from claims
			where status in ('partner_action_required', 'submitted', 'under_review', 'rejected')
			  and due_at > ${now.toISOString()}::timestamptz and due_at <= ${horizon.toISOString()}::timestamptz`,
		)) as unknown as Rows
	).rows;
	const records: Record<string, unknown>[] = [];
	const at = now.toISOString();
	for (const r of claimsDue) {
		const dueIso = String(r.due);
		const due = new Date(dueIso);
		const id = String(r.id);
		const push = (key: string, target: string, eventType: string) =>
			records.push({
				dedupe_key: key,
				channel: "email",
				event_type: eventType,
				claim_id: id,
				target,
				subject: "Reminder",
				attempts: 1,
				next_attempt_at: at,
				delivered_at: at,
				outcome: "kept",
				created_at: at,
			});
		if (r.status === "partner_action_required") {
			if (!r.partner_email) continue;
			for (let i = 0; i < PARTNER_REMINDER_DAYS.length; i++) {
				const n = PARTNER_REMINDER_DAYS[i] as number;
				const from = calendar.businessDaysBefore(due, n);
				const next = PARTNER_REMINDER_DAYS[i + 1];
				const until = next ? calendar.businessDaysBefore(due, next) : due;
				if (now < from || now >= until) continue;
				if (
					r.requested_at &&
					from.getTime() < Date.parse(String(r.requested_at))
				)
					continue;
				push(
					`reminder:${id}:${dueIso}:${n}`,
					String(r.partner_email),
					"reminder.partner_response",
				);
			}
			continue;
		}
		const deadline = deadlines[String(r.status)];
		if (!deadline) continue;
		if (deadline === "dispute_decision" && r.dispute_status !== "open")
			continue;
		if (now < calendar.businessDaysBefore(due, REVIEWER_REMINDER_DAYS))
			continue;
		const assigned =
			deadline === "decision" && r.reviewer_id
				? reviewers.filter((v) => v.userId === r.reviewer_id)
				: [];
		for (const v of assigned.length ? assigned : reviewers)
			push(
				`reminder:${id}:${deadline}:${dueIso}:${REVIEWER_REMINDER_DAYS}:${v.email.toLowerCase()}`,
				v.email,
				`reminder.${deadline}`,
			);
	}
	for (const batch of chunks(records, 5_000))
		await database.db.execute(
			sql`insert into deliveries (dedupe_key, channel, event_type, claim_id, target, subject, attempts,
			  next_attempt_at, delivered_at, outcome, created_at)
			select dedupe_key, channel, event_type, claim_id, target, subject, attempts,
			  next_attempt_at, delivered_at, outcome, created_at
			from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(dedupe_key text, channel text,
			  event_type text, claim_id text, target text, subject text, attempts int,
			  next_attempt_at timestamptz, delivered_at timestamptz, outcome text, created_at timestamptz)
			on conflict (dedupe_key) do nothing`,
		);
	return records.length;
}

function chunks<T>(xs: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
	return out;
}
