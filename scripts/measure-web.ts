/**
 * Measures the web app: the initial page's JavaScript (gzipped; the entry chunk and its
 * modulepreloads, not the pages loaded on demand); the bytes the sign-in page takes over
 * the network on a first and a repeat visit (every file, as `cpor serve` sends it); and
 * the time to interactive (navigation start → the sign-in form usable; after sign-in →
 * the dashboard's table shown) on localhost, median of 5 runs, and over a throttled
 * link (1.6 Mbit/s down, 150 ms round trips: Lighthouse's "slow 4G"), first and repeat
 * visit, median of 3; in Debian Chromium. Writes the figures into docs/performance.md
 * between the "web app" markers. Usage: npm run measure:web
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { startE2E } from "../test/e2e/harness.ts";

const dist = path.resolve("web/dist");
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
	(m) => m[1] as string,
);
const sizes = initial.map((f) => {
	const buf = readFileSync(path.join(dist, f));
	return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
});
const allJs = readdirSync(path.join(dist, "assets")).filter((f) =>
	f.endsWith(".js"),
);
const totalGzip = sizes.reduce((n, s) => n + s.gzip, 0);
const totalRaw = sizes.reduce((n, s) => n + s.raw, 0);

const median = (xs: number[]) =>
	[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
/** Bytes over the network for the page so far: the document and every resource. */
const transferred = (page: Page) =>
	page.evaluate(() =>
		[
			...performance.getEntriesByType("navigation"),
			...performance.getEntriesByType("resource"),
		].reduce((n, e) => n + (e as PerformanceResourceTiming).transferSize, 0),
	);
/** Opens /login and waits until the form can be used; returns the time since navigation start. */
async function signInReady(page: Page): Promise<number> {
	await page.goto("/login");
	await page.getByLabel(/email/i).waitFor();
	await page.waitForFunction(
		() =>
			!(document.querySelector("input[type=email]") as HTMLInputElement)
				?.disabled,
	);
	return page.evaluate(() => performance.now());
}

const e2e = await startE2E();
const login: number[] = [];
const dashboard: number[] = [];
const slowLogin: number[] = [];
const slowRepeat: number[] = [];
let firstVisit = 0;
let repeatVisit = 0;
try {
	{
		const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl });
		const page = await context.newPage();
		await signInReady(page);
		firstVisit = await transferred(page);
		await signInReady(page);
		repeatVisit = await transferred(page);
		await context.close();
	}
	for (let i = 0; i < 3; i++) {
		const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl });
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send("Network.enable");
		await cdp.send("Network.emulateNetworkConditions", {
			offline: false,
			latency: 150,
			downloadThroughput: 1_600_000 / 8,
			uploadThroughput: 750_000 / 8,
		});
		slowLogin.push(await signInReady(page));
		slowRepeat.push(await signInReady(page));
		await context.close();
	}
	for (let i = 0; i < 5; i++) {
		const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl });
		const page = await context.newPage();
		login.push(await signInReady(page));
		await page.getByLabel(/email/i).fill("ana.global@fabrikam.example");
		await page.getByLabel(/password/i).fill("cpor-demo-2026");
		await page.getByRole("button", { name: /sign in/i }).click();
		await page.waitForURL(/\/claims/);
		const t0 = Date.now();
		await page.reload();
		await page.getByRole("table").first().waitFor();
		dashboard.push(await page.evaluate(() => performance.now()));
		void t0;
		await context.close();
	}
} finally {
	await e2e.close();
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const section = `<!-- web app:start -->
## Web app (measured by \`npm run measure:web\`, ${new Date().toISOString().slice(0, 10)})

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Debian Chromium (headless), localhost.

| figure | value |
| --- | --- |
| initial page JavaScript, gzipped (entry + modulepreloads: ${sizes.length} files) | **${kb(totalGzip)}** (${kb(totalRaw)} raw) |
| JavaScript files in the build (pages load on demand) | ${allJs.length} |
| sign-in page over the network, first visit (every file, as sent) | **${kb(firstVisit)}** |
| sign-in page over the network, repeat visit | **${kb(repeatVisit)}** |
| time to interactive, sign-in page (navigation → form usable), median of 5 | **${Math.round(median(login))} ms** |
| time to interactive, sign-in page, first visit over 1.6 Mbit/s with 150 ms round trips, median of 3 | **${Math.round(median(slowLogin))} ms** |
| the same, repeat visit (the browser's cache kept) | **${Math.round(median(slowRepeat))} ms** |
| time to interactive, partner dashboard after sign-in (reload → claims table shown), median of 5 | **${Math.round(median(dashboard))} ms** |

Initial files: ${sizes.map((s) => `\`${s.file}\` ${kb(s.gzip)}`).join(", ")}.
<!-- web app:end -->`;

const docPath = path.resolve("docs/performance.md");
let doc = "";
try {
	doc = readFileSync(docPath, "utf8");
} catch {
	doc =
		"# Performance\n\nFigures measured on the project's own machine kind; each section says how it was measured.\n\n";
}
doc = doc.includes("<!-- web app:start -->")
	? doc.replace(/<!-- web app:start -->[\s\S]*<!-- web app:end -->/, section)
	: `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(docPath, doc);
console.log(section);
