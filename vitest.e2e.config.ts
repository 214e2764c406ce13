import { defineConfig } from "vitest/config";

process.env.TZ = "UTC";

/** End-to-end tests: a real server and Debian Chromium, one file at a time. */
export default defineConfig({
	test: {
		include: ["test/e2e/**/*.test.ts"],
		testTimeout: 180_000,
		hookTimeout: 180_000,
		env: { TZ: "UTC" },
		pool: "forks",
		fileParallelism: false,
		maxWorkers: 1,
	},
});
