/**
 * The embedded database (PGlite): its page cache (shared_buffers) is set from
 * CPOR_PGLITE_CACHE_MB, default 16 MB, so an idle server does not hold PGlite's own
 * 128 MB default in resident memory (issue 5, embedded memory goal).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { DEFAULT_PGLITE_CACHE_MB, openDatabase } from "../../src/db/client.ts";

async function sharedBuffers(pgliteCacheMb?: number): Promise<string> {
	const database = await openDatabase({
		dataDir: "memory://",
		...(pgliteCacheMb ? { pgliteCacheMb } : {}),
	});
	try {
		const result = (await database.db.execute(sql`show shared_buffers`)) as {
			rows: { shared_buffers: string }[];
		};
		return result.rows[0]?.shared_buffers ?? "";
	} finally {
		await database.close();
	}
}

describe("embedded database settings", () => {
	it("uses a 16 MB page cache by default and CPOR_PGLITE_CACHE_MB otherwise", async () => {
		expect(DEFAULT_PGLITE_CACHE_MB).toBe(16);
		expect(loadConfig({}).pgliteCacheMb).toBe(16);
		expect(await sharedBuffers()).toBe("16MB");
		const config = loadConfig({ CPOR_PGLITE_CACHE_MB: "48" });
		expect(config.pgliteCacheMb).toBe(48);
		expect(await sharedBuffers(config.pgliteCacheMb)).toBe("48MB");
	});

	it("refuses a page cache below 1 MB with the variable's name", () => {
		expect(() => loadConfig({ CPOR_PGLITE_CACHE_MB: "0" })).toThrow(
			/CPOR_PGLITE_CACHE_MB/,
		);
	});
});
