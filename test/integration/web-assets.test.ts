/**
 * The web app's files as `cpor serve` sends them, from the real build (web/dist, which
 * `npm test` builds first): the build's brotli and gzip copies by the browser's
 * Accept-Encoding, content-hashed files cached for a year, pages checked every time, and
 * no translations in the first page's JavaScript.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const dist = path.resolve("web/dist");

describe("the web app's files", () => {
	let t: TestApp;
	let entry: string;
	beforeAll(async () => {
		if (!existsSync(path.join(dist, "index.html")))
			throw new Error("web/dist is missing: run `npm run build:web` first");
		const html = readFileSync(path.join(dist, "index.html"), "utf8");
		entry = /<script type="module"[^>]* src="\/(assets\/[^"]+\.js)"/.exec(
			html,
		)?.[1] as string;
		t = await startTestApp("pglite", { directory: false });
	}, 60_000);
	afterAll(() => t?.close());

	const get = (url: string, headers: Record<string, string>) =>
		t.app.inject({ method: "GET", url: `/${url}`, headers });

	it("sends the entry script brotli- or gzip-compressed as the browser accepts, else as it is, each cached for a year", async () => {
		expect(entry).toMatch(/^assets\/index-[\w-]+\.js$/);
		const original = readFileSync(path.join(dist, entry));
		const br = await get(entry, { "accept-encoding": "gzip, deflate, br" });
		const gz = await get(entry, { "accept-encoding": "gzip" });
		const plain = await get(entry, {});
		for (const r of [br, gz, plain]) {
			expect(r.statusCode).toBe(200);
			expect(r.headers["content-type"]).toMatch(/javascript/);
			expect(r.headers["cache-control"]).toBe(
				"public, max-age=31536000, immutable",
			);
			expect(r.headers.vary).toMatch(/accept-encoding/i);
		}
		expect(br.headers["content-encoding"]).toBe("br");
		expect(brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);
		expect(br.rawPayload.length).toBeLessThan(original.length / 3);
		expect(gz.headers["content-encoding"]).toBe("gzip");
		expect(gunzipSync(gz.rawPayload).equals(original)).toBe(true);
		expect(plain.headers["content-encoding"]).toBeUndefined();
		expect(plain.rawPayload.equals(original)).toBe(true);
	});

	it("has a brotli and a gzip copy of every script over 1 KB", () => {
		const files = readdirSync(path.join(dist, "assets"));
		const scripts = files.filter(
			(f) =>
				f.endsWith(".js") &&
				readFileSync(path.join(dist, "assets", f)).length > 1024,
		);
		expect(scripts.length).toBeGreaterThan(20);
		for (const f of scripts) {
			expect(files, f).toContain(`${f}.br`);
			expect(files, f).toContain(`${f}.gz`);
		}
	});

	it("answers a page with index.html, and the icon, which the browser checks every time", async () => {
		const r = await get("claims/new", { accept: "text/html" });
		expect(r.statusCode).toBe(200);
		expect(r.headers["content-type"]).toMatch(/text\/html/);
		expect(r.headers["cache-control"]).toBe("no-cache");
		expect(r.body).toContain(entry);
		// A file outside assets/ keeps its name from build to build: checked every time too.
		const icon = await get("favicon.svg", { "accept-encoding": "br" });
		expect(icon.statusCode).toBe(200);
		expect(icon.headers["content-type"]).toMatch(/image\/svg\+xml/);
		expect(icon.headers["cache-control"]).toBe("no-cache");
	});

	it("keeps translations out of the first page's JavaScript: each language's files load when it is used", () => {
		const html = readFileSync(path.join(dist, "index.html"), "utf8");
		const first = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)]
			.map((m) => readFileSync(path.join(dist, m[1] as string), "utf8"))
			.join("\n");
		const dutch = JSON.parse(
			readFileSync("web/src/i18n/locales/nl/common.json", "utf8"),
		) as { appLong: string };
		const english = JSON.parse(
			readFileSync("web/src/i18n/locales/en/dashboard.json", "utf8"),
		) as { emptyTitle: string };
		for (const text of [dutch.appLong, english.emptyTitle]) {
			expect(text.length).toBeGreaterThan(5);
			expect(first).not.toContain(text);
			// …but the build has it, in a file of its own.
			const holders = readdirSync(path.join(dist, "assets")).filter(
				(f) =>
					f.endsWith(".js") &&
					readFileSync(path.join(dist, "assets", f), "utf8").includes(text),
			);
			expect(holders.length, text).toBeGreaterThan(0);
		}
	});
});
