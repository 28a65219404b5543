import { startShopifySandbox } from '../../sandbox/shopify';
import { graphqlClient } from '../../sandbox/shopify/testing';

type Sandbox = Awaited<ReturnType<typeof startShopifySandbox>>;
type Gql = ReturnType<typeof graphqlClient>;

const SHOP_INFO = 'query ShopInfo { shop { id name currencyCode } }';
const BIG = 'query Big { orders(first: 100) { nodes { id lineItems(first: 1) { nodes { id } } } } }'; // 2 + 100 x (1 + 2 + 1) = 402
const CREATE = 'mutation OrderCreate($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id } userErrors { message } } }';
const ORDER_INPUT = { o: { sourceIdentifier: 'F-1', lineItems: [{ title: 'x', quantity: 1, priceSet: { shopMoney: { amount: '1.00', currencyCode: 'USD' } } }] } };

describe('Shopify sandbox: cost throttling', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeEach(async () => {
		// restore 1 point per sandbox second, so nothing refills between two requests of a test
		sb = await startShopifySandbox({ seed: 40, throttle: { maximumAvailable: 1000, restoreRate: 1 } });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterEach(async () => sb.stop());

	it('puts the cost and the bucket in every response, and refunds what was not used', async () => {
		const r = await gql(BIG);
		expect(r.body.extensions.cost).toEqual({ requestedQueryCost: 402, actualQueryCost: 2, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: expect.any(Number), restoreRate: 1 } });
		expect(r.body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(998);
	});

	it('answers THROTTLED (HTTP 200, no data) when the bucket lacks the requested cost, and recovers as sandbox time passes', async () => {
		sb.control.throttle.drain(100);
		const r = await gql(BIG);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
			extensions: { cost: { requestedQueryCost: 402, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: expect.any(Number), restoreRate: 1 } } },
		});
		expect(r.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(402);
		// a throttled mutation did not run
		sb.control.throttle.drain(0);
		const m = await gql(CREATE, ORDER_INPUT);
		expect(m.body.errors[0].extensions.code).toBe('THROTTLED');
		expect(sb.control.state().orders).toHaveLength(0);

		sb.control.advanceTime(402_000);
		const again = await gql(BIG);
		expect(again.body.errors).toBeUndefined();
		expect(again.body.data.orders.nodes).toEqual([]);
		expect(sb.control.stats()).toMatchObject({ calls: { Big: 2, OrderCreate: 1 }, throttled: { Big: 1, OrderCreate: 1 } });
	});

	it('refuses a single query above 1000 points with MAX_COST_EXCEEDED', async () => {
		const r = await gql('query Huge { orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }');
		expect(r.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Query cost is 63252, which exceeds the single query max cost limit \(1000\)/), extensions: { code: 'MAX_COST_EXCEEDED', cost: 63252, maxCost: 1000 } });
		expect(r.body.data).toBeUndefined();
		expect(sb.control.stats().operations.Huge.maxCostExceeded).toBe(1);
	});

	it('charges mutations 10 points plus their selection (empty userErrors cost nothing)', async () => {
		const r = await gql(CREATE, ORDER_INPUT);
		expect(r.body.extensions.cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: 11 });
	});
});

