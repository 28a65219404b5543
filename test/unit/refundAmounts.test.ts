import { readAmazonOrder, itemCharges } from '../../nodes/shared/refunds/amazonOrder';
import { refundTransactionsTotal } from '../../nodes/shared/refunds/shopifyOrder';
import { refundsFromFinancialEvents, refundsFromTransactions, componentForBreakdown, refundedByItem } from '../../nodes/shared/refunds/amazonRefunds';
import { allocateRefund, chargesForUnits } from '../../nodes/shared/refunds/allocate';
import { addAmounts, maxAmounts, subtractAmounts, totalOf, componentForChargeType } from '../../nodes/shared/refunds/components';
import { refundEvent, spItem, spOrder } from './refundFixtures';

describe('components', () => {
	it('adds, subtracts and takes the maximum component by component', () => {
		expect(addAmounts({ Principal: 100 }, { Principal: 5, Tax: 7 })).toEqual({ Principal: 105, Tax: 7 });
		expect(subtractAmounts({ Principal: 100, Tax: 8 }, { Principal: 100, Tax: 3 })).toEqual({ Tax: 5 });
		expect(maxAmounts({ Principal: 10, Tax: 1 }, { Principal: 5, Shipping: 3 })).toEqual({ Principal: 10, Shipping: 3, Tax: 1 });
		expect(totalOf({ Principal: 1999, Tax: 160, Shipping: 499, ShippingTax: 40 })).toBe(2698);
	});

	it('maps finances charge types to feed components', () => {
		expect(componentForChargeType('ShippingCharge')).toBe('Shipping');
		expect(componentForChargeType('Giftwrap')).toBe('GiftWrap');
		expect(componentForChargeType('GiftwrapTax')).toBe('GiftWrapTax');
		expect(componentForChargeType('MarketplaceFacilitatorTax-Principal')).toBeUndefined();
	});
});

describe('Amazon order charges (v2026 proceeds)', () => {
	it('reads ITEM, SHIPPING, TAX by subtype and nets DISCOUNT', () => {
		const item = spItem({ id: '1', principal: 2000, tax: 160, shipping: 499, shippingTax: 40, discount: 500 }, 'USD');
		expect(itemCharges(item, 'USD')).toEqual({ Principal: 1500, Shipping: 499, Tax: 160, ShippingTax: 40 });
	});

	it('handles JPY (no decimals), EUR and KWD (3 decimals)', () => {
		expect(itemCharges(spItem({ id: '1', principal: 1500, tax: 150, shipping: 350 }, 'JPY'), 'JPY')).toEqual({ Principal: 1500, Shipping: 350, Tax: 150 });
		expect(itemCharges(spItem({ id: '1', principal: 1999, tax: 380 }, 'EUR'), 'EUR')).toEqual({ Principal: 1999, Tax: 380 });
		expect(itemCharges(spItem({ id: '1', principal: 1250, tax: 125 }, 'KWD'), 'KWD')).toEqual({ Principal: 1250, Tax: 125 });
	});

	it('reads status, currency, shipped and cancelled units', () => {
		const facts = readAmazonOrder(spOrder({ status: 'PARTIALLY_SHIPPED', currency: 'EUR', marketplaceId: 'A1PA6795UKMFR9', items: [{ id: 'A', qty: 2, shipped: 1, principal: 4000 }, { id: 'B', principal: 1000 }] }));
		expect(facts.currency).toBe('EUR');
		expect(facts.items.map((i) => [i.orderItemId, i.quantityShipped, i.quantityCancelled])).toEqual([['A', 1, 0], ['B', 0, 0]]);
		const cancelled = readAmazonOrder(spOrder({ status: 'CANCELLED', items: [{ id: 'A', qty: 3, principal: 3000 }] }));
		expect(cancelled.items[0].quantityCancelled).toBe(3);
	});
});

