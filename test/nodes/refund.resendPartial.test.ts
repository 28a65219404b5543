/**
 * Exactly once when a lost feed is resent for only some of its refunds.
 *
 * Two orders' refunds go out in ONE feed whose createFeed never reaches Amazon (the sandbox's
 * `reset` fault: the socket is destroyed before anything happens, so no feed is created, and the
 * client cannot tell it from a lost answer: AmazonUnknownOutcome). After Resend After,
 * "Update Pending Results" is run From Input for ONE order only. Its refund must go out in a new
 * document holding only its own message: reusing the lost document would send the other order's
 * refund too, without its ledger knowing, and that refund would later be sent a second time.
 */
import type { IWorkflowBase } from 'n8n-workflow';

import type { OutEntry } from '../../nodes/shared/refunds/ledger';
import type { Clock } from '../../nodes/shared/transport/clock';
import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { realClock, useClock } from '../../nodes/shared/transport/clock';
import { resetShopifyBuckets } from '../../nodes/shared/transport/shopify/throttle';
import { runWorkflow } from '../harness/engine';
import { RefundWorld, SYNC, out, runError } from './refund.helpers';
import type { AnyJson, Imported } from './refund.helpers';

jest.setTimeout(180_000);

const PENDING = 'Update Pending Results';
const RESEND_AFTER_MINUTES = 30;

interface SentMessage {
	feedId: string;
	feedDocumentId: string;
	messageId: number;
	amazonOrderId: string;
}

