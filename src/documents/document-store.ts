/**
 * Content-addressed storage of PoE documents on local disk (R-CRT-7, DESIGN "files").
 *
 * Documents are streamed to a temp file while being hashed (SHA-256) and type-checked by
 * content, then moved to `<root>/<sha[0..2]>/<sha[2..4]>/<sha>`. Identical bytes are
 * stored once. Stored files are read-only: documents are never altered.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, openSync } from "node:fs";
import {
	access,
	type FileHandle,
	mkdir,
	open,
	rename,
	rm,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import {
	describePoeAllowedTypes,
	detectPoeType,
	detectPoeTypeOfFile,
	isZipHead,
	POE_ALLOWED_TYPES,
	POE_DETECTION_BYTES,
	type PoeAllowedType,
	type PoeType,
} from "./detect-type.ts";

/** Default upload limit: 25 MiB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const STORED_FILE_MODE = 0o444;

/** Base class of document storage errors; `code` is the API error code. */
export class DocumentError extends Error {
	readonly code: string;
	constructor(code: string, message: string) {
		super(message);
		this.name = new.target.name;
		this.code = code;
	}
}

/** The upload exceeded the size limit; reading stopped at the limit. */
export class DocumentTooLargeError extends DocumentError {
	readonly maxBytes: number;
	constructor(maxBytes: number) {
		super(
			"payload_too_large",
			`Document exceeds the maximum size of ${maxBytes} bytes`,
		);
		this.maxBytes = maxBytes;
	}
}

/** The content is not one of the allowed PoE types (checked by content, not name). */
export class UnsupportedDocumentTypeError extends DocumentError {
	readonly allowed: readonly PoeAllowedType[] = POE_ALLOWED_TYPES;
	constructor() {
		super(
			"unsupported_media_type",
			`Unsupported document type; allowed types: ${describePoeAllowedTypes()}`,
		);
	}
}

/** The upload has no bytes at all. */
export class EmptyDocumentError extends DocumentError {
	constructor() {
		super(
			"validation_failed",
			"The file is empty (0 bytes): attach the PoE document itself.",
		);
	}
}

/** No stored document has this hash (or the hash is malformed). */
export class DocumentNotFoundError extends DocumentError {
	constructor(sha256: string) {
		super("not_found", `Document not found: ${sha256.slice(0, 80)}`);
	}
}

/** What {@link DocumentStore.put} stored. */
export interface StoredDocument {
	/** Lower-case hex SHA-256 of the content; also its storage key. */
	sha256: string;
	size: number;
	contentType: string;
	extension: string;
}

function normaliseHash(sha256: string): string | null {
	const lower = sha256.toLowerCase();
	return SHA256_HEX.test(lower) ? lower : null;
}

function toBytes(chunk: unknown): Uint8Array {
	if (chunk instanceof Uint8Array) return chunk;
	if (typeof chunk === "string") return Buffer.from(chunk);
	throw new TypeError("document stream must yield bytes");
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
	let offset = 0;
	while (offset < bytes.length) {
		const { bytesWritten } = await handle.write(
			bytes,
			offset,
			bytes.length - offset,
		);
		offset += bytesWritten;
	}
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
	const out = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	return out;
}

/** Local-disk, content-addressed PoE document store. */
export class DocumentStore {
	readonly root: string;
	readonly maxBytes: number;

