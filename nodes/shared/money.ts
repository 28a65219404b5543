/**
 * Money as integer minor units (cents, yen, fils). Every amount that crosses a system boundary
 * goes through here, so sums, refunds and splits are exact: no float ever touches an amount.
 */

/** Currencies whose minor unit is not 2 digits. ISO 4217 List One (2025), active codes only. */
const EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
	BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
	UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
	BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
	CLF: 4, UYW: 4,
};

/** Active ISO 4217 codes with a 2-digit minor unit (HUF included: ISO says 2 even if cash uses 0). */
const TWO_DIGIT_CURRENCIES = (
	'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN ' +
	'BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
	'GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP ' +
	'LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR ' +
	'NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN ' +
	'SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ' +
	'ZMW ZWG'
).split(' ');

const EXPONENTS: ReadonlyMap<string, number> = new Map<string, number>([
	...TWO_DIGIT_CURRENCIES.map((code): [string, number] => [code, 2]),
	...Object.entries(EXPONENT_EXCEPTIONS),
]);

/** True for an active ISO 4217 code (upper case, as Amazon and Shopify send them). */
export function isSupportedCurrency(code: unknown): code is string {
	return typeof code === 'string' && EXPONENTS.has(code);
}

/** Number of minor-unit digits of a currency (USD 2, JPY 0, KWD 3). Throws for unknown codes. */
export function currencyExponent(code: string): number {
	const exponent = typeof code === 'string' ? EXPONENTS.get(code) : undefined;
	if (exponent === undefined) {
		throw new Error(
			`Unsupported currency code ${JSON.stringify(code)}: expected an active ISO 4217 code in upper case, such as "USD"`,
		);
	}
	return exponent;
}

export type RoundingMode = 'reject' | 'halfEven' | 'halfUp';

export interface ToMinorOptions {
	/**
	 * What to do with more fractional digits than the currency has. `reject` (default) throws unless
	 * the extra digits are zeros; `halfUp` rounds half away from zero; `halfEven` is banker's rounding.
	 */
	rounding?: RoundingMode;
}

interface ParsedDecimal {
	negative: boolean;
	/** All significant digits, no sign, no point. */
	digits: string;
	/** How many of `digits` are after the decimal point (can be negative for 1e21-style numbers). */
	scale: number;
}

const DECIMAL_STRING = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const NUMBER_REPR = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

function parseDecimalString(text: string): ParsedDecimal | undefined {
	const match = DECIMAL_STRING.exec(text.trim());
	if (!match) return undefined;
	const fraction = match[3] ?? '';
	return { negative: match[1] === '-', digits: match[2] + fraction, scale: fraction.length };
}

/** Uses the shortest round-trip representation (19.99 -> "19.99"), so the digits are what a human typed. */
function parseNumber(value: number): ParsedDecimal | undefined {
	if (!Number.isFinite(value)) return undefined;
	const match = NUMBER_REPR.exec(String(value));
	if (!match) return undefined;
	const fraction = match[3] ?? '';
	const exponent = match[4] === undefined ? 0 : Number(match[4]);
	return { negative: match[1] === '-', digits: match[2] + fraction, scale: fraction.length - exponent };
}

function describeAmount(amount: unknown): string {
	return typeof amount === 'string' ? JSON.stringify(amount) : String(amount);
}

/** Rounds quotient + remainder/divisor (all non-negative) to an integer with the chosen mode. */
function roundQuotient(
	quotient: bigint,
	remainder: bigint,
	divisor: bigint,
	rounding: Exclude<RoundingMode, 'reject'>,
): bigint {
	const twice = remainder * 2n;
	if (twice > divisor) return quotient + 1n;
	if (twice < divisor) return quotient;
	if (rounding === 'halfUp') return quotient + 1n;
	return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/**
 * Converts a decimal amount ("19.99", -0.5, "1500") to integer minor units of `currency`.
 * Rejects thousands separators, exponent notation in strings, NaN/Infinity and anything beyond
 * Number.MAX_SAFE_INTEGER minor units.
 */
export function toMinor(amount: string | number, currency: string, options: ToMinorOptions = {}): number {
	const rounding = options.rounding ?? 'reject';
	const exponent = currencyExponent(currency);
	let parsed: ParsedDecimal | undefined;
	if (typeof amount === 'string') parsed = parseDecimalString(amount);
	else if (typeof amount === 'number') parsed = parseNumber(amount);
	if (!parsed) {
		throw new Error(
			`Invalid ${currency} amount ${describeAmount(amount)}: expected a plain decimal such as "19.99" (no thousands separators or exponent)`,
		);
	}

	const digits = BigInt(parsed.digits);
	const shift = exponent - parsed.scale;
	let magnitude: bigint;
	if (shift >= 0) {
		magnitude = digits * 10n ** BigInt(shift);
	} else {
		const divisor = 10n ** BigInt(-shift);
		const quotient = digits / divisor;
		const remainder = digits % divisor;
		if (remainder === 0n) {
			magnitude = quotient;
		} else if (rounding === 'reject') {
			throw new Error(
				`Amount ${describeAmount(amount)} has more decimal places than ${currency} allows (${exponent}); round it first or choose a rounding mode`,
			);
		} else {
			magnitude = roundQuotient(quotient, remainder, divisor, rounding);
		}
	}

	if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
		throw new Error(`Amount ${describeAmount(amount)} ${currency} is too large to handle exactly`);
	}
	const minor = Number(magnitude);
	// Avoid returning -0, which prints as "0" but compares oddly with Object.is.
	return parsed.negative && minor !== 0 ? -minor : minor;
}

