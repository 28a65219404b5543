/**
 * Exactly once, batching and Amazon's per-message results: duplicate webhooks, a createFeed whose
 * answer is lost, a feed message Amazon refuses, pending results, a missing Seller ID, and a burst
 * of 20 refunds (printed: feeds per refund and time to a confirmed result on the sandbox clock).
 */
import type { Clock } from '../../nodes/shared/transport/clock';
import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { realClock, useClock } from '../../nodes/shared/transport/clock';
import { resetShopifyBuckets } from '../../nodes/shared/transport/shopify/throttle';
import { printReport } from '../bench/print';
import { CHECK, NOTIFY, RefundWorld, SYNC, allOut, out, runError } from './refund.helpers';
import type { AnyJson, Imported } from './refund.helpers';

jest.setTimeout(180_000);

describe('exactly once', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(41);
	});

	afterAll(async () => {
		useClock();
		await world.stop();
	});

	afterEach(() => {
		world.sb.amazon.control.faults.clear();
		expect(world.customerNotifications()).toEqual([]);
	});

	async function shippedOrder(sku: string, price = '40.00'): Promise<Imported> {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku, quantity: 2, unitPrice: price, taxRate: 0.08 }] });
		return await world.importToShopify(amazonOrderId);
	}

	it('a duplicate refund webhook gives one feed message; a later replay sends nothing', async () => {
		const imported = await shippedOrder('DUP-1');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'DUP-1', quantity: 1 }] });
		const feedsBefore = world.feeds().length;
		// Two deliveries of the same refund (different webhook ids) in one execution.
		const run = await world.runEvents([world.refundEvent(imported, refund.id, 'wh-1'), world.refundEvent(imported, refund.id, 'wh-2')]);
		expect(runError(run)).toBeUndefined();
		expect(out(run, SYNC, 0).map((r: AnyJson) => r.status).sort()).toEqual(['duplicate', 'succeeded']);
		expect(world.feeds()).toHaveLength(feedsBefore + 1);
		expect(world.feeds().pop().summary.processed).toBe(1);

		// The same refund again, in a new execution: already sent, quietly not eligible.
		const replay = await world.runEvents([world.refundEvent(imported, refund.id, 'wh-3')]);
		expect(out(replay, CHECK, 1)).toEqual([expect.objectContaining({ reasonCode: 'ALREADY_SYNCED', notifyMerchant: false })]);
		expect(allOut(replay, NOTIFY)).toEqual([]);
		expect(world.feeds()).toHaveLength(feedsBefore + 1);
		expect(world.financialEvents(imported.amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
	});

	it('duplicate webhooks in concurrent executions: the ledger claim lets one through', async () => {
		const imported = await shippedOrder('DUP-2');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'DUP-2', quantity: 2 }] });
		const feedsBefore = world.feeds().length;
		const workflow = world.refundsWorkflow({ sync: { batchWindowSeconds: 0 } });
		const runs = await Promise.all([world.runEvents([world.refundEvent(imported, refund.id, 'a')], workflow), world.runEvents([world.refundEvent(imported, refund.id, 'b')], workflow)]);
		const statuses = runs.flatMap((run) => [...out(run, SYNC, 0), ...out(run, SYNC, 1), ...out(run, CHECK, 1)].map((r: AnyJson) => r.status ?? r.reasonCode));
		expect(statuses.filter((s) => s === 'succeeded')).toHaveLength(1);
		const sentMessages = world.feeds().slice(feedsBefore).reduce((n: number, f: AnyJson) => n + f.summary.processed, 0);
		expect(sentMessages).toBe(1);
		expect(world.financialEvents(imported.amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
	});

	it('createFeed committed but its answer lost: the feed is found with getFeeds, never sent twice', async () => {
		const imported = await shippedOrder('LOST-1');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'LOST-1', quantity: 1 }] });
		const feedsBefore = world.feeds().length;
		const createFeedCalls = world.amazonCalls('createFeed');
		world.sb.amazon.control.faults.set({ operation: 'createFeed', kind: 'lostResponse', count: 1 });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(runError(run)).toBeUndefined();
		const [synced] = out(run, SYNC, 0);
		expect(synced).toMatchObject({ status: 'succeeded', matchedBy: 'getFeeds' });
		expect(world.amazonCalls('createFeed')).toBe(createFeedCalls + 1);
		expect(world.feeds()).toHaveLength(feedsBefore + 1);
		expect(world.feeds().pop().feedId).toBe(synced.feedId);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'succeeded', feedId: synced.feedId, matchedBy: 'getFeeds' })]);
		const replay = await world.runEvents([world.refundEvent(imported, refund.id, 'again')]);
		expect(out(replay, CHECK, 1)).toEqual([expect.objectContaining({ reasonCode: 'ALREADY_SYNCED' })]);
		expect(world.amazonCalls('createFeed')).toBe(createFeedCalls + 1);
	});

	it('createFeed answer lost and nothing created: "unknown", not re-sent before Resend After, then sent once', async () => {
		const imported = await shippedOrder('LOST-2');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'LOST-2', quantity: 1 }] });
		const feedsBefore = world.feeds().length;
		world.sb.amazon.control.faults.set({ operation: 'createFeed', kind: 'reset', count: 1 });
		const workflow = world.refundsWorkflow({ sync: { lostFeedLookupSeconds: 0.2, resendAfterMinutes: 30 } });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)], workflow);
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'unknown', notifyMerchant: true })]);
		expect(world.feeds()).toHaveLength(feedsBefore);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'unknown', feedDocumentId: expect.any(String) })]);
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).toContain('amazon-refund-pending');

		// A replay right away resumes the open submission: looks again, does not send.
		const replay = await world.runEvents([world.refundEvent(imported, refund.id, 'r2')], workflow);
		expect(out(replay, CHECK, 0)).toEqual([expect.objectContaining({ action: 'resume' })]);
		expect(out(replay, SYNC, 0)).toEqual([expect.objectContaining({ status: 'unknown' })]);
		expect(world.feeds()).toHaveLength(feedsBefore);

		// 31 minutes later the feed still does not exist: it was never created, so it is sent, once.
		const later: Clock = { now: () => Date.now() + 31 * 60 * 1000, sleep: realClock.sleep };
		useClock(later);
		try {
			const pending = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'pending', pending: { lostFeedLookupSeconds: 0.2 } }));
			const finished = out(pending, 'Update Pending Results', 0);
			expect(finished).toEqual([expect.objectContaining({ status: 'succeeded', ledgerKey: `refund:${refund.id}` })]);
		} finally {
			// Back to the real clock: token buckets that saw the later time start afresh.
			useClock();
			resetAmazonBuckets();
			resetShopifyBuckets();
		}
		expect(world.feeds()).toHaveLength(feedsBefore + 1);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 2 })]);
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).not.toContain('amazon-refund-pending');
	});

	it('a feed processing error is reported per message: one refund accepted, the other refused with Amazon\'s words', async () => {
		const first = await shippedOrder('PER-1');
		const second = await shippedOrder('PER-2');
		const r1 = world.refundInShopify(first.shopifyOrderId, { lines: [{ sku: 'PER-1', quantity: 1 }] });
		const r2 = world.refundInShopify(second.shopifyOrderId, { lines: [{ sku: 'PER-2', quantity: 2 }] });
		// Check both; then Amazon refunds the second order in Seller Central before the feed is processed.
		const checked = await world.runEvents([world.refundEvent(first, r1.id), world.refundEvent(second, r2.id)], checkOnly(world));
		const decisions = out(checked, CHECK, 0);
		expect(decisions).toHaveLength(2);
		world.sb.amazon.control.refundOnAmazon(second.amazonOrderId);
		const feedsBefore = world.feeds().length;
		const run = await world.runEvents(decisions, syncOnly(world));
		expect(runError(run)).toBeUndefined();
		expect(world.feeds()).toHaveLength(feedsBefore + 1);
		const feed = world.feeds().pop();
		expect(feed.summary).toMatchObject({ processed: 2, successful: 1 });
		const [done] = out(run, SYNC, 0);
		const [failed] = out(run, SYNC, 1);
		expect(done).toMatchObject({ status: 'succeeded', amazonOrderId: first.amazonOrderId, feedId: feed.feedId });
		expect(failed).toMatchObject({ status: 'failed', amazonOrderId: second.amazonOrderId, feedId: feed.feedId, amazonResultCode: 'Error', amazonMessageCode: '18004', flaggedOnShopifyOrder: true, notifyMerchant: true });
		expect(failed.messageId).not.toBe(done.messageId);
		expect(failed.amazonMessage).toContain('exceeds what remains refundable');
		expect(world.ledger(second.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'failed', resultCode: 'Error' })]);
		const order = world.shopifyOrder(second.shopifyOrderId);
		expect(order.tags).toContain('amazon-refund-failed');
		expect(order.note).toContain('exceeds what remains refundable');
		expect(world.shopifyOrder(first.shopifyOrderId).tags).not.toContain('amazon-refund-failed');
	});

	it('Amazon slower than Max Wait: "pending" and tagged; Update Pending Results reads the result later', async () => {
		const imported = await shippedOrder('SLOW-1');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'SLOW-1', quantity: 1 }] });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)], world.refundsWorkflow({ sync: { maxWaitSeconds: 0 } }));
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'pending' })]);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'submitted' })]);
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).toContain('amazon-refund-pending');
		const later = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'pending' }));
		expect(out(later, 'Update Pending Results', 0)).toEqual([expect.objectContaining({ status: 'succeeded', ledgerKey: `refund:${refund.id}` })]);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'succeeded' })]);
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).not.toContain('amazon-refund-pending');
	});
});

