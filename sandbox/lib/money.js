// @ts-check
'use strict';

/** ISO 4217 minor-unit exponents for the currencies the sandboxes use (default 2). */
const EXPONENTS = /** @type {Record<string, number>} */ ({
	JPY: 0,
	KRW: 0,
	CLP: 0,
	BHD: 3,
	KWD: 3,
	OMR: 3,
	TND: 3,
});

/** @param {string} currency */
function exponent(currency) {
	return EXPONENTS[currency] ?? 2;
}

/**
 * Parse a decimal string ("19.99", "-0.5", "1200") into integer minor units. Returns null when the
 * text is not a plain decimal or has more decimals than the currency allows.
 * @param {string} text
 * @param {string} currency
 * @returns {number|null}
 */
function toMinor(text, currency) {
	if (typeof text !== 'string') return null;
	const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
	if (!m) return null;
	const exp = exponent(currency);
	const frac = m[3] ?? '';
	if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) return null;
	const digits = m[2] + frac.slice(0, exp).padEnd(exp, '0');
	const value = Number(digits);
	if (!Number.isSafeInteger(value)) return null;
	return m[1] ? -value : value;
}

/**
 * Format integer minor units as a decimal string with exactly the currency's decimals.
 * @param {number} minor
 * @param {string} currency
 */
function formatMinor(minor, currency) {
	const exp = exponent(currency);
	const neg = minor < 0;
	const abs = String(Math.abs(Math.round(minor))).padStart(exp + 1, '0');
	const s = exp === 0 ? abs : `${abs.slice(0, -exp)}.${abs.slice(-exp)}`;
	return (neg && Math.round(minor) !== 0 ? '-' : '') + s;
}

/**
 * Minor units as a JS number in major units (for APIs that use JSON numbers, e.g. Finances).
 * @param {number} minor
 * @param {string} currency
 */
function toMajorNumber(minor, currency) {
	return Number(formatMinor(minor, currency));
}

/**
 * Split `total` minor units proportionally to integer `weights`, largest-remainder, exact sum.
 * @param {number} total
 * @param {number[]} weights
 * @returns {number[]}
 */
function allocate(total, weights) {
	const sum = weights.reduce((a, b) => a + b, 0);
	if (sum === 0) return weights.map(() => 0);
	const sign = total < 0 ? -1 : 1;
	const abs = Math.abs(total);
	const raw = weights.map((w) => (abs * w) / sum);
	const out = raw.map(Math.floor);
	let rest = abs - out.reduce((a, b) => a + b, 0);
	const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]] += 1;
	return out.map((v) => v * sign);
}

module.exports = { exponent, toMinor, formatMinor, toMajorNumber, allocate, EXPONENTS };
