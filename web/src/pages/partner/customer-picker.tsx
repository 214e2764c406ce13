/**
 * The usage report's customer filter: a search box over the partner's customers with an
 * active association (R-ACC-2; `GET /reports/usage/customers`), which a large partner
 * has tens of thousands of, so the server searches and the box shows the first matches.
 */
import { Combobox, makeStyles, Option } from "@fluentui/react-components";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type UsageCustomer, usageCustomersQuery } from "../../api/reports.ts";

/** The picked customer: its tenant ID ("" for all) and the label the box shows. */
export interface PickedCustomer {
	tenantId: string;
	label: string;
}

/** How many matches the box lists; typing narrows them. */
const CUSTOMERS_LISTED = 20;

const useStyles = makeStyles({
	box: { minWidth: "320px" },
	note: { fontStyle: "italic" },
});

/** "Name (domain)", or the domain for a tenant the directory has no name for. */
function labelOf(c: UsageCustomer): string {
	return c.name ? `${c.name} (${c.domain})` : c.domain;
}

/**
 * A combobox: typing searches the customers by name, domain or tenant ID (after a
 * 300 ms pause); choosing one calls `onPick`; "All customers" picks `tenantId` "".
 */
export function CustomerPicker({
	picked,
	onPick,
}: {
	picked: PickedCustomer;
	onPick: (customer: PickedCustomer) => void;
}) {
	const { t } = useTranslation("insights");
	const styles = useStyles();
	// What the user typed since the box was last closed or picked (null: nothing, and
	// the box shows the picked customer's label).
	const [typed, setTyped] = useState<string | null>(null);
	const [search, setSearch] = useState("");
	useEffect(() => {
		const id = setTimeout(() => setSearch(typed?.trim() ?? ""), 300);
		return () => clearTimeout(id);
	}, [typed]);
	const customers = useQuery({
		...usageCustomersQuery(search, CUSTOMERS_LISTED),
		placeholderData: keepPreviousData,
	});
	const all = t("usage.allCustomers");
	const items = customers.data?.items ?? [];

	return (
		<Combobox
			className={styles.box}
			value={typed ?? picked.label}
			selectedOptions={[picked.tenantId]}
			placeholder={t("usage.customerSearch")}
			onChange={(e) => setTyped(e.target.value)}
			onOptionSelect={(_, d) => {
				if (d.optionValue === undefined) return;
				setTyped(null);
				onPick({
					tenantId: d.optionValue,
					label: d.optionValue ? (d.optionText ?? d.optionValue) : "",
				});
			}}
			onOpenChange={(_, d) => {
				if (!d.open) setTyped(null);
				else if (customers.isError) void customers.refetch();
			}}
		>
			{!search && (
				<Option value="" text={all}>
					{all}
				</Option>
			)}
			{items.map((c) => (
				<Option key={c.tenantId} value={c.tenantId} text={labelOf(c)}>
					{labelOf(c)}
				</Option>
			))}
			{customers.isError ? (
				<Option disabled value="-error" text="" className={styles.note}>
					{t("usage.customersFailed")}
				</Option>
			) : customers.data && items.length === 0 ? (
				<Option disabled value="-none" text="" className={styles.note}>
					{search
						? t("usage.noCustomerMatches", { search })
						: t("usage.noCustomers")}
				</Option>
			) : customers.data?.nextCursor ? (
				<Option disabled value="-more" text="" className={styles.note}>
					{t("usage.moreCustomers", { count: CUSTOMERS_LISTED })}
				</Option>
			) : null}
		</Combobox>
	);
}
