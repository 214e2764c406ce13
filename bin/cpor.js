#!/usr/bin/env node
// The `cpor` command. Runs the server bundle dist/server/main.mjs (`npm run build:server`,
// done by `npm start`) when it is newer than every file in src/, else the TypeScript
// sources through tsx, so an edited source file is never shadowed by an old bundle.
// CPOR_FROM_SOURCE=1 always runs the sources.
import { readdirSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const bundle = new URL("dist/server/main.mjs", root);

function bundleIsFresh() {
	if (process.env.CPOR_FROM_SOURCE === "1") return false;
	let built;
	try {
		built = statSync(bundle).mtimeMs;
	} catch {
		return false;
	}
	const src = new URL("src/", root);
	for (const name of readdirSync(src, { recursive: true })) {
		if (statSync(new URL(name, src)).mtimeMs > built) return false;
	}
	return true;
}

if (bundleIsFresh()) {
	// Stack traces name the TypeScript source lines (dist/server/*.map).
	process.setSourceMapsEnabled(true);
	await import(bundle.href);
} else {
	const { register } = await import("tsx/esm/api");
	register();
	await import("../src/cli/main.ts");
}
