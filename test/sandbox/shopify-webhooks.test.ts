import { startShopifySandbox } from '../../sandbox/shopify';
import { graphqlClient, startWebhookReceiver, verifyShopifyHmac, webhookValidator } from '../../sandbox/shopify/testing';

type Sandbox = Awaited<ReturnType<typeof startShopifySandbox>>;
type Gql = ReturnType<typeof graphqlClient>;
type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

const TOPICS = ['ORDERS_CREATE', 'ORDERS_UPDATED', 'ORDERS_CANCELLED', 'ORDERS_FULFILLED', 'ORDERS_PARTIALLY_FULFILLED', 'FULFILLMENTS_CREATE', 'FULFILLMENTS_UPDATE', 'REFUNDS_CREATE'];
const SUBSCRIBE = /* GraphQL */ `
	mutation S($topic: WebhookSubscriptionTopic!, $uri: String!, $includeFields: [String!], $filter: String) {
		webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON, includeFields: $includeFields, filter: $filter }) {
			webhookSubscription { id }
			userErrors { field message }
		}
	}
`;
const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' } });

async function createOrder(gql: Gql, sourceIdentifier = '113-1234567-1234567') {
	const r = await gql('mutation C($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id fulfillmentOrders(first: 1) { nodes { id lineItems(first: 5) { nodes { id } } } } } userErrors { message } } }', {
		o: {
			name: `AMZ-${sourceIdentifier}`,
			sourceName: 'amazon',
			sourceIdentifier,
			email: 'buyer@marketplace.amazon.com',
			phone: '+12065550100',
			tags: ['Amazon', 'Amazon US'],
			customAttributes: [{ key: 'amazon_order_id', value: sourceIdentifier }],
			lineItems: [
				{ title: 'Mug', sku: 'MUG', quantity: 2, requiresShipping: true, priceSet: money('10.00'), taxLines: [{ title: 'Tax', rate: '0.1', channelLiable: true }], properties: [{ name: '_amazon_order_item_id', value: '111' }] },
				{ title: 'Sock', sku: 'SOCK', quantity: 1, requiresShipping: true, priceSet: money('5.00'), properties: [{ name: '_asin', value: 'B000000000' }] },
			],
			shippingLines: [{ title: 'Standard', code: 'Std', source: 'amazon', priceSet: money('3.00') }],
			shippingAddress: { firstName: 'Jane', lastName: 'Doe', address1: '1 Main St', city: 'Seattle', provinceCode: 'WA', countryCode: 'US', zip: '98101', phone: '+12065550100' },
			billingAddress: { firstName: 'Jane', lastName: 'Doe', address1: '1 Main St', city: 'Seattle', provinceCode: 'WA', countryCode: 'US', zip: '98101', phone: '+12065550100' },
			customer: { toUpsert: { email: 'buyer@marketplace.amazon.com', firstName: 'Jane', lastName: 'Doe' } },
			transactions: [{ gateway: 'amazon', amountSet: money('30.00') }],
		},
	});
	if (r.body.errors || r.body.data.orderCreate.userErrors.length) throw new Error(JSON.stringify(r.body));
	return r.body.data.orderCreate.order;
}

