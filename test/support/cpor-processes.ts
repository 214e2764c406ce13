/**
 * `cpor serve` and `cpor worker` as child processes (`node bin/cpor.js …`), for tests
 * that run several nodes on one PostgreSQL (docs/operations.md "Several nodes on one
 * PostgreSQL"), and a small keep-alive HTTP client for talking to them over real
 * sockets. Each process's output is kept (the last 64 KiB) so a failing test can show it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";

/** A running `cpor` child process. */
export interface CporProcess {
	/** The name given at start (used in messages). */
	name: string;
	child: ChildProcess;
	/** `http://127.0.0.1:<port>` of a `serve` process; undefined for a worker. */
	url: string | undefined;
	/** The process's stdout and stderr, interleaved (the last 64 KiB). */
	output(): string;
	/** The exit code or signal once the process ended; undefined while it runs. */
	exit(): string | undefined;
	/** SIGTERM, then SIGKILL after `graceMs` (default 10 s). Resolves once it exited. Idempotent. */
	stop(graceMs?: number): Promise<void>;
}

/** Options of {@link startCporProcess}. */
export interface CporProcessOptions {
	name: string;
	/** `serve` listens on a free port (`--port 0`) and waits for `/readyz`; `worker` waits for its start line. */
	command: "serve" | "worker";
	/** Extra arguments after the command (`--interval 250` …). */
	args?: string[];
	/** Environment added to this process's (DATABASE_URL, CPOR_DATA_DIR, …). */
	env: Record<string, string>;
	/** How long to wait for the process to be ready (default 60 s). */
	readyTimeoutMs?: number;
}

const KEEP = 64 * 1024;

/**
 * Starts `node bin/cpor.js <command>` from the repository root and waits until it is
 * ready: a server when it printed its URL and `/readyz` answers 200, a worker when it
 * printed its start line. Throws (after killing it) with its output when it exits or
 * is not ready in time.
 */
export async function startCporProcess(
	opts: CporProcessOptions,
): Promise<CporProcess> {
	const args =
		opts.command === "serve"
			? ["bin/cpor.js", "serve", "--port", "0", ...(opts.args ?? [])]
			: ["bin/cpor.js", "worker", ...(opts.args ?? [])];
	const child = spawn(process.execPath, args, {
		env: { ...process.env, ...opts.env },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let out = "";
	const append = (d: Buffer) => {
		out += d.toString("utf8");
		if (out.length > KEEP) out = out.slice(-KEEP);
	};
	child.stdout?.on("data", append);
	child.stderr?.on("data", append);
	let exitInfo: string | undefined;
	const exited = new Promise<void>((resolve) => {
		child.once("exit", (code, signal) => {
			exitInfo = signal ? `signal ${signal}` : `code ${code}`;
			resolve();
		});
	});
	let stopping: Promise<void> | undefined;
	const proc: CporProcess = {
		name: opts.name,
		child,
		url: undefined,
		output: () => out,
		exit: () => exitInfo,
		stop(graceMs = 10_000) {
			stopping ??= (async () => {
				if (exitInfo !== undefined) return;
				child.kill("SIGTERM");
				const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
				await exited;
				clearTimeout(timer);
			})();
			return stopping;
		},
	};

	const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
	const fail = async (why: string): Promise<never> => {
		await proc.stop(2_000);
		throw new Error(
			`${opts.name} (cpor ${opts.command}) ${why}\n--- output ---\n${out.slice(-4000)}`,
		);
	};
	for (;;) {
		if (exitInfo !== undefined) return fail(`exited (${exitInfo}) at start`);
		if (Date.now() > deadline) return fail("was not ready in time");
		if (opts.command === "worker") {
			if (/CPOR worker running on/.test(out)) return proc;
		} else {
			const m = /CPOR is running at (http:\/\/[^\s]+)/.exec(out);
			if (m?.[1]) {
				const url = m[1];
				const ready = await request(`${url}/readyz`, { method: "GET" }).catch(
					() => undefined,
				);
				if (ready?.status === 200) {
					proc.url = url;
					return proc;
				}
			}
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** One HTTP answer. */
export interface HttpAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Closes the keep-alive connections of {@link request} (call before stopping the servers). */
export function closeHttpConnections(): void {
	agent.destroy();
}

/** Sends one request (keep-alive) and reads the whole answer. Rejects on network errors. */
export function request(
	url: string,
	opts: {
		method: string;
		headers?: Record<string, string>;
		body?: string | Buffer;
	},
): Promise<HttpAnswer> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: opts.method, headers: opts.headers ?? {}, agent },
			(res) => {
				const chunks: Buffer[] = [];
				res.on("data", (c: Buffer) => chunks.push(c));
				res.on("end", () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString("utf8"),
					}),
				);
				res.on("error", reject);
			},
		);
		req.on("error", reject);
		req.end(opts.body);
	});
}

/** A `multipart/form-data` body with one file in field `file`. */
export function multipartFile(
	bytes: Uint8Array,
	fileName: string,
	contentType = "application/pdf",
): { body: Buffer; contentType: string } {
	const boundary = `----cpor${Math.random().toString(16).slice(2)}`;
	return {
		body: Buffer.concat([
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
			),
			Buffer.from(bytes),
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}
