import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	ClockRangeError,
	ClockRewindError,
	parseIsoDuration,
	SANDBOX_LATEST,
	SandboxClock,
	systemClock,
} from "../../src/domain/clock.ts";

const d = (iso: string) => new Date(iso);

describe("parseIsoDuration", () => {
	it("R-TIME-9 parses the ISO 8601 durations the sandbox accepts", () => {
		expect(parseIsoDuration("P3D")).toEqual({ days: 3 });
		expect(parseIsoDuration("PT1H")).toEqual({ hours: 1 });
		expect(parseIsoDuration("P1DT2H30M")).toEqual({
			days: 1,
			hours: 2,
			minutes: 30,
		});
		expect(parseIsoDuration("P2W")).toEqual({ weeks: 2 });
		expect(parseIsoDuration("P1Y2M3W4DT5H6M7S")).toEqual({
			years: 1,
			months: 2,
			weeks: 3,
			days: 4,
			hours: 5,
			minutes: 6,
			seconds: 7,
		});
		expect(parseIsoDuration("PT1M")).toEqual({ minutes: 1 });
		expect(parseIsoDuration("P1M")).toEqual({ months: 1 });
		expect(parseIsoDuration("PT0.5S")).toEqual({ seconds: 0.5 });
		expect(parseIsoDuration("PT1,25S")).toEqual({ seconds: 1.25 });
		expect(parseIsoDuration("PT0S")).toEqual({ seconds: 0 });
	});

	it("R-TIME-9 rejects invalid durations with a RangeError naming the input", () => {
		for (const bad of [
			"",
			"P",
			"PT",
			"P1DT",
			"3D",
			"p3d",
			"P-1D",
			"-P1D",
			"P1.5D",
			"PT1.5H",
			"P1H",
			"PT1D",
			"P1D2H",
			"P3D ",
			" P3D",
			"P1S",
			"PT1S2M",
			"P2W1Y",
		]) {
			expect(() => parseIsoDuration(bad), bad).toThrow(RangeError);
		}
		expect(() => parseIsoDuration("P1D2H")).toThrow(
			/Invalid ISO 8601 duration "P1D2H"/,
		);
	});
});

