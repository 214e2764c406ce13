/**
 * untilStalled (src/http/routes/reports.ts): a streamed export whose client stops
 * reading is dropped after the idle time, and its pages are stopped (a usage export
 * holds a database connection until then).
 */
import type { FastifyReply } from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { untilStalled } from "../../src/http/routes/reports.ts";

describe("untilStalled", () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it("drops the response only when a page stays unread for the idle time, and stops the pages", async () => {
		vi.useFakeTimers();
		let destroyed = 0;
		let stopped = false;
		let n = 0;
		const pages: AsyncIterable<number> = {
			[Symbol.asyncIterator]: () => ({
				next: async () => ({ done: false, value: n++ }),
				return: async () => {
					stopped = true;
					return { done: true, value: undefined };
				},
			}),
		};
		const reply = {
			raw: {
				destroy: () => {
					destroyed++;
				},
			},
		} as unknown as FastifyReply;
		const stream = untilStalled(pages, reply, 1000);
		expect((await stream.next()).value).toBe(0);
		await vi.advanceTimersByTimeAsync(999);
		// Read in time: the next page, and the clock starts again.
		expect((await stream.next()).value).toBe(1);
		await vi.advanceTimersByTimeAsync(999);
		expect(destroyed).toBe(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(destroyed).toBe(1);
		// The dropped response stops the stream, which stops the pages.
		await stream.return(undefined);
		expect(stopped).toBe(true);
		await vi.advanceTimersByTimeAsync(5000);
		expect(destroyed).toBe(1);
	});
});
