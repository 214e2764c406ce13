/**
 * Reads a cursor-paginated list (API.md "Lists are cursor-paginated") page by page,
 * following `nextCursor`, and returns each page's items, so that tests can check both the
 * pages' sizes and that every item comes once.
 */
import { expect } from "vitest";
import type { Client } from "./test-app.ts";

/** Every page of `/api/v1{path}` at `limit` items a page (at most 30 pages). */
export async function followPages<T>(
	client: Client,
	path: string,
	limit: number,
): Promise<T[][]> {
	const pages: T[][] = [];
	let cursor: string | null = null;
	do {
		const q = new URLSearchParams({ limit: String(limit) });
		if (cursor) q.set("cursor", cursor);
		const res = await client.get(`/api/v1${path}?${q}`);
		expect(res.statusCode, res.body).toBe(200);
		const body = res.json() as { items: T[]; nextCursor: string | null };
		pages.push(body.items);
		cursor = body.nextCursor;
		expect(pages.length).toBeLessThan(30);
	} while (cursor);
	return pages;
}
