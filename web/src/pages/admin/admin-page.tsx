/**
 * The platform admin's page (R-ROL-2): directory import, the directory as it is, the
 * business calendar, the sandbox clock and the dev mailbox, one tab each
 * (`?tab=import|directory|calendar|clock|mailbox`, so a tab can be linked).
 */
import {
	ArrowUploadRegular,
	BookSearchRegular,
	CalendarLtrRegular,
	ClockRegular,
	MailInboxRegular,
} from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import { useMe } from "../../api/session.ts";
import { Page } from "../../components/page.tsx";
import { EmptyState } from "../../components/states.tsx";
import { CalendarTab } from "./calendar-tab.tsx";
import { ClockTab } from "./clock-tab.tsx";
import { DirectoryTab } from "./directory-tab.tsx";
import { ImportTab } from "./import-tab.tsx";
import { MailboxTab } from "./mailbox-tab.tsx";
import { Tabs, useTabParam } from "./tabs.tsx";

const TABS = ["import", "directory", "calendar", "clock", "mailbox"] as const;
type TabKey = (typeof TABS)[number];

export function AdminPage() {
	const { t } = useTranslation("admin");
	const me = useMe();
	const [requested, selectTab] = useTabParam();
	const tab: TabKey = TABS.includes(requested as TabKey)
		? (requested as TabKey)
		: "import";

	if (me.data && me.data.kind !== "platform_admin")
		return (
			<Page title={t("title")}>
				<EmptyState title={t("notAdmin")} />
			</Page>
		);

	return (
		<Page title={t("title")}>
			<Tabs
				id="admin"
				label={t("tabsLabel")}
				selected={tab}
				onSelect={selectTab}
				tabs={[
					{
						value: "import",
						label: t("tabs.import"),
						icon: <ArrowUploadRegular />,
					},
					{
						value: "directory",
						label: t("tabs.directory"),
						icon: <BookSearchRegular />,
					},
					{
						value: "calendar",
						label: t("tabs.calendar"),
						icon: <CalendarLtrRegular />,
					},
					{ value: "clock", label: t("tabs.clock"), icon: <ClockRegular /> },
					{
						value: "mailbox",
						label: t("tabs.mailbox"),
						icon: <MailInboxRegular />,
					},
				]}
			>
				{tab === "import" && <ImportTab />}
				{tab === "directory" && <DirectoryTab />}
				{tab === "calendar" && <CalendarTab />}
				{tab === "clock" && <ClockTab />}
				{tab === "mailbox" && <MailboxTab />}
			</Tabs>
		</Page>
	);
}
