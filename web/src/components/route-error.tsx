/**
 * What a page shows instead of React Router's developer screen when its code fails to
 * load or it throws while rendering, and the one reload after a deployment that took
 * away the chunks a running page still names.
 */
import { Button, Link as FluentLink, Text } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router";
import { Loading } from "./states.tsx";

/** sessionStorage key: when (ms since the epoch) the page last reloaded for a new build. */
const RELOADED_AT = "cpor.reloadedForNewBuild";
/** A second failure within this many ms of that reload is shown, not reloaded again. */
const RELOAD_GUARD_MS = 60_000;

let reloading = false;

/**
 * Called on Vite's `vite:preloadError` (a page's chunk, or one it imports, failed to
 * load: after a deployment the old hashed files are gone). Loads `href` (the page being
 * navigated to, which React Router has not yet put in the address bar) or reloads the
 * current one, once, so the browser gets the new build's index.html and chunks; returns
 * whether it did. A second
 * failure within {@link RELOAD_GUARD_MS} (the file is really missing, or the network is
 * down) is left to {@link RouteError}, so the page cannot reload in a loop.
 */
export function reloadForNewBuild(href?: string): boolean {
	const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
	if (Date.now() - last < RELOAD_GUARD_MS) return false;
	sessionStorage.setItem(RELOADED_AT, String(Date.now()));
	reloading = true;
	if (href) window.location.assign(href);
	else window.location.reload();
	return true;
}

/**
 * True for the errors browsers give when a dynamic import fails (Chromium: "Failed to
 * fetch dynamically imported module", Firefox: "error loading dynamically imported
 * module", Safari: "Importing a module script failed") and for Vite's CSS preload error.
 */
export function isChunkLoadError(error: unknown): boolean {
	return (
		error instanceof Error &&
		/dynamically imported module|Importing a module script failed|Unable to preload CSS/i.test(
			error.message,
		)
	);
}

/** A route's `errorElement`: a message that says what to do, a reload and a way home. */
export function RouteError() {
	const error = useRouteError();
	const { t } = useTranslation();
	if (reloading) return <Loading />;
	const stale = isChunkLoadError(error);
	const detail =
		error instanceof Error
			? error.message
			: typeof error === "object" && error && "statusText" in error
				? String(error.statusText)
				: String(error);
	return (
		<div style={{ padding: 32 }} role="alert">
			<Text as="h1" size={700} weight="semibold" block>
				{stale ? t("pageNotLoaded") : t("pageFailed")}
			</Text>
			<p>{stale ? t("pageNotLoadedText") : t("pageFailedText")}</p>
			<div style={{ display: "flex", gap: 16, alignItems: "center" }}>
				<Button appearance="primary" onClick={() => window.location.reload()}>
					{t("reload")}
				</Button>
				<FluentLink href="/">{t("back")}</FluentLink>
			</div>
			<details style={{ marginTop: 16 }}>
				<summary>{t("details")}</summary>
				<code>{detail}</code>
			</details>
		</div>
	);
}
