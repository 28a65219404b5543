import {
	addMoney,
	allocateMinor,
	currencyExponent,
	formatMoney,
	fromMinor,
	isSupportedCurrency,
	money,
	sumMinor,
	toMinor,
} from '../../nodes/shared/money';
import { MARKETPLACES } from '../../nodes/shared/marketplaces';

/** Deterministic PRNG (mulberry32) so property-style tests are reproducible. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomInt(random: () => number, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}

describe('currencyExponent', () => {
	it.each([
		['USD', 2],
		['EUR', 2],
		['GBP', 2],
		['HUF', 2],
		['JPY', 0],
		['KRW', 0],
		['CLP', 0],
		['VND', 0],
		['ISK', 0],
		['XOF', 0],
		['KWD', 3],
		['BHD', 3],
		['JOD', 3],
		['OMR', 3],
		['TND', 3],
		['LYD', 3],
		['IQD', 3],
		['CLF', 4],
		['UYW', 4],
	])('%s has %i minor digits', (code, exponent) => {
		expect(currencyExponent(code)).toBe(exponent);
		expect(isSupportedCurrency(code)).toBe(true);
	});

	it.each(['XYZ', 'usd', '', 'US', 'USDD', ' USD', 'XAU', 'XXX', 'HRK'])(
		'rejects %j with an error naming the code',
		(code) => {
			expect(isSupportedCurrency(code)).toBe(false);
			expect(() => currencyExponent(code)).toThrow(JSON.stringify(code));
		},
	);

	it('rejects non-strings', () => {
		expect(isSupportedCurrency(undefined)).toBe(false);
		expect(isSupportedCurrency(840)).toBe(false);
		expect(() => currencyExponent(undefined as unknown as string)).toThrow('Unsupported currency code');
	});

	it('supports every Amazon marketplace currency', () => {
		for (const marketplace of MARKETPLACES) {
			expect(isSupportedCurrency(marketplace.currency)).toBe(true);
		}
	});
});

describe('toMinor', () => {
	it.each([
		['19.99', 'USD', 1999],
		['19.9', 'USD', 1990],
		['19', 'USD', 1900],
		['0.01', 'USD', 1],
		['0', 'USD', 0],
		['007.50', 'EUR', 750],
		['+1.00', 'EUR', 100],
		['-0.5', 'USD', -50],
		['-19.99', 'EUR', -1999],
		['  2.50 ', 'USD', 250],
		['19.990', 'USD', 1999],
		['1500', 'JPY', 1500],
		['1500.000', 'JPY', 1500],
		['1.250', 'KWD', 1250],
		['1.25', 'KWD', 1250],
		['-0.001', 'BHD', -1],
		['1.2345', 'CLF', 12345],
	])('parses %j %s as %i', (amount, currency, expected) => {
		expect(toMinor(amount, currency)).toBe(expected);
	});

	it.each([
		[19.99, 'USD', 1999],
		[0.1, 'USD', 10],
		[-0.05, 'USD', -5],
		[1500, 'JPY', 1500],
		[1.25, 'KWD', 1250],
		[100, 'USD', 10000],
	])('parses the number %p %s as %i', (amount, currency, expected) => {
		expect(toMinor(amount, currency)).toBe(expected);
	});

	it('never returns -0', () => {
		expect(Object.is(toMinor('-0', 'USD'), 0)).toBe(true);
		expect(Object.is(toMinor('-0.00', 'USD'), 0)).toBe(true);
		expect(Object.is(toMinor(-0, 'USD'), 0)).toBe(true);
		expect(Object.is(toMinor('-0.001', 'USD', { rounding: 'halfUp' }), 0)).toBe(true);
	});

	it.each(['1,000.00', '1 000', '1e3', '1E3', '', '   ', 'abc', '1.2.3', '.5', '5.', '--1', '+-1', '0x10', '١٢', '$5', '5 USD', 'NaN', 'Infinity'])(
		'rejects the string %j',
		(amount) => {
			expect(() => toMinor(amount, 'USD')).toThrow(/Invalid USD amount/);
		},
	);

	it.each([NaN, Infinity, -Infinity])('rejects the number %p', (amount) => {
		expect(() => toMinor(amount, 'USD')).toThrow(/Invalid USD amount/);
	});

	it('rejects unknown currencies before looking at the amount', () => {
		expect(() => toMinor('1.00', 'ABC')).toThrow('"ABC"');
	});

	it('rejects extra non-zero digits by default, naming the amount and currency', () => {
		expect(() => toMinor('19.999', 'USD')).toThrow('Amount "19.999" has more decimal places than USD allows (2)');
		expect(() => toMinor('1500.5', 'JPY')).toThrow(/"1500\.5".*JPY/);
		expect(() => toMinor('1.2505', 'KWD')).toThrow(/KWD allows \(3\)/);
		expect(() => toMinor(0.001, 'USD')).toThrow(/Amount 0\.001 .*USD/);
	});

	describe('rounding', () => {
		it.each([
			['0.125', 13, 12],
			['0.135', 14, 14],
			['0.145', 15, 14],
			['0.1251', 13, 13],
			['0.1249999', 12, 12],
			['-0.125', -13, -12],
			['-0.135', -14, -14],
			['-0.1251', -13, -13],
			['2.675', 268, 268],
			['0.005', 1, 0],
			['0.015', 2, 2],
		])('%s USD rounds halfUp to %i and halfEven to %i', (amount, halfUp, halfEven) => {
			expect(toMinor(amount, 'USD', { rounding: 'halfUp' })).toBe(halfUp);
			expect(toMinor(amount, 'USD', { rounding: 'halfEven' })).toBe(halfEven);
		});

		it('rounds to the currency exponent', () => {
			expect(toMinor('1499.5', 'JPY', { rounding: 'halfUp' })).toBe(1500);
			expect(toMinor('1498.5', 'JPY', { rounding: 'halfEven' })).toBe(1498);
			expect(toMinor('1.2345', 'KWD', { rounding: 'halfUp' })).toBe(1235);
			expect(toMinor('1.2345', 'KWD', { rounding: 'halfEven' })).toBe(1234);
		});

		it('rounds numbers from their shortest representation, not their binary value', () => {
			// 1.005 is stored as 1.00499999999999989..., so Math.round(1.005 * 100) gives 100.
			expect(Math.round(1.005 * 100)).toBe(100);
			expect(toMinor(1.005, 'USD', { rounding: 'halfUp' })).toBe(101);
			// (2.675).toFixed(2) is "2.67" for the same reason.
			expect(toMinor(2.675, 'USD', { rounding: 'halfUp' })).toBe(268);
		});

		it('handles numbers printed in exponent form', () => {
			expect(toMinor(1e-7, 'USD', { rounding: 'halfUp' })).toBe(0);
			expect(toMinor(-5e-3, 'USD', { rounding: 'halfUp' })).toBe(-1);
			expect(() => toMinor(1e-7, 'USD')).toThrow(/Amount 1e-7 has more decimal places/);
			expect(toMinor(5e-7, 'KWD', { rounding: 'halfUp' })).toBe(0);
		});
	});

	describe('float pitfalls', () => {
		it('rejects float noise instead of silently rounding it', () => {
			expect(0.1 + 0.2).not.toBe(0.3);
			expect(() => toMinor(0.1 + 0.2, 'USD')).toThrow(/0\.30000000000000004/);
			expect(toMinor(0.1 + 0.2, 'USD', { rounding: 'halfEven' })).toBe(30);
			expect(() => toMinor(1.1 * 3, 'USD')).toThrow(/3\.3000000000000003/);
			expect(toMinor(4.35 * 100, 'JPY', { rounding: 'halfUp' })).toBe(435);
		});

		it('multiplies in minor units, which is exact', () => {
			const unit = toMinor('19.99', 'USD');
			expect(fromMinor(unit * 3, 'USD')).toBe('59.97');
			const tenths = [toMinor('0.1', 'USD'), toMinor('0.2', 'USD')];
			expect(fromMinor(sumMinor(tenths), 'USD')).toBe('0.30');
			const many = Array.from({ length: 1000 }, () => toMinor('0.01', 'USD'));
			expect(fromMinor(sumMinor(many), 'USD')).toBe('10.00');
		});
	});

	it('accepts up to Number.MAX_SAFE_INTEGER minor units and no more', () => {
		expect(toMinor('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
		expect(toMinor('-90071992547409.91', 'USD')).toBe(-Number.MAX_SAFE_INTEGER);
		expect(() => toMinor('90071992547409.92', 'USD')).toThrow(/too large/);
		expect(() => toMinor(1e21, 'USD')).toThrow(/too large/);
		expect(() => toMinor('123456789012345678901234567890', 'JPY')).toThrow(/too large/);
	});
});

describe('fromMinor', () => {
	it.each([
		[1999, 'USD', '19.99'],
		[5, 'USD', '0.05'],
		[-5, 'USD', '-0.05'],
		[-150, 'EUR', '-1.50'],
		[0, 'USD', '0.00'],
		[100, 'GBP', '1.00'],
		[1500, 'JPY', '1500'],
		[-1500, 'JPY', '-1500'],
		[0, 'JPY', '0'],
		[1250, 'KWD', '1.250'],
		[-1, 'KWD', '-0.001'],
		[12345, 'CLF', '1.2345'],
		[Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
	])('formats %i %s as %j', (minor, currency, expected) => {
		expect(fromMinor(minor, currency)).toBe(expected);
	});

	it('prints -0 as zero', () => {
		expect(fromMinor(-0, 'USD')).toBe('0.00');
	});

	it.each([1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])('rejects %p', (value) => {
		expect(() => fromMinor(value, 'USD')).toThrow(/safe integer/);
	});

	it('rejects unknown currencies', () => {
		expect(() => fromMinor(1, 'ZZZ')).toThrow('"ZZZ"');
	});

	it('round-trips with toMinor for many generated amounts', () => {
		const random = prng(7);
		const currencies = ['USD', 'EUR', 'JPY', 'KWD', 'CLF', 'HUF', 'INR'];
		for (let i = 0; i < 3000; i++) {
			const currency = currencies[i % currencies.length];
			const magnitude = 10 ** randomInt(random, 0, 15);
			const minor = Math.trunc((random() * 2 - 1) * magnitude);
			const text = fromMinor(minor, currency);
			expect(toMinor(text, currency)).toBe(minor === 0 ? 0 : minor);
			const exponent = currencyExponent(currency);
			const fraction = text.split('.')[1] ?? '';
			expect(fraction.length).toBe(exponent);
		}
	});
});

describe('sumMinor', () => {
	it('adds exactly', () => {
		expect(sumMinor([])).toBe(0);
		expect(sumMinor([1999, 1, -500])).toBe(1500);
	});

	it('rejects non-integers and overflow', () => {
		expect(() => sumMinor([1, 0.5])).toThrow(/safe integer/);
		expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(/sum/);
		expect(() => sumMinor([NaN])).toThrow(/safe integer/);
	});
});

describe('allocateMinor', () => {
	it.each([
		[100, [1, 1, 1], [34, 33, 33]],
		[-100, [1, 1, 1], [-34, -33, -33]],
		[1, [1, 1, 1], [1, 0, 0]],
		[2, [1, 1, 1], [1, 1, 0]],
		[100, [1, 2], [33, 67]],
		[10, [1, 2, 3, 4], [1, 2, 3, 4]],
		[10, [0, 1], [0, 10]],
		[10, [3, 0, 1], [8, 0, 2]],
		[5, [0, 0], [3, 2]],
		[-5, [0, 0, 0], [-2, -2, -1]],
		[0, [1, 2], [0, 0]],
		[1000, [0.1, 0.2], [333, 667]],
		[1999, [1999, 500, 125], [1523, 381, 95]],
		[7, [5], [7]],
	])('allocate(%i, %j) = %j', (total, weights, expected) => {
		const parts = allocateMinor(total, weights);
		expect(parts).toEqual(expected);
		expect(sumMinor(parts)).toBe(total);
	});

	it('never returns -0', () => {
		const parts = allocateMinor(-1, [1, 1]);
		expect(parts).toEqual([-1, 0]);
		expect(Object.is(parts[1], 0)).toBe(true);
	});

	it('rejects bad input', () => {
		expect(() => allocateMinor(10, [])).toThrow(/empty/);
		expect(() => allocateMinor(10, [1, -1])).toThrow(/>= 0/);
		expect(() => allocateMinor(10, [NaN])).toThrow(/>= 0/);
		expect(() => allocateMinor(10, [Infinity])).toThrow(/>= 0/);
		expect(() => allocateMinor(10.5, [1])).toThrow(/safe integer/);
	});

	it('keeps the sum and stays within one unit of each exact share (generated cases)', () => {
		const random = prng(42);
		for (let i = 0; i < 3000; i++) {
			const count = randomInt(random, 1, 12);
			const scale = randomInt(random, 0, 2);
			// Integer weights over 10^scale, so the exact share can be checked with integers.
			const scaled = Array.from({ length: count }, () =>
				random() < 0.2 ? 0 : randomInt(random, 1, random() < 0.5 ? 10 : 1_000_000),
			);
			const weights = scaled.map((w) => w / 10 ** scale);
			const total = Math.trunc((random() * 2 - 1) * 10 ** randomInt(random, 0, 9)) || 0;
			const parts = allocateMinor(total, weights);

			expect(parts).toHaveLength(count);
			expect(sumMinor(parts)).toBe(total);
			const weightSum = scaled.reduce((a, b) => a + b, 0);
			const effective = weightSum === 0 ? scaled.map(() => 1) : scaled;
			const effectiveSum = weightSum === 0 ? count : weightSum;
			parts.forEach((part, index) => {
				// |part - total * w / W| < 1  <=>  |part * W - total * w| < W, in exact integers.
				const difference = BigInt(part) * BigInt(effectiveSum) - BigInt(total) * BigInt(effective[index]);
				const absolute = difference < 0n ? -difference : difference;
				expect(absolute < BigInt(effectiveSum)).toBe(true);
				if (weightSum > 0 && scaled[index] === 0) expect(part).toBe(0);
				if (total >= 0) expect(part).toBeGreaterThanOrEqual(0);
				else expect(part).toBeLessThanOrEqual(0);
			});
		}
	});

	it('is deterministic', () => {
		const weights = [3, 3, 3, 1];
		expect(allocateMinor(1001, weights)).toEqual(allocateMinor(1001, weights));
		expect(allocateMinor(1001, weights)).toEqual([301, 300, 300, 100]);
	});
});

describe('Money', () => {
	it('builds validated values', () => {
		expect(money(1999, 'USD')).toEqual({ amount: 1999, currency: 'USD' });
		expect(Object.is(money(-0, 'USD').amount, 0)).toBe(true);
		expect(() => money(19.99, 'USD')).toThrow(/safe integer/);
		expect(() => money(1, 'usd')).toThrow('"usd"');
	});

	it('adds amounts of one currency', () => {
		expect(addMoney(money(1999, 'USD'), money(1, 'USD'))).toEqual(money(2000, 'USD'));
		expect(addMoney(money(5, 'EUR'))).toEqual(money(5, 'EUR'));
		expect(addMoney(money(5, 'EUR'), money(-3, 'EUR'), money(10, 'EUR'))).toEqual(money(12, 'EUR'));
	});

	it('refuses to add different currencies and says which', () => {
		expect(() => addMoney(money(1999, 'USD'), money(100, 'EUR'))).toThrow(
			'Cannot add EUR 1.00 to USD 19.99: the currencies differ',
		);
	});

	it('formats for humans', () => {
		expect(formatMoney(money(1999, 'USD'))).toBe('USD 19.99');
		expect(formatMoney(money(1500, 'JPY'))).toBe('JPY 1500');
		expect(formatMoney(money(-1250, 'KWD'))).toBe('KWD -1.250');
		expect(formatMoney(money(0, 'EUR'))).toBe('EUR 0.00');
	});
});
