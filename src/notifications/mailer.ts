/**
 * Sending email over SMTP (nodemailer). One transport per configuration; a new SMTP
 * connection per message, with short timeouts so a hung server fails the attempt (the
 * dispatcher retries it with backoff) instead of holding the delivery batch.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type nodemailer from "nodemailer";
import type { Config } from "../config.ts";
import type { Delivery } from "../jobs/dispatcher.ts";

type Transport = ReturnType<typeof nodemailer.createTransport>;
const transports = new WeakMap<Config, Transport>();

/** The SMTP transport of a configuration (which must have `smtpUrl`). */
export function transportFor(config: Config): Transport {
	if (!config.smtpUrl) throw new Error("SMTP_URL is not configured");
	let t = transports.get(config);
	if (!t) {
		// Loaded on first use: a server without SMTP_URL never pays for it (~15 MB).
		const mailer: typeof nodemailer = createRequire(import.meta.url)(
			"nodemailer",
		);
		t = mailer.createTransport({
			url: config.smtpUrl,
			connectionTimeout: 10_000,
			greetingTimeout: 10_000,
			socketTimeout: 30_000,
			disableFileAccess: true,
			disableUrlAccess: true,
		});
		transports.set(config, t);
	}
	return t;
}

/** The domain of Message-IDs and the default sender. */
export function mailDomain(config: Config): string {
	const fromDomain = /@([^>\s]+)>?\s*$/.exec(config.smtpFrom ?? "")?.[1];
	if (fromDomain) return fromDomain;
	if (config.publicUrl) {
		try {
			return new URL(config.publicUrl).hostname || "localhost";
		} catch {
			// fall through
		}
	}
	return "localhost";
}

/** The From header. */
export function senderOf(config: Config): string {
	return config.smtpFrom ?? `CPOR <no-reply@${mailDomain(config)}>`;
}

/**
 * The Message-ID of a delivery: the same on every attempt (derived from the delivery's
 * ID and dedupe key), so a receiver recognizes a retried message.
 */
export function messageIdOf(delivery: Delivery, config: Config): string {
	const h = createHash("sha256")
		.update(delivery.dedupeKey)
		.digest("hex")
		.slice(0, 16);
	return `<cpor.${delivery.id}.${h}@${mailDomain(config)}>`;
}

/** Sends one email delivery. Throws on any SMTP failure (the dispatcher retries). */
export async function sendDeliveryMail(
	config: Config,
	d: Delivery,
): Promise<void> {
	if (!d.subject || !d.bodyText)
		throw new Error(`email delivery ${d.id} has no subject or text`);
	await transportFor(config).sendMail({
		from: senderOf(config),
		to: d.target,
		subject: d.subject,
		text: d.bodyText,
		...(d.bodyHtml ? { html: d.bodyHtml } : {}),
		messageId: messageIdOf(d, config),
		headers: {
			"Auto-Submitted": "auto-generated",
			"Content-Language": d.locale,
			"X-CPOR-Delivery": String(d.id),
			"X-CPOR-Event": d.eventType,
		},
	});
}
