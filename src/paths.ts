/**
 * Where CPOR's own files are, whether the code runs from the TypeScript sources (`src/`,
 * through tsx) or from the server bundle (`dist/server/`, `npm run build:server`): paths
 * are taken from the package root, never from the running module's own location.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, "package.json"))) return dir;
		if (path.dirname(dir) === dir)
			throw new Error(
				`CPOR's package.json was not found above ${from}; run CPOR from its repository or installed package.`,
			);
	}
}

/** The directory holding CPOR's package.json (absolute). */
export const PACKAGE_ROOT = findPackageRoot(
	path.dirname(fileURLToPath(import.meta.url)),
);

/** True when running from the server bundle rather than the TypeScript sources. */
export const RUNNING_FROM_BUNDLE = !import.meta.url.endsWith(".ts");
