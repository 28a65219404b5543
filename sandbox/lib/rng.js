// @ts-check
'use strict';

/**
 * Seeded pseudo-random generator (mulberry32). Deterministic for a given seed, fast, good enough
 * for test data and fault injection. Never use it for secrets (see `randomToken` in ids.js).
 *
 * @typedef {object} Rng
 * @property {() => number} next                 float in [0, 1)
 * @property {(min: number, max: number) => number} int   integer in [min, max] (inclusive)
 * @property {(p: number) => boolean} bool       true with probability p
 * @property {<T>(items: readonly T[]) => T} pick
 * @property {<T>(items: readonly [T, number][]) => T} weighted   pick by weight
 * @property {<T>(items: readonly T[]) => T[]} shuffle             returns a shuffled copy
 * @property {(n: number) => string} digits      n decimal digits (first one non-zero)
 * @property {(n: number) => string} hex         n lowercase hex chars
 * @property {(n: number, alphabet?: string) => string} chars
 * @property {() => Rng} fork                    independent child generator
 */

/**
 * @param {number|string} [seed]
 * @returns {Rng}
 */
function createRng(seed = 1) {
	let a = typeof seed === 'number' ? seed >>> 0 : hashString(String(seed));
	if (a === 0) a = 0x9e3779b9;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** @type {Rng} */
	const rng = {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		bool: (p) => next() < p,
		pick: (items) => {
			if (items.length === 0) throw new Error('rng.pick: empty list');
			return items[Math.floor(next() * items.length)];
		},
		weighted: (items) => {
			const total = items.reduce((s, [, w]) => s + w, 0);
			let r = next() * total;
			for (const [value, w] of items) {
				r -= w;
				if (r < 0) return value;
			}
			return items[items.length - 1][0];
		},
		shuffle: (items) => {
			const out = items.slice();
			for (let i = out.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[out[i], out[j]] = [out[j], out[i]];
			}
			return out;
		},
		digits: (n) => {
			let s = String(1 + Math.floor(next() * 9));
			while (s.length < n) s += String(Math.floor(next() * 10));
			return s.slice(0, n);
		},
		hex: (n) => rng.chars(n, '0123456789abcdef'),
		chars: (n, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') => {
			let s = '';
			for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
			return s;
		},
		fork: () => createRng(Math.floor(next() * 4294967296)),
	};
	return rng;
}

/** @param {string} s */
function hashString(s) {
	let h = 2166136261;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

module.exports = { createRng, hashString };
