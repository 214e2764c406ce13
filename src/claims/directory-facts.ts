/**
 * What the claim checks need from the directory (R-CRT-2 MPN, R-CRT-3 tenant and
 * domains, R-CRT-5 catalog and subscriptions, R-CMP-1 duplicates, and at submit the
 * R-CMP-2 competitors), read in ONE call of the database function `cpor_directory_facts`
 * (migration 0006) instead of one query per check: creating a claim makes four fewer
 * round trips, submitting it five.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.ts";
import { preparedOnce } from "../db/prepared.ts";
import type {
	Activity,
	CatalogProduct,
	ProductInput,
	SolutionArea,
	SubscriptionFacts,
} from "../domain/claim-validation.ts";
import { lineClaimKey, lineSubscriptionIds } from "./claim-products.ts";

/** The directory rows behind one claim's checks. */
export interface DirectoryFacts {
	/** The MPN ID's programs when it belongs to the organization, else null. */
	programs: string[] | null;
	/** R-ROL-1: whether the organization uses the MPN ID for claims (null: not its MPN ID). */
	mpnInUse: boolean | null;
	/** The tenant's name and verified domains (lower case), or null when unknown. */
	tenant: { name: string; domains: string[] } | null;
	/** Catalog entries of the lines' products and of their subscriptions' products. */
	catalog: Map<string, CatalogProduct>;
	/** The lines' subscriptions (by lower-case ID), with their product's `dynamics` flag. */
	subscriptions: Map<string, SubscriptionFacts>;
	/** R-CMP-1: the organization's other live claims on the lines' claim keys. */
	taken?: { claimKey: string; claimId: string }[];
	/**
	 * R-CMP-2: the IDs of the claims competing with `competitorsOf`, sorted (read when it
	 * was given; the same IDs as `findCompetitors` in claim-products.ts).
	 */
	competitors?: string[];
}

/** The parameters of the directory-facts statement (all text; arrays may be empty). */
type FactsParams = {
	mpnId: string;
	organizationId: string;
	/** Lower case. */
	tenantId: string;
	productIds: string[];
	/** Lower case, GUID-shaped only. */
	subscriptionIds: string[];
	activity: Activity;
	claimKeys: string[];
	/** The claim whose own rows are not duplicates, or null. */
	exceptClaimId: string | null;
	/** The claim whose competitors to read, or null for none. */
	competitorsOf: string | null;
};

/** The one row the directory-facts statement returns (JSON columns parsed by the driver). */
interface FactsRow {
	programs: string[] | null;
	mpn_in_use: boolean | null;
	tenant: { name: string; domains: string[] } | null;
	catalog: CatalogProduct[];
	subscriptions: Omit<SubscriptionFacts, "dynamics">[];
	taken: { claimKey: string; claimId: string }[];
	competitors: string[];
}

const param = <K extends keyof FactsParams>(name: K) => sql.placeholder(name);

/**
 * The call of `cpor_directory_facts` (migrations 0006 and 0031), built once per process and run
 * as a named statement on both databases ({@link preparedOnce}). The function holds the
 * statement so that PostgreSQL plans it once per connection instead of on every call.
 */
const runFacts = preparedOnce<FactsParams, FactsRow[]>(
	"cpor_directory_facts",
	(q, name) =>
		q
			.select({
				programs: sql<string[] | null>`f.programs`,
				mpn_in_use: sql<boolean | null>`f.mpn_in_use`,
				tenant: sql<FactsRow["tenant"]>`f.tenant`,
				catalog: sql<FactsRow["catalog"]>`f.catalog`,
				subscriptions: sql<FactsRow["subscriptions"]>`f.subscriptions`,
				taken: sql<FactsRow["taken"]>`f.taken`,
				competitors: sql<string[]>`f.competitors`,
			})
			.from(
				sql`cpor_directory_facts(${param("mpnId")}, ${param("organizationId")}, ${param("tenantId")}, ${param("productIds")}::text[], ${param("subscriptionIds")}::text[], ${param("activity")}, ${param("claimKeys")}::text[], ${param("exceptClaimId")}::text, ${param("competitorsOf")}::text) as f`,
			)
			.prepare(name),
);

/**
 * Reads the directory facts for a claim of `organizationId` with `mpnId`, `tenantId`
 * (any case) and product `lines` (as given, or as stored: a null subscription is none),
 * in one call of `cpor_directory_facts` (migration 0006). Throws only database errors.
 */
