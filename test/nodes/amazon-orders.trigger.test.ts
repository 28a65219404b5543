/**
 * Amazon Order Trigger in the engine (pollOnce, then the template's Create Shopify Order) against
 * the sandbox: windows, dedupe, Pending orders, late orders, the usage plan and manual mode.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import type { World } from './amazon-orders.helpers';
import { TRIGGER, minutesAgo, ordersFor, seed, startWorld, templateWorkflow, tick, triggerState } from './amazon-orders.helpers';
import { pollOnce } from '../harness/engine';

type Recorded = { operation: string; query: Record<string, string[]>; status: number };

function searches(world: World, since = 0): Recorded[] {
	return world.sb.amazon.control.recordedRequests({ operation: 'searchOrders', since }) as Recorded[];
}

function lastSeq(world: World): number {
	const all = world.sb.amazon.control.recordedRequests({}) as Array<{ seq: number }>;
	return all.length ? all[all.length - 1].seq : 0;
}

/**
 * As if `minutes` had passed since the last poll: moves the persisted cursor, starting point and
 * timestamps back (the sandbox's "now" is the real clock, so time cannot be moved forward there).
 */
function elapsed(staticData: IDataObject, minutes: number): IDataObject {
	const state = triggerState(staticData);
	const back = (iso: unknown) => (typeof iso === 'string' ? new Date(Date.parse(iso) - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);
	const patch: IDataObject = { cursor: back(state.cursor), floor: back(state.floor) };
	if (typeof state.lastReconcileAt === 'number') patch.lastReconcileAt = state.lastReconcileAt - minutes * 60_000;
	return withState(staticData, patch);
}

/** Rewrites the trigger's persisted state. */
function withState(staticData: IDataObject, patch: IDataObject): IDataObject {
	const copy = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	const node = copy[`node:${TRIGGER}`] as IDataObject;
	node.amazonOrders = { ...(node.amazonOrders as IDataObject), ...patch };
	return copy;
}

describe('Amazon Order Trigger', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
	});
	afterAll(async () => world.sb.stop());
	beforeEach(() => {
		world.sb.amazon.control.reset();
		resetAmazonBuckets();
	});

	it('first run "from now" only sets the starting point; orders updated before it are never emitted', async () => {
		const wf = templateWorkflow();
		const [before] = seed(world, [{ marketplace: 'US', items: [{ sku: 'MUG-CAFE-CREME-4' }], lastUpdatedTime: minutesAgo(40) }]);
		const since = lastSeq(world);
		const first = await tick(world, wf);
		expect(first.emitted).toEqual([]);
		expect(searches(world, since)).toHaveLength(0);
		const state = triggerState(first.staticData);
		expect(state.cursor).toBe(state.floor);

		// As if the first poll had happened 30 minutes ago.
		const start = minutesAgo(30);
		const [after] = seed(world, [{ marketplace: 'US', items: [{ sku: 'SOCK-ORSTED-WOOL-M' }], lastUpdatedTime: minutesAgo(20) }]);
		const second = await tick(world, wf, withState(first.staticData, { cursor: start, floor: start }));
		expect(second.emitted.map((o) => o.amazonOrderId)).toEqual([after]);
		expect(ordersFor(world, after)).toHaveLength(1);
		expect(ordersFor(world, before)).toHaveLength(0);
		// The window respected the 2-minute rule and the overlap stopped at the starting point.
		const request = searches(world, since).pop()!;
		expect(request.query.lastUpdatedAfter).toEqual([start]);
		expect(Date.parse(request.query.lastUpdatedBefore[0])).toBeLessThanOrEqual(Date.now() - 2 * 60_000);
		expect(request.query.maxResultsPerPage).toEqual(['100']);
		expect(request.query.includedData[0].split(',')).toEqual(expect.arrayContaining(['PROCEEDS', 'RECIPIENT', 'FULFILLMENT']));
	});

	it('holds a Pending order until Amazon prices it, then emits it once (and it is imported once)', async () => {
		const created = minutesAgo(25);
		const [id] = seed(world, [{ marketplace: 'US', status: 'PENDING', items: [{ sku: 'TEA-MATCHA-WHISK', quantity: 2 }], createdTime: created, lastUpdatedTime: created }]);
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1, event: 'anyUpdate' } });
		const first = await tick(world, wf);
		expect(first.emitted).toEqual([]);
		expect(triggerState(first.staticData).seen).toEqual({});

		world.sb.amazon.control.updateOrder(id, { fulfillmentStatus: 'UNSHIPPED', lastUpdatedTime: minutesAgo(10) });
		const second = await tick(world, wf, elapsed(first.staticData, 9));
		expect(second.emitted).toMatchObject([{ amazonOrderId: id, event: 'new', status: 'UNSHIPPED', pricesAvailable: true }]);
		expect(second.created[0]).toMatchObject({ created: true, totals: { equal: true } });
		const third = await tick(world, wf, elapsed(second.staticData, 5));
		expect(third.emitted).toEqual([]);
		expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('"Emit Without Prices" emits the Pending order, then once more when priced; Create Shopify Order refuses the Pending one', async () => {
		const created = minutesAgo(25);
		const [id] = seed(world, [{ marketplace: 'US', status: 'PENDING', items: [{ sku: 'TEA-MATCHA-WHISK' }], createdTime: created, lastUpdatedTime: created }]);
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1, pendingOrders: 'emit' } });
		const first = await tick(world, wf);
		expect(first.emitted).toMatchObject([{ amazonOrderId: id, event: 'pending', pricesAvailable: false, totals: null }]);
		expect(first.failed[0]).toMatchObject({ details: { amazonOrderId: id, field: 'status' } });
		expect(String(first.failed[0].error)).toMatch(new RegExp(`${id}.*Pending`));
		expect(ordersFor(world, id)).toHaveLength(0);

		world.sb.amazon.control.updateOrder(id, { fulfillmentStatus: 'UNSHIPPED', lastUpdatedTime: minutesAgo(10) });
		const second = await tick(world, wf, elapsed(first.staticData, 9));
		expect(second.emitted).toMatchObject([{ amazonOrderId: id, event: 'new' }]);
		expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('an update after import is emitted once and creates no duplicate', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'BOARD-CUTTING-OAK' }], lastUpdatedTime: minutesAgo(30) }]);
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1, event: 'anyUpdate' } });
		const first = await tick(world, wf);
		expect(first.created[0]).toMatchObject({ created: true, amazonOrderId: id });

		world.sb.amazon.control.updateOrder(id, { buyerCancelRequest: 'Ordered by mistake', lastUpdatedTime: minutesAgo(10) });
		const second = await tick(world, wf, elapsed(first.staticData, 9));
		expect(second.emitted).toMatchObject([{ amazonOrderId: id, event: 'update', cancellation: { requested: true } }]);
		expect(second.created[0]).toMatchObject({ created: false, reason: 'exists', shopifyOrderName: `AMZ-${id}` });
		const third = await tick(world, wf, elapsed(second.staticData, 5));
		expect(third.emitted).toEqual([]);
		expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('two orders in the same second, one only visible in the next window: each emitted and imported once', async () => {
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } });
		const second = minutesAgo(10);
		const [a, b] = seed(world, [
			{ marketplace: 'US', items: [{ sku: 'PUZZLE-1000-FJORD' }], lastUpdatedTime: second },
			{ marketplace: 'US', items: [{ sku: 'SOAP-OLIVE-3PK' }], lastUpdatedTime: second },
		]);
		const first = await tick(world, wf);
		expect(first.emitted.map((o) => o.amazonOrderId).sort()).toEqual([a, b].sort());
		// A third order of the same second that Amazon shows only now.
		const [c] = seed(world, [{ marketplace: 'US', items: [{ sku: 'HOOK-WALL-BRASS-2' }], lastUpdatedTime: second }]);
		const next = await tick(world, wf, elapsed(first.staticData, 5));
		expect(next.emitted.map((o) => o.amazonOrderId)).toEqual([c]);
		const after = await tick(world, wf, elapsed(next.staticData, 5));
		expect(after.emitted).toEqual([]);
		for (const id of [a, b, c]) expect(ordersFor(world, id)).toHaveLength(1);
	});

	it('a late-appearing order (older than the windows already read) is caught by the reconcile window, once', async () => {
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } });
		const [late] = seed(world, [{ marketplace: 'US', items: [{ sku: 'SCARF-CASHMERE-GREY' }], lastUpdatedTime: minutesAgo(90), indexDelayMs: 3_600_000 }]);
		const first = await tick(world, wf);
		expect(first.emitted).toEqual([]);

		world.sb.amazon.control.advanceTime(3_600_000); // Amazon indexes it now, 90 minutes after its last update
		const regular = await tick(world, wf, elapsed(first.staticData, 5));
		expect(regular.emitted).toEqual([]); // outside the overlap of the regular window
		expect(searches(world).pop()!.query.lastUpdatedAfter[0] > minutesAgo(90)).toBe(true);

		const due = withState(regular.staticData, { lastReconcileAt: Date.now() - 7 * 60 * 60 * 1000 });
		const reconcile = await tick(world, wf, due);
		expect(reconcile.emitted.map((o) => o.amazonOrderId)).toEqual([late]);
		expect(reconcile.created[0]).toMatchObject({ created: true, amazonOrderId: late });
		const again = await tick(world, wf, withState(reconcile.staticData, { lastReconcileAt: Date.now() - 7 * 60 * 60 * 1000 }));
		expect(again.emitted).toEqual([]);
		expect(ordersFor(world, late)).toHaveLength(1);
	});

	it('resumes a window in progress with identical parameters, and moves the cursor only when it is done', async () => {
		world.sb.amazon.control.generateOrders(230, { marketplaces: ['US'], statuses: ['UNSHIPPED'], fulfilledBy: 'MERCHANT' });
		const since = lastSeq(world);
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 7 }, triggerOptions: { maxPagesPerPoll: 1 } });
		const emitted: string[] = [];
		let staticData: IDataObject = {};
		const cursors: unknown[] = [];
		for (let poll = 0; poll < 3; poll++) {
			const { result, staticData: after } = await pollOnce(wf, TRIGGER, world.engine, { staticData });
			staticData = JSON.parse(JSON.stringify(after)) as IDataObject;
			emitted.push(...(result?.[0] ?? []).map((i) => String(i.json.amazonOrderId)));
			cursors.push(triggerState(staticData).cursor);
			if (poll < 2) expect((triggerState(staticData).window as IDataObject).paginationToken).toEqual(expect.any(String));
		}
		expect(emitted).toHaveLength(230);
		expect(new Set(emitted).size).toBe(230);
		// The cursor stayed at the backfill start until the last page was emitted.
		expect(cursors[0]).toBe(cursors[1]);
		expect(cursors[2]).not.toBe(cursors[1]);
		expect(triggerState(staticData).window).toBeUndefined();
		const requests = searches(world, since).filter((r) => r.status !== 403);
		expect(requests).toHaveLength(3);
		const key = (r: Recorded) => JSON.stringify([r.query.lastUpdatedAfter, r.query.lastUpdatedBefore, r.query.marketplaceIds, r.query.fulfillmentStatuses, r.query.fulfilledBy]);
		expect(new Set(requests.map(key)).size).toBe(1);
		expect(requests.map((r) => Boolean(r.query.paginationToken))).toEqual([false, true, true]);
		expect(requests.every((r) => r.status === 200)).toBe(true);
	});

	it('a failed page moves nothing: the next poll resumes the same page', async () => {
		world.sb.amazon.control.generateOrders(150, { marketplaces: ['US'], statuses: ['UNSHIPPED'], fulfilledBy: 'MERCHANT' });
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 7, event: 'anyUpdate' }, triggerOptions: { maxPagesPerPoll: 1 } });
		const first = await pollOnce(wf, TRIGGER, world.engine, { staticData: {} });
		const afterFirst = JSON.parse(JSON.stringify(first.staticData)) as IDataObject;
		const token = (triggerState(afterFirst).window as IDataObject).paginationToken;
		expect(first.result?.[0]).toHaveLength(100);

		world.sb.amazon.control.faults.set({ operation: 'searchOrders', kind: '500', count: 3 });
		await expect(pollOnce(wf, TRIGGER, world.engine, { staticData: JSON.parse(JSON.stringify(afterFirst)) as IDataObject })).rejects.toThrow(/searchOrders/);
		world.sb.amazon.control.faults.clear();

		// n8n persists nothing from a failed poll: the saved state still points at page 2.
		const third = await pollOnce(wf, TRIGGER, world.engine, { staticData: afterFirst });
		expect(third.result?.[0]).toHaveLength(50);
		const requests = searches(world).filter((r) => r.status === 200);
		expect(requests.filter((r) => r.query.paginationToken?.[0] === token)).toHaveLength(1);
	});

	it('never exceeds the usage plan, whatever the poll interval: an empty budget skips the poll without calling Amazon', async () => {
		// Amazon's real plan in real time (the sandbox reports it in x-amzn-RateLimit-Limit).
		world.sb.amazon.control.setRateLimit('searchOrders', { rate: 0.0056 / 1000, burst: 20 });
		try {
			world.sb.amazon.control.generateOrders(2300, { marketplaces: ['US'], statuses: ['UNSHIPPED'], fulfilledBy: 'MERCHANT' });
			const since = lastSeq(world);
			const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 7 } });
			let staticData: IDataObject = {};
			let emitted = 0;
			for (let poll = 0; poll < 6; poll++) {
				const { result, staticData: after } = await pollOnce(wf, TRIGGER, world.engine, { staticData });
				staticData = JSON.parse(JSON.stringify(after)) as IDataObject;
				emitted += result?.[0]?.length ?? 0;
			}
			const requests = searches(world, since);
			expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
			expect(requests.filter((r) => r.status === 200)).toHaveLength(20);
			expect(world.sb.amazon.control.stats().throttled?.searchOrders ?? 0).toBe(0);
			expect(emitted).toBe(2000);
			const state = triggerState(staticData);
			expect(state.budget).toMatchObject({ rate: 0.0056, burst: 20 });
			expect((state.budget as IDataObject).tokens).toBeLessThan(1);
			expect((state.window as IDataObject).paginationToken).toEqual(expect.any(String));

			// A restart (a new in-process bucket) does not reset the persisted budget.
			resetAmazonBuckets();
			const sinceRestart = lastSeq(world);
			const restarted = await pollOnce(wf, TRIGGER, world.engine, { staticData });
			expect(restarted.result).toBeNull();
			expect(searches(world, sinceRestart)).toHaveLength(0);
		} finally {
			world.sb.amazon.control.setRateLimit('searchOrders', { rate: 0.0056, burst: 20 });
		}
	});

	it('manual mode ("Fetch test event") returns recent orders and leaves cursor and budget alone', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'GAME-CARD-FAMILY' }], lastUpdatedTime: minutesAgo(15) }]);
		const wf = templateWorkflow();
		const state = { [`node:${TRIGGER}`]: { amazonOrders: { v: 1, cursor: minutesAgo(5), floor: minutesAgo(60), seen: {}, budget: { tokens: 3, at: Date.now(), rate: 0.0056, burst: 20 } } } };
		const before = JSON.stringify(state);
		const { result, staticData } = await pollOnce(wf, TRIGGER, world.engine, { mode: 'manual', staticData: JSON.parse(before) as IDataObject });
		expect((result?.[0] ?? []).map((i) => i.json.amazonOrderId)).toContain(id);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it('a marketplace of another region than the credential fails before any search', async () => {
		const before = searches(world).length;
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1, marketplaceIds: ['A1PA6795UKMFR9'] } });
		await expect(pollOnce(wf, TRIGGER, world.engine, { staticData: {} })).rejects.toThrow(/Marketplace Germany \(A1PA6795UKMFR9\) belongs to the Europe region/);
		expect(searches(world)).toHaveLength(before);
	});

	it('adopts the rate Amazon reports and persists the budget with the cursor', async () => {
		seed(world, [{ marketplace: 'US', items: [{ sku: 'MUG-CAFE-CREME-4' }], lastUpdatedTime: minutesAgo(15) }]);
		const first = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } }));
		const state = triggerState(first.staticData);
		// The sandbox runs 1000x faster and reports its rate accordingly (0.0056 x 1000).
		expect(state.budget).toMatchObject({ rate: 5.6, burst: 20 });
		expect(typeof state.cursor).toBe('string');
	});
});
