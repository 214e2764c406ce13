/**
 * The organization's webhook subscriptions (docs/api.md "Webhooks", "Events"): subscribe
 * an endpoint to all events or chosen ones (the signing secret is shown this once), the
 * list, and delete with a confirmation.
 */
import {
	Badge,
	Body1,
	Caption1,
	Checkbox,
	Field,
	Input,
	makeStyles,
	Radio,
	RadioGroup,
	tokens,
} from "@fluentui/react-components";
import { PlugConnectedRegular } from "@fluentui/react-icons";
import type { TFunction } from "i18next";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FieldProblem } from "../../api/client.ts";
import {
	EVENT_TYPES,
	type EventType,
	hasWebhooks,
	type NewWebhook,
	useCreateWebhook,
	useDeleteWebhook,
	useWebhooks,
	type Webhook,
} from "../../api/integrations.ts";
import { useMe } from "../../api/session.ts";
import { formatDateTime } from "../../format.ts";
import {
	type ItemKind,
	ItemsTab,
	problemsOf,
	TitledMessage,
	useSharedStyles,
} from "./shared.tsx";

/** The longest URL the server takes. */
const URL_MAX = 2000;

const useStyles = makeStyles({
	events: {
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		margin: 0,
		padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
		display: "grid",
		gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 270px), 1fr))",
		columnGap: tokens.spacingHorizontalM,
	},
	legend: {
		padding: `0 ${tokens.spacingHorizontalXS}`,
		fontWeight: tokens.fontWeightSemibold,
	},
	eventLabel: { display: "flex", flexDirection: "column" },
	code: {
		fontFamily: tokens.fontFamilyMonospace,
		color: tokens.colorNeutralForeground3,
	},
	invalid: { color: tokens.colorPaletteRedForeground1 },
});

const WEBHOOKS: ItemKind<Webhook, NewWebhook> = {
	texts: "webhooks",
	remove: "delete",
	removed: "deleted",
	id: "webhook",
	testId: "webhook",
	icon: PlugConnectedRegular,
	title: (w) => w.url,
	mono: true,
	secret: (w) => w.secret,
	values: (w) => ({ url: w.url }),
};

/** The key of an event type's name (`claim.submitted` → `events.claim_submitted`). */
function eventKey(type: string): string {
	return `events.${type.replace(/\./g, "_")}`;
}

/** True when a subscription receives every event type. */
function allEvents(types: readonly string[]): boolean {
	return EVENT_TYPES.every((e) => types.includes(e));
}

/** The host of a URL as typed (for the private-address message). */
function hostOf(url: string): string {
	try {
		return new URL(url).hostname;
	} catch {
		return url;
	}
}

/** A field problem of the URL in the user's language. */
function urlMessage(
	t: TFunction,
	problems: FieldProblem[],
	sent: string,
): string | undefined {
	const p = problems[0];
	if (!p) return undefined;
	if (p.code === "private_address")
		return t("webhooks.urlPrivate", { host: hostOf(sent) });
	if (p.code === "too_big") return t("webhooks.urlTooLong", { max: URL_MAX });
	if (p.code === "https_required") return t("webhooks.urlHttps");
	return t("webhooks.urlInvalid");
}

export function WebhooksTab() {
	const { t } = useTranslation("integrations");
	const me = useMe();
	if (me.data && !hasWebhooks(me.data))
		return (
			<TitledMessage
				intent="info"
				title={t("webhooks.partnerOnlyTitle")}
				testId="webhooks-partner-only"
			>
				{t("webhooks.partnerOnlyText")}
			</TitledMessage>
		);
	return <Webhooks />;
}

