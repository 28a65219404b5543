/**
 * The trigger's own searchOrders budget: a token bucket kept in the workflow's static data, so it
 * survives restarts and re-activations (the transport's in-process bucket does not). A poll spends
 * a token per page and skips, instead of calling, when the bucket holds less than one token: the
 * user's poll interval can be anything, the call rate stays within Amazon's usage plan.
 */
import { AMAZON_USAGE_PLANS } from '../shared/transport/amazon/usagePlans';

export interface BudgetState {
	/** Tokens left (fractional). */
	tokens: number;
	/** Epoch ms of `tokens`. */
	at: number;
	/** Requests per second: Amazon's default, or what `x-amzn-RateLimit-Limit` said last. */
	rate: number;
	burst: number;
}

const DEFAULT = AMAZON_USAGE_PLANS.searchOrders;

export class SearchBudget {
	private constructor(private state: BudgetState) {}

	/** A new bucket starts full, like Amazon's for an app and seller that did not call yet. */
	static load(saved: Partial<BudgetState> | undefined, now: number): SearchBudget {
		const rate = typeof saved?.rate === 'number' && saved.rate > 0 ? saved.rate : DEFAULT.rate;
		const burst = typeof saved?.burst === 'number' && saved.burst >= 1 ? saved.burst : DEFAULT.burst;
		const tokens = typeof saved?.tokens === 'number' && Number.isFinite(saved.tokens) ? Math.min(burst, saved.tokens) : burst;
		const at = typeof saved?.at === 'number' && Number.isFinite(saved.at) ? Math.min(saved.at, now) : now;
		const budget = new SearchBudget({ tokens, at, rate, burst });
		budget.refill(now);
		return budget;
	}

	private refill(now: number): void {
		if (now <= this.state.at) return;
		this.state.tokens = Math.min(this.state.burst, this.state.tokens + ((now - this.state.at) / 1000) * this.state.rate);
		this.state.at = now;
	}

	tokens(now: number): number {
		this.refill(now);
		return this.state.tokens;
	}

	canSpend(now: number): boolean {
		return this.tokens(now) >= 1;
	}

	/** Milliseconds until one token is there. */
	waitMs(now: number): number {
		const missing = 1 - this.tokens(now);
		return missing <= 0 ? 0 : Math.ceil((missing / this.state.rate) * 1000);
	}

	spend(now: number): void {
		this.refill(now);
		this.state.tokens -= 1;
	}

	/** After a 429 Amazon's bucket is empty, whatever ours says. */
	drain(now: number): void {
		this.refill(now);
		this.state.tokens = Math.min(this.state.tokens, 0);
	}

	/** Adopt the rate Amazon reported (x-amzn-RateLimit-Limit), a seller may have more (or less). */
	adoptRate(rate: number | undefined, now: number): void {
		if (!(typeof rate === 'number' && rate > 0) || rate === this.state.rate) return;
		this.refill(now);
		this.state.rate = rate;
	}

	get rate(): number {
		return this.state.rate;
	}

	get burst(): number {
		return this.state.burst;
	}

	snapshot(now: number): BudgetState {
		this.refill(now);
		return { ...this.state };
	}
}
