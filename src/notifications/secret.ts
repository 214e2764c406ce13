/**
 * The HMAC secret that signs links in email (R-CON-1): `CPOR_SECRET`, or else a random
 * secret generated on first use and kept in `<data dir>/secret` (mode 0600), so links stay
 * valid across restarts. Several processes sharing one data directory agree on it (the
 * file is created atomically). Nodes on different hosts sharing one PostgreSQL must be
 * given the same `CPOR_SECRET`.
 */
import { randomBytes } from "node:crypto";
import {
	chmodSync,
	linkSync,
	mkdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";

const cache = new WeakMap<Config, string>();

/** The path of the generated secret for a data directory. */
export function secretFilePath(dataDir: string): string {
	return path.resolve(dataDir, "secret");
}

function readSecretFile(file: string): string | null {
	try {
		const s = readFileSync(file, "utf8").trim();
		return s.length >= 32 ? s : null;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
		throw err;
	}
}

/**
 * The signing secret of this configuration. Reads or creates `<dataDir>/secret` when
 * `CPOR_SECRET` is not set. @throws when the data directory is not writable and no
 * secret exists there yet (set `CPOR_SECRET` then).
 */
export function signingSecret(config: Config): string {
	const cached = cache.get(config);
	if (cached) return cached;
	let secret = config.secret;
	if (!secret) {
		const file = secretFilePath(config.dataDir);
		secret = readSecretFile(file) ?? undefined;
		if (!secret) {
			mkdirSync(path.dirname(file), { recursive: true });
			const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
			writeFileSync(tmp, `${randomBytes(32).toString("hex")}\n`, {
				mode: 0o600,
				flag: "wx",
			});
			try {
				chmodSync(tmp, 0o600);
				// link() fails if another process created the file first: then use theirs.
				linkSync(tmp, file);
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
			} finally {
				rmSync(tmp, { force: true });
			}
			secret = readSecretFile(file) ?? undefined;
			if (!secret)
				throw new Error(
					`Could not read the signing secret from ${file}; set CPOR_SECRET.`,
				);
		}
	}
	cache.set(config, secret);
	return secret;
}
