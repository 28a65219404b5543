import { TokenBucket, bucketFor, resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { AMAZON_USAGE_PLANS } from '../../nodes/shared/transport/amazon/usagePlans';
import { FakeClock } from '../harness/fakeClock';

/** Calls in any window of length w may not exceed burst + rate * w (Amazon's token bucket contract). */
function maxCallsInAnyWindow(times: number[], windowMs: number): number {
	let best = 0;
	let start = 0;
	for (let end = 0; end < times.length; end++) {
		while (times[end] - times[start] > windowMs) start++;
		best = Math.max(best, end - start + 1);
	}
	return best;
}

describe('Amazon token bucket', () => {
	beforeEach(() => resetAmazonBuckets());

	it.each(Object.entries(AMAZON_USAGE_PLANS))('never exceeds the %s plan under a simulated clock', async (operation, plan) => {
		const clock = new FakeClock();
		const bucket = bucketFor('seller-a', operation as keyof typeof AMAZON_USAGE_PLANS, clock);
		const callTimes: number[] = [];
		// A caller that asks as often as it likes: 3 bursts of 4x the burst size, with idle gaps between.
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < plan.burst * 4; i++) {
				let wait = bucket.waitMs(clock.now());
				while (wait > 0) {
					await clock.sleep(wait);
					wait = bucket.waitMs(clock.now());
				}
				expect(bucket.take(clock.now())).toBe(true);
				callTimes.push(clock.now());
			}
			clock.advance(Math.round((plan.burst / plan.rate) * 500));
		}
		for (const windowSeconds of [1, 10, 60, 180, 600, 3600]) {
			const allowed = plan.burst + plan.rate * windowSeconds;
			expect(maxCallsInAnyWindow(callTimes, windowSeconds * 1000)).toBeLessThanOrEqual(Math.floor(allowed + 1e-9));
		}
		expect(callTimes).toHaveLength(plan.burst * 12);
	});

	it('starts full, empties after the burst and refills at the plan rate', () => {
		const clock = new FakeClock();
		const bucket = TokenBucket.full(0.0056, 20, clock.now());
		for (let i = 0; i < 20; i++) expect(bucket.take(clock.now())).toBe(true);
		expect(bucket.take(clock.now())).toBe(false);
		expect(bucket.waitMs(clock.now())).toBe(Math.ceil((1 / 0.0056) * 1000));
		clock.advance(Math.ceil((1 / 0.0056) * 1000));
		expect(bucket.take(clock.now())).toBe(true);
	});

	it('adopts the rate Amazon reports and drains on a 429', () => {
		const clock = new FakeClock();
		const bucket = TokenBucket.full(0.5, 30, clock.now());
		bucket.drain(clock.now());
		expect(bucket.waitMs(clock.now())).toBe(2000);
		bucket.setRate(2, clock.now());
		expect(bucket.waitMs(clock.now())).toBe(500);
	});

	it('keeps separate buckets per seller and operation', () => {
		const clock = new FakeClock();
		const a = bucketFor('seller-a', 'createFeed', clock);
		for (let i = 0; i < 15; i++) a.take(clock.now());
		expect(bucketFor('seller-a', 'createFeed', clock).waitMs(clock.now())).toBeGreaterThan(0);
		expect(bucketFor('seller-b', 'createFeed', clock).waitMs(clock.now())).toBe(0);
		expect(bucketFor('seller-a', 'getFeed', clock).waitMs(clock.now())).toBe(0);
	});
});
