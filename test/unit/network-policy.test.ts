/**
 * R-NTF-1 webhooks go to public addresses only (src/webhooks/network-policy.ts): which
 * addresses count as public, and the socket lookup that refuses names resolving to
 * others.
 */
import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
	isPublicAddress,
	privateHostOf,
	publicOnlyLookup,
} from "../../src/webhooks/network-policy.ts";

describe("R-NTF-1 the webhook network policy", () => {
	it("R-NTF-1 public unicast addresses pass; loopback, private, link-local, CGNAT, multicast, unspecified, broadcast and mapped private ones do not", () => {
		for (const ip of [
			"8.8.8.8",
			"20.190.128.1",
			"2606:4700::1111",
			"::ffff:8.8.8.8",
		])
			expect(isPublicAddress(ip), ip).toBe(true);
		for (const ip of [
			"127.0.0.1",
			"127.8.8.8",
			"10.0.0.1",
			"172.16.5.4",
			"192.168.1.1",
			"169.254.169.254",
			"100.64.0.1",
			"0.0.0.0",
			"224.0.0.1",
			"255.255.255.255",
			"::1",
			"::",
			"fe80::1",
			"fc00::1",
			"fd12:3456::1",
			"::ffff:127.0.0.1",
			"::ffff:10.0.0.1",
			"not-an-address",
			"",
		])
			expect(isPublicAddress(ip), ip).toBe(false);
	});

	it("R-NTF-1 a URL's host is judged without DNS: addresses and localhost; other names wait for the connection", () => {
		const of = (url: string) => privateHostOf(new URL(url));
		expect(of("http://127.0.0.1:8080/x")).toBe(
			"127.0.0.1 is a private address",
		);
		expect(of("http://[::1]/x")).toBe("::1 is a private address");
		expect(of("http://LOCALHOST/x")).toBe("localhost is this machine");
		expect(of("http://a.b.localhost/x")).toBe("a.b.localhost is this machine");
		expect(of("http://localhost.:8080/x")).toBe("localhost is this machine");
		expect(of("https://8.8.8.8/x")).toBeNull();
		expect(of("https://hooks.example.com/x")).toBeNull();
		expect(of("https://localhost.example.com/x")).toBeNull();
	});

	it("R-NTF-1 the socket lookup refuses a name that resolves to this machine, in both of its calling forms", async () => {
		const lookup = (all: boolean) =>
			new Promise<{ err: NodeJS.ErrnoException | null; found: unknown }>(
				(resolve) =>
					publicOnlyLookup("localhost", { all }, (err, found) =>
						resolve({ err, found }),
					),
			);
		for (const all of [true, false]) {
			const { err } = await lookup(all);
			expect(err?.code).toBe("EPRIVATEADDRESS");
			expect(err?.message).toMatch(/localhost resolves to the private address/);
		}
		// A public address literal resolves to itself and passes, in both forms.
		const passes = (all: boolean) =>
			new Promise<unknown>((resolve, reject) =>
				publicOnlyLookup("8.8.8.8", { all }, (err, found) =>
					err ? reject(err) : resolve(found),
				),
			);
		expect(await passes(true)).toEqual([
			{ address: "8.8.8.8", family: 4 },
		] satisfies LookupAddress[]);
		expect(await passes(false)).toBe("8.8.8.8");
	});
});
