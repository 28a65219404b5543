/**
 * Pure parts of the fulfillment flow, on Shopify's official webhook examples (read at test time from
 * ../shared/specs/shopify/webhooks-2026-07): HMAC, payload normalisation and privacy, the version
 * store, packageReferenceId, line/carrier mapping and the input checks of Mark Amazon Fulfilled.
 */
import {
	allocateToPackages,
	packageReferenceIdForFulfillment,
	packageReferenceIdForTracking,
	planShipment,
	ShipmentInputError,
	shipDateFor,
} from '../../nodes/MarkAmazonFulfilled/actions/shipment/packages';
import type { ShipmentRequest } from '../../nodes/MarkAmazonFulfilled/actions/shipment/packages';
import type { LinkedOrder } from '../../nodes/shared/orderEvents';
import {
	amazonOf,
	cancellationEvent,
	cancellationFromWebhook,
	exactRestId,
	fulfillmentEvent,
	fulfillmentFingerprint,
	fulfillmentFromWebhook,
	refundEvent,
	refundFromWebhook,
} from '../../nodes/shared/orderEvents';
import { signShopifyBody, verifyShopifyHmac } from '../../nodes/ShopifyOrderEventsTrigger/webhook/hmac';
import type { TriggerState } from '../../nodes/ShopifyOrderEventsTrigger/state';
import { mapCarrier, SHOPIFY_CARRIER_TO_AMAZON } from '../../nodes/shared/carriers';
import { checkCarrierCode } from '../../sandbox/amazon/carriers';
import { DELIVERY_CAP, DELIVERY_TTL_MS, EventStore, FULFILLMENT_CAP } from '../../nodes/ShopifyOrderEventsTrigger/state';

type Json = Record<string, unknown>;

// Shopify's official webhook examples, read from ../shared/specs when it is there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { specsStatus, webhookExample } = require('../contract/specs') as {
	specsStatus: () => { available: boolean; reason?: string };
	webhookExample: (name: string) => { response: Json } | undefined;
};
const EMPTY_EXAMPLE = { response: {} as Json };
const fulfillmentsCreate = webhookExample('fulfillments_create') ?? EMPTY_EXAMPLE;
const fulfillmentsUpdate = webhookExample('fulfillments_update') ?? EMPTY_EXAMPLE;
const ordersCancelled = webhookExample('orders_cancelled') ?? EMPTY_EXAMPLE;
const refundsCreate = webhookExample('refunds_create') ?? EMPTY_EXAMPLE;
const examplesAvailable = specsStatus().available;
const describeWithExamples = examplesAvailable ? describe : describe.skip;
if (!examplesAvailable) {
	test(`webhook-example tests are skipped: ${specsStatus().reason}`, () => expect(examplesAvailable).toBe(false));
}
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const ENVELOPE = { source: 'webhook' as const, webhookId: 'w-1', shopifyEventId: 'e-1', triggeredAt: null, shop: 'acme.myshopify.com' };

/** The example order as OrderAmazonMapping returns it for an imported Amazon order. */
function linkedOrder(overrides: Partial<LinkedOrder> = {}): LinkedOrder {
	return {
		id: 'gid://shopify/Order/820982911946154508',
		legacyResourceId: '820982911946154508',
		name: '#9999',
		sourceIdentifier: '113-1234567-1234567',
		tags: ['Amazon', 'Amazon US'],
		cancelledAt: null,
		amazonOrderId: { value: '113-1234567-1234567' },
		amazonMarketplaceId: { value: 'ATVPDKIKX0DER' },
		amazonFulfillmentChannel: { value: 'MFN' },
		presentmentCurrencyCode: 'USD',
		customAttributes: [
			{ key: 'Latest ship date', value: '2022-01-02T07:59:59Z' },
			{ key: 'Amazon programs', value: 'PRIME' },
			{ key: 'Delivery instructions', value: 'Ring Steve Shipper at the back door' },
		],
		lineItems: {
			nodes: [
				{ id: 'gid://shopify/LineItem/487817672276298554', sku: 'SKU2006-001', quantity: 1, customAttributes: [{ key: '_amazon_order_item_id', value: '11111111111111' }] },
				{ id: 'gid://shopify/LineItem/976318377106520349', sku: 'SKU2006-020', quantity: 2, customAttributes: [{ key: '_amazon_order_item_id', value: '22222222222222' }] },
			],
		},
		...overrides,
	};
}

