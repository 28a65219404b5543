import { readAmazonOrder } from '../../nodes/shared/refunds/amazonOrder';
import type { AmazonRefundRecord } from '../../nodes/shared/refunds/amazonRefunds';
import { emptyLedger, upsertEntry } from '../../nodes/shared/refunds/ledger';
import { existingRecordedRefund, findMirrorRefund, planRecord, recordIdempotencyKey, recordMarker } from '../../nodes/shared/refunds/record';
import { readShopifyOrder } from '../../nodes/shared/refunds/shopifyOrder';
import { shopifyOrder, spOrder } from './refundFixtures';

const amazon = readAmazonOrder(spOrder({ status: 'SHIPPED', items: [{ id: '11111111111111', qty: 2, shipped: 2, principal: 4000, tax: 320, shipping: 500 }] }));
const lines = [{ id: 'gid://shopify/LineItem/1', orderItemId: '11111111111111', qty: 2 }];

function refund(principal: number, extra: Partial<AmazonRefundRecord> = {}): AmazonRefundRecord {
	return {
		key: 'refund:ADJ1',
		kind: 'refund',
		source: 'financesV0',
		amazonOrderId: '113-1234567-1234567',
		postedDate: '2026-11-05T10:00:00Z',
		currency: 'USD',
		items: [{ orderItemId: '11111111111111', amounts: { Principal: principal, Tax: principal * 0.08, Shipping: 250 }, other: {} }],
		total: principal * 1.08 + 250,
		...extra,
	};
}

describe('recording an Amazon refund in Shopify (plan)', () => {
	it('manual gateway: a REFUND transaction (no money moves), whole units as line items, shipping, notify false', () => {
		const order = readShopifyOrder(shopifyOrder({ lines }));
		const plan = planRecord(refund(2000), order, amazon);
		expect(plan.recordedAs).toBe('manualGatewayTransaction');
		expect(plan.input).toMatchObject({
			orderId: order.id,
			notify: false,
			processedAt: '2026-11-05T10:00:00Z',
			refundLineItems: [{ lineItemId: 'gid://shopify/LineItem/1', quantity: 1, restockType: 'NO_RESTOCK' }],
			shipping: { amount: '2.50' },
			transactions: [{ orderId: order.id, parentId: 'gid://shopify/OrderTransaction/1', kind: 'REFUND', gateway: 'amazon', amount: '24.10' }],
		});
		expect(String(plan.input?.note)).toContain(recordMarker('refund:ADJ1'));
		expect(String(plan.input?.note).length).toBeLessThanOrEqual(255);
		expect(plan.idempotencyKey).toBe(recordIdempotencyKey('113-1234567-1234567', 'refund:ADJ1'));
	});

	it('a partial (goodwill) amount is money without line items', () => {
		const plan = planRecord(refund(750), readShopifyOrder(shopifyOrder({ lines })), amazon);
		expect(plan.input?.refundLineItems).toBeUndefined();
		expect(plan.recordedAs).toBe('manualGatewayTransaction');
	});

	it('a real payment gateway: never a transaction, items and shipping only', () => {
		const plan = planRecord(refund(2000), readShopifyOrder(shopifyOrder({ lines, manualGateway: false })), amazon);
		expect(plan.recordedAs).toBe('lineItemsOnly');
		expect(plan.input?.transactions).toBeUndefined();
		expect(plan.warnings[0]).toContain('not a manual gateway');
	});

	it('idempotency keys are deterministic and short; long refund keys are hashed in the note marker', () => {
		expect(recordIdempotencyKey('113-1234567-1234567', 'refund:A')).toBe(recordIdempotencyKey('113-1234567-1234567', 'refund:A'));
		expect(recordIdempotencyKey('113-1234567-1234567', 'refund:A')).not.toBe(recordIdempotencyKey('113-1234567-1234567', 'refund:B'));
		expect(recordMarker(`refund:${'1'.repeat(80)}`)).toMatch(/^\[amazon-refund-recorded h:[0-9a-f]{20}\]$/);
	});

	it('finds a hand-made mirror refund (same amount, not in the ledger) and an earlier recorded one (note marker)', () => {
		const order = readShopifyOrder(shopifyOrder({ lines, refunds: [{ id: 'gid://shopify/Refund/5', total: 2410 }, { id: 'gid://shopify/Refund/6', total: 999, note: `x ${recordMarker('refund:OLD')}` }] }));
		expect(findMirrorRefund(refund(2000), order, emptyLedger())).toBe('gid://shopify/Refund/5');
		const linked = upsertEntry(emptyLedger(), { dir: 'out', key: 'refund:gid://shopify/Refund/5', shopifyRefundId: 'gid://shopify/Refund/5', path: 'refund', feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceId: 'ATVPDKIKX0DER', amazonOrderId: '113-1234567-1234567', currency: 'USD', items: [], total: 2410, status: 'succeeded', updatedAt: '2026-11-05T00:00:00Z' });
		expect(findMirrorRefund(refund(2000), order, linked)).toBeUndefined();
		expect(existingRecordedRefund(order, 'refund:OLD')).toBe('gid://shopify/Refund/6');
	});
});
