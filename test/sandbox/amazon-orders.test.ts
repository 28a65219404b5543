import { startAmazonSandbox } from '../../sandbox/amazon';
import { createTestClient } from '../../sandbox/amazon/testClient';

type Sandbox = Awaited<ReturnType<typeof startAmazonSandbox>>;

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const MIN = 60 * 1000;

describe('Amazon sandbox: Orders v2026-01-01', () => {
	let sb: Sandbox;
	let client: ReturnType<typeof createTestClient>;
	let now: number;
	const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

	beforeAll(async () => {
		sb = await startAmazonSandbox({ seed: 2, rateLimits: { searchOrders: { rate: 1000, burst: 1000 } } });
		client = createTestClient(sb);
	});
	afterAll(async () => sb.stop());

	let ids: { a: string; b: string; c: string; recent: string; de: string; pending: string };
	beforeEach(async () => {
		sb.control.reset();
		now = Date.now();
		const seeded = sb.control.seedOrders([
			{ orderId: '111-0000001-0000001', marketplace: 'US', status: 'UNSHIPPED', createdTime: iso(now - 120 * MIN), lastUpdatedTime: iso(now - 60 * MIN), items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 2, shipping: '4.99' }] },
			{ orderId: '111-0000002-0000002', marketplace: 'US', status: 'SHIPPED', createdTime: iso(now - 300 * MIN), lastUpdatedTime: iso(now - 30 * MIN), items: [{ sku: 'LAMP-ANGSTROM-DESK' }] },
			{ orderId: '111-0000003-0000003', marketplace: 'US', status: 'UNSHIPPED', fulfilledBy: 'AMAZON', createdTime: iso(now - 40 * MIN), lastUpdatedTime: iso(now - 10 * MIN), items: [{ sku: 'YOGA-MAT-6MM' }] },
			{ orderId: '111-0000004-0000004', marketplace: 'US', status: 'UNSHIPPED', createdTime: iso(now - 5 * MIN), lastUpdatedTime: iso(now - 1 * MIN), items: [{ sku: 'BAG-TOTE-CANVAS' }] },
			{ orderId: '302-0000005-0000005', marketplace: 'DE', status: 'UNSHIPPED', createdTime: iso(now - 100 * MIN), lastUpdatedTime: iso(now - 20 * MIN), items: [{ sku: 'CANDLE-SOY-LAVENDER' }], buyer: { name: 'Jürgen Groß' } },
			{ orderId: '111-0000006-0000006', marketplace: 'US', status: 'PENDING', createdTime: iso(now - 50 * MIN), lastUpdatedTime: iso(now - 50 * MIN), items: [{ sku: 'PEN-FOUNTAIN-NAVY', quantity: 1 }] },
		]);
		ids = { a: seeded[0], b: seeded[1], c: seeded[2], recent: seeded[3], de: seeded[4], pending: seeded[5] };
		await client.newToken();
	});

	const search = (query: Record<string, string | number | string[] | undefined>) => client.get('/orders/2026-01-01/orders', query);
	const orderIds = (body: { orders: { orderId: string }[] }) => body.orders.map((o) => o.orderId);

	describe('searchOrders request rules', () => {
		it('needs exactly one of createdAfter / lastUpdatedAfter', async () => {
			const none = await search({ marketplaceIds: US });
			expect(none.status).toBe(400);
			expect(none.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('Exactly one of createdAfter and lastUpdatedAfter') });
			const both = await search({ marketplaceIds: US, createdAfter: iso(now - 600 * MIN), lastUpdatedAfter: iso(now - 600 * MIN) });
			expect(both.status).toBe(400);
			const mixed = await search({ marketplaceIds: US, createdAfter: iso(now - 600 * MIN), lastUpdatedBefore: iso(now - 10 * MIN) });
			expect(mixed.status).toBe(400);
			expect(mixed.body.errors[0].message).toContain('lastUpdatedBefore cannot be combined with createdAfter');
		});

		it('enforces the 2-minute rule on *Before and *After <= *Before', async () => {
			const tooRecent = await search({ marketplaceIds: US, lastUpdatedAfter: iso(now - 600 * MIN), lastUpdatedBefore: iso(now - 60 * 1000) });
			expect(tooRecent.status).toBe(400);
			expect(tooRecent.body.errors[0].message).toContain('at least two minutes before the time of the request');
			const ok = await search({ marketplaceIds: US, lastUpdatedAfter: iso(now - 600 * MIN), lastUpdatedBefore: iso(now - 3 * MIN) });
			expect(ok.status).toBe(200);
			const afterTooLate = await search({ marketplaceIds: US, lastUpdatedAfter: iso(now - 30 * 1000) });
			expect(afterTooLate.status).toBe(400);
			expect(afterTooLate.body.errors[0].message).toContain('must not be later than lastUpdatedBefore');
		});

		it('accepts ISO 8601 date-times only', async () => {
			for (const bad of ['2025-01-01', '2025-01-01 10:00:00', '1735725600', '2025-01-01T10:00:00']) {
				const r = await search({ marketplaceIds: US, createdAfter: bad });
				expect(r.status).toBe(400);
				expect(JSON.stringify(r.body)).toContain('createdAfter');
			}
		});

		it('requires marketplaceIds (at most 50, participating) and maxResultsPerPage within 1..100', async () => {
			const after = iso(now - 600 * MIN);
			expect((await search({ lastUpdatedAfter: after })).status).toBe(400);
			const many = Array.from({ length: 51 }, () => US);
			const tooMany = await search({ marketplaceIds: many, lastUpdatedAfter: after });
			expect(tooMany.status).toBe(400);
			expect(JSON.stringify(tooMany.body)).toContain('marketplaceIds');
			const foreign = await search({ marketplaceIds: 'A1AM78C64UM0Y8', lastUpdatedAfter: after });
			expect(foreign.status).toBe(400);
			expect(foreign.body.errors[0].message).toContain('does not participate');
			for (const bad of [0, 101, 'ten']) {
				const r = await search({ marketplaceIds: US, lastUpdatedAfter: after, maxResultsPerPage: bad });
				expect(r.status).toBe(400);
				expect(JSON.stringify(r.body)).toContain('maxResultsPerPage');
			}
		});

		it('rejects repeated array parameters (arrays are comma-separated)', async () => {
			const url = `${sb.url}/orders/2026-01-01/orders?marketplaceIds=${US}&marketplaceIds=${DE}&lastUpdatedAfter=${iso(now - 600 * MIN)}`;
			const res = await fetch(url, { headers: { 'x-amz-access-token': client.token as string } });
			expect(res.status).toBe(400);
			expect(JSON.stringify(await res.json())).toContain('comma-separated');
		});
	});

	describe('searchOrders results', () => {
		it('returns orders updated in the window sorted by lastUpdatedTime, echoing lastUpdatedBefore', async () => {
			const r = await search({ marketplaceIds: [US, DE], lastUpdatedAfter: iso(now - 600 * MIN) });
			expect(r.status).toBe(200);
			expect(orderIds(r.body)).toEqual([ids.a, ids.pending, ids.b, ids.de, ids.c]);
			expect(r.body.pagination).toBeUndefined();
			const echoed = Date.parse(r.body.lastUpdatedBefore);
			expect(echoed).toBeLessThanOrEqual(now - 2 * MIN + 1000);
			expect(echoed).toBeGreaterThan(now - 3 * MIN);
			expect(r.body.createdBefore).toBeUndefined();
			expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('1000');
		});

		it('filters by createdAfter/createdBefore and echoes createdBefore', async () => {
			const r = await search({ marketplaceIds: US, createdAfter: iso(now - 130 * MIN), createdBefore: iso(now - 45 * MIN) });
			expect(r.status).toBe(200);
			expect(orderIds(r.body)).toEqual([ids.a, ids.pending]);
			expect(r.body.createdBefore).toBe(iso(now - 45 * MIN));
		});

		it('filters by fulfillmentStatuses and fulfilledBy', async () => {
			const after = iso(now - 600 * MIN);
			const unshipped = await search({ marketplaceIds: [US, DE], lastUpdatedAfter: after, fulfillmentStatuses: 'UNSHIPPED', fulfilledBy: 'MERCHANT' });
			expect(orderIds(unshipped.body)).toEqual([ids.a, ids.de]);
			const badStatus = await search({ marketplaceIds: US, lastUpdatedAfter: after, fulfillmentStatuses: 'Unshipped' });
			expect(badStatus.status).toBe(400);
		});

		it('paginates; the token must be replayed with the same parameters except maxResultsPerPage/includedData', async () => {
			const base = { marketplaceIds: [US, DE], lastUpdatedAfter: iso(now - 600 * MIN) };
			const p1 = await search({ ...base, maxResultsPerPage: 2 });
			expect(orderIds(p1.body)).toEqual([ids.a, ids.pending]);
			const token = p1.body.pagination.nextToken;
			expect(typeof token).toBe('string');

			const p2 = await search({ ...base, maxResultsPerPage: 2, includedData: 'BUYER', paginationToken: token });
			expect(p2.status).toBe(200);
			expect(orderIds(p2.body)).toEqual([ids.b, ids.de]);
			expect(p2.body.lastUpdatedBefore).toBe(p1.body.lastUpdatedBefore);

			const p3 = await search({ ...base, maxResultsPerPage: 10, paginationToken: p2.body.pagination.nextToken });
			expect(orderIds(p3.body)).toEqual([ids.c]);
			expect(p3.body.pagination).toBeUndefined();

			const changed = await search({ marketplaceIds: US, lastUpdatedAfter: base.lastUpdatedAfter, paginationToken: token });
			expect(changed.status).toBe(400);
			expect(changed.body.errors[0].message).toContain('marketplaceIds');
			const missing = await search({ marketplaceIds: base.marketplaceIds, paginationToken: token });
			expect(missing.status).toBe(400);

			const bogus = await search({ ...base, paginationToken: 'nope' });
			expect(bogus.status).toBe(400);
		});

		it('expires pagination tokens after 24 hours', async () => {
			const base = { marketplaceIds: [US, DE], lastUpdatedAfter: iso(now - 600 * MIN) };
			const p1 = await search({ ...base, maxResultsPerPage: 1 });
			sb.control.advanceTime(24 * 3600 * 1000);
			await client.newToken();
			const late = await search({ ...base, paginationToken: p1.body.pagination.nextToken });
			expect(late.status).toBe(400);
			expect(late.body.errors[0].message).toContain('expired');
		});

		it('hides an order that is late in the index until its indexedAt', async () => {
			const [late] = sb.control.seedOrders([
				{ orderId: '111-0000007-0000007', marketplace: 'US', status: 'UNSHIPPED', createdTime: iso(now - 15 * MIN), lastUpdatedTime: iso(now - 15 * MIN), indexDelayMs: 20 * MIN, items: [{ sku: 'SOAP-OLIVE-3PK' }] },
			]);
			const query = { marketplaceIds: US, lastUpdatedAfter: iso(now - 600 * MIN) };
			expect(orderIds((await search(query)).body)).not.toContain(late);
			expect((await client.get(`/orders/2026-01-01/orders/${late}`)).status).toBe(200);
			const summary = sb.control.state().orders.find((o: { orderId: string }) => o.orderId === late);
			expect(summary).toMatchObject({ visibleInSearch: false, lastUpdatedTime: iso(now - 15 * MIN) });
			expect(Date.parse(summary.indexedAt)).toBeGreaterThan(now);

			sb.control.advanceTime(20 * MIN);
			await client.newToken();
			expect(orderIds((await search(query)).body)).toContain(late);

			// updateOrder can make an existing order late too
			sb.control.updateOrder(ids.a, { indexDelayMs: 5 * MIN });
			expect(orderIds((await search(query)).body)).not.toContain(ids.a);

			// and generated data can contain late orders
			const generated = sb.control.generateOrders(5, { marketplaces: ['US'], lateIndexProbability: 1, lateIndexMaxMs: 60 * MIN });
			const visible = orderIds((await search(query)).body);
			for (const o of generated) expect(visible).not.toContain(o.orderId);
		});

		it('moves a Pending order to Unshipped: prices appear and lastUpdatedTime moves', async () => {
			const before = await client.get(`/orders/2026-01-01/orders/${ids.pending}`, { includedData: 'PROCEEDS,FULFILLMENT' });
			expect(before.body.order.proceeds).toBeUndefined();
			expect(before.body.order.orderItems[0].proceeds).toBeUndefined();
			expect(before.body.order.orderItems[0].product.price).toBeUndefined();
			expect(before.body.order.fulfillment.fulfillmentStatus).toBe('PENDING');

			const updated = sb.control.updateOrder(ids.pending, { fulfillmentStatus: 'UNSHIPPED' });
			expect(Date.parse(updated.lastUpdatedTime)).toBeGreaterThan(now - 2 * MIN);
			const after = await client.get(`/orders/2026-01-01/orders/${ids.pending}`, { includedData: 'PROCEEDS,FULFILLMENT' });
			expect(after.body.order.fulfillment.fulfillmentStatus).toBe('UNSHIPPED');
			expect(after.body.order.proceeds.grandTotal).toEqual({ amount: expect.stringMatching(/^\d+\.\d{2}$/), currencyCode: 'USD' });
			expect(after.body.order.orderItems[0].product.price.unitPrice.amount).toBe('34.99');
			expect(() => sb.control.updateOrder(ids.pending, { fulfillmentStatus: 'SHIPPED' })).toThrow(/cannot move UNSHIPPED -> SHIPPED/);
		});
	});

	describe('getOrder', () => {
		it('returns only the base blocks without includedData', async () => {
			const r = await client.get(`/orders/2026-01-01/orders/${ids.a}`);
			expect(r.status).toBe(200);
			expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
			const o = r.body.order;
			expect(Object.keys(o).sort()).toEqual(['createdTime', 'lastUpdatedTime', 'orderId', 'orderItems', 'salesChannel']);
			expect(o.salesChannel).toEqual({ channelName: 'AMAZON', marketplaceId: US, marketplaceName: 'Amazon.com' });
			expect(Object.keys(o.orderItems[0]).sort()).toEqual(['orderItemId', 'product', 'quantityOrdered']);
			expect(o.orderItems[0].product).toMatchObject({ sellerSku: 'MUG-CAFE-CREME-4', price: { unitPrice: { amount: '24.99', currencyCode: 'USD' } } });
		});

		it('adds the blocks includedData asks for, PII only with the role', async () => {
			const all = 'BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS';
			const r = await client.get(`/orders/2026-01-01/orders/${ids.de}`, { includedData: all });
			const o = r.body.order;
			expect(o.buyer.buyerName).toBe('Jürgen Groß');
			expect(o.buyer.buyerEmail).toMatch(/@marketplace\.amazon\.de$/);
			expect(o.recipient.deliveryAddress).toMatchObject({ name: 'Jürgen Groß', countryCode: 'DE', addressLine1: expect.any(String), postalCode: expect.any(String) });
			expect(o.fulfillment).toMatchObject({ fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT', shipByWindow: { latestDateTime: expect.any(String) } });
			expect(o.proceeds.grandTotal.currencyCode).toBe('EUR');
			expect(o.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 0, quantityUnfulfilled: 1 });

			sb.control.setPiiRole(false);
			const noPii = (await client.get(`/orders/2026-01-01/orders/${ids.de}`, { includedData: 'BUYER,RECIPIENT' })).body.order;
			expect(noPii.buyer).toBeUndefined();
			expect(noPii.recipient.deliveryAddress.name).toBeUndefined();
			expect(noPii.recipient.deliveryAddress.addressLine1).toBeUndefined();
			expect(noPii.recipient.deliveryAddress.postalCode).toEqual(expect.any(String)); // not PII without the street (amazon.md §0.4)
			expect(noPii.recipient.deliveryAddress).toMatchObject({ city: expect.any(String), countryCode: 'DE' });
		});

		it('shows packages of shipped MFN orders only with PACKAGES', async () => {
			const without = (await client.get(`/orders/2026-01-01/orders/${ids.b}`, { includedData: 'FULFILLMENT' })).body.order;
			expect(without.packages).toBeUndefined();
			const withPk = (await client.get(`/orders/2026-01-01/orders/${ids.b}`, { includedData: 'PACKAGES' })).body.order;
			expect(withPk.packages).toEqual([expect.objectContaining({ packageReferenceId: '1', carrier: expect.any(String), trackingNumber: expect.any(String), packageItems: [{ orderItemId: withPk.orderItems[0].orderItemId, quantity: 1 }] })]);
		});

		it('answers 404 for an unknown order and 400 for a malformed id or includedData', async () => {
			const unknown = await client.get('/orders/2026-01-01/orders/111-9999999-9999999');
			expect(unknown.status).toBe(404);
			expect(unknown.body.errors[0].code).toBe('NotFound');
			expect((await client.get('/orders/2026-01-01/orders/12345')).status).toBe(400);
			const badInc = await client.get(`/orders/2026-01-01/orders/${ids.a}`, { includedData: 'ADDRESS' });
			expect(badInc.status).toBe(400);
			expect(JSON.stringify(badInc.body)).toContain('includedData');
		});
	});
});