describe('resending a lost feed for some of its refunds', () => {
	let world: RefundWorld;
	/** Time the nodes see: the real clock plus what the test lets pass (no real waiting). */
	let passedMs = 0;
	const clock: Clock = { now: () => Date.now() + passedMs, sleep: realClock.sleep };

	/** Time passes for the nodes (transport clock) and for the Amazon sandbox (its durations). */
	function letTimePass(ms: number): void {
		passedMs += ms;
		world.advanceAmazon(ms);
	}

	beforeAll(async () => {
		world = await RefundWorld.start(61);
		useClock(clock);
	});

	afterAll(async () => {
		// Back to the real clock: token buckets that saw the later time start afresh.
		useClock();
		resetAmazonBuckets();
		resetShopifyBuckets();
		await world.stop();
	});

	afterEach(() => {
		world.sb.amazon.control.faults.clear();
		expect(world.customerNotifications()).toEqual([]);
	});

	async function shippedOrder(sku: string): Promise<Imported> {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku, quantity: 2, unitPrice: '40.00', taxRate: 0.08 }] });
		return await world.importToShopify(amazonOrderId);
	}

	/** Every XML document uploaded to Amazon, by feedDocumentId (from the pre-signed PUT's path). */
	function uploadedById(): Map<string, string> {
		const docs = new Map<string, string>();
		for (const request of world.sb.amazon.control.recordedRequests({ operation: 'uploadFeedDocument' }) as AnyJson[]) {
			docs.set(decodeURIComponent(String(request.path).replace(/^\/_uploads\//, '')), String(request.body ?? ''));
		}
		return docs;
	}

	function messagesIn(xml: string): Array<{ messageId: number; amazonOrderId: string }> {
		return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) => ({
			messageId: Number(/<MessageID>(\d+)<\/MessageID>/.exec(m[1])?.[1]),
			amazonOrderId: String(/<AmazonOrderID>([^<]+)<\/AmazonOrderID>/.exec(m[1])?.[1]),
		}));
	}

	/** Every message of every feed Amazon created (sandbox state), read from the feed's input document. */
	function sentMessages(): SentMessage[] {
		const docs = uploadedById();
		return (world.sb.amazon.control.state().feeds as AnyJson[]).flatMap((feed) => {
			const xml = docs.get(feed.inputFeedDocumentId);
			if (xml === undefined) throw new Error(`feed ${feed.feedId}: its input document ${feed.inputFeedDocumentId} was never uploaded`);
			return messagesIn(xml).map((m) => ({ feedId: feed.feedId as string, feedDocumentId: feed.inputFeedDocumentId as string, ...m }));
		});
	}

	function messagesFor(amazonOrderId: string): SentMessage[] {
		return sentMessages().filter((m) => m.amazonOrderId === amazonOrderId);
	}

	function refundEventsOnAmazon(amazonOrderId: string): AnyJson[] {
		return world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund');
	}

	function outEntries(imported: Imported): OutEntry[] {
		return world.ledger(imported.shopifyOrderId).entries.filter((e): e is OutEntry => e.dir === 'out');
	}

	/** The Amazon refunds template's "Update Pending Results", Orders = From Input (Shopify order id). */
	function pendingFromInput(): IWorkflowBase {
		const workflow = world.amazonRefundsWorkflow({ only: 'pending', pending: { lostFeedLookupSeconds: 0.2, resendAfterMinutes: RESEND_AFTER_MINUTES } });
		const node = workflow.nodes.find((n) => n.name === PENDING);
		if (!node) throw new Error(`the template has no "${PENDING}" node`);
		Object.assign(node.parameters, { pendingSource: 'input', shopifyOrderId: '={{ $json.shopifyOrderId }}' });
		return workflow;
	}

	async function updatePendingFor(orders: Imported[]) {
		const { run } = await runWorkflow(pendingFromInput(), world.engine, {
			mode: 'trigger',
			startNode: 'Every Hour',
			triggerItems: orders.map((o) => ({ json: { shopifyOrderId: o.shopifyOrderId } })),
		});
		return run;
	}

	it('Update Pending Results for one order resends only its refund; the other order\'s refund is sent later, once', async () => {
		const a = await shippedOrder('PART-A');
		const b = await shippedOrder('PART-B');
		const refundA = world.refundInShopify(a.shopifyOrderId, { lines: [{ sku: 'PART-A', quantity: 1 }] });
		const refundB = world.refundInShopify(b.shopifyOrderId, { lines: [{ sku: 'PART-B', quantity: 2 }] });
		const createFeedBefore = world.amazonCalls('createFeed');
		expect(sentMessages()).toEqual([]);

		// 1. Both refunds in one execution -> one document, one createFeed, which never reaches Amazon.
		world.sb.amazon.control.faults.set({ operation: 'createFeed', kind: 'reset', count: 1 });
		const workflow = world.refundsWorkflow({ sync: { lostFeedLookupSeconds: 0.2, resendAfterMinutes: RESEND_AFTER_MINUTES } });
		const first = await world.runEvents([world.refundEvent(a, refundA.id), world.refundEvent(b, refundB.id)], workflow);
		expect(runError(first)).toBeUndefined();
		expect(out(first, SYNC, 0).map((r: AnyJson) => [r.amazonOrderId, r.status]).sort()).toEqual([[a.amazonOrderId, 'unknown'], [b.amazonOrderId, 'unknown']].sort());
		expect(out(first, SYNC, 1)).toEqual([]);
		expect(world.amazonCalls('createFeed')).toBe(createFeedBefore + 1);
		expect(world.sb.amazon.control.state().feeds).toEqual([]);

		const [lostA] = outEntries(a);
		const [lostB] = outEntries(b);
		expect(outEntries(a)).toHaveLength(1);
		expect(outEntries(b)).toHaveLength(1);
		expect(lostA).toMatchObject({ key: `refund:${refundA.id}`, status: 'unknown', messageCount: 2, attempts: 1 });
		expect(lostB).toMatchObject({ key: `refund:${refundB.id}`, status: 'unknown', messageCount: 2, attempts: 1 });
		expect(lostA.feedId).toBeUndefined();
		expect(lostB.feedId).toBeUndefined();
		// One lost document carrying both orders' messages.
		const lostDocumentId = lostA.feedDocumentId as string;
		expect(lostB.feedDocumentId).toBe(lostDocumentId);
		expect(messagesIn(uploadedById().get(lostDocumentId) as string).map((m) => m.amazonOrderId).sort()).toEqual([a.amazonOrderId, b.amazonOrderId].sort());
		expect(new Set([lostA.messageId, lostB.messageId]).size).toBe(2);
		for (const o of [a, b]) expect(world.shopifyOrder(o.shopifyOrderId).tags).toContain('amazon-refund-pending');

		// 2. Later than Resend After, the feed still does not exist: Update Pending Results, From Input, order A only.
		letTimePass((RESEND_AFTER_MINUTES + 1) * 60 * 1000);
		const resumedA = await updatePendingFor([a]);
		expect(runError(resumedA)).toBeUndefined();
		const doneA = out(resumedA, PENDING, 0);
		expect(out(resumedA, PENDING, 1)).toEqual([]);
		expect(doneA).toEqual([expect.objectContaining({ status: 'succeeded', ledgerKey: `refund:${refundA.id}`, amazonOrderId: a.amazonOrderId })]);

		// Amazon received exactly one new feed, holding only A's message, in a new document.
		expect(world.amazonCalls('createFeed')).toBe(createFeedBefore + 2);
		const afterA = sentMessages();
		expect(afterA).toEqual([expect.objectContaining({ amazonOrderId: a.amazonOrderId, messageId: lostA.messageId, feedId: doneA[0].feedId })]);
		expect(afterA[0].feedDocumentId).not.toBe(lostDocumentId);
		expect(world.sb.amazon.control.state().feeds).toEqual([expect.objectContaining({ feedId: doneA[0].feedId, summary: expect.objectContaining({ processed: 1, successful: 1 }) })]);
		expect(refundEventsOnAmazon(a.amazonOrderId)).toHaveLength(1);
		expect(refundEventsOnAmazon(b.amazonOrderId)).toEqual([]);

		expect(outEntries(a)).toEqual([expect.objectContaining({ status: 'succeeded', feedId: doneA[0].feedId, feedDocumentId: afterA[0].feedDocumentId, messageCount: 1, attempts: 2 })]);
		expect(world.shopifyOrder(a.shopifyOrderId).tags).not.toContain('amazon-refund-pending');
		// B was not touched: still open, on the lost document, tagged pending, and nothing of it reached Amazon.
		expect(outEntries(b)).toEqual([lostB]);
		expect(world.shopifyOrder(b.shopifyOrderId).tags).toContain('amazon-refund-pending');

		// 3. B is resumed later (the template's own way: orders tagged pending). A new document with
		//    only B's message: the lost one would carry A's refund a second time.
		const resumedB = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'pending', pending: { lostFeedLookupSeconds: 0.2, resendAfterMinutes: RESEND_AFTER_MINUTES } }));
		expect(runError(resumedB)).toBeUndefined();
		const doneB = out(resumedB, PENDING, 0);
		expect(out(resumedB, PENDING, 1)).toEqual([]);
		expect(doneB).toEqual([expect.objectContaining({ status: 'succeeded', ledgerKey: `refund:${refundB.id}`, amazonOrderId: b.amazonOrderId })]);
		expect(world.amazonCalls('createFeed')).toBe(createFeedBefore + 3);
		const newForB = sentMessages().filter((m) => !afterA.some((x) => x.feedId === m.feedId));
		expect(newForB).toEqual([expect.objectContaining({ amazonOrderId: b.amazonOrderId, messageId: lostB.messageId, feedId: doneB[0].feedId })]);
		expect(newForB[0].feedDocumentId).not.toBe(lostDocumentId);
		expect(outEntries(b)).toEqual([expect.objectContaining({ status: 'succeeded', feedId: doneB[0].feedId, feedDocumentId: newForB[0].feedDocumentId, messageCount: 1, attempts: 2 })]);

		// 4. Nothing is open any more: another round sends nothing.
		const again = await updatePendingFor([a, b]);
		expect(runError(again)).toBeUndefined();
		expect(out(again, PENDING, 0).map((r: AnyJson) => r.status)).toEqual(['upToDate', 'upToDate']);
		expect(world.amazonCalls('createFeed')).toBe(createFeedBefore + 3);

		// In the end: each order's adjustment reached Amazon exactly once, across all feeds...
		for (const o of [a, b]) expect(messagesFor(o.amazonOrderId)).toHaveLength(1);
		expect(sentMessages()).toHaveLength(2);
		expect(world.sb.amazon.control.state().feeds).toHaveLength(2);
		for (const o of [a, b]) expect(refundEventsOnAmazon(o.amazonOrderId)).toHaveLength(1);
		// ...and each ledger says so once: one out entry, succeeded, pointing at the feed that carried it.
		for (const [o, refund] of [[a, refundA], [b, refundB]] as const) {
			const entries = outEntries(o);
			expect(entries).toEqual([expect.objectContaining({ key: `refund:${refund.id}`, status: 'succeeded' })]);
			expect(entries[0].feedId).toBe(messagesFor(o.amazonOrderId)[0].feedId);
			expect(world.shopifyOrder(o.shopifyOrderId).tags).not.toContain('amazon-refund-pending');
			expect(world.shopifyOrder(o.shopifyOrderId).tags).not.toContain('amazon-refund-failed');
		}
	});
});
