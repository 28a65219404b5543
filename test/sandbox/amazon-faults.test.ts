import { startAmazonSandbox } from '../../sandbox/amazon';
import { createTestClient } from '../../sandbox/amazon/testClient';

type Sandbox = Awaited<ReturnType<typeof startAmazonSandbox>>;

const US = 'ATVPDKIKX0DER';
const QUOTA = { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] };

describe('Amazon sandbox: usage plans', () => {
	it('throttles past the burst with 429 QuotaExceeded and no x-amzn-RateLimit-Limit, and counts it', async () => {
		const sb = await startAmazonSandbox({ seed: 5 });
		try {
			const client = createTestClient(sb);
			await client.newToken();
			const statuses: number[] = [];
			for (let i = 0; i < 16; i++) statuses.push((await client.get('/sellers/v1/marketplaceParticipations')).status);
			expect(statuses.slice(0, 15)).toEqual(Array(15).fill(200));
			expect(statuses[15]).toBe(429);
			const r = await client.get('/sellers/v1/marketplaceParticipations');
			expect(r.status).toBe(429);
			expect(r.body).toEqual(QUOTA);
			expect(r.headers.get('x-amzn-ratelimit-limit')).toBeNull();
			expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
			const stats = sb.control.stats();
			expect(stats.calls.getMarketplaceParticipations).toBe(17);
			expect(stats.throttled.getMarketplaceParticipations).toBe(2);
			expect(sb.control.state().throttled).toEqual({ getMarketplaceParticipations: 2 });
			// sandbox time refills the bucket: 1 / 0.016 s = 62.5 s per token
			sb.control.advanceTime(63 * 1000);
			expect((await client.get('/sellers/v1/marketplaceParticipations')).status).toBe(200);
		} finally {
			await sb.stop();
		}
	});

	it('scales the advertised rate with clockScale', async () => {
		const sb = await startAmazonSandbox({ seed: 5, clockScale: 1000 });
		try {
			const client = createTestClient(sb);
			const r = await client.get('/orders/2026-01-01/orders', { marketplaceIds: US, lastUpdatedAfter: new Date(Date.now() - 86400000).toISOString() });
			expect(r.status).toBe(200);
			expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('5.6');
			expect(sb.control.state().rateLimits.createFeed).toEqual({ rate: 0.0083, burst: 15, header: '8.3' });
		} finally {
			await sb.stop();
		}
	});
});

