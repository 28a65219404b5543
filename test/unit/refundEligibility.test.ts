import { readAmazonOrder } from '../../nodes/shared/refunds/amazonOrder';
import { refundsFromFinancialEvents } from '../../nodes/shared/refunds/amazonRefunds';
import type { EligibilityInput, RefundRequest } from '../../nodes/shared/refunds/eligibility';
import { decideEligibility, earlyDecision, FEED_ORDER_ACKNOWLEDGEMENT, FEED_PAYMENT_ADJUSTMENT } from '../../nodes/shared/refunds/eligibility';
import type { OutEntry, InEntry } from '../../nodes/shared/refunds/ledger';
import { emptyLedger, parseLedger, serializeLedger, upsertEntry } from '../../nodes/shared/refunds/ledger';
import { readShopifyOrder } from '../../nodes/shared/refunds/shopifyOrder';
import type { ItemSpec, ShopLine } from './refundFixtures';
import { refundEvent, shopifyOrder, shopifyRefund, spOrder } from './refundFixtures';

const NOW = Date.parse('2026-11-10T00:00:00Z');
const REFUND: RefundRequest = { kind: 'refund', source: 'shopifyRefund', shopifyRefundId: 'gid://shopify/Refund/9' };
const CANCEL: RefundRequest = { kind: 'cancellation', source: 'shopifyCancellation' };

const TWO_ITEMS: ItemSpec[] = [
	{ id: '11111111111111', qty: 2, shipped: 2, principal: 4000, tax: 320, shipping: 500, shippingTax: 40 },
	{ id: '22222222222222', qty: 1, shipped: 1, principal: 1000, tax: 80, shipping: 500, shippingTax: 40 },
];
const LINES: ShopLine[] = [
	{ id: 'gid://shopify/LineItem/1', orderItemId: '11111111111111', qty: 2 },
	{ id: 'gid://shopify/LineItem/2', orderItemId: '22222222222222', qty: 1 },
];

function input(opts: {
	request?: RefundRequest;
	status?: string;
	items?: ItemSpec[];
	lines?: ShopLine[];
	refund?: Parameters<typeof shopifyRefund>[0];
	order?: Partial<Parameters<typeof shopifyOrder>[0]>;
	events?: Parameters<typeof refundEvent>[0][];
	ledger?: Array<OutEntry | InEntry>;
	currency?: string;
	marketplaceId?: string;
}): EligibilityInput {
	const currency = opts.currency ?? 'USD';
	let ledger = emptyLedger();
	for (const entry of opts.ledger ?? []) ledger = upsertEntry(ledger, entry);
	const order = readShopifyOrder(shopifyOrder({ lines: opts.lines ?? LINES, currency, ledger: serializeLedger(ledger), ...(opts.order ?? {}) }));
	const amazon = readAmazonOrder(spOrder({ status: opts.status ?? 'SHIPPED', currency, marketplaceId: opts.marketplaceId, items: opts.items ?? TWO_ITEMS }));
	return {
		request: opts.request ?? REFUND,
		order,
		refundDetail: opts.refund ? shopifyRefund({ currency, ...opts.refund }) : undefined,
		amazon,
		amazonRefunds: refundsFromFinancialEvents([{ RefundEventList: (opts.events ?? []).map((e) => refundEvent({ currency, ...e })) }], amazon.orderId, currency),
		ledger: parseLedger(order.ledgerValue),
		now: NOW,
	};
}

function outEntry(partial: Partial<OutEntry>): OutEntry {
	return {
		dir: 'out',
		key: 'refund:gid://shopify/Refund/1',
		path: 'refund',
		feedType: FEED_PAYMENT_ADJUSTMENT,
		marketplaceId: 'ATVPDKIKX0DER',
		amazonOrderId: '113-1234567-1234567',
		currency: 'USD',
		items: [],
		total: 0,
		status: 'succeeded',
		updatedAt: '2026-11-05T00:00:00Z',
		...partial,
	};
}