describe('batching and the usage plan', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(42);
	});

	afterAll(async () => {
		await world.stop();
	});

	it('a burst of 20 refunds (20 executions) goes out in one feed', async () => {
		const imported: Imported[] = [];
		for (let i = 0; i < 20; i++) {
			const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: `BURST-${i}`, quantity: 1, unitPrice: '12.00' }] });
			imported.push(await world.importToShopify(amazonOrderId));
		}
		const refunds = imported.map((o, i) => world.refundInShopify(o.shopifyOrderId, { lines: [{ sku: `BURST-${i}`, quantity: 1 }] }));
		const feedsBefore = world.feeds().length;
		const createFeedBefore = world.amazonCalls('createFeed');
		const workflow = world.refundsWorkflow({ sync: { batchWindowSeconds: 1.5 } });
		const started = performance.now();
		const runs = await Promise.all(imported.map((o, i) => world.runEvents([world.refundEvent(o, refunds[i].id)], workflow)));
		const elapsedMs = performance.now() - started;
		for (const run of runs) expect(runError(run)).toBeUndefined();
		const results = runs.flatMap((run) => out(run, SYNC, 0));
		expect(results.filter((r: AnyJson) => r.status === 'succeeded')).toHaveLength(20);
		const feeds = world.feeds().slice(feedsBefore);
		const createFeedCalls = world.amazonCalls('createFeed') - createFeedBefore;
		expect(feeds.reduce((n: number, f: AnyJson) => n + f.summary.processed, 0)).toBe(20);
		expect(feeds.length).toBeLessThanOrEqual(2);
		const clockScale = world.sb.amazon.control.state().clockScale as number;
		// Reported, not asserted: time depends on the machine.
		printReport([
			`[refund burst] 20 refunds in 20 executions -> ${feeds.length} feed(s), ${createFeedCalls} createFeed call(s): ${(feeds.length / 20).toFixed(2)} feeds per refund; ` +
				`time to confirmed result ${elapsedMs.toFixed(0)} ms real = ${((elapsedMs * clockScale) / 1000).toFixed(0)} s on the sandbox clock (x${clockScale}, batch window 1.5 s real)`,
		]);
	});

	it('without a batch window, 20 executions make 20 feeds; past the createFeed burst the usage plan paces them', async () => {
		const imported: Imported[] = [];
		for (let i = 0; i < 20; i++) {
			const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: `SOLO-${i}`, quantity: 1, unitPrice: '12.00' }] });
			imported.push(await world.importToShopify(amazonOrderId));
		}
		const refunds = imported.map((o, i) => world.refundInShopify(o.shopifyOrderId, { lines: [{ sku: `SOLO-${i}`, quantity: 1 }] }));
		const feedsBefore = world.feeds().length;
		const workflow = world.refundsWorkflow({ sync: { batchWindowSeconds: 0 } });
		const started = performance.now();
		const runs = await Promise.all(imported.map((o, i) => world.runEvents([world.refundEvent(o, refunds[i].id)], workflow)));
		const elapsedMs = performance.now() - started;
		expect(runs.flatMap((run) => out(run, SYNC, 0)).filter((r: AnyJson) => r.status === 'succeeded')).toHaveLength(20);
		const feeds = world.feeds().slice(feedsBefore);
		expect(feeds).toHaveLength(20);
		const throttled = world.sb.amazon.control.state().throttled.createFeed ?? 0;
		printReport([`[refund burst, no window] 20 refunds -> ${feeds.length} feeds (1.00 feeds per refund), ${throttled} createFeed 429(s) retried, ${elapsedMs.toFixed(0)} ms real`]);
	});
});

