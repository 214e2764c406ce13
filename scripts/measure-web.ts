/**
 * Measures the web app: the initial page's JavaScript (gzipped; the entry chunk and its
 * modulepreloads, not the pages loaded on demand) and the time to interactive on
 * localhost (navigation start → the sign-in form usable; and after sign-in → the
 * dashboard's table shown), median of 5 runs in Debian Chromium. Writes the figures into
 * docs/performance.md between the "web app" markers. Usage: npm run measure:web
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
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
const e2e = await startE2E();
const login: number[] = [];
const dashboard: number[] = [];
try {
	for (let i = 0; i < 5; i++) {
		const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl });
		const page = await context.newPage();
		await page.goto("/login");
		await page.getByLabel(/email/i).waitFor();
		await page.waitForFunction(
			() =>
				!(document.querySelector("input[type=email]") as HTMLInputElement)
					?.disabled,
		);
		login.push(await page.evaluate(() => performance.now()));
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
| time to interactive, sign-in page (navigation → form usable), median of 5 | **${Math.round(median(login))} ms** |
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