function Webhooks() {
	const { t } = useTranslation("integrations");
	const shared = useSharedStyles();
	const styles = useStyles();
	const me = useMe();
	const list = useWebhooks();
	const create = useCreateWebhook();
	const remove = useDeleteWebhook();
	const [url, setUrl] = useState("");
	const [scope, setScope] = useState<"all" | "some">("all");
	const [chosen, setChosen] = useState<ReadonlySet<EventType>>(new Set());
	const [missing, setMissing] = useState<{ url: boolean; events: boolean }>({
		url: false,
		events: false,
	});
	const eventsHint = useId();
	const eventsError = useId();

	const urlProblem = missing.url
		? t("webhooks.urlRequired")
		: urlMessage(
				t,
				problemsOf(create.error, "url"),
				create.variables?.url ?? "",
			);
	const eventsProblem = missing.events
		? t("webhooks.eventsRequired")
		: problemsOf(create.error, "eventTypes")[0]?.message;

	/** The subscription to send, or null (and what is missing said) when incomplete. */
	function input() {
		const trimmed = url.trim();
		const noEvents = scope === "some" && chosen.size === 0;
		setMissing({ url: trimmed === "", events: noEvents });
		if (!trimmed || noEvents) return null;
		return {
			url: trimmed,
			...(scope === "some"
				? { eventTypes: EVENT_TYPES.filter((e) => chosen.has(e)) }
				: {}),
		};
	}

	function toggle(type: EventType, on: boolean) {
		setChosen((prev) => {
			const next = new Set(prev);
			if (on) next.add(type);
			else next.delete(type);
			return next;
		});
		if (on) setMissing((m) => ({ ...m, events: false }));
	}

	const webhooks = list.data?.pages.flatMap((p) => p.items) ?? [];
	return (
		<ItemsTab
			kind={WEBHOOKS}
			intro={t("webhooks.intro", {
				organization: me.data?.organization?.name ?? "",
			})}
			list={list}
			items={webhooks}
			create={create}
			remove={remove}
			fields={["url", "eventTypes"]}
			input={input}
			onCreated={() => {
				setUrl("");
				setScope("all");
				setChosen(new Set());
			}}
			details={(w) => <WebhookFacts webhook={w} />}
			confirmDetail={(w) => (
				<Body1 as="p" block className={shared.mono}>
					{w.url}
				</Body1>
			)}
		>
			<Field
				label={t("webhooks.url")}
				hint={t("webhooks.urlHint")}
				required
				validationMessage={urlProblem}
			>
				<Input
					type="url"
					inputMode="url"
					value={url}
					maxLength={URL_MAX}
					autoComplete="off"
					spellCheck={false}
					placeholder="https://crm.example.com/cpor/events"
					onChange={(_, d) => {
						setUrl(d.value);
						if (d.value.trim()) setMissing((m) => ({ ...m, url: false }));
						if (create.isError) create.reset();
					}}
				/>
			</Field>
			<Field label={t("webhooks.scope")}>
				<RadioGroup
					value={scope}
					onChange={(_, d) => {
						setScope(d.value as "all" | "some");
						setMissing((m) => ({ ...m, events: false }));
					}}
				>
					<Radio value="all" label={t("webhooks.scopeAll")} />
					<Radio value="some" label={t("webhooks.scopeSome")} />
				</RadioGroup>
			</Field>
			{scope === "some" && (
				<fieldset
					className={styles.events}
					aria-describedby={
						eventsProblem ? `${eventsHint} ${eventsError}` : eventsHint
					}
					data-testid="webhook-event-choices"
				>
					<legend className={styles.legend}>
						{t("webhooks.eventsLegend")}
					</legend>
					<Caption1 id={eventsHint} block style={{ gridColumn: "1 / -1" }}>
						{t("webhooks.eventsHint")}
					</Caption1>
					{EVENT_TYPES.map((type) => (
						<Checkbox
							key={type}
							checked={chosen.has(type)}
							onChange={(_, d) => toggle(type, d.checked === true)}
							label={
								<span className={styles.eventLabel}>
									<span>{t(eventKey(type))}</span>
									<Caption1 className={styles.code}>{type}</Caption1>
								</span>
							}
						/>
					))}
					{eventsProblem && (
						<Caption1
							id={eventsError}
							block
							className={styles.invalid}
							role="alert"
							style={{ gridColumn: "1 / -1" }}
						>
							{eventsProblem}
						</Caption1>
					)}
				</fieldset>
			)}
		</ItemsTab>
	);
}

/** A subscription's event types (as badges) and creation. */
function WebhookFacts({ webhook: w }: { webhook: Webhook }) {
	const { t } = useTranslation("integrations");
	const shared = useSharedStyles();
	const all = allEvents(w.eventTypes);
	return (
		<>
			<ul
				className={shared.badges}
				aria-label={t("webhooks.eventsLabel")}
				data-testid="webhook-events"
				data-event-types={all ? "all" : w.eventTypes.join(" ")}
			>
				{all ? (
					<li>
						<Badge appearance="tint" color="brand">
							{t("webhooks.allEvents")}
						</Badge>
					</li>
				) : (
					w.eventTypes.map((type) => (
						<li key={type}>
							<Badge appearance="tint" color="informative" title={type}>
								{t(eventKey(type), { defaultValue: type })}
							</Badge>
						</li>
					))
				)}
			</ul>
			<Caption1 className={shared.facts}>
				{t("webhooks.created", { date: formatDateTime(w.createdAt) })}
			</Caption1>
		</>
	);
}