describeWithExamples('HMAC over the raw body', () => {
	const body = Buffer.from(JSON.stringify(fulfillmentsCreate.response));
	const secret = 'shpss_test_secret';

	it('accepts the signature Shopify computes and refuses any other', () => {
		const signature = signShopifyBody(body, secret);
		expect(verifyShopifyHmac(body, signature, [secret])).toBe(true);
		expect(verifyShopifyHmac(body, signature, ['another secret'])).toBe(false);
		expect(verifyShopifyHmac(Buffer.concat([body, Buffer.from(' ')]), signature, [secret])).toBe(false);
		expect(verifyShopifyHmac(body, undefined, [secret])).toBe(false);
		expect(verifyShopifyHmac(body, 'not base64 at all', [secret])).toBe(false);
		expect(verifyShopifyHmac(body, signature, [''])).toBe(false);
	});

	it('checks the bytes, not a re-serialised JSON (whitespace and key order matter)', () => {
		const pretty = Buffer.from(JSON.stringify(fulfillmentsCreate.response, null, 2));
		expect(verifyShopifyHmac(pretty, signShopifyBody(body, secret), [secret])).toBe(false);
	});

	it('accepts the previous secret during a rotation', () => {
		expect(verifyShopifyHmac(body, signShopifyBody(body, 'old'), ['new', 'old'])).toBe(true);
	});
});

describeWithExamples('fulfillment payloads', () => {
	const payload = fulfillmentsCreate.response as unknown as Json;

	it('normalises the REST payload', () => {
		const { orderLegacyId, fulfillment } = fulfillmentFromWebhook(payload);
		expect(orderLegacyId).toBe('820982911946154500'); // the example's id is beyond 2^53: digits as parsed
		expect(fulfillment).toMatchObject({
			id: 'gid://shopify/Fulfillment/123456',
			legacyResourceId: '123456',
			name: '#9999.1',
			status: 'PENDING',
			createdAt: '2022-01-01T00:00:00.000Z',
			updatedAt: '2022-01-01T00:00:00.000Z',
			trackingCompany: 'UPS',
			trackingNumbers: ['1z827wk74630'],
			trackingUrls: ['https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630'],
		});
		expect(fulfillment.lineItems[0]).toEqual({ lineItemId: 'gid://shopify/LineItem/487817672276298554', quantity: 1, orderItemId: null, sku: 'SKU2006-001' });
	});

	it('reads ids beyond 2^53 exactly from the raw body', () => {
		const raw = '{"id":123456,"order_id":9007199254740993123,"created_at":"2026-01-01T00:00:00Z"}';
		expect(exactRestId(JSON.parse(raw).order_id, 'order_id', raw)).toBe('9007199254740993123');
		expect(fulfillmentFromWebhook(JSON.parse(raw) as Json, raw).orderLegacyId).toBe('9007199254740993123');
	});

	it('enriches with the linkage and keeps no buyer data', () => {
		const { orderLegacyId, fulfillment } = fulfillmentFromWebhook(payload);
		const event = fulfillmentEvent('fulfillmentCreated', ENVELOPE, { order: linkedOrder() }, orderLegacyId, fulfillment);
		expect(event.amazon).toEqual({
			amazonOrderId: '113-1234567-1234567',
			marketplaceId: 'ATVPDKIKX0DER',
			fulfillmentChannel: 'MFN',
			isFba: false,
			latestShipDate: '2022-01-02T07:59:59.000Z',
			programs: ['PRIME'],
			lineItems: [
				{ lineItemId: 'gid://shopify/LineItem/487817672276298554', orderItemId: '11111111111111', sku: 'SKU2006-001', quantity: 1 },
				{ lineItemId: 'gid://shopify/LineItem/976318377106520349', orderItemId: '22222222222222', sku: 'SKU2006-020', quantity: 2 },
			],
		});
		expect(event.fulfillment?.lineItems.map((l) => l.orderItemId)).toEqual(['11111111111111', null, null, '22222222222222', null]);
		expect(event).toMatchObject({ event: 'fulfillmentCreated', topic: 'fulfillments/create', occurredAt: '2022-01-01T00:00:00.000Z', isAmazonOrder: true });
		expect(event.dedupeKey).toMatch(/^fulfillment:123456:[0-9a-f]{16}$/);
		const text = JSON.stringify(event);
		for (const pii of ['Steve', 'Shipper', 'jon@example.com', 'Shipping Street', '555-555', 'Shippington', '40003', 'back door']) {
			expect(text).not.toContain(pii);
		}
	});

	it('fingerprints what Amazon needs only: carrier scans do not count, tracking edits do', () => {
		const base = fulfillmentFromWebhook(fulfillmentsUpdate.response as unknown as Json).fulfillment;
		const scanned = fulfillmentFromWebhook({ ...(fulfillmentsUpdate.response as unknown as Json), shipment_status: 'in_transit', status: 'success' }).fulfillment;
		const edited = fulfillmentFromWebhook({ ...(fulfillmentsUpdate.response as unknown as Json), tracking_numbers: ['1Z999'], tracking_number: '1Z999' }).fulfillment;
		expect(fulfillmentFingerprint(scanned)).toBe(fulfillmentFingerprint(base));
		expect(fulfillmentFingerprint(edited)).not.toBe(fulfillmentFingerprint(base));
	});

	it('marks an FBA order and reads an incomplete linkage as not linked', () => {
		expect(amazonOf(linkedOrder({ tags: ['Amazon', 'FBA'], amazonFulfillmentChannel: { value: 'AFN' } }))?.isFba).toBe(true);
		expect(amazonOf(linkedOrder({ amazonOrderId: null, sourceIdentifier: null }))).toBeNull();
	});
});

