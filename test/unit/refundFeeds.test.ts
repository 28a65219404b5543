import { childElement, childElements, childText, parseXml } from '../../nodes/shared/xml';
import type { XmlElement } from '../../nodes/shared/xml';
import { buildCancellationFeed, buildPaymentAdjustmentFeed, FeedBuildError } from '../../nodes/shared/refunds/feedXml';
import type { AmazonRefundRecord } from '../../nodes/shared/refunds/amazonRefunds';
import { emptyLedger, LedgerUnreadableError, ledgerRefundedByItem, parseLedger, serializeLedger, upsertEntry } from '../../nodes/shared/refunds/ledger';
import type { OutEntry } from '../../nodes/shared/refunds/ledger';
import { reconcile } from '../../nodes/shared/refunds/reconcile';
import { EventParseError, parseRefundEvent } from '../../nodes/shared/refunds/events';
import { adjustmentReasonFor, cancelReasonFor, partialCancelReasonFor } from '../../nodes/shared/refunds/reasons';

function names(node: XmlElement): string[] {
	return childElements(node).map((c) => c.name);
}

describe('payment adjustment feed (POST_PAYMENT_ADJUSTMENT_DATA)', () => {
	const xml = buildPaymentAdjustmentFeed('A2SELLER', [
		{
			messageId: 1,
			amazonOrderId: '113-1234567-1234567',
			currency: 'USD',
			items: [{ orderItemId: '11111111111111', merchantAdjustmentItemId: 'R9-1', reason: 'CustomerReturn', components: { Tax: 160, Principal: 2000, ShippingTax: 40, Shipping: 499 } }],
		},
		{
			messageId: 2,
			amazonOrderId: '113-7654321-7654321',
			currency: 'USD',
			items: [{ orderItemId: '22222222222222', reason: 'GeneralAdjustment', components: { Principal: 100 }, quantityCancelled: 1, cancelReason: 'NoInventory' }],
		},
	]);
	const root = parseXml(xml);

	it('round-trips through the parser with the XSD element order', () => {
		expect(root.name).toBe('AmazonEnvelope');
		expect(root.attrs['xsi:noNamespaceSchemaLocation']).toBe('amzn-envelope.xsd');
		expect(names(root)).toEqual(['Header', 'MessageType', 'Message', 'Message']);
		expect(childText(childElement(root, 'Header') as XmlElement, 'MerchantIdentifier')).toBe('A2SELLER');
		expect(childText(root, 'MessageType')).toBe('OrderAdjustment');
		const [first] = childElements(root, 'Message');
		expect(names(first)).toEqual(['MessageID', 'OrderAdjustment']);
		const adjustment = childElement(first, 'OrderAdjustment') as XmlElement;
		expect(names(adjustment)).toEqual(['AmazonOrderID', 'AdjustedItem']);
		const item = childElement(adjustment, 'AdjustedItem') as XmlElement;
		expect(names(item)).toEqual(['AmazonOrderItemCode', 'MerchantAdjustmentItemID', 'AdjustmentReason', 'ItemPriceAdjustments']);
		const components = childElements(childElement(item, 'ItemPriceAdjustments') as XmlElement, 'Component').map((c) => [
			childText(c, 'Type'),
			childText(c, 'Amount'),
			(childElement(c, 'Amount') as XmlElement).attrs.currency,
		]);
		// Feed order of components, amounts with the currency's digits.
		expect(components).toEqual([
			['Principal', '20.00', 'USD'],
			['Shipping', '4.99', 'USD'],
			['Tax', '1.60', 'USD'],
			['ShippingTax', '0.40', 'USD'],
		]);
	});

	it('a partially shipped item gets a refund AdjustedItem and a QuantityCancelled one without prices', () => {
		const adjustment = childElement(childElements(root, 'Message')[1], 'OrderAdjustment') as XmlElement;
		const [refund, cancel] = childElements(adjustment, 'AdjustedItem');
		expect(names(refund)).toEqual(['AmazonOrderItemCode', 'AdjustmentReason', 'ItemPriceAdjustments']);
		expect(names(cancel)).toEqual(['AmazonOrderItemCode', 'AdjustmentReason', 'QuantityCancelled']);
		expect(childText(cancel, 'AdjustmentReason')).toBe('NoInventory');
		expect(childText(cancel, 'QuantityCancelled')).toBe('1');
	});

	it('writes JPY without decimals and KWD with three', () => {
		const jpy = buildPaymentAdjustmentFeed('S', [{ messageId: 1, amazonOrderId: '503-1234567-1234567', currency: 'JPY', items: [{ orderItemId: '1', reason: 'GeneralAdjustment', components: { Principal: 1500 } }] }]);
		expect(jpy).toContain('<Amount currency="JPY">1500</Amount>');
		const kwd = buildPaymentAdjustmentFeed('S', [{ messageId: 1, amazonOrderId: '171-1234567-1234567', currency: 'KWD', items: [{ orderItemId: '1', reason: 'GeneralAdjustment', components: { Principal: 1250 } }] }]);
		expect(kwd).toContain('<Amount currency="KWD">1.250</Amount>');
	});

	it('refuses a missing seller id, duplicate MessageIDs, negative amounts and empty items', () => {
		const message = { messageId: 1, amazonOrderId: '113-1234567-1234567', currency: 'USD', items: [{ orderItemId: '1', reason: 'GeneralAdjustment' as const, components: { Principal: 1 } }] };
		expect(() => buildPaymentAdjustmentFeed('', [message])).toThrow(/Seller ID/);
		expect(() => buildPaymentAdjustmentFeed('S', [message, message])).toThrow(FeedBuildError);
		expect(() => buildPaymentAdjustmentFeed('S', [{ ...message, items: [{ ...message.items[0], components: { Principal: -1 } }] }])).toThrow(/negative/);
		expect(() => buildPaymentAdjustmentFeed('S', [{ ...message, items: [{ ...message.items[0], components: {} }] }])).toThrow(/neither/);
	});
});