function assertSafeInteger(value: number, what: string): void {
	if (!Number.isSafeInteger(value)) {
		throw new Error(`${what} must be a safe integer number of minor units, got ${String(value)}`);
	}
}

/** Formats minor units as a plain decimal string with exactly the currency's digits ("19.99", "1500", "-0.05"). */
export function fromMinor(minor: number, currency: string): string {
	const exponent = currencyExponent(currency);
	assertSafeInteger(minor, `${currency} amount`);
	const sign = minor < 0 ? '-' : '';
	const digits = String(Math.abs(minor));
	if (exponent === 0) return sign + digits;
	const padded = digits.padStart(exponent + 1, '0');
	const whole = padded.slice(0, padded.length - exponent);
	const fraction = padded.slice(padded.length - exponent);
	return `${sign}${whole}.${fraction}`;
}

/** Exact sum of minor-unit amounts; throws if any value or the result is not a safe integer. */
export function sumMinor(values: readonly number[]): number {
	let total = 0;
	for (const value of values) {
		assertSafeInteger(value, 'Each amount');
		total += value;
		assertSafeInteger(total, 'The sum');
	}
	return total;
}

/** Turns a non-negative weight into an exact integer numerator over 10^scale. */
function weightToScaled(weight: number): ParsedDecimal {
	const parsed = Number.isFinite(weight) && weight >= 0 ? parseNumber(weight) : undefined;
	if (!parsed) {
		throw new Error(`Allocation weights must be finite numbers >= 0, got ${String(weight)}`);
	}
	return parsed;
}

/**
 * Splits `total` minor units into parts proportional to `weights` (largest-remainder method):
 * the parts always sum to `total`, and each part differs from its exact share by less than one
 * minor unit. Leftover units go to the largest remainders, ties to the earlier part. Negative
 * totals split like their absolute value, negated. All-zero weights split evenly.
 */
export function allocateMinor(total: number, weights: readonly number[]): number[] {
	assertSafeInteger(total, 'The total to allocate');
	if (weights.length === 0) throw new Error('Cannot allocate an amount over an empty list of weights');

	const parsed = weights.map(weightToScaled);
	const maxScale = Math.max(0, ...parsed.map((p) => p.scale));
	let numerators = parsed.map((p) => BigInt(p.digits) * 10n ** BigInt(maxScale - p.scale));
	let weightSum = numerators.reduce((sum, n) => sum + n, 0n);
	if (weightSum === 0n) {
		numerators = numerators.map(() => 1n);
		weightSum = BigInt(numerators.length);
	}

	const magnitude = BigInt(Math.abs(total));
	const floors = numerators.map((n) => (magnitude * n) / weightSum);
	const remainders = numerators.map((n) => (magnitude * n) % weightSum);
	let leftover = magnitude - floors.reduce((sum, n) => sum + n, 0n);

	const order = remainders
		.map((remainder, index) => ({ remainder, index }))
		.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
	for (const { index } of order) {
		if (leftover === 0n) break;
		floors[index] += 1n;
		leftover -= 1n;
	}

	return floors.map((part) => {
		const value = Number(part);
		return total < 0 && value !== 0 ? -value : value;
	});
}

/** An amount in integer minor units of `currency` (USD 19.99 is `{ amount: 1999, currency: 'USD' }`). */
export interface Money {
	readonly amount: number;
	readonly currency: string;
}

/** Builds a Money after checking the currency and that the amount is a safe integer. */
export function money(amountMinor: number, currency: string): Money {
	currencyExponent(currency);
	assertSafeInteger(amountMinor, `${currency} amount`);
	return { amount: amountMinor === 0 ? 0 : amountMinor, currency };
}

/** Adds amounts of one currency; refuses to mix currencies because there is no rate to convert with. */
export function addMoney(first: Money, ...rest: Money[]): Money {
	for (const other of rest) {
		if (other.currency !== first.currency) {
			throw new Error(
				`Cannot add ${formatMoney(other)} to ${formatMoney(first)}: the currencies differ`,
			);
		}
	}
	return money(sumMinor([first.amount, ...rest.map((m) => m.amount)]), first.currency);
}

/** Human-readable form for messages and logs: "USD 19.99". */
export function formatMoney(m: Money): string {
	return `${m.currency} ${fromMinor(m.amount, m.currency)}`;
}

const PLAIN_RATE = /^(\d+)(?:\.(\d+))?$/;

/**
 * Converts minor units of `from` into minor units of `to` at `rate` (how many units of `to` one
 * unit of `from` is worth, as a plain decimal string such as "0.73"), rounding half away from zero.
 * Exact integer arithmetic: no float touches the amount or the rate.
 */
export function convertMinor(minor: number, from: string, to: string, rate: string): number {
	assertSafeInteger(minor, `${from} amount`);
	const match = PLAIN_RATE.exec(String(rate).trim());
	if (!match || /^0*(\.0*)?$/.test(String(rate).trim())) {
		throw new Error(`Invalid exchange rate ${JSON.stringify(rate)} from ${from} to ${to}: expected a positive decimal such as "0.73"`);
	}
	const fraction = match[2] ?? '';
	const scaledRate = BigInt(match[1] + fraction);
	const numerator = BigInt(Math.abs(minor)) * scaledRate * 10n ** BigInt(currencyExponent(to));
	const denominator = 10n ** BigInt(fraction.length + currencyExponent(from));
	let magnitude = numerator / denominator;
	if ((numerator % denominator) * 2n >= denominator) magnitude += 1n;
	if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`Converted amount is too large to handle exactly`);
	const value = Number(magnitude);
	return minor < 0 && value !== 0 ? -value : value;
}