describe('Seller ID', () => {
	it('a credential without Seller ID fails clearly before anything is uploaded or sent', async () => {
		const world = await RefundWorld.start(43, { sellerId: '' });
		try {
			const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'SID-1', quantity: 1, unitPrice: '10.00' }] });
			const imported = await world.importToShopify(amazonOrderId);
			const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'SID-1', quantity: 1 }] });
			const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
			expect(runError(run)).toMatch(/no Seller ID.*Merchant Token/s);
			expect(world.amazonCalls('createFeedDocument')).toBe(0);
			expect(world.amazonCalls('createFeed')).toBe(0);
			expect(world.ledger(imported.shopifyOrderId).entries).toEqual([]);
		} finally {
			await world.stop();
		}
	});
});

/** The template cut after Check Refund Eligibility (to change the world between check and send). */
function checkOnly(world: RefundWorld) {
	const workflow = world.refundsWorkflow({ id: 'check-only' });
	workflow.connections[CHECK] = { main: [[], []] };
	return workflow;
}

/** The template started at Sync Refund with decisions as input. */
function syncOnly(world: RefundWorld) {
	const workflow = world.refundsWorkflow({ id: 'sync-only' });
	workflow.nodes = workflow.nodes.filter((n) => n.name !== 'Shopify Order Events Trigger' && n.name !== CHECK);
	workflow.nodes.push({ id: 'manual', name: 'Shopify Order Events Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });
	workflow.connections = { ...workflow.connections, 'Shopify Order Events Trigger': { main: [[{ node: SYNC, type: 'main' as never, index: 0 }]] } };
	delete workflow.connections[CHECK];
	return workflow;
}
