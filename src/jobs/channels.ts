/**
 * The delivery channels the dispatcher uses (email notifications, webhooks). Each area
 * adds its channel here.
 */
import type { Config } from "../config.ts";
import { emailChannel } from "../notifications/email-channel.ts";
import { webhookChannel } from "../webhooks/channel.ts";
import type { Channel } from "./dispatcher.ts";

/** Every channel, in the order events are fanned out to them. */
export function defaultChannels(config: Config): Channel[] {
	return [
		webhookChannel({
			allowPrivateNetworks: config.webhookAllowPrivateNetworks,
		}),
		emailChannel(),
	];
}