	/**
	 * @param root the data directory's `documents/` folder (created on first put)
	 * @param maxBytes upload limit in bytes (default 25 MiB)
	 */
	constructor(root: string, maxBytes: number = DEFAULT_MAX_DOCUMENT_BYTES) {
		if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
			throw new RangeError(`maxBytes must be a positive integer: ${maxBytes}`);
		}
		this.root = root;
		this.maxBytes = maxBytes;
	}

	/**
	 * Streams a document into the store. Throws {@link DocumentTooLargeError} (reading
	 * stops at the limit), {@link EmptyDocumentError} or
	 * {@link UnsupportedDocumentTypeError}; no temp file is left
	 * behind on any failure. Bytes that are already stored keep one copy (dedup).
	 */
	async put(
		source: AsyncIterable<Uint8Array> | Readable,
	): Promise<StoredDocument> {
		const tmp = join(this.root, `.tmp-${randomBytes(16).toString("hex")}`);
		// Created read-only: the mode binds later opens, not this handle's writes. The
		// process's umask applies (022: 0444; a strict 077: 0400, the owner's alone).
		const handle = await this.#inFolder(this.root, () =>
			open(tmp, "wx", STORED_FILE_MODE),
		);
		let handleOpen = true;
		try {
			const hash = createHash("sha256");
			let size = 0;
			const headChunks: Uint8Array[] = [];
			let headLength = 0;
			// undefined: not checked yet; "zip": a zip whose head alone was not conclusive.
			let type: PoeType | "zip" | undefined;

			const checkHead = async (): Promise<void> => {
				const head = concat(headChunks, headLength);
				headChunks.length = 0;
				const detected = await detectPoeType(head);
				if (detected) type = detected;
				// An OOXML package may name its parts late in the zip: decide on the whole file.
				else if (isZipHead(head)) type = "zip";
				else throw new UnsupportedDocumentTypeError();
			};

			for await (const chunk of source) {
				const bytes = toBytes(chunk);
				if (bytes.length === 0) continue;
				if (size + bytes.length > this.maxBytes) {
					throw new DocumentTooLargeError(this.maxBytes);
				}
				size += bytes.length;
				hash.update(bytes);
				await writeAll(handle, bytes);
				if (type === undefined) {
					// Copy: callers may reuse their buffers.
					headChunks.push(new Uint8Array(bytes));
					headLength += bytes.length;
					if (headLength >= POE_DETECTION_BYTES) await checkHead();
				}
			}
			if (size === 0) throw new EmptyDocumentError();
			if (type === undefined) await checkHead();

			await handle.sync();
			await handle.close();
			handleOpen = false;

			if (type === "zip") {
				const detected = await detectPoeTypeOfFile(tmp);
				if (!detected) throw new UnsupportedDocumentTypeError();
				type = detected;
			}
			if (type === undefined) throw new UnsupportedDocumentTypeError();

			const sha256 = hash.digest("hex");
			const target = this.path(sha256);
			// Stored already or not, the same bytes end up at the target: renaming over a
			// stored copy replaces it atomically (a reader keeps the file it opened), which
			// costs less than asking first whether it is there.
			await this.#inFolder(dirname(target), () => rename(tmp, target));
			return {
				sha256,
				size,
				contentType: type.contentType,
				extension: type.extension,
			};
		} catch (error) {
			if (handleOpen) await handle.close().catch(() => {});
			await rm(tmp, { force: true }).catch(() => {});
			throw error;
		}
	}

	/**
	 * Runs `create` (which makes an entry in `folder`); when the folder is not there
	 * (ENOENT), makes it and runs `create` again. A large store has most of its shard
	 * folders already, so asking first would cost a system call per upload.
	 */
	async #inFolder<T>(folder: string, create: () => Promise<T>): Promise<T> {
		try {
			return await create();
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		}
		await mkdir(folder, { recursive: true });
		return create();
	}

	/** Opens a stored document for reading; throws {@link DocumentNotFoundError}. */
	open(sha256: string): Readable {
		const file = this.path(sha256);
		let fd: number;
		try {
			fd = openSync(file, "r");
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === "ENOENT") {
				throw new DocumentNotFoundError(sha256);
			}
			throw error;
		}
		return createReadStream(file, { fd, autoClose: true });
	}

	/** True when a document with this hash is stored (false for malformed hashes). */
	async has(sha256: string): Promise<boolean> {
		const hash = normaliseHash(sha256);
		if (!hash) return false;
		try {
			await access(this.path(hash));
			return true;
		} catch {
			return false;
		}
	}

	/**
	 * Where a document with this hash is (or would be) stored. Throws
	 * {@link DocumentNotFoundError} for anything but 64 hex characters, so a hash can
	 * never address a path outside the store.
	 */
	path(sha256: string): string {
		const hash = normaliseHash(sha256);
		if (!hash) throw new DocumentNotFoundError(sha256);
		return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash);
	}
}