describeWithExamples('refund payloads', () => {
	it('gives amounts as decimals and minor units, restock types and transactions', () => {
		const parsed = refundFromWebhook(refundsCreate.response as unknown as Json);
		const event = refundEvent(ENVELOPE, { order: linkedOrder() }, parsed.orderLegacyId, parsed.build('USD'));
		const refund = event.refund!;
		expect(refund).toMatchObject({ id: 'gid://shopify/Refund/890088186047892319', note: 'Things were damaged', currencyCode: 'USD', isZeroAmount: false });
		expect(refund.refundLineItems).toHaveLength(5);
		expect(refund.refundLineItems[0]).toMatchObject({
			lineItemId: 'gid://shopify/LineItem/487817672276298554',
			orderItemId: '11111111111111',
			restockType: 'NO_RESTOCK',
			quantity: 1,
			subtotal: { amount: '89.99', minor: 8999, currencyCode: 'USD' },
			totalTax: { amount: '0.00', minor: 0, currencyCode: 'USD' },
		});
		expect(refund.totals.lineItemsSubtotal).toEqual({ amount: '414.95', minor: 41495, currencyCode: 'USD' });
		expect(refund.totals.refunded).toEqual({ amount: '85.00', minor: 8500, currencyCode: 'USD' });
		expect(refund.transactions.map((t) => [t.kind, t.status, t.amount.minor])).toEqual([
			['REFUND', 'SUCCESS', 7500],
			['REFUND', 'SUCCESS', 1000],
		]);
		expect(event.dedupeKey).toBe('refund:890088186047892319');
		expect(JSON.stringify(event)).not.toMatch(/credit_card|payment_details/);
	});

	it('is a zero-amount refund when no refund transaction succeeded', () => {
		const payload = { ...clone(refundsCreate.response), transactions: [] } as unknown as Json;
		expect(refundFromWebhook(payload).build('USD').isZeroAmount).toBe(true);
	});

	it('takes the order currency when the payload carries no money bags', () => {
		const payload = { id: 5, order_id: 7, created_at: '2026-01-01T00:00:00Z', refund_line_items: [], transactions: [{ id: 9, kind: 'refund', status: 'success', amount: '1500', currency: null }] };
		expect(refundFromWebhook(payload).build('JPY').totals.refunded).toEqual({ amount: '1500', minor: 1500, currencyCode: 'JPY' });
	});
});

describeWithExamples('cancellation payloads', () => {
	it('reads the cancellation and drops everything else of the order', () => {
		const parsed = cancellationFromWebhook(ordersCancelled.response as unknown as Json);
		expect(parsed).toEqual({ orderLegacyId: '820982911946154508', cancellation: { cancelledAt: '2022-01-01T00:00:00.000Z', reason: 'CUSTOMER', refundIds: [] } });
		const event = cancellationEvent(ENVELOPE, { order: linkedOrder() }, parsed.orderLegacyId, parsed.cancellation);
		expect(event).toMatchObject({ event: 'orderCancelled', dedupeKey: 'orderCancelled:820982911946154508', occurredAt: '2022-01-01T00:00:00.000Z' });
		const text = JSON.stringify(event);
		expect(text).not.toContain('@example.com');
		expect(text).not.toContain('address1');
	});
});