describe('decideEligibility: refusals', () => {
	it('not an Amazon order', () => {
		const d = decideEligibility(input({ order: { amazonOrderId: null }, refund: { lines: [] } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'NOT_AMAZON_ORDER', notifyMerchant: false });
	});

	it('FBA order', () => {
		const d = decideEligibility(input({ order: { fba: true }, refund: { lines: [] } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'FBA_ORDER', notifyMerchant: true });
	});

	it('a refund recorded from Amazon is never sent back (ledger or note marker)', () => {
		const recorded: InEntry = { dir: 'in', key: 'amazon:refund:A1', amazonRefundKey: 'refund:A1', amazonOrderId: '113-1234567-1234567', idempotencyKey: 'k', shopifyRefundId: 'gid://shopify/Refund/9', currency: 'USD', items: [], total: 100, status: 'recorded', updatedAt: '2026-11-05T00:00:00Z' };
		expect(decideEligibility(input({ ledger: [recorded], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000, tax: 80 }] } })).reasonCode).toBe('RECORDED_FROM_AMAZON');
		const byNote = input({ refund: { note: 'x [amazon-refund-recorded refund:A1]', lines: [] } });
		expect(earlyDecision(byNote)?.reasonCode).toBe('RECORDED_FROM_AMAZON');
	});

	it('already sent and accepted: quiet, no second submission', () => {
		const d = decideEligibility(input({ ledger: [outEntry({ key: 'refund:gid://shopify/Refund/9', feedId: 'F1', messageId: 2 })], refund: { lines: [] } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'ALREADY_SYNCED', notifyMerchant: false });
	});

	it('an open submission resumes instead of sending again', () => {
		const d = decideEligibility(input({ ledger: [outEntry({ key: 'refund:gid://shopify/Refund/9', status: 'unknown', feedDocumentId: 'D1', messageId: 1 })], refund: { lines: [] } }));
		expect(d).toMatchObject({ eligible: true, action: 'resume', resume: { status: 'unknown', feedDocumentId: 'D1' } });
	});

	it('refused before: not retried unless asked', () => {
		const entries = [outEntry({ key: 'refund:gid://shopify/Refund/9', status: 'failed', resultMessage: 'bad' })];
		expect(decideEligibility(input({ ledger: entries, refund: { lines: [] } })).reasonCode).toBe('PREVIOUSLY_FAILED');
		const retry = { ...input({ ledger: entries, refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000, tax: 80 }] } }), options: { retryFailed: true } };
		expect(decideEligibility(retry).eligible).toBe(true);
	});

	it('Amazon order not found, pending, or already canceled', () => {
		const missing = { ...input({ refund: { lines: [] } }), amazon: undefined, amazonNotFound: true };
		expect(decideEligibility(missing).reasonCode).toBe('AMAZON_ORDER_NOT_FOUND');
		expect(decideEligibility(input({ status: 'PENDING', refund: { lines: [] } })).reasonCode).toBe('AMAZON_ORDER_PENDING');
		const canceledRefund = decideEligibility(input({ status: 'CANCELLED', refund: { lines: [] } }));
		expect(canceledRefund).toMatchObject({ reasonCode: 'ALREADY_CANCELED_ON_AMAZON', notifyMerchant: true });
		const canceledCancel = decideEligibility(input({ request: CANCEL, status: 'CANCELLED', order: { cancelledAt: '2026-11-06T00:00:00Z', totalRefunded: 100 } }));
		expect(canceledCancel).toMatchObject({ reasonCode: 'ALREADY_CANCELED_ON_AMAZON', notifyMerchant: false });
	});

	it('zero amount or restock only', () => {
		const d = decideEligibility(input({ refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000, tax: 80, restock: 'RETURN' }], money: 0 } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'ZERO_AMOUNT', notifyMerchant: false });
	});

	it('a cancellation with a refund of 0 or less is refused (old channel rule)', () => {
		const items: ItemSpec[] = [{ id: '11111111111111', qty: 1, principal: 1000, tax: 80 }];
		const d = decideEligibility(input({ request: CANCEL, status: 'UNSHIPPED', items, lines: [LINES[0]], order: { cancelledAt: '2026-11-06T00:00:00Z', totalRefunded: 0 } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'CANCEL_WITHOUT_REFUND', notifyMerchant: true, path: 'cancel' });
	});

	it('more than what is left is refused, naming the item', () => {
		const events = [{ items: [{ id: '22222222222222', adj: 'A1', principal: 600 }] }];
		const recorded: InEntry = { dir: 'in', key: 'amazon:refund:A1', amazonRefundKey: 'refund:A1', amazonOrderId: '113-1234567-1234567', idempotencyKey: 'k', shopifyRefundId: 'gid://shopify/Refund/5', currency: 'USD', items: [], total: 600, status: 'recorded', updatedAt: '2026-11-05T00:00:00Z' };
		const d = decideEligibility(input({ events, ledger: [recorded], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000, tax: 80 }] } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'MORE_THAN_REFUNDABLE', notifyMerchant: true });
		expect(d.message).toContain('SKU-22222222222222');
		expect(d.message).toContain('USD 4.80');
	});

	it('already refunded on Amazon outside the workflow: refused with a notice', () => {
		const events = [{ items: [{ id: '22222222222222', adj: 'A1', principal: 1000, tax: 80 }] }];
		const d = decideEligibility(input({ events, refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000, tax: 80 }] } }));
		expect(d).toMatchObject({ eligible: false, reasonCode: 'ALREADY_REFUNDED_ON_AMAZON', notifyMerchant: true });
		expect(d.message).toContain('same amount');
		expect(d.alreadyRefunded?.amazonRefunds).toEqual([{ key: 'refund:A1', postedDate: '2026-11-05T10:00:00Z', total: 1080, knownToLedger: false }]);
	});

	it('our own earlier submission seen in finances is not "refunded outside"', () => {
		const events = [{ posted: '2026-11-05T10:00:00Z', items: [{ id: '22222222222222', adj: 'A1', principal: 500, tax: 40 }] }];
		const ours = outEntry({ key: 'refund:gid://shopify/Refund/1', submittedAt: '2026-11-05T09:00:00Z', items: [{ orderItemId: '22222222222222', amounts: { Principal: 500, Tax: 40 } }], total: 540 });
		const d = decideEligibility(input({ events, ledger: [ours], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 500, tax: 40 }] } }));
		expect(d).toMatchObject({ eligible: true, reasonCode: 'ELIGIBLE' });
		expect(d.amounts?.items[0].components).toEqual({ Principal: 500, Tax: 40 });
		// and asking for more than the rest is refused
		const over = decideEligibility(input({ events, ledger: [ours], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 600, tax: 48 }] } }));
		expect(over.reasonCode).toBe('MORE_THAN_REFUNDABLE');
	});

	it('unmapped line items and currency mismatch', () => {
		const unmapped = decideEligibility(input({ lines: [...LINES, { id: 'gid://shopify/LineItem/3' }], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/3', subtotal: 500 }] } }));
		expect(unmapped.reasonCode).toBe('UNMAPPED_LINE_ITEMS');
		const base = input({ refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000, tax: 80 }] } });
		const eur = { ...base, refundDetail: shopifyRefund({ currency: 'EUR', lines: [{ lineItemId: 'gid://shopify/LineItem/2', subtotal: 1000 }] }) };
		expect(decideEligibility(eur).reasonCode).toBe('CURRENCY_MISMATCH');
	});

	it('a cancellation of a shipped order: quiet when the refund syncs on its own', () => {
		const d = decideEligibility(input({ request: CANCEL, order: { cancelledAt: '2026-11-06T00:00:00Z', totalRefunded: 1080 } }));
		expect(d).toMatchObject({ reasonCode: 'SHIPPED_CANNOT_CANCEL', notifyMerchant: false });
		const noRefund = decideEligibility(input({ request: CANCEL, order: { cancelledAt: '2026-11-06T00:00:00Z', totalRefunded: 0 } }));
		expect(noRefund).toMatchObject({ reasonCode: 'SHIPPED_CANNOT_CANCEL', notifyMerchant: true });
	});

	it('amount-only refund of an unshipped order is impossible', () => {
		const d = decideEligibility(input({ status: 'UNSHIPPED', items: [{ id: '11111111111111', qty: 2, principal: 4000 }], refund: { shipping: { subtotal: 500 } } }));
		expect(d.reasonCode).toBe('UNSHIPPED_AMOUNT_ONLY');
	});
});

