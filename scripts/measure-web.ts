/**
 * Measures the web app: the initial page's JavaScript (gzipped; the entry chunk and its
 * modulepreloads, not the pages loaded on demand); the bytes the sign-in page takes over
 * the network on a first and a repeat visit (every file, as `cpor serve` sends it); and
 * the time to interactive (navigation start → the sign-in form usable; after sign-in →
 * the dashboard's table shown) on localhost, median of 5 runs, and over a throttled
 * link (1.6 Mbit/s down, 150 ms round trips: Lighthouse's "slow 4G": the sign-in page's
 * first and repeat visit, the dashboard), median of 3; in Debian Chromium. Writes the
 * figures into docs/performance.md between the "web app" markers. Also the bytes of the
 * dashboard's API answers (`/api/`) over the network after its reload, as sent.
 * Usage: npm run measure:web (CPOR_COMPRESS_RESPONSES=false: the server sends the API's
 * answers uncompressed, for a comparison; the docs are written either way)
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
/** Bytes over the network of the page's API answers (`/api/`) so far, as sent. */
const apiTransferred = (page: Page) =>
	page.evaluate(() =>
		performance
			.getEntriesByType("resource")
			.filter((e) => new URL(e.name).pathname.startsWith("/api/"))
			.reduce((n, e) => n + (e as PerformanceResourceTiming).transferSize, 0),
	);
/**
 * Runs in every page of a context before its own scripts: records when the sign-in
 * form became usable and when a table was first shown (`performance.now()`, in
 * `window.__cporShown`), seen by a MutationObserver. Reading the time in the page, not
 * when Playwright notices, matters over a throttled link: there Playwright saw the
 * dashboard's table ~420 ms after it was in the page.
 */
function recordShown(): void {
	const shown: { form?: number; table?: number } = {};
	(window as unknown as { __cporShown: typeof shown }).__cporShown = shown;
	new MutationObserver(() => {
		const email = document.querySelector("input[type=email]");
		if (
			shown.form === undefined &&
			email &&
			!(email as HTMLInputElement).disabled
		)
			shown.form = performance.now();
		if (shown.table === undefined && document.querySelector("table"))
			shown.table = performance.now();
	}).observe(document, { childList: true, subtree: true, attributes: true });
}

/** When the page's `what` was first shown, per {@link recordShown}. */
const shownAt = (page: Page, what: "form" | "table") =>
	page.evaluate(
		(w) =>
			(window as unknown as { __cporShown: Record<string, number> })
				.__cporShown[w] as number,
		what,
	);

/** A new browser context whose pages record when things were shown. */
async function newContext() {
	const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl });
	await context.addInitScript(recordShown);
	return context;
}

/** Opens /login and waits until the form can be used; returns the time since navigation start. */
async function signInReady(page: Page): Promise<number> {
	await page.goto("/login");
	await page.getByLabel(/email/i).waitFor();
	await page.waitForFunction(
		() =>
			!(document.querySelector("input[type=email]") as HTMLInputElement)
				?.disabled,
	);
	return shownAt(page, "form");
}

/**
 * Signs in on the sign-in page that `page` shows, then reloads the partner dashboard it
 * leads to; returns the time from the reload's navigation start to the claims table.
 */
async function dashboardAfterSignIn(page: Page): Promise<number> {
	await page.getByLabel(/email/i).fill("ana.global@fabrikam.example");
	await page.getByLabel(/password/i).fill("cpor-demo-2026");
	await page.getByRole("button", { name: /sign in/i }).click();
	await page.waitForURL(/\/claims/);
	await page.reload();
	await page.getByRole("table").first().waitFor();
	return shownAt(page, "table");
}

const e2e = await startE2E({
	env: process.env.CPOR_COMPRESS_RESPONSES
		? { CPOR_COMPRESS_RESPONSES: process.env.CPOR_COMPRESS_RESPONSES }
		: {},
});
const login: number[] = [];
const dashboard: number[] = [];
const slowLogin: number[] = [];
const slowRepeat: number[] = [];
const slowDashboard: number[] = [];
let firstVisit = 0;
let repeatVisit = 0;
let dashboardApi = 0;
try {
	{
		const context = await newContext();
		const page = await context.newPage();
		await signInReady(page);
		firstVisit = await transferred(page);
		await signInReady(page);
		repeatVisit = await transferred(page);
		await context.close();
	}
	for (let i = 0; i < 3; i++) {
		const context = await newContext();
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
		slowDashboard.push(await dashboardAfterSignIn(page));
		await context.close();
	}
	for (let i = 0; i < 5; i++) {
		const context = await newContext();
		const page = await context.newPage();
		login.push(await signInReady(page));
		dashboard.push(await dashboardAfterSignIn(page));
		dashboardApi = await apiTransferred(page);
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
| the same link, partner dashboard after sign-in (reload → claims table shown), median of 3 | **${Math.round(median(slowDashboard))} ms** |
| time to interactive, partner dashboard after sign-in (reload → claims table shown), median of 5 | **${Math.round(median(dashboard))} ms** |
| the dashboard's API answers over the network after the reload (\`/api/\`, as sent) | **${kb(dashboardApi)}** |

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
