/**
 * The generated directory of `cpor simulate`: N partner organizations (one MPN ID each,
 * enrolled in every program) and T customer tenants (two verified domains each). Loaded
 * with the ordinary directory import; a large tenant list (a million-claim run needs
 * hundreds of thousands of tenants) goes in set-based, many rows per statement, as one
 * JSON parameter (the import upserts and compares row by row, ~7,000 tenants/s).
 */

import { en, Faker } from "@faker-js/faker";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { importDirectory } from "../directory/import-directory.ts";
import type { ImportDocument } from "../directory/import-schema.ts";
import { CATALOG, PROGRAMS } from "../domain/catalog.ts";

/** A directory of `partners` organizations (one MPN ID each, enrolled everywhere) and `tenants` tenants. */
export function generateSimulationDirectory(
	partners: number,
	tenants: number,
	seed: number,
): ImportDocument {
	const faker = new Faker({ locale: [en] });
	faker.seed(seed);
	return {
		products: CATALOG.map((p) => ({ ...p })),
		partners: Array.from({ length: partners }, (_, i) => ({
			organizationId: `sim-partner-${i + 1}`,
			name: `${faker.company.name()} (sim ${i + 1})`.slice(0, 200),
			mpnIds: [
				{
					mpnId: String(7_000_000 + i + 1),
					programs: [...PROGRAMS],
					partnerTypes: [],
				},
			],
		})),
		tenants: Array.from({ length: tenants }, (_, i) => ({
			tenantId: faker.string.uuid(),
			name: `${faker.company.name()} (sim ${i + 1})`.slice(0, 200),
			domains: [`simt${i + 1}.onmicrosoft.com`, `simt${i + 1}.example`],
		})),
	} as ImportDocument;
}

/** Tenants above which the tenant list is bulk-loaded rather than imported. */
export const BULK_TENANTS = 5_000;
const CHUNK = 20_000;

/**
 * Loads the generated directory into an empty database: products and partners with the
 * ordinary import; tenants and domains too up to {@link BULK_TENANTS}, above that in
 * chunks of set-based INSERTs in one transaction.
 */
export async function loadSimulationDirectory(
	db: Db,
	doc: ImportDocument,
): Promise<void> {
	const tenants = doc.tenants ?? [];
	if (tenants.length <= BULK_TENANTS) {
		await importDirectory(db, doc);
		return;
	}
	await importDirectory(db, { ...doc, tenants: [] });
	await db.transaction(async (tx) => {
		for (let i = 0; i < tenants.length; i += CHUNK) {
			const chunk = tenants.slice(i, i + CHUNK);
			const rows = chunk.map((t) => ({
				tenant_id: t.tenantId.toLowerCase(),
				name: t.name,
			}));
			await tx.execute(
				sql`insert into tenants (tenant_id, name) select tenant_id, name from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(tenant_id text, name text)`,
			);
			const domains = chunk.flatMap((t) =>
				t.domains.map((d) => ({
					domain: d.toLowerCase(),
					tenant_id: t.tenantId.toLowerCase(),
				})),
			);
			await tx.execute(
				sql`insert into tenant_domains (domain, tenant_id) select domain, tenant_id from jsonb_to_recordset(${JSON.stringify(domains)}::jsonb) as v(domain text, tenant_id text)`,
			);
		}
	});
}
