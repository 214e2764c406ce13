#!/usr/bin/env node
// The `cpor` command. Runs the server bundle dist/server/main.mjs (`npm run build:server`,
// done by `npm start`) when it is newer than every file in src/ and scripts/build-server.mjs,
// else the TypeScript sources through tsx, so an edited source file is never shadowed by an
// old bundle. Anything unexpected while checking (a file vanishing meanwhile, an unreadable
// directory) also means the sources. CPOR_FROM_SOURCE=1 always runs the sources.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, "dist", "server", "main.mjs");

function bundleIsFresh() {
	if (process.env.CPOR_FROM_SOURCE === "1") return false;
	try {
		const built = statSync(bundle).mtimeMs;
		const src = path.join(root, "src");
		const inputs = [
			path.join(root, "scripts", "build-server.mjs"),
			...readdirSync(src, { recursive: true }).map((name) =>
				path.join(src, String(name)),
			),
		];
		return inputs.every((file) => statSync(file).mtimeMs <= built);
	} catch {
		return false;
	}
}

if (bundleIsFresh()) {
	// Stack traces name the TypeScript source lines (dist/server/*.map).
	process.setSourceMapsEnabled(true);
	await import(pathToFileURL(bundle).href);
} else {
	const { register } = await import("tsx/esm/api");
	register();
	await import("../src/cli/main.ts");
}