describe('Amazon sandbox: injected faults', () => {
	let sb: Sandbox;
	let client: ReturnType<typeof createTestClient>;
	let orderId: string;
	let itemId: string;

	beforeAll(async () => {
		sb = await startAmazonSandbox({ seed: 6, rateLimits: { getOrder: { rate: 1000, burst: 1000 }, confirmShipment: { rate: 1000, burst: 1000 } } });
		client = createTestClient(sb);
	});
	afterAll(async () => sb.stop());
	beforeEach(async () => {
		sb.control.reset();
		[orderId] = sb.control.seedOrders([{ marketplace: 'US', status: 'UNSHIPPED', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 1 }] }]);
		itemId = sb.control.getOrder(orderId).orderItems[0].orderItemId;
		await client.newToken();
	});

	const getOrder = (signal?: AbortSignal) => client.request('GET', `/orders/2026-01-01/orders/${orderId}`, { signal });
	const ship = () =>
		client.post(`/orders/v0/orders/${orderId}/shipmentConfirmation`, {
			marketplaceId: US,
			packageDetail: { packageReferenceId: '1', carrierCode: 'USPS', trackingNumber: '9400', shipDate: new Date(Date.now() - 60000).toISOString(), orderItems: [{ orderItemId: itemId, quantity: 1 }] },
		});

	it('429: QuotaExceeded once, then normal', async () => {
		sb.control.faults.set({ operation: 'getOrder', kind: '429', count: 1 });
		const r = await getOrder();
		expect(r.status).toBe(429);
		expect(r.body).toEqual(QUOTA);
		expect(r.headers.get('x-amzn-ratelimit-limit')).toBeNull();
		expect((await getOrder()).status).toBe(200);
		expect(sb.control.stats().throttled.getOrder).toBe(1);
		expect(sb.control.recordedRequests({ operation: 'getOrder' }).map((e: { status: number; fault?: string }) => [e.status, e.fault])).toEqual([
			[429, '429'],
			[200, undefined],
		]);
	});

	it('500 and 503 in the SP-API error shape, without side effects', async () => {
		sb.control.faults.set([
			{ operation: 'confirmShipment', kind: '500', count: 1 },
			{ operation: 'confirmShipment', kind: '503', count: 1 },
		]);
		const a = await ship();
		expect(a.status).toBe(500);
		expect(a.body.errors[0]).toMatchObject({ code: 'InternalFailure', message: expect.any(String) });
		const b = await ship();
		expect(b.status).toBe(503);
		expect(b.body.errors[0].code).toBe('ServiceUnavailable');
		expect(sb.control.getOrder(orderId).fulfillment.fulfillmentStatus).toBe('UNSHIPPED');
		expect((await ship()).status).toBe(204);
	});

	it('slow: the client times out although the effect is committed', async () => {
		sb.control.faults.set({ operation: 'confirmShipment', kind: 'slow', delayMs: 5000, count: 1 });
		const url = `${sb.url}/orders/v0/orders/${orderId}/shipmentConfirmation`;
		const body = JSON.stringify({
			marketplaceId: US,
			packageDetail: { packageReferenceId: '1', carrierCode: 'USPS', trackingNumber: '9400', shipDate: new Date(Date.now() - 60000).toISOString(), orderItems: [{ orderItemId: itemId, quantity: 1 }] },
		});
		await expect(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-amz-access-token': client.token as string }, body, signal: AbortSignal.timeout(300) })).rejects.toThrow();
		expect(sb.control.getOrder(orderId).fulfillment.fulfillmentStatus).toBe('SHIPPED');
	});

	it('reset: the socket is destroyed and nothing happens', async () => {
		sb.control.faults.set({ operation: 'confirmShipment', kind: 'reset', count: 1 });
		await expect(ship()).rejects.toThrow();
		expect(sb.control.getOrder(orderId).fulfillment.fulfillmentStatus).toBe('UNSHIPPED');
		expect((await ship()).status).toBe(204);
	});

	it('malformed: 200 with a body that is not JSON', async () => {
		sb.control.faults.set({ operation: 'getOrder', kind: 'malformed', count: 1 });
		const res = await fetch(`${sb.url}/orders/2026-01-01/orders/${orderId}`, { headers: { 'x-amz-access-token': client.token as string } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/json');
		await expect(res.json()).rejects.toThrow();
	});

	it('lostResponse: the effect is committed, the client sees a dropped connection; a retry with the same packageReferenceId is safe', async () => {
		sb.control.faults.set({ operation: 'confirmShipment', kind: 'lostResponse', count: 1 });
		await expect(ship()).rejects.toThrow();
		const order = sb.control.getOrder(orderId);
		expect(order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(order.packages).toHaveLength(1);
		// retrying the same package edits it instead of failing or duplicating it
		expect((await ship()).status).toBe(204);
		expect(sb.control.getOrder(orderId).packages).toHaveLength(1);
		expect(sb.control.stats().faultsInjected).toEqual({ 'confirmShipment:lostResponse': 1 });
	});

	it('faults on the LWA endpoint and on every operation with "*"', async () => {
		sb.control.faults.set({ operation: 'lwaToken', kind: '503', count: 1 });
		await expect(client.newToken()).rejects.toThrow(/503/);
		await client.newToken();
		sb.control.faults.set({ operation: '*', kind: '500', count: 2 });
		expect((await getOrder()).status).toBe(500);
		expect((await client.get('/sellers/v1/marketplaceParticipations')).status).toBe(500);
		expect((await getOrder()).status).toBe(200);
	});

	it('applies probability with the seeded RNG and stops after clear()', async () => {
		sb.control.faults.set({ operation: 'getOrder', kind: '503', probability: 0.5 });
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) statuses.push((await getOrder()).status);
		expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(3);
		expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(3);
		sb.control.faults.clear();
		expect((await getOrder()).status).toBe(200);
		expect(sb.control.faults.list()).toEqual([]);
	});

	it('rejects bad fault specs with a message', () => {
		expect(() => sb.control.faults.set({ operation: 'getOrder', kind: '418' })).toThrow(/kind must be one of/);
		expect(() => sb.control.faults.set({ operation: 'teleport', kind: '500' })).toThrow(/unknown operation "teleport"/);
		expect(() => sb.control.faults.set({ operation: 'getOrder', kind: '500', probability: 2 })).toThrow(/probability/);
		expect(() => sb.control.faults.set({ operation: 'getOrder', kind: '500', count: 0 })).toThrow(/count/);
		expect(() => sb.control.faults.set({ operation: 'getOrder', kind: '500', when: 'now' } as never)).toThrow(/unknown fault field "when"/);
	});
});
