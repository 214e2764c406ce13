/**
 * The app shell: header with the product, navigation for the user's role, the user with
 * organization or tenant and role, the language switch and sign-out; then the page.
 */

import {
	Button,
	Caption1,
	Dropdown,
	Link as FluentLink,
	makeStyles,
	Option,
	Text,
	tokens,
} from "@fluentui/react-components";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import {
	Navigate,
	NavLink,
	Outlet,
	useLocation,
	useNavigate,
} from "react-router";
import { canManageIntegrations } from "./api/integrations.ts";
import { useLogout, useMe, useSetUserLanguage } from "./api/session.ts";
import type { Me } from "./api/types.ts";
import { PageAnnouncer } from "./components/page-announcer.tsx";
import { ErrorMessage, Loading } from "./components/states.tsx";
import { LANGUAGES, type Language, setLanguage } from "./i18n/index.ts";
import { routerAddress } from "./router-address.ts";

const useStyles = makeStyles({
	skip: {
		position: "absolute",
		left: "-10000px",
		":focus": {
			left: tokens.spacingHorizontalM,
			top: tokens.spacingVerticalS,
			zIndex: 10,
		},
	},
	header: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalL,
		padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
		backgroundColor: tokens.colorBrandBackground,
		color: tokens.colorNeutralForegroundOnBrand,
	},
	brand: {
		fontWeight: tokens.fontWeightSemibold,
		fontSize: tokens.fontSizeBase500,
		color: "inherit",
	},
	nav: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalM,
		flexGrow: 1,
	},
	navLink: {
		color: tokens.colorNeutralForegroundOnBrand,
		textDecoration: "none",
		padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
		borderRadius: tokens.borderRadiusMedium,
		":hover": { backgroundColor: tokens.colorBrandBackgroundHover },
		":focus-visible": {
			outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`,
		},
	},
	active: { backgroundColor: tokens.colorBrandBackgroundPressed },
	user: {
		display: "flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalM,
		flexWrap: "wrap",
	},
	who: {
		display: "flex",
		flexDirection: "column",
		color: tokens.colorNeutralForegroundOnBrand,
	},
	main: {
		padding: tokens.spacingHorizontalL,
		maxWidth: "1400px",
		margin: "0 auto",
	},
	lang: {
		minWidth: "130px",
		// The dropdown's own focus mark is a brand-coloured underline, unseen on the
		// brand-coloured header: a light ring around it instead (WCAG 2.4.7).
		":focus-within": {
			outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`,
			outlineOffset: "2px",
		},
	},
});

/** The navigation entries per kind of user (and Integrations for those who manage them). */
function navFor(me: Me): { to: string; label: string }[] {
	const items = navOfKind(me);
	if (canManageIntegrations(me))
		items.push({ to: "/integrations", label: "nav.integrations" });
	return items;
}

function navOfKind(me: Me): { to: string; label: string }[] {
	switch (me.kind) {
		case "partner": {
			const items = [{ to: "/claims", label: "nav.claims" }];
			if (!me.roles.every((r) => r === "billing_admin"))
				items.push({ to: "/claims/new", label: "nav.newClaim" });
			items.push({ to: "/insights", label: "nav.insights" });
			items.push({ to: "/mpn-ids", label: "nav.mpnIds" });
			return items;
		}
		case "reviewer":
			return [
				{ to: "/review", label: "nav.queue" },
				{ to: "/review/claims", label: "nav.reviewClaims" },
				{ to: "/review/sla", label: "nav.sla" },
				{ to: "/review/directory", label: "nav.directory" },
			];
		case "customer":
			return [{ to: "/customer", label: "nav.customer" }];
		case "platform_admin":
			return [{ to: "/admin", label: "nav.admin" }];
		default:
			return [];
	}
}

/** Where each kind of user starts. */
export function homeFor(me: Me): string {
	return navFor(me)[0]?.to ?? "/login";
}

/**
 * The language menu: signed out it switches this browser's; signed in it sets the user's
 * own (the app's wherever they sign in, and their email's).
 */
export function LanguageSwitch({
	className,
	signedIn = false,
}: {
	className?: string;
	signedIn?: boolean;
}) {
	const { t, i18n } = useTranslation();
	const setUserLanguage = useSetUserLanguage();
	const current =
		LANGUAGES.find((l) => l.code === i18n.language) ?? LANGUAGES[0];
	return (
		<Dropdown
			className={className}
			aria-label={t("language")}
			value={current.name}
			selectedOptions={[current.code]}
			onOptionSelect={(_, d) => {
				const code = d.optionValue as Language;
				if (signedIn) setUserLanguage.mutate(code);
				else setLanguage(code);
			}}
		>
			{LANGUAGES.map((l) => (
				<Option key={l.code} value={l.code} lang={l.code}>
					{l.name}
				</Option>
			))}
		</Dropdown>
	);
}

export function Shell() {
	const styles = useStyles();
	const { t } = useTranslation();
	const me = useMe();
	const logout = useLogout();
	const navigate = useNavigate();
	const location = useLocation();
	const returnTo = useRef<string | null>(null);
	if (me.isLoading) return <Loading />;
	if (me.isError)
		return <ErrorMessage error={me.error} onRetry={() => me.refetch()} />;
	if (!me.data) {
		// Back to the page on its way when the session ended while it loaded; fixed at the
		// first such render, as later ones see the way to the sign-in page itself.
		returnTo.current ??= routerAddress() ?? location.pathname + location.search;
		return (
			<Navigate
				to={`/login?next=${encodeURIComponent(returnTo.current)}`}
				replace
			/>
		);
	}
	returnTo.current = null;
	const user = me.data;
	const where = user.organization?.name ?? user.tenant?.name ?? "";
	return (
		<>
			<a href="#main" className={styles.skip}>
				{t("skipToContent")}
			</a>
			<header className={styles.header}>
				<Text className={styles.brand}>
					{t("app")} · {t("appLong")}
				</Text>
				<nav className={styles.nav} aria-label="Main">
					{navFor(user).map((n) => (
						<NavLink
							key={n.to}
							to={n.to}
							end
							className={({ isActive }) =>
								`${styles.navLink} ${isActive ? styles.active : ""}`
							}
						>
							{t(n.label)}
						</NavLink>
					))}
				</nav>
				<div className={styles.user}>
					<div className={styles.who} data-testid="signed-in-user">
						<Text weight="semibold" style={{ color: "inherit" }}>
							{user.user.name}
						</Text>
						<Caption1 style={{ color: "inherit" }}>
							{[where, ...user.roles.map((r) => t(`roles.${r}`))]
								.filter(Boolean)
								.join(" · ")}
						</Caption1>
					</div>
					<LanguageSwitch className={styles.lang} signedIn />
					<Button
						appearance="secondary"
						onClick={() =>
							logout.mutate(undefined, { onSuccess: () => navigate("/login") })
						}
					>
						{t("signOut")}
					</Button>
				</div>
			</header>
			{/* Before the page, so that it listens when the page's first effect speaks. */}
			<PageAnnouncer />
			<main id="main" className={styles.main}>
				<Outlet />
			</main>
		</>
	);
}

export function NotFound() {
	const { t } = useTranslation();
	useEffect(() => {
		document.title = `${t("notFound")} · CPOR`;
	}, [t]);
	return (
		<div style={{ padding: 32 }}>
			<Text as="h1" size={700} weight="semibold" block>
				{t("notFound")}
			</Text>
			<p>{t("notFoundText")}</p>
			<FluentLink href="/">{t("back")}</FluentLink>
		</div>
	);
}
