/**
 * Configuration from the environment (src/config.ts): what DATABASE_URL accepts and how
 * a bad value is reported; the credential cache's bounds; the PostgreSQL pool size;
 * whose X-Forwarded-For to believe.
 */
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultDbPoolSize, loadConfig } from "../../src/config.ts";

describe("DATABASE_URL", () => {
	it.each([
		"postgres://cpor:secret@db.example:5432/cpor",
		"postgresql://cpor@localhost/cpor?sslmode=require",
		"postgres://cpor@/cpor?host=/run/postgresql",
		"postgres:///cpor?host=/run/postgresql&user=cpor",
	])("accepts %s", (url) => {
		expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
	});

	it("treats an empty value as unset (the embedded database)", () => {
		expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
		// So are the other URLs' (`CPOR_PUBLIC_URL= cpor serve`): links use HOST:PORT.
		expect(loadConfig({ CPOR_PUBLIC_URL: "" }).publicUrl).toBeUndefined();
		expect(loadConfig({ SMTP_URL: "" }).smtpUrl).toBeUndefined();
	});

	it.each([
		"mysql://cpor@db.example/cpor",
		"db.example:5432/cpor",
		"http://db.example/cpor",
	])("refuses %s, naming the variable and the expected form", (url) => {
		expect(() => loadConfig({ DATABASE_URL: url })).toThrow(
			/DATABASE_URL: expected postgres:\/\/user:password@host:5432\/database/,
		);
	});

	it("names the real cause when pg cannot use the URL, e.g. a missing CA file", () => {
		expect(() =>
			loadConfig({
				DATABASE_URL:
					"postgres://cpor@db.example/cpor?sslrootcert=/nonexistent/ca.pem",
			}),
		).toThrow(/DATABASE_URL: .*nonexistent\/ca\.pem.*expected postgres:\/\//);
	});
});

describe("CPOR_AUTH_CACHE_SECONDS", () => {
	it("defaults to 10 s, and 0 turns the cache off", () => {
		expect(loadConfig({}).authCacheSeconds).toBe(10);
		expect(loadConfig({ CPOR_AUTH_CACHE_SECONDS: "0" }).authCacheSeconds).toBe(
			0,
		);
	});

	it("refuses more than an hour and negative values", () => {
		expect(() => loadConfig({ CPOR_AUTH_CACHE_SECONDS: "3601" })).toThrow(
			/CPOR_AUTH_CACHE_SECONDS: at most 3600/,
		);
		expect(() => loadConfig({ CPOR_AUTH_CACHE_SECONDS: "-1" })).toThrow(
			/CPOR_AUTH_CACHE_SECONDS/,
		);
	});
});

describe("CPOR_DB_POOL_SIZE", () => {
	it("defaults to 2 × the cores Node may use + 1, and takes a value given", () => {
		expect(loadConfig({}).dbPoolSize).toBe(2 * availableParallelism() + 1);
		expect(defaultDbPoolSize()).toBe(2 * availableParallelism() + 1);
		expect(loadConfig({ CPOR_DB_POOL_SIZE: "40" }).dbPoolSize).toBe(40);
	});

	it("refuses 0, fractions and more than 1000, naming the variable", () => {
		for (const bad of ["0", "2.5", "1001", "many"])
			expect(() => loadConfig({ CPOR_DB_POOL_SIZE: bad })).toThrow(
				/CPOR_DB_POOL_SIZE: /,
			);
	});
});

describe("CPOR_TRUST_PROXY", () => {
	it("defaults to a proxy on this machine; takes true, false, keywords, IPs and CIDRs", () => {
		expect(loadConfig({}).trustProxy).toBe("loopback");
		expect(loadConfig({ CPOR_TRUST_PROXY: "true" }).trustProxy).toBe(true);
		expect(loadConfig({ CPOR_TRUST_PROXY: "false" }).trustProxy).toBe(false);
		expect(
			loadConfig({
				CPOR_TRUST_PROXY: "loopback, 10.0.0.0/8, fd00::/8, 203.0.113.10",
			}).trustProxy,
		).toBe("loopback, 10.0.0.0/8, fd00::/8, 203.0.113.10");
	});

	it.each(["1", "True", "loopback,", "10.0.0.0/33", "proxy.example"])(
		"refuses %s, saying what it takes",
		(value) => {
			expect(() => loadConfig({ CPOR_TRUST_PROXY: value })).toThrow(
				/CPOR_TRUST_PROXY: expected true, false, or proxy addresses/,
			);
		},
	);
});
