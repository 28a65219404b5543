import type { Clock } from '../../nodes/shared/transport/clock';

/** A clock whose sleep advances virtual time at once, so waits of minutes take no real time. */
export class FakeClock implements Clock {
	readonly sleeps: number[] = [];

	constructor(private current = Date.parse('2026-11-27T00:00:00Z')) {}

	now(): number {
		return this.current;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.current += Math.max(0, ms);
	}

	advance(ms: number): void {
		this.current += ms;
	}
}