describe('cancellation feed (POST_ORDER_ACKNOWLEDGEMENT_DATA)', () => {
	it('StatusCode Failure with a CancelReason per item, in XSD order', () => {
		const xml = buildCancellationFeed('A2SELLER', [{ messageId: 7, amazonOrderId: '113-1234567-1234567', items: [{ orderItemId: '11111111111111', cancelReason: 'BuyerCanceled' }, { orderItemId: '22222222222222', cancelReason: 'BuyerCanceled' }] }]);
		const root = parseXml(xml);
		expect(childText(root, 'MessageType')).toBe('OrderAcknowledgement');
		const ack = childElement(childElements(root, 'Message')[0], 'OrderAcknowledgement') as XmlElement;
		expect(names(ack)).toEqual(['AmazonOrderID', 'StatusCode', 'Item', 'Item']);
		expect(childText(ack, 'StatusCode')).toBe('Failure');
		expect(childElements(ack, 'Item').map((i) => [childText(i, 'AmazonOrderItemCode'), childText(i, 'CancelReason')])).toEqual([
			['11111111111111', 'BuyerCanceled'],
			['22222222222222', 'BuyerCanceled'],
		]);
	});
});

describe('ledger', () => {
	const entry: OutEntry = {
		dir: 'out',
		key: 'refund:gid://shopify/Refund/1',
		path: 'refund',
		feedType: 'POST_PAYMENT_ADJUSTMENT_DATA',
		marketplaceId: 'ATVPDKIKX0DER',
		amazonOrderId: '113-1234567-1234567',
		currency: 'USD',
		items: [{ orderItemId: 'A', amounts: { Principal: 500 } }],
		total: 500,
		status: 'pending',
		feedDocumentId: 'D1',
		messageId: 1,
		updatedAt: '2026-11-05T00:00:00Z',
	};

	it('parses, upserts by key and serialises', () => {
		expect(parseLedger(undefined)).toEqual(emptyLedger());
		let ledger = upsertEntry(emptyLedger(), entry);
		ledger = upsertEntry(ledger, { ...entry, status: 'succeeded', feedId: 'F1' });
		const back = parseLedger(serializeLedger(ledger));
		expect(back.entries).toHaveLength(1);
		expect(back.entries[0]).toMatchObject({ status: 'succeeded', feedId: 'F1' });
		expect(ledgerRefundedByItem(back).get('A')).toEqual({ Principal: 500 });
		expect(ledgerRefundedByItem(upsertEntry(back, { ...entry, status: 'failed' })).get('A')).toBeUndefined();
	});

	it('refuses what it cannot read, rather than guess', () => {
		expect(() => parseLedger('{not json')).toThrow(LedgerUnreadableError);
		expect(() => parseLedger('{"v":99,"entries":[]}')).toThrow(/newer version/);
		expect(() => parseLedger('{"entries":[{"dir":"sideways"}]}')).toThrow(LedgerUnreadableError);
	});

	it('reconciles Amazon refunds: recorded by key, ours by amounts (split events too), others unknown', () => {
		const refund = (key: string, items: Array<[string, number]>, posted = '2026-11-06T00:00:00Z'): AmazonRefundRecord => ({
			key,
			kind: 'refund',
			source: 'financesV0',
			amazonOrderId: '113-1234567-1234567',
			postedDate: posted,
			currency: 'USD',
			items: items.map(([orderItemId, principal]) => ({ orderItemId, amounts: { Principal: principal }, other: {} })),
			total: items.reduce((s, [, p]) => s + p, 0),
		});
		const sent: OutEntry = { ...entry, status: 'succeeded', submittedAt: '2026-11-05T00:00:00Z', items: [{ orderItemId: 'A', amounts: { Principal: 500 } }, { orderItemId: 'B', amounts: { Principal: 300 } }], total: 800 };
		let ledger = upsertEntry(emptyLedger(), sent);
		ledger = upsertEntry(ledger, { dir: 'in', key: 'amazon:refund:X', amazonRefundKey: 'refund:X', amazonOrderId: '113-1234567-1234567', idempotencyKey: 'k', currency: 'USD', items: [], total: 50, status: 'recorded', updatedAt: '2026-11-05T00:00:00Z' });
		const result = reconcile([refund('refund:X', [['A', 50]]), refund('refund:P1', [['A', 500]]), refund('refund:P2', [['B', 301]]), refund('refund:Q', [['A', 999]]), refund('refund:OLD', [['B', 300]], '2026-10-01T00:00:00Z')], ledger);
		expect(result.known.map((k) => [k.refund.key, k.how])).toEqual([
			['refund:X', 'recorded'],
			['refund:P1', 'sentByUs'],
			['refund:P2', 'sentByUsApproximately'],
		]);
		expect(result.unknown.map((r) => r.key)).toEqual(['refund:Q', 'refund:OLD']);
	});
});