describe('Amazon refunds from finances', () => {
	it('turns v0 RefundEventList charges (seller-negative) into buyer-positive components, nets promotions', () => {
		const refunds = refundsFromFinancialEvents(
			[{ RefundEventList: [refundEvent({ items: [{ id: 'A', adj: 'ADJ1', principal: 2000, tax: 160, promo: 500 }] })] }],
			'113-1234567-1234567',
			'USD',
		);
		expect(refunds).toHaveLength(1);
		expect(refunds[0].key).toBe('refund:ADJ1');
		expect(refunds[0].items[0].amounts).toEqual({ Principal: 1500, Tax: 160 });
		expect(refunds[0].total).toBe(1660);
	});

	it('dedupes the same event across pages and keeps A-to-z claims apart', () => {
		const event = refundEvent({ items: [{ id: 'A', adj: 'ADJ1', principal: 1000 }] });
		const claim = refundEvent({ items: [{ id: 'A', adj: 'ADJ2', principal: 300 }] });
		const refunds = refundsFromFinancialEvents([{ RefundEventList: [event] }, { RefundEventList: [event], GuaranteeClaimEventList: [claim] }], '113-1234567-1234567', 'USD');
		expect(refunds.map((r) => r.key)).toEqual(['refund:ADJ1', 'guaranteeClaim:ADJ2']);
		expect(refundedByItem(refunds).get('A')).toEqual({ Principal: 1300 });
	});

	it('reads JPY amounts without decimals', () => {
		const refunds = refundsFromFinancialEvents([{ RefundEventList: [refundEvent({ currency: 'JPY', items: [{ id: 'A', adj: 'J1', principal: 1500, shipping: 350 }] })] }], '113-1234567-1234567', 'JPY');
		expect(refunds[0].items[0].amounts).toEqual({ Principal: 1500, Shipping: 350 });
		expect(refunds[0].currency).toBe('JPY');
	});

	it('reads 2024-06-19 refund transactions, matching items by SKU', () => {
		const order = readAmazonOrder(spOrder({ status: 'SHIPPED', items: [{ id: 'A', sku: 'sku-a', shipped: 1, principal: 1000 }] }));
		const refunds = refundsFromTransactions(
			[
				{ transactionType: 'Shipment', description: 'Order Payment', totalAmount: { currencyAmount: 10, currencyCode: 'USD' } },
				{
					transactionType: 'Refund',
					description: 'Refund Order',
					transactionId: 'T1',
					postedDate: '2026-11-05T00:00:00Z',
					relatedIdentifiers: [{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: '113-1234567-1234567' }],
					totalAmount: { currencyAmount: -8.5, currencyCode: 'USD' },
					items: [
						{
							relatedIdentifiers: [{ itemRelatedIdentifierName: 'ORDER_ADJUSTMENT_ITEM_ID', itemRelatedIdentifierValue: 'ADJ9' }],
							contexts: [{ contextType: 'ProductContext', sku: 'sku-a' }],
							breakdowns: [
								{ breakdownType: 'Product Charges', breakdownAmount: { currencyAmount: -8.5, currencyCode: 'USD' }, breakdowns: [{ breakdownType: 'Principle', breakdownAmount: { currencyAmount: -8, currencyCode: 'USD' } }, { breakdownType: 'Tax', breakdownAmount: { currencyAmount: -0.5, currencyCode: 'USD' } }] },
								{ breakdownType: 'Expenses', breakdownAmount: { currencyAmount: 1.2, currencyCode: 'USD' }, breakdowns: [{ breakdownType: 'Commission', breakdownAmount: { currencyAmount: 1.2, currencyCode: 'USD' } }] },
							],
						},
					],
				},
			],
			'113-1234567-1234567',
			'USD',
			order.items,
		);
		expect(refunds).toHaveLength(1);
		expect(refunds[0]).toMatchObject({ key: 'refund:ADJ9', total: 850, items: [{ orderItemId: 'A', amounts: { Principal: 800, Tax: 50 } }] });
		expect(componentForBreakdown('Shipping Tax')).toBe('ShippingTax');
		expect(componentForBreakdown('Referral fee')).toBe('ignore');
	});
});

