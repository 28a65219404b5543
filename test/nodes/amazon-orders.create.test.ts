/**
 * Create Shopify Order on its own (Manual Trigger -> Create Shopify Order, or the template), against
 * the sandbox: never a duplicate (lost responses, concurrent executions, reruns), bad input with a
 * clear error naming the order and the field, the development store's 5 orders a minute.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetShopCache } from '../../nodes/CreateShopifyOrder/actions/order/shop';
import { sleep } from 'n8n-workflow';

import { useClock } from '../../nodes/shared/transport/clock';
import { FakeClock } from '../harness/fakeClock';
import type { World } from './amazon-orders.helpers';
import { TRIGGER, minutesAgo, ordersFor, runCreate, seed, shopifyOrders, startWorld, templateWorkflow, tick } from './amazon-orders.helpers';
import { pollOnce } from '../harness/engine';

/**
 * The node's clock for the development-store tests: time stands still except while the node waits,
 * and a wait also lasts 1/1000 of its length in real time, so the sandbox (clockScale 1000) sees the
 * same minute go by. The node then always has to wait for the sixth order, and the wait is short.
 */
class WaitingClock extends FakeClock {
	override async sleep(ms: number): Promise<void> {
		await super.sleep(ms);
		await sleep(Math.ceil(Math.max(0, ms) / 1000));
	}
}

/** The orders as the trigger emits them (backfill, one poll; nothing is imported). */
async function triggerItems(world: World): Promise<IDataObject[]> {
	const { result } = await pollOnce(templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } }), TRIGGER, world.engine, { staticData: {} });
	return (result?.[0] ?? []).map((i) => i.json);
}

