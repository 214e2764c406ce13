/**
 * `/integrations`: a partner organization's admins (and platform admins) manage their
 * integrations, one tab each (`?tab=tokens|webhooks`, so a tab can be linked): API tokens
 * for scripts and CRMs, and webhook subscriptions for events. Anyone else sees that the
 * page is not for their role.
 */
import { Body1 } from "@fluentui/react-components";
import {
	KeyMultipleRegular,
	PlugConnectedRegular,
} from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import {
	canManageIntegrations,
	integrationTab,
} from "../../api/integrations.ts";
import { useMe } from "../../api/session.ts";
import { Page } from "../../components/page.tsx";
import { Loading } from "../../components/states.tsx";
import { Tabs, useTabParam } from "../admin/tabs.tsx";
import { NotAllowed, useSharedStyles } from "./shared.tsx";
import { TokensTab } from "./tokens-tab.tsx";
import { WebhooksTab } from "./webhooks-tab.tsx";

export function IntegrationsPage() {
	const { t } = useTranslation("integrations");
	const styles = useSharedStyles();
	const me = useMe();
	const [requested, selectTab] = useTabParam();
	const tab = integrationTab(requested);

	if (me.isLoading || !me.data)
		return (
			<Page title={t("title")}>
				<Loading />
			</Page>
		);
	if (!canManageIntegrations(me.data))
		return (
			<Page title={t("title")}>
				<NotAllowed />
			</Page>
		);

	return (
		<Page title={t("title")}>
			<Body1 as="p" block className={styles.pageIntro}>
				{t("intro", {
					context: me.data.kind === "platform_admin" ? "platform" : "",
				})}
			</Body1>
			<Tabs
				id="integrations"
				label={t("tabsLabel")}
				selected={tab}
				onSelect={selectTab}
				tabs={[
					{
						value: "tokens",
						label: t("tabs.tokens"),
						icon: <KeyMultipleRegular />,
					},
					{
						value: "webhooks",
						label: t("tabs.webhooks"),
						icon: <PlugConnectedRegular />,
					},
				]}
			>
				{tab === "tokens" ? <TokensTab /> : <WebhooksTab />}
			</Tabs>
		</Page>
	);
}