describe("SandboxClock", () => {
	it("R-TIME-9 the system clock reports the real time", () => {
		const before = Date.now();
		const now = systemClock.now().getTime();
		expect(now).toBeGreaterThanOrEqual(before);
		expect(now).toBeLessThanOrEqual(Date.now());
	});

	it("R-TIME-9 sandbox clock starts at the given instant, or the real now by default", () => {
		expect(new SandboxClock(d("2026-01-09T09:00:00Z")).now()).toEqual(
			d("2026-01-09T09:00:00Z"),
		);
		const before = Date.now();
		const clock = new SandboxClock();
		expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
		expect(clock.now().getTime()).toBeLessThanOrEqual(Date.now());
		expect(() => new SandboxClock(new Date(Number.NaN))).toThrow(RangeError);
	});

	it("R-TIME-9 sandbox clock does not share its Date with callers", () => {
		const start = d("2026-01-09T09:00:00Z");
		const clock = new SandboxClock(start);
		start.setUTCFullYear(2000);
		clock.now().setUTCFullYear(1999);
		expect(clock.now()).toEqual(d("2026-01-09T09:00:00Z"));
	});

	it("R-TIME-9 sandbox clock advances by ISO 8601 durations, in UTC", () => {
		const clock = new SandboxClock(d("2026-01-09T09:00:00Z"));
		expect(clock.advanceBy("P3D")).toEqual(d("2026-01-12T09:00:00Z"));
		expect(clock.advanceBy("PT1H")).toEqual(d("2026-01-12T10:00:00Z"));
		expect(clock.advanceBy("P1DT2H30M")).toEqual(d("2026-01-13T12:30:00Z"));
		expect(clock.advanceBy("P2W")).toEqual(d("2026-01-27T12:30:00Z"));
		expect(clock.advanceBy("P1M")).toEqual(d("2026-02-27T12:30:00Z"));
		expect(clock.advanceBy("PT0S")).toEqual(d("2026-02-27T12:30:00Z"));
		expect(clock.advanceBy("PT1.5S")).toEqual(d("2026-02-27T12:30:01.500Z"));
		expect(clock.now()).toEqual(d("2026-02-27T12:30:01.500Z"));
	});

	it("R-TIME-9 sandbox clock advancing a day is 24 hours even across a DST change elsewhere", () => {
		const clock = new SandboxClock(d("2027-03-27T12:00:00Z"));
		expect(clock.advanceBy("P1D")).toEqual(d("2027-03-28T12:00:00Z"));
	});

	it("R-TIME-9 an invalid duration leaves the sandbox clock unchanged", () => {
		const clock = new SandboxClock(d("2026-01-09T09:00:00Z"));
		expect(() => clock.advanceBy("three days")).toThrow(RangeError);
		expect(() => clock.advanceBy("P-1D")).toThrow(RangeError);
		expect(clock.now()).toEqual(d("2026-01-09T09:00:00Z"));
	});

	it("R-TIME-9 sandbox clock can be set forward, or to the same instant", () => {
		const clock = new SandboxClock(d("2026-01-09T09:00:00Z"));
		expect(clock.setTo(d("2026-01-09T09:00:00Z"))).toEqual(
			d("2026-01-09T09:00:00Z"),
		);
		expect(clock.setTo(d("2026-03-01T00:00:00Z"))).toEqual(
			d("2026-03-01T00:00:00Z"),
		);
		expect(clock.now()).toEqual(d("2026-03-01T00:00:00Z"));
		expect(() => clock.setTo(new Date(Number.NaN))).toThrow(RangeError);
	});

	it("R-TIME-9 sandbox clock only moves forward: rewinding throws ClockRewindError", () => {
		const clock = new SandboxClock(d("2026-01-09T09:00:00Z"));
		let caught: unknown;
		try {
			clock.setTo(d("2026-01-09T08:59:59.999Z"));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ClockRewindError);
		expect(caught).toBeInstanceOf(Error);
		const rewind = caught as ClockRewindError;
		expect(rewind.code).toBe("clock_rewind");
		expect(rewind.name).toBe("ClockRewindError");
		expect(rewind.current).toEqual(d("2026-01-09T09:00:00Z"));
		expect(rewind.requested).toEqual(d("2026-01-09T08:59:59.999Z"));
		expect(rewind.message).toMatch(/only moves forward/);
		expect(clock.now()).toEqual(d("2026-01-09T09:00:00Z"));
	});

	it("R-TIME-9 sandbox clock stops at SANDBOX_LATEST: a later instant or duration throws ClockRangeError and changes nothing", () => {
		const clock = new SandboxClock(d("2026-11-23T09:00:00Z"));
		expect(() => clock.setTo(d("9999-12-31T23:59:59Z"))).toThrow(
			ClockRangeError,
		);
		expect(() => clock.advanceBy("P7974Y")).toThrow(ClockRangeError);
		expect(() => clock.advancedBy("P99999999Y")).toThrow(ClockRangeError);
		expect(clock.now()).toEqual(d("2026-11-23T09:00:00Z"));
		expect(clock.advancedBy("P1D")).toEqual(d("2026-11-24T09:00:00Z"));
		expect(clock.now()).toEqual(d("2026-11-23T09:00:00Z"));
		clock.setTo(SANDBOX_LATEST);
		expect(clock.now()).toEqual(SANDBOX_LATEST);
	});

	it("R-TIME-9 sandbox clock never goes backwards under any sequence of operations", () => {
		const op = fc.oneof(
			fc.record({
				kind: fc.constant("advance" as const),
				duration: fc.constantFrom(
					"PT0S",
					"PT1S",
					"PT1H",
					"P1D",
					"P2W",
					"P1M",
					"P1Y",
					"P1DT2H30M",
				),
			}),
			fc.record({
				kind: fc.constant("set" as const),
				offsetMs: fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }),
			}),
		);
		fc.assert(
			fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
				const clock = new SandboxClock(d("2026-01-01T00:00:00Z"));
				let previous = clock.now().getTime();
				for (const o of ops) {
					if (o.kind === "advance") {
						clock.advanceBy(o.duration);
					} else {
						const target = new Date(previous + o.offsetMs);
						if (o.offsetMs < 0) {
							expect(() => clock.setTo(target)).toThrow(ClockRewindError);
						} else {
							expect(clock.setTo(target)).toEqual(target);
						}
					}
					const current = clock.now().getTime();
					expect(current).toBeGreaterThanOrEqual(previous);
					previous = current;
				}
			}),
			{ numRuns: 200 },
		);
	});
});

describe("R-TIME-9 a ticking sandbox clock (the server's)", () => {
	it("R-TIME-9 runs with real time between moves and keeps the offset of a move", async () => {
		const start = new Date("2026-11-23T09:00:00.000Z");
		const clock = new SandboxClock(start, { ticking: true });
		// A timer may fire a millisecond before Date.now() says its delay has passed.
		await new Promise((r) => setTimeout(r, 40));
		expect(clock.now().getTime()).toBeGreaterThan(start.getTime());
		clock.advanceBy("P1D");
		const moved = clock.now().getTime();
		expect(moved).toBeGreaterThanOrEqual(start.getTime() + 86_400_000 + 30);
		expect(() => clock.setTo(start)).toThrow(ClockRewindError);
	});
});
