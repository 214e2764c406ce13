/**
 * The directory for reviewers (`/review/directory`; GET /admin/directory/tenants and
 * /partners): the same look-up as the platform admin's Directory tab, to check a
 * claim's customer, subscriptions or partner while reviewing it. Reviewers do not change
 * the directory.
 */
import { useTranslation } from "react-i18next";
import { Page } from "../../components/page.tsx";
import { DirectoryTab } from "../admin/directory-tab.tsx";

export function ReviewDirectoryPage() {
	const { t } = useTranslation("common");
	return (
		<Page title={t("nav.directory")}>
			<DirectoryTab canImport={false} />
		</Page>
	);
}