describe('event parsing', () => {
	it('reads the Shopify Order Events Trigger contract', () => {
		const refund = parseRefundEvent({ event: 'refundCreated', shopifyOrder: { id: 'gid://shopify/Order/5' }, refund: { id: 'gid://shopify/Refund/8' }, dedupeKey: 'refund:8' });
		expect(refund).toEqual({ kind: 'refund', shopifyOrderId: 'gid://shopify/Order/5', shopifyRefundId: 'gid://shopify/Refund/8', eventId: 'refund:8' });
		expect(parseRefundEvent({ event: 'orderCancelled', shopifyOrder: { id: 'gid://shopify/Order/5' } })).toMatchObject({ kind: 'cancellation' });
		expect(() => parseRefundEvent({ event: 'fulfillmentCreated', shopifyOrder: { id: 'gid://shopify/Order/5' } })).toThrow(/not a refund or a cancellation/);
	});

	it('reads raw Shopify webhook payloads too', () => {
		expect(parseRefundEvent({ id: 890088186047892400, order_id: 820982911, admin_graphql_api_id: 'gid://shopify/Refund/890088186047892319', refund_line_items: [] })).toMatchObject({
			kind: 'refund',
			shopifyOrderId: 'gid://shopify/Order/820982911',
			shopifyRefundId: 'gid://shopify/Refund/890088186047892319',
		});
		expect(parseRefundEvent({ id: 1, admin_graphql_api_id: 'gid://shopify/Order/1', cancelled_at: '2026-11-06T00:00:00Z' })).toEqual({ kind: 'cancellation', shopifyOrderId: 'gid://shopify/Order/1', eventId: undefined });
		expect(() => parseRefundEvent({ hello: 'world' })).toThrow(EventParseError);
	});
});

describe('reason mapping', () => {
	it('maps a Shopify refund to an AdjustmentReason, never blank', () => {
		expect(adjustmentReasonFor({ isReturn: true, shippingOnly: false })).toBe('CustomerReturn');
		expect(adjustmentReasonFor({ isReturn: false, shippingOnly: false, note: 'Sent the wrong item' })).toBe('DifferentItem');
		expect(adjustmentReasonFor({ isReturn: false, shippingOnly: true })).toBe('GeneralAdjustment');
	});

	it('maps cancellations', () => {
		expect(cancelReasonFor({ shopifyCancelReason: 'CUSTOMER', buyerRequested: false })).toBe('BuyerCanceled');
		expect(cancelReasonFor({ shopifyCancelReason: 'INVENTORY', buyerRequested: false })).toBe('NoInventory');
		expect(cancelReasonFor({ shopifyCancelReason: 'STAFF', buyerRequested: true })).toBe('BuyerCanceled');
		expect(cancelReasonFor({ shopifyCancelReason: 'FRAUD', buyerRequested: false })).toBe('RiskAssessmentInformationNotValid');
		expect(partialCancelReasonFor({ buyerRequested: true })).toBe('CustomerCancel');
		expect(partialCancelReasonFor({ buyerRequested: false })).toBe('NoInventory');
	});
});