export async function readDirectoryFacts(
	q: Queryable,
	input: {
		organizationId: string;
		mpnId: string;
		tenantId: string;
		lines: readonly {
			productId?: string | undefined;
			subscriptionId?: string | null | undefined;
		}[];
		/** The R-CMP-1 duplicates for this solution area and activity (claimId: the claim's own rows do not count). */
		duplicates: {
			solutionArea: SolutionArea;
			activity: Activity;
			claimId?: string;
		};
		/** Also read the competitors of this (already stored) claim, R-CMP-2. */
		competitorsOf?: string;
	},
): Promise<DirectoryFacts> {
	const dup = input.duplicates;
	const lines: ProductInput[] = input.lines.map((l) => ({
		productId: l.productId,
		subscriptionId: l.subscriptionId ?? undefined,
	}));
	const [row] = await runFacts(q, {
		mpnId: input.mpnId,
		organizationId: input.organizationId,
		tenantId: input.tenantId.trim().toLowerCase(),
		productIds: [
			...new Set(
				lines.flatMap((l) => (l.productId ? [l.productId.trim()] : [])),
			),
		],
		subscriptionIds: lineSubscriptionIds(lines),
		activity: dup.activity,
		claimKeys: [
			...new Set(
				lines.map((l) => lineClaimKey(dup.solutionArea, input.tenantId, l)),
			),
		],
		exceptClaimId: dup.claimId ?? null,
		competitorsOf: input.competitorsOf ?? null,
	});
	return toDirectoryFacts(row as FactsRow, !!input.competitorsOf);
}

/** The facts statement's row as {@link DirectoryFacts} (`competitors` only when read). */
function toDirectoryFacts(
	r: FactsRow,
	withCompetitors: boolean,
): DirectoryFacts {
	const catalog = new Map(r.catalog.map((p) => [p.productId, p]));
	return {
		taken: r.taken,
		...(withCompetitors ? { competitors: r.competitors } : {}),
		programs: r.programs,
		mpnInUse: r.mpn_in_use,
		tenant: r.tenant,
		catalog,
		subscriptions: new Map(
			r.subscriptions.map((s) => [
				s.subscriptionId,
				{ ...s, dynamics: catalog.get(s.productId)?.dynamics ?? false },
			]),
		),
	};
}

/**
 * An array of `value` over the stored claim's product lines as the claim's actions read
 * them (those of catalog products), distinct, where `where` holds.
 */
const overStoredLines = (value: string, where = "true") =>
	sql.raw(`array(select distinct ${value}
			from claim_products p join products pr on pr.product_id = p.product_id
			where p.claim_id = "claims"."id" and ${where})`);

/** A line's subscription ID as `lineSubscriptionIds` reads it (trimmed, lower case). */
const LINE_SUBSCRIPTION = "lower(btrim(coalesce(p.subscription_id, '')))";

/**
 * A select field for a query from `claims` (unaliased): the stored claim's directory
 * facts for submitting it, read in the same statement as the claim. It is the same call
 * of `cpor_directory_facts` as {@link readDirectoryFacts} makes for the claim's MPN ID,
 * organization, tenant and stored product lines, with the duplicates of its solution
 * area and activity other than its own rows, and `competitorsOf` the claim (R-CRT-2,
 * R-CRT-3, R-CRT-5, R-CMP-1, R-CMP-2). The product IDs, subscription IDs and claim keys
 * are derived in SQL as `readDirectoryFacts`, `lineSubscriptionIds` and `lineClaimKey`
 * derive them in JS (test/integration/directory-facts.test.ts compares the two). Read
 * the value with {@link claimDirectoryFacts}. Saves submit one round trip.
 */
export const claimDirectoryFactsColumn: SQL<unknown> = sql`(select row_to_json(f) from cpor_directory_facts(
	"claims"."mpn_id", "claims"."partner_organization_id", lower(btrim("claims"."tenant_id")),
	${overStoredLines("btrim(p.product_id)", "p.product_id <> ''")},
	${overStoredLines(LINE_SUBSCRIPTION, `${LINE_SUBSCRIPTION} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`)},
	"claims"."activity",
	${overStoredLines(`case when "claims"."solution_area" = 'business_applications'
		then ${LINE_SUBSCRIPTION} else lower("claims"."tenant_id") || ':' || p.product_id end`)},
	"claims"."id", "claims"."id") f)`;

/**
 * The {@link DirectoryFacts} (with `competitors`) of a row's
 * {@link claimDirectoryFactsColumn} value.
 */
export function claimDirectoryFacts(value: unknown): DirectoryFacts {
	return toDirectoryFacts(value as FactsRow, true);
}