describe('Create Shopify Order', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
	});
	afterAll(async () => world.sb.stop());
	beforeEach(() => {
		world.sb.amazon.control.reset();
		world.sb.shopify!.control.faults.clear();
	});
	afterEach(() => {
		expect(world.sb.shopify!.control.customerNotifications()).toEqual([]);
	});

	it('"committed but the response was lost" on orderCreate: it looks again, finds its order, and a rerun creates nothing', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'KNIFE-CHEF-8IN', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
		const order = world.sb.amazon.control.getOrder(id);
		world.sb.shopify!.control.faults.set({ operation: 'orderCreate', kind: 'lostResponse', count: 1 });
		const first = await runCreate(world, [order]);
		expect(first.error).toBeUndefined();
		expect(first.out[0]).toMatchObject({ created: true, recoveredAfterLostResponse: true, amazonOrderId: id, shopifyOrderName: `AMZ-${id}` });
		expect(ordersFor(world, id)).toHaveLength(1);

		const rerun = await runCreate(world, [order]);
		expect(rerun.out[0]).toMatchObject({ created: false, reason: 'exists', shopifyOrderName: `AMZ-${id}` });
		expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('a reset connection that did not commit: it looks, finds nothing, sends again once', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'KNIFE-CHEF-8IN', quantity: 2 }], lastUpdatedTime: minutesAgo(30) }]);
		world.sb.shopify!.control.faults.set({ operation: 'orderCreate', kind: 'reset', count: 1 });
		const r = await runCreate(world, [world.sb.amazon.control.getOrder(id)]);
		expect(r.out[0]).toMatchObject({ created: true, amazonOrderId: id });
		expect(r.out[0].recoveredAfterLostResponse).toBeUndefined();
		expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('two executions importing the same order at once: one creates it, the other reports it exists', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'BAG-TOTE-CANVAS', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
		const order = world.sb.amazon.control.getOrder(id);
		const [a, b] = await Promise.all([runCreate(world, [order]), runCreate(world, [order])]);
		const results = [a.out[0], b.out[0]];
		expect(results.map((o) => o.created).sort()).toEqual([false, true]);
		expect(results.find((o) => !o.created)).toMatchObject({ shopifyOrderName: `AMZ-${id}` });
		expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('imports by Amazon order ID (getOrder), and says clearly when the order does not exist', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'YOGA-MAT-6MM', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
		const ok = await runCreate(world, [{ amazonOrderId: id }], { source: 'orderId', amazonOrderId: '={{ $json.amazonOrderId }}' });
		expect(ok.out[0]).toMatchObject({ created: true, amazonOrderId: id, totals: { equal: true } });

		const missing = await runCreate(world, [{ amazonOrderId: '111-0000000-0000000' }], { source: 'orderId', amazonOrderId: '={{ $json.amazonOrderId }}' }, { continueOnFail: true });
		expect(missing.out[0]).toMatchObject({ error: 'Amazon order 111-0000000-0000000 was not found', details: { amazonOrderId: '111-0000000-0000000', field: 'amazonOrderId' } });

		const thrown = await runCreate(world, [{ amazonOrderId: '111-0000000-0000000' }], { source: 'orderId', amazonOrderId: '={{ $json.amazonOrderId }}' });
		expect(thrown.error?.message).toBe('Amazon order 111-0000000-0000000 was not found');
	});

	it('no address because the app lacks the role: a clear error by default, an import with what Amazon sent when allowed', async () => {
		world.sb.amazon.control.setPiiRole(false);
		try {
			const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'SOAP-OLIVE-3PK', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
			const strict = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } }));
			expect(strict.created).toEqual([]);
			expect(strict.failed).toHaveLength(1);
			expect(strict.failed[0]).toMatchObject({ amazonOrderId: id, details: { amazonOrderId: id, field: 'shippingAddress', description: expect.stringMatching(/Direct-to-Consumer Shipping/) } });
			expect(String(strict.failed[0].error)).toMatch(new RegExp(`Amazon order ${id} has no complete shipping address`));
			expect(ordersFor(world, id)).toHaveLength(0);

			const lenient = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 }, createOptions: { shippingAddress: 'ifAvailable' } }));
			expect(lenient.created[0]).toMatchObject({ created: true, amazonOrderId: id });
			const order = ordersFor(world, id)[0] as IDataObject;
			// Without the role Amazon sends only the coarse part of the address.
			expect(order.shippingAddress).toMatchObject({ address1: null, name: null, city: expect.any(String), provinceCode: expect.any(String), countryCodeV2: 'US' });
			expect(lenient.created[0].warnings).toEqual(expect.arrayContaining([expect.stringMatching(/incomplete shipping address/)]));
		} finally {
			world.sb.amazon.control.setPiiRole(true);
		}
	});

	it('"Omit (No Personal Data)" never stores the address or the buyer', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'SOAP-OLIVE-3PK', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
		const r = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 }, createOptions: { shippingAddress: 'omit' } }));
		expect(r.created[0]).toMatchObject({ created: true });
		expect(ordersFor(world, id)[0]).toMatchObject({ shippingAddress: null, customerId: null, email: null });
	});

	it('refuses bad input with an error naming the order and the field: Pending, totals that differ, unsupported currency, more than 250 lines', async () => {
		const created = minutesAgo(20);
		const [pending] = seed(world, [{ marketplace: 'US', status: 'PENDING', items: [{ sku: 'MUG-CAFE-CREME-4' }], createdTime: created, lastUpdatedTime: created }]);
		const byId = await runCreate(world, [{ amazonOrderId: pending }], { source: 'orderId', amazonOrderId: '={{ $json.amazonOrderId }}' }, { continueOnFail: true });
		expect(byId.out[0]).toMatchObject({ details: { amazonOrderId: pending, field: 'status' } });
		expect(String(byId.out[0].error)).toMatch(new RegExp(`${pending}: the order is Pending`));

		const portland = { addressLine1: '742 Evergreen Terrace', city: 'Portland', stateOrRegion: 'OR', postalCode: '97205', tax: 0 };
		const [good] = seed(world, [{ marketplace: 'US', address: portland, items: [{ sku: 'MUG-CAFE-CREME-4' }], lastUpdatedTime: minutesAgo(30) }]);
		const [item] = await triggerItems(world);
		expect(item.amazonOrderId).toBe(good);
		const tampered = { ...item, totals: { ...(item.totals as IDataObject), grandTotal: '25.50' } };
		const mismatch = await runCreate(world, [tampered], {}, { continueOnFail: true });
		expect(mismatch.out[0]).toMatchObject({ details: { amazonOrderId: good, field: 'totals' } });
		expect(String(mismatch.out[0].error)).toMatch(new RegExp(`Amazon order ${good}: the Shopify order would total USD 24.99 but Amazon's total is USD 25.50 \\(difference USD -0.51\\)`));

		const currency = await runCreate(world, [{ ...item, currency: 'ABC' }], {}, { continueOnFail: true });
		expect(currency.out[0]).toMatchObject({ details: { amazonOrderId: good, field: 'currency' } });
		expect(ordersFor(world, good)).toHaveLength(0);

		const many = Array.from({ length: 251 }, (_, i) => ({ sku: `MANY-${i}`, quantity: 1, unitPrice: '1.00' }));
		const [big] = seed(world, [{ marketplace: 'US', items: many, lastUpdatedTime: minutesAgo(30) }]);
		const tooMany = await runCreate(world, [{ amazonOrderId: big }], { source: 'orderId', amazonOrderId: '={{ $json.amazonOrderId }}' }, { continueOnFail: true });
		expect(tooMany.out[0]).toMatchObject({ details: { amazonOrderId: big, field: 'items' } });
		expect(String(tooMany.out[0].error)).toMatch(/251 items, more than the 250 line items Shopify accepts/);
		expect(ordersFor(world, big)).toHaveLength(0);
	});

	it('upserts a customer only when asked (anonymised buyer e-mail), never notifying anyone', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'NOTEBOOK-A5-DOT', quantity: 1, unitPrice: '14.99' }], lastUpdatedTime: minutesAgo(30) }]);
		const r = await runCreate(world, [world.sb.amazon.control.getOrder(id)], { options: { customer: 'fromBuyerEmail' } });
		expect(r.out[0]).toMatchObject({ created: true });
		const order = ordersFor(world, id)[0] as IDataObject;
		expect(order.customerId).toEqual(expect.any(String));
		expect(String(order.email)).toMatch(/@marketplace\.amazon\.com$/);
	});
});

