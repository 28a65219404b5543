import { startAmazonSandbox } from '../../sandbox/amazon';
import { checkOrderConsistency } from '../../sandbox/amazon/orders';
import { OPERATIONS } from '../../sandbox/amazon/operations';
import { loadSpecs } from '../../sandbox/amazon/specs';
import { createTestClient } from '../../sandbox/amazon/testClient';
import { catalogue, generateDataset, generateOrders, PRODUCTS } from '../../sandbox/seed';

type Sandbox = Awaited<ReturnType<typeof startAmazonSandbox>>;

const US = 'ATVPDKIKX0DER';
const ALL_MARKETS = ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1F83G8C2ARO7P', 'A1PA6795UKMFR9', 'A1VC38T7YXB528'];
const ALL_INCLUDED = 'BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS';
const FAST = { rate: 1000, burst: 100000 };
const NO_LIMITS = Object.fromEntries(OPERATIONS.map((o) => [o.name, FAST]));

interface AnyOrder {
	orderId: string;
	salesChannel: { marketplaceId: string };
	programs: string[];
	fulfillment: { fulfillmentStatus: string; fulfilledBy: string };
	orderItems: { orderItemId: string; quantityOrdered: number; product: { sellerSku: string } }[];
	proceeds?: { grandTotal: { amount: string; currencyCode: string } };
	buyer?: { buyerName?: string };
	associatedOrders?: unknown[];
}

