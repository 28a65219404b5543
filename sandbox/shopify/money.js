// @ts-check
'use strict';

/**
 * Money for the Shopify sandbox: integer minor units everywhere, ISO 4217 exponents, a FIXED
 * exchange-rate table for orders whose presentment currency differs from the shop currency, and
 * the two ways Shopify prints amounts:
 *   - GraphQL `Decimal`/`Money` scalars: shortest form with at least one decimal ("10.0", "19.99",
 *     JPY "1500.0"), the way Shopify's Admin GraphQL API prints them;
 *   - REST webhook payloads: exactly the currency's decimals ("10.00", JPY "1500").
 */

/** Minor-unit exponents that are not 2 (ISO 4217). */
const EXPONENT_EXCEPTIONS = /** @type {Record<string, number>} */ ({
	BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
	UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
	BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
});

/** @param {string} currency */
function exponent(currency) {
	return EXPONENT_EXCEPTIONS[currency] ?? 2;
}

/**
 * Fixed exchange rates: how many US dollars one unit of the currency is worth. These are NOT live
 * rates; they are round, documented numbers so every conversion is reproducible. A conversion from
 * A to B is `amount * USD_PER_UNIT[A] / USD_PER_UNIT[B]`, rounded half away from zero to B's minor
 * unit. Currencies missing here cannot be used as a second currency on an order.
 */
const USD_PER_UNIT = /** @type {Record<string, string>} */ ({
	USD: '1',
	CAD: '0.73',
	MXN: '0.055',
	BRL: '0.18',
	GBP: '1.27',
	EUR: '1.08',
	SEK: '0.095',
	PLN: '0.25',
	TRY: '0.031',
	AED: '0.2723',
	SAR: '0.2667',
	EGP: '0.021',
	INR: '0.012',
	JPY: '0.0067',
	AUD: '0.66',
	SGD: '0.74',
	ZAR: '0.055',
	CHF: '1.13',
	DKK: '0.145',
	NOK: '0.094',
	NZD: '0.6',
	HKD: '0.128',
	CNY: '0.138',
	KRW: '0.00073',
});

const RATE_SCALE = 1_000_000n;

/** @param {string} currency @returns {bigint} */
function microRate(currency) {
	const r = USD_PER_UNIT[currency];
	if (r === undefined) throw new MoneyError(`no sandbox exchange rate for ${currency} (supported: ${Object.keys(USD_PER_UNIT).join(', ')})`);
	const [i, f = ''] = r.split('.');
	return BigInt(i) * RATE_SCALE + BigInt((f + '000000').slice(0, 6));
}

class MoneyError extends Error {}

/**
 * Divide with rounding half away from zero.
 * @param {bigint} num @param {bigint} den
 */
function divRound(num, den) {
	const neg = num < 0n !== den < 0n;
	const a = num < 0n ? -num : num;
	const b = den < 0n ? -den : den;
	let q = a / b;
	if ((a % b) * 2n >= b) q += 1n;
	return neg ? -q : q;
}

/**
 * Convert minor units between currencies with the fixed table.
 * @param {number} minor
 * @param {string} from
 * @param {string} to
 * @returns {number}
 */
function convert(minor, from, to) {
	if (from === to) return minor;
	const num = BigInt(minor) * microRate(from) * 10n ** BigInt(exponent(to));
	const den = microRate(to) * 10n ** BigInt(exponent(from));
	return Number(divRound(num, den));
}

/** @param {string} currency */
function hasRate(currency) {
	return USD_PER_UNIT[currency] !== undefined;
}

/**
 * Parse a Decimal (string or number) into minor units, rounding half away from zero to the
 * currency's exponent. Returns null for text that is not a plain decimal.
 * @param {unknown} value
 * @param {string} currency
 * @returns {number|null}
 */
function toMinor(value, currency) {
	let text;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return null;
		text = numberToPlain(value);
	} else if (typeof value === 'string') text = value.trim();
	else return null;
	const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text) || /^([+-])?()\.(\d+)$/.exec(text);
	if (!m) return null;
	const exp = exponent(currency);
	const intPart = m[2] || '0';
	const frac = m[3] ?? '';
	const kept = BigInt(intPart + frac.slice(0, exp).padEnd(exp, '0'));
	const rest = frac.slice(exp);
	let v = kept;
	if (rest.length > 0 && rest[0] >= '5') v += 1n;
	const n = Number(v);
	if (!Number.isSafeInteger(n)) return null;
	return m[1] === '-' && n !== 0 ? -n : n;
}

/** @param {number} value */
function numberToPlain(value) {
	const s = String(value);
	if (!/e/i.test(s)) return s;
	return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * REST style: exactly the currency's decimals ("10.00", JPY "1500").
 * @param {number} minor @param {string} currency
 */
function formatRest(minor, currency) {
	const exp = exponent(currency);
	const neg = minor < 0;
	const abs = String(Math.abs(minor)).padStart(exp + 1, '0');
	const s = exp === 0 ? abs : `${abs.slice(0, -exp)}.${abs.slice(-exp)}`;
	return (neg ? '-' : '') + s;
}

/**
 * GraphQL Decimal style: trailing zeros dropped but at least one decimal ("10.0", "19.99", "1500.0").
 * @param {number} minor @param {string} currency
 */
function formatDecimal(minor, currency) {
	const s = formatRest(minor, currency);
	if (!s.includes('.')) return `${s}.0`;
	const t = s.replace(/0+$/, '');
	return t.endsWith('.') ? `${t}0` : t;
}

/**
 * Split `total` minor units proportionally to non-negative integer `weights` (largest remainder;
 * the parts always add up to `total`).
 * @param {number} total
 * @param {number[]} weights
 * @returns {number[]}
 */
function allocate(total, weights) {
	const sum = weights.reduce((a, b) => a + b, 0);
	if (sum <= 0) return weights.map(() => 0);
	const sign = total < 0 ? -1 : 1;
	const abs = Math.abs(total);
	const raw = weights.map((w) => (abs * w) / sum);
	const out = raw.map((r) => Math.floor(r));
	let rest = abs - out.reduce((a, b) => a + b, 0);
	const order = raw.map((r, i) => /** @type {[number, number]} */ ([r - Math.floor(r), i])).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]] += 1;
	return out.map((v) => v * sign);
}

/**
 * `rate` (decimal string like "0.07") times `minor`, rounded half away from zero.
 * @param {number} minor @param {string} rate
 */
function applyRate(minor, rate) {
	const m = /^(\d*)(?:\.(\d+))?$/.exec(String(rate).trim());
	if (!m) return 0;
	const frac = m[2] ?? '';
	const scaled = BigInt((m[1] || '0') + frac);
	return Number(divRound(BigInt(minor) * scaled, 10n ** BigInt(frac.length)));
}

/**
 * Percentage (float like 12.5) of `minor`, rounded half away from zero.
 * @param {number} minor @param {number} percentage
 */
function applyPercentage(minor, percentage) {
	const text = numberToPlain(percentage);
	const [i, f = ''] = text.split('.');
	const scaled = BigInt(i + f);
	return Number(divRound(BigInt(minor) * scaled, 100n * 10n ** BigInt(f.length)));
}

module.exports = {
	exponent,
	convert,
	hasRate,
	toMinor,
	formatRest,
	formatDecimal,
	allocate,
	applyRate,
	applyPercentage,
	MoneyError,
	USD_PER_UNIT,
};
