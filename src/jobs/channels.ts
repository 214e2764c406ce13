/**
 * The delivery channels the dispatcher uses (email notifications, webhooks). Each area
 * adds its channel here.
 */
import { webhookChannel } from "../webhooks/channel.ts";
import { emailChannel } from "../notifications/email-channel.ts";
import type { Channel } from "./dispatcher.ts";

/** Every channel, in the order events are fanned out to them. */
export function defaultChannels(): Channel[] {
	return [webhookChannel(), emailChannel()];
}
