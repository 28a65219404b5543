import type { Clock } from '../clock';
import type { AmazonOperation } from './usagePlans';
import { AMAZON_USAGE_PLANS } from './usagePlans';

export interface BucketState {
	tokens: number;
	updatedAt: number;
	rate: number;
	burst: number;
}

/** A token bucket as Amazon describes its usage plans: `burst` tokens, refilled at `rate` per second. */
export class TokenBucket {
	constructor(private state: BucketState) {}

	static full(rate: number, burst: number, now: number): TokenBucket {
		return new TokenBucket({ tokens: burst, updatedAt: now, rate, burst });
	}

	snapshot(now: number): BucketState {
		this.refill(now);
		return { ...this.state };
	}

	/** Milliseconds until one token is available (0 = now). */
	waitMs(now: number): number {
		this.refill(now);
		if (this.state.tokens >= 1) return 0;
		return Math.ceil(((1 - this.state.tokens) / this.state.rate) * 1000);
	}

	take(now: number): boolean {
		this.refill(now);
		if (this.state.tokens < 1) return false;
		this.state.tokens -= 1;
		return true;
	}

	/** After a 429 Amazon's bucket is empty whatever ours said. */
	drain(now: number): void {
		this.refill(now);
		this.state.tokens = Math.min(this.state.tokens, 0);
	}

	setRate(rate: number, now: number): void {
		if (!(rate > 0) || rate === this.state.rate) return;
		this.refill(now);
		this.state.rate = rate;
	}

	private refill(now: number): void {
		const elapsed = Math.max(0, now - this.state.updatedAt) / 1000;
		this.state.tokens = Math.min(this.state.burst, this.state.tokens + elapsed * this.state.rate);
		this.state.updatedAt = now;
	}
}

/**
 * One bucket per selling partner, region and operation, shared by every node and execution in
 * this n8n process: Amazon counts per app and seller, not per workflow.
 */
const buckets = new Map<string, TokenBucket>();

export function bucketFor(partnerKey: string, operation: AmazonOperation, clock: Clock): TokenBucket {
	const key = `${partnerKey}|${operation}`;
	let bucket = buckets.get(key);
	if (!bucket) {
		const plan = AMAZON_USAGE_PLANS[operation];
		bucket = TokenBucket.full(plan.rate, plan.burst, clock.now());
		buckets.set(key, bucket);
	}
	return bucket;
}

/** For tests and benchmarks: forget every bucket. */
export function resetAmazonBuckets(): void {
	buckets.clear();
}