describe('EventStore (dedupe and ordering)', () => {
	const t0 = Date.parse('2026-11-27T12:00:00Z');

	it('drops a repeated delivery id within its TTL only', () => {
		const state: TriggerState = {};
		expect(new EventStore(state, t0).seenDelivery('a')).toBe(false);
		expect(new EventStore(state, t0 + 1000).seenDelivery('a')).toBe(true);
		expect(new EventStore(state, t0 + DELIVERY_TTL_MS + 1001).seenDelivery('a')).toBe(false);
	});

	it('orders fulfillment versions by updatedAt, then X-Shopify-Triggered-At', () => {
		const store = new EventStore({}, t0);
		expect(store.decideFulfillment('1', 1000, 10, 'A')).toBe('new');
		expect(store.decideFulfillment('1', 3000, 30, 'C')).toBe('changed');
		expect(store.decideFulfillment('1', 2000, 20, 'B')).toBe('stale'); // older version delivered late
		expect(store.decideFulfillment('1', 3000, 30, 'C')).toBe('unchanged'); // same version again
		expect(store.decideFulfillment('1', 3000, 25, 'X')).toBe('stale'); // same second, triggered earlier
		expect(store.decideFulfillment('1', 3000, 35, 'D')).toBe('changed'); // same second, triggered later
		expect(store.decideFulfillment('1', 4000, 0, 'D')).toBe('unchanged'); // carrier scan only
	});

	it('stays bounded', () => {
		const state: TriggerState = {};
		for (let i = 0; i < 2500; i++) {
			const store = new EventStore(state, t0 + i);
			store.seenDelivery(`d${i}`);
			store.decideFulfillment(String(i), i, 0, 'f');
		}
		new EventStore(state, t0 + 2501);
		expect(Object.keys(state.deliveries!).length).toBeLessThanOrEqual(DELIVERY_CAP * 1.1);
		expect(Object.keys(state.fulfillments!).length).toBeLessThanOrEqual(FULFILLMENT_CAP * 1.1);
		expect(state.deliveries!.d2499).toBeDefined(); // the newest survive
		expect(state.deliveries!.d0).toBeUndefined();
		expect(JSON.stringify(state).length).toBeLessThan(250_000);
	});
});

describe('packageReferenceId', () => {
	it('is fulfillment id × 100 + tracking index + 1, as a string', () => {
		expect(packageReferenceIdForFulfillment('123456', 0)).toBe('12345601');
		expect(packageReferenceIdForFulfillment('123456', 1)).toBe('12345602');
		expect(packageReferenceIdForFulfillment('5931836031126', 98)).toBe('593183603112699');
		expect(() => packageReferenceIdForFulfillment('123456', 99)).toThrow(ShipmentInputError);
		expect(() => packageReferenceIdForFulfillment('0', 0)).toThrow(ShipmentInputError);
	});

	it('never maps two (fulfillment, index) pairs to one id', () => {
		const seen = new Set<string>();
		for (const id of ['1', '2', '10', '11', '99', '100', '101', '5931836031126', '5931836031127']) {
			for (let index = 0; index < 99; index++) seen.add(packageReferenceIdForFulfillment(id, index));
		}
		expect(seen.size).toBe(9 * 99);
	});

	it('is a stable 18-digit id for explicit fields', () => {
		const id = packageReferenceIdForTracking('113-1234567-1234567', '1Z999AA10123456784');
		expect(id).toMatch(/^9\d{17}$/);
		expect(packageReferenceIdForTracking('113-1234567-1234567', ' 1z999aa10123456784 ')).toBe(id);
		expect(packageReferenceIdForTracking('113-1234567-1234567', '1Z999AA10123456785')).not.toBe(id);
	});
});

