/**
 * Joining concurrent executions into one feed. Shopify sends one webhook per refund, so a burst of
 * 20 refunds is 20 executions; Amazon allows one createFeed per 2 minutes (burst 15) and asks for
 * few, large feeds. Executions of the same credentials that reach Sync Refund within the batch
 * window hand their refunds to the first one (the leader), which sends one feed per feed type and
 * marketplace for all of them and gives each execution its own results back.
 *
 * Scope: one n8n process (in queue mode, one worker). A window of 0 turns it off.
 */
import type { Clock } from '../transport/clock';

interface Participant<T, R> {
	payloads: T[];
	resolve: (results: R[]) => void;
	reject: (error: unknown) => void;
}

interface OpenBatch<T, R> {
	participants: Array<Participant<T, R>>;
}

export class Coalescer<T, R> {
	private readonly open = new Map<string, OpenBatch<T, R>>();

	/** How many executions joined the batches flushed so far (for stats and tests). */
	joined = 0;

	/**
	 * Adds `payloads` to the batch of `key`. The first caller waits `windowMs`, then runs `flush`
	 * with every payload that joined, in join order; `flush` returns one result per payload.
	 */
	async run(key: string, payloads: T[], windowMs: number, clock: Clock, flush: (all: T[]) => Promise<R[]>): Promise<R[]> {
		if (windowMs <= 0) return await flush(payloads);
		const existing = this.open.get(key);
		if (existing) {
			return await new Promise<R[]>((resolve, reject) => existing.participants.push({ payloads, resolve, reject }));
		}
		const batch: OpenBatch<T, R> = { participants: [] };
		this.open.set(key, batch);
		const mine = new Promise<R[]>((resolve, reject) => batch.participants.push({ payloads, resolve, reject }));
		await clock.sleep(windowMs);
		this.open.delete(key);
		const all = batch.participants.flatMap((p) => p.payloads);
		this.joined += batch.participants.length;
		try {
			const results = await flush(all);
			let offset = 0;
			for (const participant of batch.participants) {
				participant.resolve(results.slice(offset, offset + participant.payloads.length));
				offset += participant.payloads.length;
			}
		} catch (error) {
			for (const participant of batch.participants) participant.reject(error);
		}
		return await mine;
	}
}