describe('Shopify sandbox: webhooks', () => {
	let sb: Sandbox;
	let gql: Gql;
	let rcv: Receiver;
	beforeEach(async () => {
		sb = await startShopifySandbox({ seed: 30, clockScale: 1000 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
		rcv = await startWebhookReceiver();
	});
	afterEach(async () => {
		await sb.stop();
		await rcv.stop();
	});

	const subscribe = async (topics = TOPICS, extra: Record<string, unknown> = {}) => {
		for (const topic of topics) {
			const r = await gql(SUBSCRIBE, { topic, uri: rcv.url, ...extra });
			expect(r.body.data.webhookSubscriptionCreate.userErrors).toEqual([]);
		}
	};

	it('delivers fulfillments/create after fulfillmentCreate, signed with the client secret, in the documented shape', async () => {
		await subscribe();
		const order = await createOrder(gql);
		const fo = order.fulfillmentOrders.nodes[0];
		const f = await gql('mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { message } } }', {
			f: { notifyCustomer: false, trackingInfo: { company: 'UPS', number: '1Z999AA10123456784' }, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 2 }] }] },
		});
		const fulfillmentId = f.body.data.fulfillmentCreate.fulfillment.id;
		await sb.control.waitForWebhooks();

		expect(rcv.received.map((r) => r.headers['x-shopify-topic'])).toEqual(['orders/create', 'fulfillments/create', 'orders/partially_fulfilled', 'orders/updated']);
		const [d] = rcv.byTopic('fulfillments/create');
		expect(d.headers).toMatchObject({
			'content-type': 'application/json',
			'x-shopify-topic': 'fulfillments/create',
			'x-shopify-shop-domain': 'sandbox-shop.myshopify.com',
			'x-shopify-api-version': '2026-10',
			'x-shopify-webhook-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
			'x-shopify-event-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
			'x-shopify-triggered-at': expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		});
		expect(verifyShopifyHmac(d.rawBody, d.headers['x-shopify-hmac-sha256'], sb.credentials.clientSecret)).toBe(true);
		expect(verifyShopifyHmac(d.rawBody, d.headers['x-shopify-hmac-sha256'], sb.credentials.apiSecretKey)).toBe(false);
		expect(d.body).toMatchObject({
			admin_graphql_api_id: fulfillmentId,
			order_id: Number(order.id.split('/').pop()),
			status: 'success',
			tracking_company: 'UPS',
			tracking_number: '1Z999AA10123456784',
			tracking_numbers: ['1Z999AA10123456784'],
			tracking_url: expect.stringContaining('1Z999AA10123456784'),
			name: 'AMZ-113-1234567-1234567.1',
			line_items: [{ sku: 'MUG', quantity: 2, properties: [{ name: '_amazon_order_item_id', value: '111' }] }],
		});
		expect(d.body).not.toHaveProperty('source_identifier');

		// one merchant action, one event id across its topics; a unique webhook id per delivery
		const ids = rcv.received.slice(1).map((r) => r.headers['x-shopify-event-id']);
		expect(new Set(ids).size).toBe(1);
		expect(new Set(rcv.received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(4);

		const deliveries = sb.control.state().webhooks.deliveries;
		expect(deliveries).toHaveLength(4);
		expect(deliveries[1]).toMatchObject({ topic: 'fulfillments/create', state: 'delivered', attempts: [{ attempt: 1, status: 200, error: null, responseTimeMs: expect.any(Number) }] });
	});

	it('sends payloads that validate against the webhook JSON schemas, for every topic the pack uses', async () => {
		const v = webhookValidator();
		if (!v.available) return;
		await subscribe();
		const order = await createOrder(gql);
		const f = sb.control.fulfillOrder(order.id, { lineItems: [{ sku: 'MUG', quantity: 2 }], tracking: { company: 'UPS', number: '1Z1' } });
		sb.control.updateTracking(f.id, { company: 'UPS', number: '1Z2', url: 'https://www.ups.com/track?tracknum=1Z2' });
		sb.control.fulfillOrder(order.id, { tracking: { company: 'USPS', number: '9400' } });
		sb.control.refundOrder(order.id, { lineItems: [{ sku: 'SOCK', quantity: 1 }], note: 'damaged' });
		const other = await createOrder(gql, '113-7654321-7654321');
		sb.control.cancelOrder(other.id, { reason: 'customer', refund: true });
		await sb.control.waitForWebhooks();

		const topics = new Set(rcv.received.map((r) => r.headers['x-shopify-topic']));
		expect([...topics].sort()).toEqual(['fulfillments/create', 'fulfillments/update', 'orders/cancelled', 'orders/create', 'orders/fulfilled', 'orders/partially_fulfilled', 'orders/updated', 'refunds/create']);
		for (const r of rcv.received) {
			const topic = String(r.headers['x-shopify-topic']);
			expect({ topic, ...v.validate(topic, r.body) }).toEqual({ topic, valid: true, errors: [] });
			expect(verifyShopifyHmac(r.rawBody, r.headers['x-shopify-hmac-sha256'], sb.credentials.clientSecret)).toBe(true);
		}
		const cancelled = rcv.byTopic('orders/cancelled')[0].body;
		expect(cancelled).toMatchObject({ source_identifier: '113-7654321-7654321', cancel_reason: 'customer', financial_status: 'refunded', tags: 'Amazon, Amazon US', note_attributes: [{ name: 'amazon_order_id', value: '113-7654321-7654321' }] });
		const refund = rcv.byTopic('refunds/create')[0].body;
		expect(refund).toMatchObject({ note: 'damaged', refund_line_items: [{ quantity: 1, line_item: { sku: 'SOCK' } }], transactions: [{ kind: 'refund', status: 'success', gateway: 'amazon', amount: '5.00' }] });
		// cancel with refund: orders/cancelled and refunds/create share the event id
		const cancelEvent = rcv.byTopic('orders/cancelled')[0].headers['x-shopify-event-id'];
		expect(rcv.byTopic('refunds/create')[1].headers['x-shopify-event-id']).toBe(cancelEvent);
	});

	it('can sign with the API secret key of a legacy custom app', async () => {
		const legacy = await startShopifySandbox({ seed: 31, webhookSecret: 'apiSecretKey' });
		try {
			const g = graphqlClient(legacy, { token: legacy.credentials.accessToken });
			await g(SUBSCRIBE, { topic: 'ORDERS_CREATE', uri: rcv.url });
			await createOrder(g);
			await legacy.control.waitForWebhooks();
			const [d] = rcv.received;
			expect(verifyShopifyHmac(d.rawBody, d.headers['x-shopify-hmac-sha256'], legacy.credentials.apiSecretKey)).toBe(true);
		} finally {
			await legacy.stop();
		}
	});

	it('re-sends a delivery as a duplicate, a tampered one and a stale one on demand', async () => {
		await subscribe(['FULFILLMENTS_CREATE']);
		const order = await createOrder(gql);
		sb.control.fulfillOrder(order.id, { tracking: { company: 'UPS', number: '1Z1' } });
		await sb.control.waitForWebhooks();
		const original = rcv.received[0];
		const deliveryId = sb.control.state().webhooks.deliveries[0].deliveryId;

		const dup = await sb.control.deliverDuplicate(deliveryId);
		expect(dup).toMatchObject({ kind: 'duplicate', duplicateOf: deliveryId, state: 'delivered' });
		const copy = rcv.received[1];
		expect(copy.rawBody).toBe(original.rawBody);
		expect(copy.headers['x-shopify-webhook-id']).toBe(original.headers['x-shopify-webhook-id']);
		expect(copy.headers['x-shopify-hmac-sha256']).toBe(original.headers['x-shopify-hmac-sha256']);

		await sb.control.deliverTampered('fulfillments/create', { ...original.body, tracking_number: 'EVIL' });
		const tampered = rcv.received[2];
		expect(tampered.body.tracking_number).toBe('EVIL');
		expect(verifyShopifyHmac(tampered.rawBody, tampered.headers['x-shopify-hmac-sha256'], sb.credentials.clientSecret)).toBe(false);

		await sb.control.deliverStale('FULFILLMENTS_CREATE', undefined, { ageSeconds: 7200 });
		const stale = rcv.received[3];
		const age = Date.parse(String(original.headers['x-shopify-triggered-at'])) - Date.parse(String(stale.headers['x-shopify-triggered-at']));
		expect(age).toBeGreaterThanOrEqual(7199 * 1000);
		expect(verifyShopifyHmac(stale.rawBody, stale.headers['x-shopify-hmac-sha256'], sb.credentials.clientSecret)).toBe(true);
		expect(stale.headers['x-shopify-webhook-id']).not.toBe(original.headers['x-shopify-webhook-id']);

		await expect(sb.control.deliverDuplicate('nope')).rejects.toMatchObject({ status: 404 });
		await expect(sb.control.deliverTampered('orders/create')).rejects.toMatchObject({ status: 409 });
	});

	it('holds deliveries while paused and sends them on resume', async () => {
		await subscribe(['ORDERS_CREATE']);
		sb.control.pauseWebhooks();
		await createOrder(gql);
		await sb.control.waitForWebhooks();
		expect(rcv.received).toHaveLength(0);
		expect(sb.control.state().webhooks).toMatchObject({ paused: true, deliveries: [{ state: 'paused' }] });
		sb.control.resumeWebhooks();
		await sb.control.waitForWebhooks();
		expect(rcv.received).toHaveLength(1);
	});

	it('retries failed deliveries with backoff, keeping the webhook id, and gives up after the bound', async () => {
		const flaky = await startWebhookReceiver({ respond: (_r, i) => (i < 2 ? 500 : 200) });
		const dead = await startWebhookReceiver({ respond: () => 503 });
		const s2 = await startShopifySandbox({ seed: 32, clockScale: 1000, webhookRetry: { maxRetries: 3 } });
		try {
			const g = graphqlClient(s2, { token: s2.credentials.accessToken });
			await g(SUBSCRIBE, { topic: 'ORDERS_CREATE', uri: flaky.url });
			await g(SUBSCRIBE, { topic: 'ORDERS_CREATE', uri: dead.url });
			await createOrder(g);
			await s2.control.waitForWebhooks();
			expect(flaky.received).toHaveLength(3);
			expect(new Set(flaky.received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(1);
			expect(dead.received).toHaveLength(4);
			const ds = s2.control.state().webhooks.deliveries;
			expect(ds.find((d: { uri: string }) => d.uri === flaky.url)).toMatchObject({ state: 'delivered', attempts: [{ status: 500 }, { status: 500 }, { status: 200 }] });
			expect(ds.find((d: { uri: string }) => d.uri === dead.url)).toMatchObject({ state: 'failed' });
			expect(ds.find((d: { uri: string }) => d.uri === dead.url).attempts).toHaveLength(4);
		} finally {
			await s2.stop();
			await flaky.stop();
			await dead.stop();
		}
	});

	it('treats a receiver that answers too late as a failed attempt and retries', async () => {
		const slow = await startWebhookReceiver({ respond: (_r, i) => (i === 0 ? { status: 200, delayMs: 300 } : 200) });
		const s2 = await startShopifySandbox({ seed: 33, clockScale: 1000, webhookRetry: { timeoutMs: 50 } });
		try {
			const g = graphqlClient(s2, { token: s2.credentials.accessToken });
			await g(SUBSCRIBE, { topic: 'ORDERS_CREATE', uri: slow.url });
			await createOrder(g);
			await s2.control.waitForWebhooks();
			const [d] = s2.control.state().webhooks.deliveries;
			expect(d).toMatchObject({ state: 'delivered', attempts: [{ status: null, error: 'timed out after 50 ms' }, { status: 200 }] });
			expect(slow.received).toHaveLength(2);
		} finally {
			await s2.stop();
			await slow.stop();
		}
	});

	it('trims payloads to includeFields and applies the subscription filter', async () => {
		await subscribe(['ORDERS_CREATE'], { includeFields: ['id', 'source_identifier', 'line_items.sku'], filter: 'tags:"Amazon US"' });
		await createOrder(gql);
		await gql('mutation C($o: OrderCreateOrderInput!) { orderCreate(order: $o) { userErrors { message } } }', { o: { tags: ['web'], lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00') }] } });
		await sb.control.waitForWebhooks();
		expect(rcv.received).toHaveLength(1);
		expect(rcv.received[0].body).toEqual({ id: expect.any(Number), source_identifier: '113-1234567-1234567', line_items: [{ sku: 'MUG' }, { sku: 'SOCK' }] });
		expect(sb.control.state().webhooks.deliveries.map((d: { state: string }) => d.state)).toEqual(['delivered', 'filtered']);
	});

	it('validates subscriptions like Shopify', async () => {
		await subscribe(['ORDERS_CREATE']);
		const dup = await gql(SUBSCRIBE, { topic: 'ORDERS_CREATE', uri: rcv.url });
		expect(dup.body.data.webhookSubscriptionCreate.userErrors).toEqual([{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' }]);
		const plainHttp = await gql(SUBSCRIBE, { topic: 'ORDERS_CREATE', uri: 'http://example.com/hook' });
		expect(plainHttp.body.data.webhookSubscriptionCreate.userErrors[0].message).toBe('Address protocol http:// is not supported');
		const badTopic = await gql(SUBSCRIBE, { topic: 'ORDERS_EXPLODED', uri: rcv.url });
		expect(badTopic.body.errors[0].extensions.code).toBe('INVALID_VARIABLE');
	});
});
