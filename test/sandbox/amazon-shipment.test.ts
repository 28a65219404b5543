import { AMAZON_CARRIER_CODES as NODE_CARRIER_CODES } from '../../nodes/shared/carriers';
import { startAmazonSandbox } from '../../sandbox/amazon';
import { AMAZON_CARRIER_CODES } from '../../sandbox/amazon/carriers';
import { createTestClient } from '../../sandbox/amazon/testClient';

type Sandbox = Awaited<ReturnType<typeof startAmazonSandbox>>;

const US = 'ATVPDKIKX0DER';

describe('Amazon sandbox: confirmShipment (Orders v0)', () => {
	let sb: Sandbox;
	let client: ReturnType<typeof createTestClient>;
	const shipDate = () => new Date(Date.now() - 60 * 1000).toISOString();

	beforeAll(async () => {
		sb = await startAmazonSandbox({ seed: 3, refundEventDelayMs: 0, rateLimits: { confirmShipment: { rate: 1000, burst: 1000 } } });
		client = createTestClient(sb);
	});
	afterAll(async () => sb.stop());
	beforeEach(async () => {
		sb.control.reset();
		await client.newToken();
	});

	const seedOne = (spec: Record<string, unknown>) => sb.control.seedOrders([{ marketplace: 'US', status: 'UNSHIPPED', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 3 }, { sku: 'BAG-TOTE-CANVAS', quantity: 1 }], ...spec }])[0];
	const confirm = (orderId: string, packageDetail: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		client.post(`/orders/v0/orders/${orderId}/shipmentConfirmation`, {
			marketplaceId: US,
			packageDetail: { packageReferenceId: '1', carrierCode: 'UPS', trackingNumber: '1Z999AA10123456784', shipDate: shipDate(), ...packageDetail },
			...extra,
		});
	const items = (orderId: string) => sb.control.getOrder(orderId).orderItems as { orderItemId: string; quantityOrdered: number; fulfillment: { quantityFulfilled: number; quantityUnfulfilled: number } }[];

	it('keeps its carrier list identical to nodes/shared/carriers.ts', () => {
		expect([...AMAZON_CARRIER_CODES]).toEqual([...NODE_CARRIER_CODES]);
	});

	it('ships a whole order: 204 without body, SHIPPED, package and quantities recorded, lastUpdatedTime moves', async () => {
		const id = seedOne({ lastUpdatedTime: new Date(Date.now() - 3600 * 1000).toISOString() });
		const [mug, bag] = items(id);
		const r = await confirm(id, { orderItems: [{ orderItemId: mug.orderItemId, quantity: 3 }, { orderItemId: bag.orderItemId, quantity: 1 }] });
		expect(r.status).toBe(204);
		expect(r.text).toBe('');
		expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('1000');
		const order = sb.control.getOrder(id);
		expect(order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(Date.parse(order.lastUpdatedTime)).toBeGreaterThan(Date.now() - 60 * 1000);
		expect(order.packages).toEqual([
			expect.objectContaining({ packageReferenceId: '1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', packageStatus: { status: 'SHIPPED' }, packageItems: [{ orderItemId: mug.orderItemId, quantity: 3 }, { orderItemId: bag.orderItemId, quantity: 1 }] }),
		]);
		expect(order.orderItems.map((i: { fulfillment: unknown }) => i.fulfillment)).toEqual([
			{ quantityFulfilled: 3, quantityUnfulfilled: 0 },
			{ quantityFulfilled: 1, quantityUnfulfilled: 0 },
		]);
		expect(sb.control.state().packages).toHaveLength(1);
		// the sale is charged at shipment: a shipment financial event exists
		expect(sb.control.financialEvents(id)).toEqual([expect.objectContaining({ kind: 'shipment', source: 'shipment' })]);
	});

	it('ships partially, then completes with a second package', async () => {
		const id = seedOne({});
		const [mug, bag] = items(id);
		expect((await confirm(id, { orderItems: [{ orderItemId: mug.orderItemId, quantity: 2 }] })).status).toBe(204);
		expect(sb.control.getOrder(id).fulfillment.fulfillmentStatus).toBe('PARTIALLY_SHIPPED');
		expect(items(id)[0].fulfillment).toEqual({ quantityFulfilled: 2, quantityUnfulfilled: 1 });

		const tooMany = await confirm(id, { packageReferenceId: '2', orderItems: [{ orderItemId: mug.orderItemId, quantity: 2 }] });
		expect(tooMany.status).toBe(400);
		expect(tooMany.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('exceeds the quantity not yet shipped (1)') });

		const r = await confirm(id, { packageReferenceId: '2', trackingNumber: 'TRACK-2', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }, { orderItemId: bag.orderItemId, quantity: 1 }] });
		expect(r.status).toBe(204);
		const order = sb.control.getOrder(id);
		expect(order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(order.packages.map((p: { packageReferenceId: string }) => p.packageReferenceId)).toEqual(['1', '2']);
	});

	it('re-posting a packageReferenceId edits that package and recomputes what remains', async () => {
		const id = seedOne({});
		const [mug] = items(id);
		expect((await confirm(id, { orderItems: [{ orderItemId: mug.orderItemId, quantity: 3 }] })).status).toBe(204);
		expect(sb.control.getOrder(id).fulfillment.fulfillmentStatus).toBe('PARTIALLY_SHIPPED');
		// correct the package: only 1 mug was in it, with another tracking number
		const edit = await confirm(id, { carrierCode: 'FedEx', trackingNumber: 'FX-1', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] });
		expect(edit.status).toBe(204);
		const order = sb.control.getOrder(id);
		expect(order.packages).toHaveLength(1);
		expect(order.packages[0]).toMatchObject({ carrier: 'FedEx', trackingNumber: 'FX-1', packageItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] });
		expect(items(id)[0].fulfillment).toEqual({ quantityFulfilled: 1, quantityUnfulfilled: 2 });
	});

	it('refuses a new package on a fully shipped order with PackageToUpdateNotFound, but allows editing', async () => {
		const id = seedOne({ items: [{ sku: 'LAMP-ANGSTROM-DESK', quantity: 1 }] });
		const [lamp] = items(id);
		expect((await confirm(id, { orderItems: [{ orderItemId: lamp.orderItemId, quantity: 1 }] })).status).toBe(204);
		const again = await confirm(id, { packageReferenceId: '2', orderItems: [{ orderItemId: lamp.orderItemId, quantity: 1 }] });
		expect(again.status).toBe(400);
		expect(again.body).toEqual({ errors: [{ code: 'PackageToUpdateNotFound', message: 'Failed to create package due to not finding a matching package or order already fulfilled', details: '' }] });
		const edit = await confirm(id, { trackingNumber: 'NEW-TRACKING', orderItems: [{ orderItemId: lamp.orderItemId, quantity: 1 }] });
		expect(edit.status).toBe(204);
		expect(sb.control.getOrder(id).packages[0].trackingNumber).toBe('NEW-TRACKING');
	});

	it('rejects packageReferenceId sent as a JSON number or as a non-positive value', async () => {
		const id = seedOne({});
		const [mug] = items(id);
		const num = await confirm(id, { packageReferenceId: 1, orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] });
		expect(num.status).toBe(400);
		expect(num.body.errors[0].code).toBe('InvalidInput');
		expect(num.body.errors[0].message).toContain('invalid type [packageDetail.packageReferenceId]');
		for (const bad of ['0', 'abc', '-1']) {
			const r = await confirm(id, { packageReferenceId: bad, orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] });
			expect(r.status).toBe(400);
			expect(r.body.errors[0].message).toContain('positive numeric value');
		}
		expect(sb.control.getOrder(id).packages).toBeUndefined();
	});

	it('refuses AFN, canceled, Pending and Ship+ orders', async () => {
		const cases: [Record<string, unknown>, RegExp][] = [
			[{ fulfilledBy: 'AMAZON' }, /fulfilled by Amazon/],
			[{ status: 'CANCELLED' }, /canceled/],
			[{ status: 'PENDING' }, /PENDING/],
			[{ programs: ['FBM_SHIP_PLUS'] }, /Ship\+ \(FBM_SHIP_PLUS\)/],
		];
		for (const [spec, message] of cases) {
			const id = seedOne(spec);
			const [mug] = items(id);
			const r = await confirm(id, { orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] });
			expect(r.status).toBe(400);
			expect(r.body.errors[0].code).toBe('InvalidInput');
			expect(r.body.errors[0].message).toMatch(message);
		}
	});

	it('validates items, quantities, carriers, ship dates and the marketplace', async () => {
		const id = seedOne({});
		const [mug] = items(id);
		const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
			[{ orderItems: [{ orderItemId: '99999999999999', quantity: 1 }] }, {}, /is not an item of order/],
			[{ orderItems: [{ orderItemId: mug.orderItemId, quantity: 4 }] }, {}, /exceeds the quantity not yet shipped \(3\)/],
			[{ orderItems: [{ orderItemId: mug.orderItemId, quantity: 0 }] }, {}, /positive integer/],
			[{ orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }, { orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /listed twice/],
			[{ orderItems: [] }, {}, /at least one order item/],
			[{ carrierCode: 'ups', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /case-sensitive: did you mean "UPS"/],
			[{ carrierCode: 'Pigeon Express', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /not a valid Amazon carrier code/],
			[{ carrierCode: 'Other', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /carrierName is required/],
			[{ trackingNumber: ' ', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /trackingNumber/],
			[{ shipDate: '02/21/2022', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /shipDate/],
			[{ shipDate: '2000-01-01T00:00:00Z', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, {}, /before the order was placed/],
			[{ orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, { marketplaceId: 'A2EUQ1WTGCTBG2' }, /does not match the marketplace/],
			[{ orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] }, { codCollectionMethod: 'DirectPayment' }, /only supported in the JP marketplace/],
		];
		for (const [pd, extra, message] of cases) {
			const r = await confirm(id, pd, extra);
			expect({ status: r.status, message: r.body.errors[0].message }).toEqual({ status: 400, message: expect.stringMatching(message) });
		}
		const ok = await confirm(id, { carrierCode: 'Other', carrierName: 'Kurier Zoë', orderItems: [{ orderItemId: mug.orderItemId, quantity: 1 }] });
		expect(ok.status).toBe(204);
		expect(sb.control.getOrder(id).packages[0].carrier).toBe('Kurier Zoë');
	});

	it('answers 404 for an unknown order', async () => {
		const r = await confirm('111-9999999-9999999', { orderItems: [{ orderItemId: '12345678901234', quantity: 1 }] });
		expect(r.status).toBe(404);
		expect(r.body.errors[0].code).toBe('NotFound');
	});

	it('serves the shipped order through Orders v0 reads (deprecated, optional)', async () => {
		const id = seedOne({});
		const [mug, bag] = items(id);
		await confirm(id, { orderItems: [{ orderItemId: mug.orderItemId, quantity: 3 }, { orderItemId: bag.orderItemId, quantity: 1 }] });
		const v0 = await client.get(`/orders/v0/orders/${id}`);
		expect(v0.status).toBe(200);
		expect(v0.body.payload).toMatchObject({ AmazonOrderId: id, OrderStatus: 'Shipped', FulfillmentChannel: 'MFN', NumberOfItemsShipped: 4, NumberOfItemsUnshipped: 0 });
		expect(v0.body.payload.ShippingAddress.Name).toBe('');
		const lines = await client.get(`/orders/v0/orders/${id}/orderItems`);
		expect(lines.body.payload.OrderItems.map((i: { QuantityShipped: number }) => i.QuantityShipped)).toEqual([3, 1]);

		const rdt = await client.post('/tokens/2021-03-01/restrictedDataToken', { restrictedResources: [{ method: 'GET', path: '/orders/v0/orders/{orderId}', dataElements: ['shippingAddress', 'buyerInfo'] }] });
		expect(rdt.status).toBe(200);
		expect(rdt.body).toEqual({ restrictedDataToken: expect.stringMatching(/^Atz\.sprdt\|/), expiresIn: 3600 });
		const withPii = await client.request('GET', `/orders/v0/orders/${id}`, { token: rdt.body.restrictedDataToken });
		expect(withPii.body.payload.ShippingAddress.Name).toEqual(expect.any(String));
		expect(withPii.body.payload.ShippingAddress.Name).not.toBe('');
		// an RDT is only good for the resources it names
		const elsewhere = await client.request('GET', '/sellers/v1/marketplaceParticipations', { token: rdt.body.restrictedDataToken });
		expect(elsewhere.status).toBe(403);
		sb.control.setPiiRole(false);
		const denied = await client.post('/tokens/2021-03-01/restrictedDataToken', { restrictedResources: [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['shippingAddress'] }] });
		expect(denied.status).toBe(400);
		expect(denied.body.errors[0].message).toBe('Application do not have access to some or all requested resource');
	});
});
