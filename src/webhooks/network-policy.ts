/**
 * Where webhooks may be sent: public addresses only, unless the operator allows private
 * networks (`CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS`). A partner admin chooses the URL, and
 * CPOR's server sends requests to it from inside the vendor's network; without this a
 * subscription could reach the cloud's metadata service (169.254.169.254), the database
 * or any internal service (server-side request forgery). The host is checked when the
 * subscription is made (an IP address or `localhost`) and again when each request
 * connects (the addresses its name resolves to then), so a name that later resolves to a
 * private address is refused too.
 */
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import type { Agent } from "undici";

/** The setting that allows private networks, named in the refusals. */
export const ALLOW_PRIVATE_NETWORKS_SETTING =
	"CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS";

/** What a refused delivery's error adds: the rule, and the setting that lifts it. */
export const PUBLIC_ADDRESSES_ONLY = `webhooks go to public addresses unless ${ALLOW_PRIVATE_NETWORKS_SETTING}=true`;

/**
 * Whether `address` (an IPv4 or IPv6 address) is a public unicast address: not
 * loopback, private (RFC 1918, unique local), link-local (169.254/16, fe80::/10),
 * carrier-grade NAT, multicast, unspecified or reserved. An IPv4-mapped IPv6 address is
 * judged as its IPv4 address. Anything that is not an address is not public.
 */
export function isPublicAddress(address: string): boolean {
	if (!ipaddr.isValid(address)) return false;
	let ip = ipaddr.parse(address);
	if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress())
		ip = (ip as ipaddr.IPv6).toIPv4Address();
	return ip.range() === "unicast";
}

/**
 * Why a webhook URL's host may not be used, judged without DNS: an IP address that is
 * not public ({@link isPublicAddress}), or `localhost` (and names under it). Null for
 * any other name, which is checked when a request connects.
 */
export function privateHostOf(url: URL): string | null {
	// URL keeps IPv6 hosts in brackets; a name may end with the root's dot.
	const host = url.hostname
		.replace(/^\[(.*)\]$/, "$1")
		.replace(/\.$/, "")
		.toLowerCase();
	if (host === "localhost" || host.endsWith(".localhost"))
		return `${host} is this machine`;
	if (ipaddr.isValid(host) && !isPublicAddress(host))
		return `${host} is a private address`;
	return null;
}

/** The error a refused connection fails with (its `code` is `EPRIVATEADDRESS`). */
function refused(hostname: string, address: string): NodeJS.ErrnoException {
	const err: NodeJS.ErrnoException = new Error(
		`${hostname} resolves to the private address ${address}; ${PUBLIC_ADDRESSES_ONLY}`,
	);
	err.code = "EPRIVATEADDRESS";
	return err;
}

/**
 * A `dns.lookup` for sockets that fails when the name resolves to any address that is
 * not public, so the check and the connection use the same answer.
 */
export const publicOnlyLookup: LookupFunction = (
	hostname,
	options,
	callback,
) => {
	dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
		if (err) return callback(err, "", 0);
		const found = addresses as dns.LookupAddress[];
		const bad = found.find((a) => !isPublicAddress(a.address));
		if (bad) return callback(refused(hostname, bad.address), "", 0);
		if (options.all)
			return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(
				null,
				found,
			);
		const [first] = found;
		if (!first) return callback(refused(hostname, "(none)"), "", 0);
		callback(null, first.address, first.family);
	});
};

let dispatcher: Promise<Agent> | undefined;

/**
 * The process's HTTP dispatcher for `fetch` whose connections go to public addresses
 * only, made on first use: loading undici costs ~70 ms and ~20 MB, which a server that
 * sends no webhook should not pay.
 */
export function publicOnlyDispatcher(): Promise<Agent> {
	dispatcher ??= import("undici").then(
		({ Agent }) => new Agent({ connect: { lookup: publicOnlyLookup } }),
	);
	return dispatcher;
}
