/**
 * End-to-end harness: a real `cpor serve --demo --sandbox` server (in this process, on
 * an in-memory PGlite with the demo loaded, serving the built web app from web/dist),
 * Debian Chromium through playwright-core, sign-in through the UI, axe-core checks and
 * screenshots kept under docs/screenshots/.
 */
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { loadConfig } from "../../src/config.ts";
import { type AppContext, createContext } from "../../src/context.ts";
import {
	type Database,
	migrateDatabase,
	openDatabase,
} from "../../src/db/client.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { SandboxClock } from "../../src/domain/clock.ts";
import { adminClockRoutes } from "../../src/http/routes/admin-clock.ts";
import { devMailboxPage } from "../../src/http/routes/dev-mailbox-page.ts";
import { buildServer } from "../../src/http/server.ts";
import { runBackgroundWork } from "../../src/jobs/sweeper.ts";
import { launchBrowser } from "./browser.ts";

/** The demo password in e2e runs. */
export const E2E_PASSWORD = "cpor-demo-2026";
export const SCREENSHOT_DIR = path.resolve("docs/screenshots");

/** A running demo server and browser. */
export interface E2E {
	baseUrl: string;
	ctx: AppContext;
	clock: SandboxClock;
	browser: Browser;
	/** A fresh browser context (own cookies) signed in as `email` through the sign-in page. */
	signIn(
		email: string,
		opts?: { viewport?: { width: number; height: number }; locale?: string },
	): Promise<{ context: BrowserContext; page: Page }>;
	/** Runs timers, fan-out and deliveries now (as the sweeper would). */
	work(): Promise<void>;
	close(): Promise<void>;
}

/**
 * Starts the demo server (sandbox) and Chromium. Needs web/dist (npm run build:web).
 * `env` adds configuration (e.g. `CPOR_COMPRESS_RESPONSES`) to the server's.
 */
export async function startE2E(
	opts: { env?: Record<string, string> } = {},
): Promise<E2E> {
	if (!existsSync(path.resolve("web/dist/index.html"))) {
		throw new Error(
			"web/dist is missing: run `npm run build:web` first (npm test does).",
		);
	}
	const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-e2e-"));
	const database: Database = await openDatabase({ dataDir: "memory://" });
	await migrateDatabase(database);
	const config = loadConfig({
		CPOR_DATA_DIR: dataDir,
		LOG_LEVEL: "silent",
		CPOR_DEMO_PASSWORD: E2E_PASSWORD,
		// Every test signs in again, all from 127.0.0.1: more than the default 20 a minute.
		CPOR_LOGIN_RATE_LIMIT: "1000",
		...opts.env,
	});
	const clock = new SandboxClock(new Date(), { ticking: true });
	const ctx = createContext({
		db: database.db,
		dbKind: database.kind,
		clock,
		config,
	});
	await seedDemo(ctx, { demoPassword: E2E_PASSWORD });
	await runBackgroundWork(ctx);
	const app: FastifyInstance = await buildServer(ctx, {
		logger: false,
		plugins: [adminClockRoutes(ctx, clock)],
	});
	await app.register(devMailboxPage(ctx));
	await app.listen({ port: 0, host: "127.0.0.1" });
	const addr = app.server.address();
	const baseUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
	config.publicUrl = baseUrl;
	const browser = await launchBrowser();
	return {
		baseUrl,
		ctx,
		clock,
		browser,
		async signIn(email, opts = {}) {
			const context = await browser.newContext({
				viewport: opts.viewport ?? { width: 1280, height: 800 },
				locale: opts.locale ?? "en-US",
				baseURL: baseUrl,
			});
			// The browser's language, chosen in it: it stands over the user's own (GET /me).
			await context.addInitScript(
				(l) => localStorage.setItem("cpor.lang", l),
				(opts.locale ?? "en-US").slice(0, 2),
			);
			const page = await context.newPage();
			await page.goto("/login");
			await page.getByLabel(/email|e-mail|e-post/i).fill(email);
			await page
				.getByLabel(/password|wachtwoord|lösenord|kennwort/i)
				.fill(E2E_PASSWORD);
			await page
				.getByRole("button", { name: /sign in|aanmelden|logga in|anmelden/i })
				.click();
			await page.waitForURL((u) => !u.pathname.startsWith("/login"));
			return { context, page };
		},
		async work() {
			await runBackgroundWork(ctx);
		},
		async close() {
			await browser.close();
			await app.close();
			await database.close();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** An axe-core violation, trimmed. */
export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: string[];
}

/** Runs axe-core (WCAG 2 A/AA rules) on the page; returns serious and critical violations. */
export async function seriousA11yViolations(
	page: Page,
): Promise<AxeViolation[]> {
	await page.addScriptTag({ content: AXE_SOURCE });
	const violations = (await page.evaluate(async () => {
		// biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
		const axe = (window as any).axe;
		// Fluent UI's focus sentinels (tabster's `data-tabster-dummy` <i> elements) are
		// aria-hidden and focusable by design: they pass focus on to the next real element
		// and are never announced; axe's aria-hidden-focus flags them anyway.
		const r = await axe.run(
			{ exclude: [["[data-tabster-dummy]"]] },
			{
				runOnly: {
					type: "tag",
					values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
				},
			},
		);
		// biome-ignore lint/suspicious/noExplicitAny: axe's result shape
		return r.violations.map((v: any) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.map((n: any) => n.target.join(" ")).slice(0, 5),
		}));
	})) as AxeViolation[];
	return violations.filter(
		(v) => v.impact === "serious" || v.impact === "critical",
	);
}

/** Saves a full-page screenshot as docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}
