/**
 * A page for one kind of user only (partners, reviewers, customer admins, platform
 * admins): anyone else who opens
 * its address gets a page that says whom it is for, with a link to their own start page,
 * instead of the page's filters over an error that a retry cannot mend. The server
 * refuses them anyway (403); this only says so before asking.
 */
import { Button } from "@fluentui/react-components";
import type { ComponentType, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useParams } from "react-router";
import { useMe } from "../api/session.ts";
import type { Me } from "../api/types.ts";
import { homeFor } from "../shell.tsx";
import { Page } from "./page.tsx";
import { useRouterClick } from "./router-click.ts";
import { EmptyState } from "./states.tsx";

/** The kinds of user a page can be for. */
export type PageKind = Extract<
	Me["kind"],
	"partner" | "reviewer" | "customer" | "platform_admin"
>;

/**
 * Renders `children` when the signed-in user is of `kind` (or not known yet: the shell
 * deals with signing in); sends a user of a kind in `elsewhere` to its address (the same
 * thing on their own page, e.g. a claim's review page for a reviewer who opened the
 * partner's); otherwise shows a page titled `title` (a key of `common`) that says it is
 * for that kind of user.
 */
export function ForKind({
	kind,
	title,
	elsewhere,
	children,
}: {
	kind: PageKind;
	title: string;
	elsewhere?: Partial<Record<Me["kind"], string>>;
	children: ReactNode;
}) {
	const { t } = useTranslation();
	const me = useMe();
	const home = me.data ? homeFor(me.data) : "/";
	const goHome = useRouterClick(home);
	if (!me.data || me.data.kind === kind) return children;
	const there = elsewhere?.[me.data.kind];
	if (there) return <Navigate to={there} replace />;
	return (
		<Page title={t(title)}>
			<EmptyState title={t(`notFor.${kind}`)}>
				<Button as="a" appearance="primary" href={home} onClick={goHome}>
					{t("notFor.home")}
				</Button>
			</EmptyState>
		</Page>
	);
}

/**
 * A route's page for `kind` only (see {@link ForKind}), titled `title` for anyone else.
 * `elsewhere` gives, per other kind of user, the address of the same thing on their own
 * page, from the route's `:id` where it has one (a claim's review page for a reviewer
 * who opened the partner's; the reviewer's list for the partner's).
 */
export function forKind(
	kind: PageKind,
	Page: ComponentType,
	title: string,
	elsewhere?: Partial<Record<Me["kind"], (id: string) => string>>,
): ComponentType {
	return function PageForKind() {
		const { id } = useParams();
		const there = elsewhere
			? Object.fromEntries(
					Object.entries(elsewhere).map(([k, to]) => [k, to(id ?? "")]),
				)
			: undefined;
		return (
			<ForKind kind={kind} title={title} elsewhere={there}>
				<Page />
			</ForKind>
		);
	};
}
