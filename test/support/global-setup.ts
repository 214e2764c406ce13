/**
 * Vitest global setup: makes one PostgreSQL server available to every test file.
 *
 * If `CPOR_TEST_DATABASE_URL` is set, that server is used as is; otherwise a throwaway
 * PostgreSQL 15 cluster is started (see ./pg-cluster.ts) and stopped in teardown.
 * Tests read the superuser URL with `inject("pgUrl")`; child processes spawned by tests
 * can read it from `process.env.CPOR_TEST_PG_URL`. Tests that need isolation should
 * create their own database on this server rather than share `postgres`.
 */
import type { TestProject } from "vitest/node";
import { startPgCluster } from "./pg-cluster.ts";

declare module "vitest" {
	export interface ProvidedContext {
		/** Superuser URL of the test PostgreSQL server (database `postgres`). */
		pgUrl: string;
	}
}

/** Starts (or adopts) the test server, provides its URL, and returns the teardown. */
export default async function setup(
	project: TestProject,
): Promise<() => Promise<void>> {
	const external = process.env.CPOR_TEST_DATABASE_URL;
	if (external) {
		project.provide("pgUrl", external);
		process.env.CPOR_TEST_PG_URL = external;
		return async () => {};
	}

	const cluster = await startPgCluster();
	project.provide("pgUrl", cluster.url);
	process.env.CPOR_TEST_PG_URL = cluster.url;
	return async () => {
		await cluster.stop();
	};
}