describe('Amazon sandbox: faithful to the Swagger models', () => {
	let sb: Sandbox;
	let client: ReturnType<typeof createTestClient>;

	beforeAll(async () => {
		sb = await startAmazonSandbox({ seed: 7, feedProcessingMs: 1000, refundEventDelayMs: 0, rateLimits: NO_LIMITS });
		client = createTestClient(sb);
	});
	afterAll(async () => sb.stop());
	beforeEach(async () => {
		sb.control.reset();
		await client.newToken();
	});

	it('loads the models from ../shared/specs', () => {
		expect(sb.control.state().specValidation).toBe('on');
	});

	describe('request validation against the operation parameters and body schemas', () => {
		it('rejects an enum violation, an unknown query parameter and a wrong type, listing them', async () => {
			const r = await client.get('/orders/2026-01-01/orders', { marketplaceIds: US, lastUpdatedAfter: '2026-01-01T00:00:00Z', fulfilledBy: 'SELLER', maxResultsPerPage: '1.5', sort: 'asc' });
			expect(r.status).toBe(400);
			const messages = r.body.errors.map((e: { code: string; message: string }) => `${e.code}: ${e.message}`);
			expect(messages).toEqual(
				expect.arrayContaining([
					'InvalidInput: unknown query parameter [sort]',
					expect.stringMatching(/^InvalidInput: invalid value \[fulfilledBy\[0\]\]: must be one of MERCHANT, AMAZON/),
					'InvalidInput: invalid type [maxResultsPerPage]: expected an integer, got "1.5"',
				]),
			);
			const recorded = sb.control.recordedRequests({ operation: 'searchOrders' });
			expect(recorded[0]).toMatchObject({ method: 'GET', path: '/orders/2026-01-01/orders', status: 400, query: { fulfilledBy: ['SELLER'] } });
			expect(recorded[0].validationErrors).toHaveLength(3);
			expect(recorded[0].headers['x-amz-access-token']).toBe('[redacted]');
		});

		it('checks JSON bodies: required fields, types, formats; Content-Type and JSON syntax', async () => {
			const missing = await client.post('/orders/v0/orders/111-0000001-0000001/shipmentConfirmation', { marketplaceId: US, packageDetail: { packageReferenceId: '1', carrierCode: 'UPS', shipDate: 'yesterday', orderItems: [{ orderItemId: '1', quantity: '1' }] } });
			expect(missing.status).toBe(400);
			expect(missing.body.errors.map((e: { message: string }) => e.message)).toEqual(
				expect.arrayContaining([
					'missing required field [packageDetail.trackingNumber]',
					'invalid format [packageDetail.shipDate]: must match format "date-time"',
					'invalid type [packageDetail.orderItems[0].quantity]: must be integer',
				]),
			);
			const wrongType = await client.post('/feeds/2021-06-30/documents', { contentType: 5 });
			expect(wrongType.body.errors[0].message).toBe('invalid type [contentType]: must be string');
			const text = await client.request('POST', '/feeds/2021-06-30/documents', { rawBody: 'contentType=text/xml', headers: { 'content-type': 'text/plain' } });
			expect(text.status).toBe(415);
			// the Orders v0 model documents no 415: Amazon-like 400 there
			const v0 = await client.request('POST', '/orders/v0/orders/111-0000001-0000001/shipmentConfirmation', { rawBody: '{}', headers: { 'content-type': 'text/plain' } });
			expect(v0.status).toBe(400);
			const broken = await client.request('POST', '/feeds/2021-06-30/documents', { rawBody: '{"contentType":', headers: { 'content-type': 'application/json' } });
			expect(broken.status).toBe(400);
			expect(broken.body.errors[0].message).toContain('not valid JSON');
		});

		it('with validateRequests: false, records violations but lets the request through', async () => {
			const lax = await startAmazonSandbox({ seed: 7, validateRequests: false });
			try {
				const c = createTestClient(lax);
				const [id] = lax.control.seedOrders([{ marketplace: 'US', items: [{ sku: 'SOAP-OLIVE-3PK' }] }]);
				const r = await c.get(`/orders/2026-01-01/orders/${id}`, { verbose: 'yes' });
				expect(r.status).toBe(200);
				const [entry] = lax.control.recordedRequests({ operation: 'getOrder' });
				expect(entry.validationErrors).toEqual(['unknown query parameter [verbose]']);
				// Amazon itself refuses a numeric packageReferenceId, with or without our validation
				const num = await c.post(`/orders/v0/orders/${id}/shipmentConfirmation`, {
					marketplaceId: US,
					packageDetail: { packageReferenceId: 1, carrierCode: 'UPS', trackingNumber: 'T', shipDate: new Date(Date.now() - 60000).toISOString(), orderItems: [{ orderItemId: lax.control.getOrder(id).orderItems[0].orderItemId, quantity: 1 }] },
				});
				expect(num.status).toBe(400);
				expect(num.body.errors[0].message).toBe('invalid type [packageDetail.packageReferenceId]');
			} finally {
				await lax.stop();
			}
		});

		it('runs without the models and says so', async () => {
			const bare = await startAmazonSandbox({ seed: 7, specsDir: '/nonexistent/specs' });
			try {
				expect(bare.control.state().specValidation).toMatch(/^off: /);
				const c = createTestClient(bare);
				expect((await c.get('/sellers/v1/marketplaceParticipations')).status).toBe(200);
			} finally {
				await bare.stop();
			}
		});

		it('has a response validator that does catch a wrong response', () => {
			const specs = loadSpecs(sb.control.state().options.specsDir, OPERATIONS);
			expect(specs.validateResponse('getOrder', 200, { order: { orderId: 1 } }).length).toBeGreaterThan(0);
			expect(specs.validateResponse('confirmShipment', 204, undefined)).toEqual([]);
			expect(specs.validateResponse('confirmShipment', 418, undefined)).toEqual(['status 418 is not a documented response of confirmShipment']);
		});
	});

	it('answers every operation over a generated data set with zero response-schema violations', async () => {
		sb.control.generateOrders(120, { now: Date.now() });
		const orders = sb.control.listOrders() as AnyOrder[];
		const after = new Date(Date.now() - 10 * 86400000).toISOString();
		let seen = 0;
		for (const mode of ['createdAfter', 'lastUpdatedAfter']) {
			let token: string | undefined;
			do {
				const r = await client.get('/orders/2026-01-01/orders', { marketplaceIds: ALL_MARKETS, [mode]: after, maxResultsPerPage: 17, includedData: ALL_INCLUDED, paginationToken: token });
				expect(r.status).toBe(200);
				seen += r.body.orders.length;
				token = r.body.pagination?.nextToken;
			} while (token);
		}
		expect(seen).toBe(2 * orders.length);
		for (const o of orders) {
			expect((await client.get(`/orders/2026-01-01/orders/${o.orderId}`, { includedData: ALL_INCLUDED })).status).toBe(200);
			expect((await client.get(`/orders/2026-01-01/orders/${o.orderId}`)).status).toBe(200);
		}
		sb.control.setPiiRole(false);
		for (const o of orders.slice(0, 20)) await client.get(`/orders/2026-01-01/orders/${o.orderId}`, { includedData: ALL_INCLUDED });
		sb.control.setPiiRole(true);
		// v0 reads
		const v0 = await client.get('/orders/v0/orders', { MarketplaceIds: ALL_MARKETS, LastUpdatedAfter: after, MaxResultsPerPage: 50 });
		expect(v0.status).toBe(200);
		expect((await client.get('/orders/v0/orders', { MarketplaceIds: ALL_MARKETS, NextToken: v0.body.payload.NextToken })).status).toBe(200);
		for (const o of orders.slice(0, 15)) {
			for (const suffix of ['', '/orderItems', '/address']) expect((await client.get(`/orders/v0/orders/${o.orderId}${suffix}`)).status).toBe(200);
		}
		// ship every shippable order, then read finances for all
		const shippable = orders.filter((o) => o.fulfillment.fulfilledBy === 'MERCHANT' && o.fulfillment.fulfillmentStatus === 'UNSHIPPED' && !o.programs.includes('FBM_SHIP_PLUS'));
		expect(shippable.length).toBeGreaterThan(10);
		for (const o of shippable) {
			const r = await client.post(`/orders/v0/orders/${o.orderId}/shipmentConfirmation`, {
				marketplaceId: o.salesChannel.marketplaceId,
				packageDetail: { packageReferenceId: '1', carrierCode: 'DHL', trackingNumber: `T${o.orderId}`, shipDate: new Date(Date.now() - 60000).toISOString(), orderItems: o.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })) },
			});
			expect(r.status).toBe(204);
		}
		for (const o of orders) {
			expect((await client.get(`/finances/v0/orders/${o.orderId}/financialEvents`, { MaxResultsPerPage: 1 })).status).toBe(200);
			expect((await client.get('/finances/2024-06-19/transactions', { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: o.orderId })).status).toBe(200);
		}
		expect((await client.get('/finances/2024-06-19/transactions', { postedAfter: after, marketplaceId: 'A1PA6795UKMFR9' })).status).toBe(200);
		// a feed with good and bad messages, refunds included
		const shipped = shippable[0];
		const xml = `<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>${sb.credentials.sellerId}</MerchantIdentifier></Header><MessageType>OrderAdjustment</MessageType>
<Message><MessageID>1</MessageID><OrderAdjustment><AmazonOrderID>${shipped.orderId}</AmazonOrderID><AdjustedItem><AmazonOrderItemCode>${shipped.orderItems[0].orderItemId}</AmazonOrderItemCode><AdjustmentReason>CustomerReturn</AdjustmentReason><ItemPriceAdjustments><Component><Type>Principal</Type><Amount currency="${shipped.proceeds?.grandTotal.currencyCode}">1</Amount></Component></ItemPriceAdjustments></AdjustedItem></OrderAdjustment></Message>
<Message><MessageID>2</MessageID><OrderAdjustment><AmazonOrderID>${shipped.orderId}</AmazonOrderID></OrderAdjustment></Message></AmazonEnvelope>`;
		const { feedId } = await client.submitFeed({ feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [shipped.salesChannel.marketplaceId], content: xml });
		sb.control.advanceTime(1000);
		await client.newToken();
		const feed = await client.get(`/feeds/2021-06-30/feeds/${feedId}`);
		expect(feed.body.processingStatus).toBe('DONE');
		expect((await client.get(`/feeds/2021-06-30/documents/${feed.body.resultFeedDocumentId}`)).status).toBe(200);
		expect((await client.get('/feeds/2021-06-30/feeds', { feedTypes: 'POST_PAYMENT_ADJUSTMENT_DATA', pageSize: 1 })).status).toBe(200);
		expect((await client.get(`/finances/v0/orders/${shipped.orderId}/financialEvents`)).body.payload.FinancialEvents.RefundEventList).toHaveLength(1);
		sb.control.refundOnAmazon(shippable[1].orderId);
		for (const o of [shipped, shippable[1]]) {
			const tx = await client.get('/finances/2024-06-19/transactions', { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: o.orderId });
			expect(tx.body.payload.transactions.map((t: { description: string }) => t.description).sort()).toEqual(['Order Payment', 'Refund Order']);
		}
		expect((await client.get('/sellers/v1/marketplaceParticipations')).status).toBe(200);
		// error answers are checked too
		expect((await client.get('/orders/2026-01-01/orders/111-9999999-9999999')).status).toBe(404);
		expect((await client.get('/orders/2026-01-01/orders', { marketplaceIds: US })).status).toBe(400);
		expect((await client.get('/feeds/2021-06-30/feeds/123')).status).toBe(404);

		const state = sb.control.state();
		expect(state.specValidation).toBe('on');
		expect(state.responseViolations).toEqual([]);
		expect(sb.control.stats().responseViolations).toBe(0);
		expect(sb.control.recordedRequests().length).toBeGreaterThan(500);
	});

	describe('control API errors', () => {
		it('throws with a message for bad programmatic calls', () => {
			expect(() => sb.control.seedOrders('nope' as never)).toThrow(/must be an array/);
			const [good] = generateOrders(1, { seed: 1, marketplaces: ['US'], statuses: ['UNSHIPPED'] });
			const bad = JSON.parse(JSON.stringify(good));
			bad.proceeds.grandTotal.amount = '0.01';
			bad.orderItems[0].quantityOrdered = 0;
			let message = '';
			try {
				sb.control.seedOrders([bad]);
			} catch (err) {
				message = (err as Error).message;
			}
			expect(message).toContain('proceeds.grandTotal 0.01 != sum of item proceeds');
			expect(message).toContain('quantityOrdered must be a positive integer');
			expect(sb.control.listOrders()).toEqual([]);
			sb.control.seedOrders([good]);
			expect(() => sb.control.seedOrders([good])).toThrow(/already exists/);
			expect(() => sb.control.seedOrders([{ marketplace: 'FR', items: [{ sku: 'X' }] }])).toThrow(/unsupported marketplace/);
			expect(() => sb.control.getOrder('111-9999999-9999999')).toThrow(/not found/);
			expect(() => sb.control.updateOrder(good.orderId, { colour: 'red' })).toThrow(/unknown field "colour"/);
			expect(() => sb.control.generateOrders(-1)).toThrow(/n must be an integer/);
			expect(() => sb.control.setPiiRole('yes' as never)).toThrow(/true or false/);
			expect(() => sb.control.advanceTime(-5)).toThrow(/non-negative/);
			expect(() => sb.control.setRateLimit('fly', { rate: 1, burst: 1 })).toThrow(/unknown operation/);
			expect(() => sb.control.refundOnAmazon(good.orderId, [{ orderItemId: '1' }])).toThrow(/nothing shipped|not an item/);
		});

		it('answers 4xx with { error } over HTTP, and works for good calls', async () => {
			const base = `${sb.url}/_sandbox/amazon`;
			const post = (path: string, body: unknown, contentType = 'application/json') => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
			const badSeed = await post('/orders', { orders: [{ orderId: 'x' }] });
			expect(badSeed.status).toBe(400);
			expect(((await badSeed.json()) as { error: string }).error).toContain('orderId "x" must look like 123-1234567-1234567');
			expect((await post('/orders', { nope: true })).status).toBe(400);
			expect((await post('/orders', '{"orders":')).status).toBe(400);
			expect((await post('/orders', 'x', 'text/plain')).status).toBe(415);
			expect((await post('/faults', { operation: 'getOrder', kind: 'boom' })).status).toBe(400);
			expect((await fetch(`${base}/orders/111-9999999-9999999`)).status).toBe(404);
			expect((await fetch(`${base}/teleport`)).status).toBe(404);
			const gen = await post('/generate', { n: 3, marketplaces: ['JP'] });
			expect(gen.status).toBe(201);
			const { orders } = (await gen.json()) as { orders: string[] };
			expect(orders).toHaveLength(3);
			const patch = await fetch(`${base}/orders/${orders[0]}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ touch: true }) });
			expect(patch.status).toBe(200);
			expect((await post('/faults', { operation: 'getOrder', kind: '500', count: 1 })).status).toBe(201);
			expect(await (await fetch(`${base}/faults`)).json()).toHaveLength(1);
			expect((await fetch(`${base}/faults`, { method: 'DELETE' })).status).toBe(200);
			expect((await post('/advance-time', { ms: 1000 })).status).toBe(200);
			expect((await post('/pii-role', { piiRole: 'maybe' })).status).toBe(400);
			const state = (await (await fetch(`${base}/state`)).json()) as { orders: unknown[] };
			expect(state.orders).toHaveLength(3);
			expect((await post('/reset', {})).status).toBe(200);
			expect(((await (await fetch(`${base}/state`)).json()) as { orders: unknown[] }).orders).toEqual([]);
		});
	});
});

describe('seed data generator', () => {
	const fixedNow = Date.parse('2026-06-15T12:00:00Z');

	it('is deterministic for a seed and differs between seeds', () => {
		expect(generateDataset({ seed: 9, orders: 40, now: fixedNow })).toEqual(generateDataset({ seed: 9, orders: 40, now: fixedNow }));
		expect(generateDataset({ seed: 10, orders: 40, now: fixedNow }).orders).not.toEqual(generateDataset({ seed: 9, orders: 40, now: fixedNow }).orders);
	});

	it('covers marketplaces, currencies, channels, statuses and programs with totals consistent to the cent', () => {
		const orders = generateOrders(400, { seed: 11, now: fixedNow }) as AnyOrder[];
		for (const o of orders) expect(checkOrderConsistency(o)).toEqual([]);
		const currencies = new Set(orders.map((o) => o.proceeds?.grandTotal.currencyCode));
		expect([...currencies].sort()).toEqual(['CAD', 'EUR', 'GBP', 'JPY', 'USD']);
		for (const o of orders.filter((x) => x.proceeds?.grandTotal.currencyCode === 'JPY')) expect(o.proceeds?.grandTotal.amount).toMatch(/^\d+$/);
		const statuses = new Set(orders.map((o) => o.fulfillment.fulfillmentStatus));
		expect([...statuses].sort()).toEqual(['CANCELLED', 'PARTIALLY_SHIPPED', 'PENDING', 'SHIPPED', 'UNSHIPPED']);
		expect(new Set(orders.map((o) => o.fulfillment.fulfilledBy))).toEqual(new Set(['MERCHANT', 'AMAZON']));
		const programs = new Set(orders.flatMap((o) => o.programs));
		for (const p of ['PRIME', 'AMAZON_BUSINESS', 'FBM_SHIP_PLUS']) expect(programs).toContain(p);
		expect(orders.some((o) => o.associatedOrders?.length)).toBe(true);
		expect(orders.some((o) => o.orderItems.length > 1)).toBe(true);
		expect(orders.some((o) => o.orderItems.some((i) => i.quantityOrdered > 1))).toBe(true);
		const json = JSON.stringify(orders);
		for (const needle of ['"GIFT_WRAP"', '"DISCOUNT"', 'MARKETPLACE_FACILITATOR', 'Zoë Ångström', '東京都', 'giftMessage', 'promotionId']) expect(json).toContain(needle);
		// SKUs partly present in the Shopify catalogue
		const skus = new Set(orders.flatMap((o) => o.orderItems.map((i) => i.product.sellerSku)));
		const inShop = new Set(catalogue.map((c) => c.sku));
		expect([...skus].some((s) => inShop.has(s))).toBe(true);
		expect([...skus].some((s) => !inShop.has(s))).toBe(true);
		expect(catalogue.length).toBeLessThan(PRODUCTS.length);
		expect(catalogue[0]).toEqual({ sku: expect.any(String), title: expect.any(String), price: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'USD' });
	});
});