describe('Shopify sandbox: faults', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeEach(async () => {
		sb = await startShopifySandbox({ seed: 41 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterEach(async () => sb.stop());

	it('429: Throttled with Retry-After, nothing runs', async () => {
		sb.control.faults.set({ operation: 'OrderCreate', kind: '429', count: 1 });
		const r = await gql(CREATE, ORDER_INPUT);
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('1');
		expect(r.body.errors[0].extensions.code).toBe('THROTTLED');
		expect(sb.control.state().orders).toHaveLength(0);
		expect((await gql(CREATE, ORDER_INPUT)).status).toBe(200);
	});

	it('500 and 503: Shopify\'s internal error body, and an HTML maintenance page', async () => {
		sb.control.faults.set([
			{ operation: 'ShopInfo', kind: '500', count: 1 },
			{ operation: 'shop', kind: '503', count: 1 },
		]);
		const a = await gql(SHOP_INFO);
		expect(a.status).toBe(500);
		expect(a.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Internal error/), extensions: { code: 'INTERNAL_SERVER_ERROR' } });
		const b = await gql(SHOP_INFO);
		expect(b.status).toBe(503);
		expect(b.headers.get('content-type')).toContain('text/html');
		expect((await gql(SHOP_INFO)).status).toBe(200);
		expect(sb.control.stats().faultsInjected).toEqual({ 'ShopInfo:500': 1, 'shop:503': 1 });
	});

	it('slow: answers normally after the delay, with the effect committed', async () => {
		sb.control.faults.set({ operation: 'orderCreate', kind: 'slow', delayMs: 50, count: 1 });
		const r = await gql(CREATE, ORDER_INPUT);
		expect(r.status).toBe(200);
		expect(r.body.data.orderCreate.order.id).toMatch(/Order/);
	});

	it('reset: the socket closes before anything happens', async () => {
		sb.control.faults.set({ operation: 'orderCreate', kind: 'reset', count: 1 });
		await expect(gql(CREATE, ORDER_INPUT)).rejects.toThrow();
		expect(sb.control.state().orders).toHaveLength(0);
	});

	it('lostResponse: the order is created but the client never hears back', async () => {
		sb.control.faults.set({ operation: 'orderCreate', kind: 'lostResponse', count: 1 });
		await expect(gql(CREATE, ORDER_INPUT)).rejects.toThrow();
		expect(sb.control.state().orders).toHaveLength(1);
		// the client must look up before retrying: the order is findable
		const found = await gql('{ orders(first: 5, query: "source_identifier:\\"F-1\\"") { nodes { id } } }');
		expect(found.body.data.orders.nodes).toHaveLength(1);
		expect(sb.control.recordedRequests({ operation: 'OrderCreate' })[0]).toMatchObject({ status: 'lostResponse', fault: 'lostResponse' });
	});

	it('malformed: HTTP 200 with a body that is not JSON', async () => {
		sb.control.faults.set({ operation: 'ShopInfo', kind: 'malformed', count: 1 });
		const r = await gql(SHOP_INFO);
		expect(r.status).toBe(200);
		expect(typeof r.body).toBe('string');
		expect(() => JSON.parse(r.body)).toThrow();
	});

	it('probability 0 never fires; clear() removes rules; the token endpoint can fail too', async () => {
		sb.control.faults.set({ operation: '*', kind: '500', probability: 0 });
		expect((await gql(SHOP_INFO)).status).toBe(200);
		sb.control.faults.set({ operation: 'oauth/access_token', kind: '503', count: 1 });
		const t = await fetch(`${sb.url}/admin/oauth/access_token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret }) });
		expect(t.status).toBe(503);
		sb.control.faults.set({ operation: 'ShopInfo', kind: '500' });
		sb.control.faults.clear();
		expect((await gql(SHOP_INFO)).status).toBe(200);
		expect(() => sb.control.faults.set({ operation: 'ShopInfo', kind: 'explode' })).toThrow(/fault.kind must be one of/);
	});
});

describe('Shopify sandbox: control API', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 42 });
	});
	afterAll(async () => sb.stop());

	const call = async (method: string, path: string, body?: unknown, raw?: string) => {
		const res = await fetch(`${sb.url}/_sandbox/shopify${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
		return { status: res.status, body: (await res.json()) as Record<string, unknown> };
	};

	it('seeds, reads state and stats, records requests and resets over HTTP', async () => {
		const seeded = await call('POST', '/products', [{ sku: 'SKU-1', title: 'Mug', price: '19.99', inventory: 3 }]);
		expect(seeded.status).toBe(200);
		const gql = graphqlClient(sb, { token: sb.credentials.accessToken });
		await gql(SHOP_INFO);
		const state = await call('GET', '/state');
		expect(state.body).toMatchObject({ shop: { myshopifyDomain: 'sandbox-shop.myshopify.com', currencyCode: 'USD' }, products: [{ variants: [{ sku: 'SKU-1', price: '19.99', inventory: 3 }] }], customerNotifications: [] });
		const stats = await call('GET', '/stats');
		expect(stats.body).toMatchObject({ calls: { ShopInfo: 1 }, cost: { ShopInfo: 1 } });
		const requests = await call('GET', '/requests?operation=ShopInfo');
		expect((requests.body.requests as { headers: Record<string, string>; operation: string }[])[0]).toMatchObject({ operation: 'ShopInfo', headers: { 'x-shopify-access-token': '[redacted]' } });
		expect((await call('POST', '/reset')).status).toBe(200);
		expect((await call('GET', '/state')).body).toMatchObject({ products: [], orders: [] });
	});

	it('answers bad control input with 4xx and a message that says what is wrong', async () => {
		const cases: [string, string, unknown, number, RegExp][] = [
			['POST', '/products', { sku: 'x' }, 400, /array/],
			['POST', '/products', [{ sku: 'x' }], 400, /title/],
			['POST', '/products', [{ sku: 'x', title: 'X', price: 'cheap' }], 400, /price must be a non-negative decimal/],
			['POST', '/faults', { operation: 'ShopInfo', kind: 'boom' }, 400, /fault.kind must be one of/],
			['POST', '/faults', { kind: '500' }, 400, /operation is required/],
			['POST', `/orders/${encodeURIComponent('gid://shopify/Order/999')}/fulfill`, { tracking: { company: 'UPS', number: '1' } }, 404, /no order/],
			['POST', '/orders/999/cancel', { reason: 'bored' }, 400, /reason must be one of/],
			['POST', '/orders/999/refund', { lineItems: 'all' }, 404, /no order/],
			['POST', '/fulfillments/nope/tracking', { tracking: { company: 'UPS', number: 1 } }, 400, /number must be a string/],
			['POST', '/clock/advance', { ms: -1 }, 400, /non-negative/],
			['POST', '/webhooks/duplicate', {}, 400, /deliveryId/],
			['POST', '/webhooks/stale', { topic: 'orders/create', ageSeconds: 'old' }, 400, /ageSeconds/],
			['POST', '/throttle/drain', { level: -5 }, 400, /level/],
		];
		for (const [method, path, body, status, message] of cases) {
			const r = await call(method, path, body);
			expect({ path, status: r.status, error: String(r.body.error) }).toEqual({ path, status, error: expect.stringMatching(message) });
		}
		expect((await call('GET', '/nope')).status).toBe(404);
		const wrongMethod = await call('GET', '/reset');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.body.error).toMatch(/use POST/);
		expect((await call('POST', '/products', undefined, '{not json')).status).toBe(400);
	});

	it('throws ControlErrors with a status from the programmatic API', async () => {
		expect(() => sb.control.seedProducts('x' as unknown as [])).toThrow(expect.objectContaining({ status: 400 }));
		expect(() => sb.control.fulfillOrder('gid://shopify/Order/1', {})).toThrow(expect.objectContaining({ status: 404 }));
		const [v] = sb.control.seedProducts([{ sku: 'S', title: 'S', price: '1.00' }]);
		const gql = graphqlClient(sb, { token: sb.credentials.accessToken });
		const order = (await gql(CREATE, { o: { lineItems: [{ variantId: v.variantId, quantity: 1 }] } })).body.data.orderCreate.order;
		expect(() => sb.control.fulfillOrder(order.id, { lineItems: [{ sku: 'NOPE', quantity: 1 }] })).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/no line item with sku NOPE/) }));
		expect(() => sb.control.fulfillOrder(order.id, { lineItems: [{ sku: 'S', quantity: 2 }] })).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/only 1 of 2/) }));
		expect(() => sb.control.refundOrder(order.id, {})).toThrow(expect.objectContaining({ status: 400 }));
		expect(() => sb.control.cancelOrder(order.id, { reason: 'nope' })).toThrow(expect.objectContaining({ status: 400 }));
	});
});
