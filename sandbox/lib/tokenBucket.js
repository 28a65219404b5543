// @ts-check
'use strict';

/**
 * Token bucket on sandbox time: `burst` tokens, refilled at `rate` tokens per sandbox second
 * (so clockScale multiplies the real refill speed). Starts full.
 *
 * @typedef {object} TokenBucket
 * @property {() => boolean} take     consume one token if available
 * @property {() => number} tokens    current level (after refill)
 * @property {(rate: number, burst: number) => void} configure
 * @property {() => { rate: number, burst: number }} limits
 */

/**
 * @param {{ rate: number, burst: number, clock: import('./clock').Clock }} opts
 * @returns {TokenBucket}
 */
function createTokenBucket({ rate, burst, clock }) {
	let level = burst;
	let last = clock.t();
	const refill = () => {
		const now = clock.t();
		if (now > last) level = Math.min(burst, level + ((now - last) / 1000) * rate);
		last = now;
	};
	return {
		take() {
			refill();
			if (level >= 1) {
				level -= 1;
				return true;
			}
			return false;
		},
		tokens() {
			refill();
			return level;
		},
		configure(newRate, newBurst) {
			refill();
			rate = newRate;
			burst = newBurst;
			level = Math.min(level, burst);
		},
		limits: () => ({ rate, burst }),
	};
}

module.exports = { createTokenBucket };
