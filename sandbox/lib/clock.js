// @ts-check
'use strict';

/**
 * Sandbox clock. Two notions of time:
 *  - wall time (`wallNow()`): real epoch ms. Used for every timestamp the API shows
 *    (createdTime, lastUpdatedTime, the "2 minutes before now" rule, postedDate...).
 *  - sandbox time (`t()`): a monotonic ms counter that runs `scale` times faster than real time
 *    and can be pushed forward with `advance(ms)`. Used for every DURATION: token expiry, rate
 *    limit refill, feed processing, refund-event delay, late indexing, URL and pagination-token
 *    expiry. With scale 1000, one sandbox hour passes in 3.6 real seconds.
 *
 * @typedef {object} Clock
 * @property {number} scale
 * @property {() => number} wallNow              real epoch ms
 * @property {() => number} t                    sandbox ms (starts at the real epoch ms of creation)
 * @property {(ms: number) => void} advance      move sandbox time forward (never backward)
 * @property {(sandboxT: number) => number} wallAt  the wall-clock ms matching a sandbox instant
 * @property {(sandboxMs: number) => number} toRealMs  how many real ms a sandbox duration lasts
 * @property {() => number} advanced             total ms added with advance()
 */

/**
 * @param {{ scale?: number, now?: () => number }} [opts]
 * @returns {Clock}
 */
function createClock(opts = {}) {
	const scale = opts.scale ?? 1;
	if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) {
		throw new Error(`clockScale must be a positive number, got ${String(scale)}`);
	}
	const now = opts.now ?? (() => Date.now());
	const start = now();
	let advanced = 0;
	const t = () => start + (now() - start) * scale + advanced;
	return {
		scale,
		wallNow: now,
		t,
		advance(ms) {
			if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
				throw new Error(`advance(ms) needs a non-negative number of ms, got ${String(ms)}`);
			}
			advanced += ms;
		},
		wallAt: (sandboxT) => Math.round(now() + (sandboxT - t()) / scale),
		toRealMs: (sandboxMs) => sandboxMs / scale,
		advanced: () => advanced,
	};
}

module.exports = { createClock };