describe('Create Shopify Order on a development store (5 orders a minute)', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ devStore: true });
	});
	afterAll(async () => world.sb.stop());
	beforeEach(() => {
		world.sb.amazon.control.reset();
		resetShopCache();
		// A fresh minute for each test, for the sandbox (the node's own count was just reset).
		world.sb.shopify.control.advanceTime(120_000);
	});
	afterEach(() => useClock());

	it('"Wait" (default): waits for the next minute instead of failing; all orders are created once', async () => {
		const clock = new WaitingClock(Date.now());
		useClock(clock);
		const before = shopifyOrders(world).length;
		const ids = seed(
			world,
			Array.from({ length: 7 }, (_, i) => ({ marketplace: 'US', items: [{ sku: 'PUZZLE-1000-FJORD', quantity: 1 + i }], lastUpdatedTime: minutesAgo(30) })),
		);
		const r = await runCreate(world, ids.map((id) => world.sb.amazon.control.getOrder(id)));
		expect(r.error?.message).toBeUndefined();
		expect(r.out.map((o) => o.created)).toEqual(Array(7).fill(true));
		expect(shopifyOrders(world).length - before).toBe(7);
		// The sixth order waited for the minute to pass.
		expect(clock.sleeps.some((ms) => ms >= 59_000)).toBe(true);
	});

	it('"Fail": the sixth order in a minute fails and says why', async () => {
		// Time stands still for the node: the sixth create falls in the same minute, always.
		useClock(new FakeClock(Date.now()));
		const ids = seed(
			world,
			Array.from({ length: 6 }, () => ({ marketplace: 'US', items: [{ sku: 'SPICE-SET-12', quantity: 1 }], lastUpdatedTime: minutesAgo(30) })),
		);
		const r = await runCreate(world, ids.map((id) => world.sb.amazon.control.getOrder(id)), { options: { devStoreLimit: 'fail' } }, { continueOnFail: true });
		expect(r.out.slice(0, 5).map((o) => o.created)).toEqual(Array(5).fill(true));
		expect(r.out[5]).toMatchObject({ details: { amazonOrderId: ids[5], field: 'orderCreate' } });
		expect(String(r.out[5].error)).toMatch(/at most 5 new orders per minute/);
		expect(ordersFor(world, ids[5])).toHaveLength(0);
	});
});