describe('planShipment', () => {
	const now = Date.parse('2026-11-27T12:00:00Z');
	const request = (overrides: Partial<ShipmentRequest> = {}): ShipmentRequest => ({
		subject: 'Amazon order 113-1234567-1234567 (Shopify #1001, fulfillment #1001.1)',
		amazonOrderId: '113-1234567-1234567',
		fulfillmentLegacyId: '5931836031126',
		carrier: 'UPS',
		trackingNumbers: ['1Z999AA10123456784'],
		shipDate: '2026-11-27T10:00:00Z',
		lines: [
			{ orderItemId: '11111111111111', quantity: 1, label: 'A' },
			{ orderItemId: '22222222222222', quantity: 2, label: 'B' },
		],
		ordered: new Map([
			['11111111111111', 1],
			['22222222222222', 2],
		]),
		multipleTrackingNumbers: 'splitItems',
		...overrides,
	});

	it('plans one package per tracking number with the mapped carrier', () => {
		const plan = planShipment(request(), now);
		expect(plan.packages).toEqual([
			{
				packageReferenceId: '593183603112601',
				trackingNumber: '1Z999AA10123456784',
				carrierCode: 'UPS',
				carrierMapped: true,
				shipDate: '2026-11-27T10:00:00.000Z',
				orderItems: [
					{ orderItemId: '11111111111111', quantity: 1 },
					{ orderItemId: '22222222222222', quantity: 2 },
				],
			},
		]);
	});

	it('splits the units over several tracking numbers, deterministically', () => {
		const plan = planShipment(request({ trackingNumbers: ['T1', 'T2'] }), now);
		expect(plan.packages.map((p) => [p.packageReferenceId, p.trackingNumber, p.orderItems])).toEqual([
			['593183603112601', 'T1', [{ orderItemId: '11111111111111', quantity: 1 }, { orderItemId: '22222222222222', quantity: 1 }]],
			['593183603112602', 'T2', [{ orderItemId: '22222222222222', quantity: 1 }]],
		]);
		expect(allocateToPackages([{ orderItemId: 'x', quantity: 1 }], 3)).toEqual({ packages: [[{ orderItemId: 'x', quantity: 1 }], [], []], unsentIndexes: [1, 2] });
	});

	it('sends an unknown carrier as Other with its name, and honours the merchant table', () => {
		expect(planShipment(request({ carrier: "Bob's Couriers" }), now).packages[0]).toMatchObject({ carrierCode: 'Other', carrierName: "Bob's Couriers", carrierMapped: false });
		expect(planShipment(request({ carrier: "Bob's Couriers", carrierTable: { "bob's couriers": 'DPD' } }), now).packages[0]).toMatchObject({ carrierCode: 'DPD', carrierMapped: true });
	});

	it.each([
		['no tracking number', { trackingNumbers: [] }, 'trackingNumbers', /no tracking number/],
		['no carrier', { carrier: '' }, 'trackingCompany', /no carrier/],
		['a line without Amazon link', { lines: [{ orderItemId: null, quantity: 1, label: 'GIFT-BOX (gid://shopify/LineItem/9)' }] }, 'fulfillment.lineItems', /GIFT-BOX.*_amazon_order_item_id/],
		['an item of another order', { lines: [{ orderItemId: '99999999999999', quantity: 1, label: 'X' }] }, 'items.orderItemId', /99999999999999 is not an item of this Amazon order/],
		['more than ordered', { lines: [{ orderItemId: '22222222222222', quantity: 3, label: 'B' }] }, 'items.quantity', /3 × order item 22222222222222 shipped, but only 2 were ordered/],
	])('refuses %s, naming the order and the field', (_name, overrides, field, message) => {
		let error: unknown;
		try {
			planShipment(request(overrides as Partial<ShipmentRequest>), now);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ShipmentInputError);
		expect((error as ShipmentInputError).field).toBe(field);
		expect((error as ShipmentInputError).message).toMatch(message);
		expect((error as ShipmentInputError).message).toContain('113-1234567-1234567');
	});

	it('uses the fulfillment time as ship date, never a future one', () => {
		expect(shipDateFor('2026-11-27T06:00:00-05:00', now)).toBe('2026-11-27T11:00:00.000Z');
		expect(shipDateFor('2026-11-28T10:00:00Z', now)).toBe('2026-11-27T12:00:00.000Z');
		expect(shipDateFor(null, now)).toBe('2026-11-27T12:00:00.000Z');
	});
});

describe('carrier coverage', () => {
	it('every built-in Shopify carrier maps to a code Amazon (the sandbox) accepts', () => {
		const refused = Object.keys(SHOPIFY_CARRIER_TO_AMAZON).filter((company) => !checkCarrierCode(mapCarrier(company).carrierCode).ok);
		expect(refused).toEqual([]);
	});

	it.each([
		['UPS', 'UPS'],
		['USPS', 'USPS'],
		['FedEx', 'FedEx'],
		['DHL Express', 'DHL Express'],
		['Royal Mail', 'Royal Mail'],
		['Evri', 'Hermes UK'],
		['Canada Post', 'Canada Post'],
		['Australia Post', 'Australia Post'],
		['Yamato (JA)', 'YAMATO'],
		['Deutsche Post (DE)', 'Deutsche Post'],
	])('%s -> %s', (company, code) => {
		expect(mapCarrier(company)).toEqual({ carrierCode: code, mapped: true });
	});
});
