/**
 * Launches Debian's Chromium through playwright-core (no browser download): the flags
 * this machine needs (no sandbox as root, no background networking).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
	const p = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
	if (!existsSync(p)) {
		throw new Error(
			`Chromium not found at ${p}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
		);
	}
	return p;
}

/** Launches headless Chromium. */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath(),
		headless: true,
		args: [
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--no-first-run",
			"--disable-quic",
			"--disable-dev-shm-usage",
		],
	});
}