describe('allocation of Shopify money to Amazon components', () => {
	const remaining = new Map([
		['A', { Principal: 2000, Tax: 160, Shipping: 500, ShippingTax: 40 }],
		['B', { Principal: 1000, Tax: 80, Shipping: 250, ShippingTax: 20 }],
	]);

	it('a partial refund of one item goes to that item, split Principal/Tax by Amazon ratio', () => {
		const result = allocateRefund({ lines: [{ orderItemId: 'A', money: 1080 }], shippingMoney: 0, remaining });
		expect(result.items.get('A')).toEqual({ Principal: 1000, Tax: 80 });
		expect(result.items.has('B')).toBe(false);
		expect(result.total).toBe(1080);
	});

	it('shipping only is spread over items by their shipping, exactly', () => {
		const result = allocateRefund({ lines: [], shippingMoney: 810, remaining });
		expect(result.items.get('A')).toEqual({ Shipping: 500, ShippingTax: 40 });
		expect(result.items.get('B')).toEqual({ Shipping: 250, ShippingTax: 20 });
		expect(result.total).toBe(810);
	});

	it('scales everything down when less money moved than the lines add up to', () => {
		const result = allocateRefund({ lines: [{ orderItemId: 'A', money: 2160 }], shippingMoney: 0, target: 1000, remaining });
		expect(result.total).toBe(1000);
		expect(totalOf(result.items.get('A') ?? {})).toBe(1000);
	});

	it('puts extra money on Principal of the refunded item', () => {
		const result = allocateRefund({ lines: [{ orderItemId: 'A', money: 1080 }], shippingMoney: 0, target: 1580, remaining });
		expect(result.items.get('A')).toEqual({ Principal: 1500, Tax: 80 });
	});

	it('reports a shortfall when more than what is left is asked, and caps rounding noise', () => {
		const over = allocateRefund({ lines: [{ orderItemId: 'A', money: 3000 }], shippingMoney: 0, remaining });
		expect(over.shortfalls).toEqual([{ orderItemId: 'A', what: 'product', requested: 3000, available: 2160 }]);
		const noise = allocateRefund({ lines: [{ orderItemId: 'A', money: 2161 }], shippingMoney: 0, remaining });
		expect(noise.shortfalls).toEqual([]);
		expect(noise.capped).toBe(1);
		expect(noise.items.get('A')).toEqual({ Principal: 2000, Tax: 160 });
	});

	it('keeps JPY and KWD splits exact (parts always sum to the whole)', () => {
		const jpy = allocateRefund({ lines: [], shippingMoney: 101, remaining: new Map([['A', { Shipping: 100 }], ['B', { Shipping: 100 }], ['C', { Shipping: 100 }]]) });
		expect([...jpy.items.values()].map((a) => a.Shipping)).toEqual([34, 34, 33]);
		const kwd = allocateRefund({ lines: [{ orderItemId: 'A', money: 1001 }], shippingMoney: 0, remaining: new Map([['A', { Principal: 3000, Tax: 3 }]]) });
		expect(totalOf(kwd.items.get('A') ?? {})).toBe(1001);
		expect(kwd.items.get('A')).toEqual({ Principal: 1000, Tax: 1 });
	});

	it('charges for some units never exceed the line', () => {
		expect(chargesForUnits({ Principal: 1000, Tax: 99 }, 1, 3)).toEqual({ Principal: 333, Tax: 33 });
		expect(chargesForUnits({ Principal: 1000, Tax: 99 }, 3, 3)).toEqual({ Principal: 1000, Tax: 99 });
		expect(chargesForUnits({ Principal: 1000 }, 0, 3)).toEqual({});
	});
});

describe('amount-only refunds', () => {
	it('fill Principal first, then every other component in proportion; everything left fits exactly', () => {
		const remaining = new Map([
			['A', { Principal: 1000, Tax: 80, Shipping: 500 }],
			['B', { Principal: 500, Tax: 40 }],
		]);
		const some = allocateRefund({ lines: [], shippingMoney: 0, target: 1200, remaining });
		expect(some.items.get('A')).toEqual({ Principal: 800 });
		expect(some.items.get('B')).toEqual({ Principal: 400 });
		const all = allocateRefund({ lines: [], shippingMoney: 0, target: 2120, remaining });
		expect(all.shortfalls).toEqual([]);
		expect(all.items.get('A')).toEqual({ Principal: 1000, Shipping: 500, Tax: 80 });
		expect(all.items.get('B')).toEqual({ Principal: 500, Tax: 40 });
		expect(allocateRefund({ lines: [], shippingMoney: 0, target: 2130, remaining }).shortfalls).toEqual([{ what: 'total', requested: 2130, available: 2120 }]);
	});
});

describe('the money of a Shopify refund (docs/REFUNDS.md "Amounts")', () => {
	it('counts SUCCESS and PENDING refund transactions (a pending one is promised to the buyer), never failed ones or sales', () => {
		const bag = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' }, presentmentMoney: { amount, currencyCode: 'USD' } });
		const total = refundTransactionsTotal(
			[
				{ id: '1', kind: 'REFUND', status: 'SUCCESS', amountSet: bag('10.00') },
				{ id: '2', kind: 'REFUND', status: 'PENDING', amountSet: bag('2.50') },
				{ id: '3', kind: 'REFUND', status: 'FAILURE', amountSet: bag('99.00') },
				{ id: '4', kind: 'REFUND', status: 'ERROR', amountSet: bag('99.00') },
				{ id: '5', kind: 'SALE', status: 'SUCCESS', amountSet: bag('50.00') },
			],
			'USD',
		);
		expect(total).toBe(1250);
	});
});
