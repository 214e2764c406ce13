import { defineConfig } from "vitest/config";

// Run the test runner itself in UTC too, so config-time and test-time dates agree.
process.env.TZ = "UTC";

/** Vitest configuration: every test under test/, one shared PostgreSQL server, 2 workers. */
export default defineConfig({
	test: {
		include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
		globalSetup: ["test/support/global-setup.ts"],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		env: { TZ: "UTC" },
		pool: "forks",
		fileParallelism: true,
		maxWorkers: 2,
	},
});