describe('decideEligibility: eligible paths and amounts', () => {
	it('partial refund of one item (shipped): payment adjustment with Principal and Tax', () => {
		const d = decideEligibility(input({ refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/1', qty: 1, subtotal: 2000, tax: 160 }], isReturn: true } }));
		expect(d).toMatchObject({ eligible: true, path: 'refund', action: 'paymentAdjustment', feedType: FEED_PAYMENT_ADJUSTMENT, adjustmentReason: 'CustomerReturn' });
		expect(d.amounts).toMatchObject({ total: 2160, totalFormatted: 'USD 21.60' });
		expect(d.amounts?.items).toEqual([{ orderItemId: '11111111111111', sku: 'SKU-11111111111111', quantity: 1, components: { Principal: 2000, Tax: 160 }, total: 2160 }]);
	});

	it('shipping only: Shipping and ShippingTax spread over the items', () => {
		const d = decideEligibility(input({ refund: { shipping: { subtotal: 1000, tax: 80 } } }));
		expect(d).toMatchObject({ eligible: true, adjustmentReason: 'GeneralAdjustment' });
		expect(d.amounts?.items.map((i) => i.components)).toEqual([
			{ Shipping: 500, ShippingTax: 40 },
			{ Shipping: 500, ShippingTax: 40 },
		]);
	});

	it('full cancellation of an unshipped order with a refund above 0: acknowledgement Failure', () => {
		const items: ItemSpec[] = [{ id: '11111111111111', qty: 2, principal: 4000, tax: 320 }, { id: '22222222222222', principal: 1000, buyerCancel: true }];
		const d = decideEligibility(input({ request: CANCEL, status: 'UNSHIPPED', items, order: { cancelledAt: '2026-11-06T00:00:00Z', cancelReason: 'CUSTOMER', totalRefunded: 5320 } }));
		expect(d).toMatchObject({ eligible: true, path: 'cancel', action: 'fullCancellation', feedType: FEED_ORDER_ACKNOWLEDGEMENT, cancelReason: 'BuyerCanceled', ledgerKey: 'cancel:gid://shopify/Order/1' });
		expect(d.amounts).toMatchObject({ total: 0, cancelledValueTotal: 5320 });
		expect(d.amounts?.items.map((i) => [i.orderItemId, i.quantityCancelled])).toEqual([['11111111111111', 2], ['22222222222222', 1]]);
	});

	it('a refund of every unit of an unshipped order is the same cancellation (one ledger key)', () => {
		const items: ItemSpec[] = [{ id: '11111111111111', qty: 2, principal: 4000 }];
		const d = decideEligibility(input({ status: 'UNSHIPPED', items, lines: [LINES[0]], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/1', qty: 2, subtotal: 4000, restock: 'CANCEL' }] } }));
		expect(d).toMatchObject({ eligible: true, action: 'fullCancellation', ledgerKey: 'cancel:gid://shopify/Order/1', cancelReason: 'GeneralAdjustment' });
		// once the cancellation is recorded, a duplicate refund or cancel event resolves to it
		const sent = outEntry({ key: 'cancel:gid://shopify/Order/1', path: 'cancel', feedType: FEED_ORDER_ACKNOWLEDGEMENT, status: 'succeeded', feedId: 'F9' });
		const dup = decideEligibility(input({ request: CANCEL, status: 'UNSHIPPED', items, lines: [LINES[0]], ledger: [sent], order: { cancelledAt: '2026-11-06T00:00:00Z', totalRefunded: 4000 } }));
		expect(dup).toMatchObject({ reasonCode: 'ALREADY_SYNCED', notifyMerchant: false });
	});

	it('partial cancellation of an unshipped order: QuantityCancelled, no money', () => {
		const items: ItemSpec[] = [{ id: '11111111111111', qty: 3, principal: 3000, tax: 240, shipping: 300 }];
		const d = decideEligibility(input({ status: 'UNSHIPPED', items, lines: [{ ...LINES[0], qty: 3 }], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/1', qty: 1, subtotal: 1000, tax: 80, restock: 'CANCEL' }], shipping: { subtotal: 100 } } }));
		expect(d).toMatchObject({ eligible: true, path: 'cancel', action: 'partialCancellation', feedType: FEED_PAYMENT_ADJUSTMENT, adjustmentReason: 'NoInventory' });
		expect(d.amounts?.items).toEqual([{ orderItemId: '11111111111111', sku: 'SKU-11111111111111', quantity: 1, quantityCancelled: 1, components: {}, total: 0, cancelledValue: { Principal: 1000, Shipping: 100, Tax: 80 } }]);
	});

	it('partially shipped: shipped units refunded, unshipped units canceled, in one adjustment', () => {
		const items: ItemSpec[] = [{ id: '11111111111111', qty: 2, shipped: 1, principal: 4000, tax: 320 }];
		const d = decideEligibility(input({ status: 'PARTIALLY_SHIPPED', items, lines: [LINES[0]], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/1', qty: 2, subtotal: 4000, tax: 320 }] } }));
		expect(d).toMatchObject({ eligible: true, path: 'refund', action: 'paymentAdjustment' });
		expect(d.amounts?.items[0]).toMatchObject({ quantity: 2, quantityCancelled: 1, components: { Principal: 2000, Tax: 160 }, total: 2160 });
	});

	it('JPY and EUR amounts stay exact', () => {
		const jpyItems: ItemSpec[] = [{ id: '11111111111111', qty: 3, shipped: 3, principal: 4500, tax: 450, shipping: 700 }];
		const jpy = decideEligibility(input({ currency: 'JPY', marketplaceId: 'A1VC38T7YXB528', items: jpyItems, lines: [{ ...LINES[0], qty: 3 }], refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/1', qty: 1, subtotal: 1500, tax: 150 }], shipping: { subtotal: 233 } } }));
		expect(jpy).toMatchObject({ eligible: true, currency: 'JPY', amounts: { total: 1883, totalFormatted: 'JPY 1883' } });
		expect(jpy.amounts?.items[0].components).toEqual({ Principal: 1500, Shipping: 233, Tax: 150 });
		const eurItems: ItemSpec[] = [{ id: '11111111111111', qty: 1, shipped: 1, principal: 1681, tax: 319 }];
		const eur = decideEligibility(input({ currency: 'EUR', marketplaceId: 'A1PA6795UKMFR9', items: eurItems, lines: [LINES[0]], order: { taxesIncluded: true }, refund: { lines: [{ lineItemId: 'gid://shopify/LineItem/1', subtotal: 1000, tax: 160 }], money: 1000 } }));
		// prices include VAT in Shopify: the line subtotal is the money, split by Amazon's own Principal/Tax ratio
		expect(eur.amounts?.items[0].components).toEqual({ Principal: 841, Tax: 159 });
		expect(eur.amounts?.totalFormatted).toBe('EUR 10.00');
	});

	it('explicit fields: items by SKU, or an amount only', () => {
		const byItems: RefundRequest = { kind: 'refund', source: 'explicit', reference: 'r-1', lines: [{ item: 'SKU-22222222222222', quantity: 1 }] };
		const d = decideEligibility(input({ request: byItems }));
		expect(d).toMatchObject({ eligible: true, ledgerKey: 'manual:r-1', amounts: { total: 1080 } });
		const amountOnly: RefundRequest = { kind: 'refund', source: 'explicit', reference: 'r-2', lines: [], amount: '3.00' };
		const a = decideEligibility(input({ request: amountOnly }));
		expect(a.amounts?.total).toBe(300);
		expect(a.amounts?.items.map((i) => i.components.Principal)).toEqual([240, 60]);
		const bad: RefundRequest = { kind: 'refund', source: 'explicit', reference: 'r-3', lines: [{ item: 'nope' }] };
		expect(decideEligibility(input({ request: bad })).reasonCode).toBe('INVALID_REQUEST');
	});
});
