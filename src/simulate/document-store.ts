/**
 * The PoE store of `cpor simulate`: the ordinary content-addressed {@link DocumentStore}
 * (type checked by content, stored once per SHA-256), which remembers what it stored in
 * this process, so the same bytes uploaded again are hashed but not written, synced
 * and renamed to disk once per claim (the ordinary store writes a temporary file every
 * time before it finds the content already stored).
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
	DocumentStore,
	DocumentTooLargeError,
	type StoredDocument,
} from "../documents/document-store.ts";

export class SimulationDocumentStore extends DocumentStore {
	readonly #stored = new Map<string, StoredDocument>();

	override async put(
		source: AsyncIterable<Uint8Array> | Readable,
	): Promise<StoredDocument> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of source) {
			const bytes = Buffer.from(chunk as Uint8Array);
			size += bytes.length;
			if (size > this.maxBytes) throw new DocumentTooLargeError(this.maxBytes);
			chunks.push(bytes);
		}
		const sha256 = createHash("sha256")
			.update(Buffer.concat(chunks))
			.digest("hex");
		const known = this.#stored.get(sha256);
		if (known) return { ...known };
		const stored = await super.put(Readable.from(chunks));
		this.#stored.set(stored.sha256, stored);
		return { ...stored };
	}
}
