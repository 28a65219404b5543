/**
 * Refunds made on Amazon, recorded in Shopify (Sync Refund > Amazon Refund > Record in Shopify,
 * through the amazon-refunds-to-shopify template), and loop protection between the two directions.
 */
import { CHECK, RefundWorld, SYNC, out, runError } from './refund.helpers';
import type { AnyJson, Imported } from './refund.helpers';

jest.setTimeout(120_000);

const RECORD = 'Record Amazon Refunds';

describe('Amazon-side refunds recorded in Shopify', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(51);
	});

	afterAll(async () => {
		await world.stop();
	});

	afterEach(() => {
		world.sb.shopify.control.faults.clear();
		expect(world.customerNotifications()).toEqual([]);
	});

	it('records a refund made in Seller Central: no money moved, no notification, once', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'KETTLE-1', quantity: 2, unitPrice: '35.00', shipping: '6.00', taxRate: 0.08 }, { sku: 'CUP-1', quantity: 1, unitPrice: '8.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		const kettle = imported.lines.find((l) => l.sku === 'KETTLE-1') as { orderItemId: string; id: string };
		world.sb.amazon.control.refundOnAmazon(amazonOrderId, [{ orderItemId: kettle.orderItemId, amounts: { Principal: '35.00', Tax: '2.80' } }]);
		// Amazon's finances lag: not visible yet, so nothing is recorded.
		const byOrder = world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId, options: { outputUpToDate: true } } });
		const early = await world.runSchedule(byOrder);
		expect(out(early, RECORD, 0)).toEqual([expect.objectContaining({ status: 'upToDate' })]);
		expect(world.shopifyRefunds(imported.shopifyOrderId)).toHaveLength(0);

		world.advanceAmazon();
		const run = await world.runSchedule(byOrder);
		expect(runError(run)).toBeUndefined();
		const [recorded] = out(run, RECORD, 0);
		expect(recorded).toMatchObject({ status: 'recorded', amazonOrderId, shopifyOrderId: imported.shopifyOrderId, total: 3780, totalFormatted: 'USD 37.80', recordedAs: 'manualGatewayTransaction' });
		const [refund] = world.shopifyRefunds(imported.shopifyOrderId);
		expect(refund.id).toBe(recorded.shopifyRefundId);
		expect(refund.notify).toBe(false);
		expect(refund.note).toContain('[amazon-refund-recorded');
		expect(refund.lineItems).toEqual([expect.objectContaining({ lineItemId: kettle.id, quantity: 1, restockType: 'NO_RESTOCK' })]);
		expect(refund.transactions).toEqual([expect.objectContaining({ kind: 'REFUND', gateway: 'Amazon', amount: expect.objectContaining({ presentment: expect.objectContaining({ amount: '37.80' }) }) })]);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ dir: 'in', status: 'recorded', shopifyRefundId: refund.id, total: 3780 })]);

		// Running again records nothing new.
		const again = await world.runSchedule(byOrder);
		expect(out(again, RECORD, 0)).toEqual([expect.objectContaining({ status: 'upToDate' })]);
		expect(world.shopifyRefunds(imported.shopifyOrderId)).toHaveLength(1);
	});

	it('loop protection: a recorded Amazon refund is never sent back, and a refund sent to Amazon never comes back', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'LOOP-1', quantity: 2, unitPrice: '20.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		// Amazon -> Shopify: record Amazon's refund of one unit.
		world.sb.amazon.control.refundOnAmazon(amazonOrderId, [{ orderItemId: imported.lines[0].orderItemId, amounts: { Principal: '20.00', Tax: '1.60' } }]);
		world.advanceAmazon();
		const recordRun = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId } }));
		const [recorded] = out(recordRun, RECORD, 0);
		expect(recorded.status).toBe('recorded');
		// Shopify then announces that refund (refunds/create): Check Refund Eligibility must not send it to Amazon.
		const feedsBefore = world.feeds().length;
		const echo = await world.runEvents([world.refundEvent(imported, recorded.shopifyRefundId)]);
		expect(out(echo, CHECK, 1)).toEqual([expect.objectContaining({ reasonCode: 'RECORDED_FROM_AMAZON', notifyMerchant: false })]);
		expect(world.feeds()).toHaveLength(feedsBefore);

		// Shopify -> Amazon: the merchant refunds the other unit in Shopify; it is sent to Amazon.
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'LOOP-1', quantity: 1 }] });
		const sent = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(out(sent, SYNC, 0)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
		// Amazon's finances now show two refunds; the record run recognises ours and records nothing.
		world.advanceAmazon();
		expect(world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(2);
		const shopifyRefundsBefore = world.shopifyRefunds(imported.shopifyOrderId).length;
		const back = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId, options: { outputUpToDate: true } } }));
		expect(out(back, RECORD, 0)).toEqual([expect.objectContaining({ status: 'upToDate' })]);
		expect(world.shopifyRefunds(imported.shopifyOrderId)).toHaveLength(shopifyRefundsBefore);
	});

	it('a refund the merchant already mirrored by hand in Shopify is linked, not duplicated', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'MIRROR-1', quantity: 1, unitPrice: '44.00' }] });
		const imported = await world.importToShopify(amazonOrderId);
		world.sb.amazon.control.refundOnAmazon(amazonOrderId);
		world.advanceAmazon();
		const manual = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'MIRROR-1', quantity: 1 }] });
		const run = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId } }));
		expect(out(run, RECORD, 0)).toEqual([expect.objectContaining({ status: 'linked', shopifyRefundId: manual.id })]);
		expect(world.shopifyRefunds(imported.shopifyOrderId)).toHaveLength(1);
		// And the hand-made Shopify refund is not sent to Amazon either.
		const check = await world.runEvents([world.refundEvent(imported, manual.id)]);
		expect(out(check, CHECK, 1)).toEqual([expect.objectContaining({ reasonCode: 'RECORDED_FROM_AMAZON' })]);
	});

	it('refundCreate answer lost: repeated with the same @idempotent key, one Shopify refund', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'IDEM-1', quantity: 1, unitPrice: '18.00' }] });
		const imported = await world.importToShopify(amazonOrderId);
		world.sb.amazon.control.refundOnAmazon(amazonOrderId);
		world.advanceAmazon();
		world.sb.shopify.control.faults.set({ operation: 'refundCreate', kind: 'lostResponse', count: 1 });
		const run = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId } }));
		expect(runError(run)).toBeUndefined();
		expect(out(run, RECORD, 0)).toEqual([expect.objectContaining({ status: 'recorded' })]);
		expect(world.shopifyRefunds(imported.shopifyOrderId)).toHaveLength(1);
		const calls = world.sb.shopify.control.recordedRequests({ operation: 'RefundCreate' }).filter((c: AnyJson) => c.variables?.input?.orderId === imported.shopifyOrderId);
		expect(calls.map((c: AnyJson) => c.fault ?? c.status)).toEqual(['lostResponse', 200]);
		expect(new Set(calls.map((c: AnyJson) => c.variables.idempotencyKey)).size).toBe(1);
	});

	it('an order canceled on Amazon is canceled in Shopify (no money moved, no e-mail), and not sent back', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'UNSHIPPED', items: [{ sku: 'GONE-1', quantity: 2, unitPrice: '16.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		world.sb.amazon.control.updateOrder(amazonOrderId, { fulfillmentStatus: 'CANCELLED', cancelReason: 'BuyerCanceled' });
		const run = await world.runAmazonCancellations([amazonOrderId]);
		expect(runError(run)).toBeUndefined();
		expect(out(run, 'Record Amazon Cancellations', 0)).toEqual([expect.objectContaining({ status: 'recorded', recordedAs: 'orderCancel', amazonRefundKind: 'cancellation' })]);
		const order = world.shopifyOrder(imported.shopifyOrderId);
		expect(order.cancelledAt).toBeTruthy();
		expect(order.cancelReason).toBe('CUSTOMER');
		const [refund] = world.shopifyRefunds(imported.shopifyOrderId);
		expect(refund.transactions).toEqual([expect.objectContaining({ kind: 'REFUND', gateway: 'Amazon' })]);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ dir: 'in', key: `amazon:cancel:${amazonOrderId}`, status: 'recorded' })]);
		// Shopify's orders/cancelled and refunds/create for it are quiet, and nothing goes to Amazon.
		const feedsBefore = world.feeds().length;
		const echo = await world.runEvents([world.cancelEvent(imported), world.refundEvent(imported, refund.id)]);
		expect(out(echo, CHECK, 1).map((d: AnyJson) => [d.reasonCode, d.notifyMerchant])).toEqual([['ALREADY_CANCELED_ON_AMAZON', false], ['ALREADY_CANCELED_ON_AMAZON', false]]);
		expect(world.feeds()).toHaveLength(feedsBefore);
		// Once only.
		const again = await world.runAmazonCancellations([amazonOrderId]);
		expect(out(again, 'Record Amazon Cancellations', 0)).toEqual([]);
	});

	it('JPY and EUR Amazon refunds are recorded in the order currency', async () => {
		for (const [marketplace, sku, price] of [['JP', 'RICE-1', '2200'], ['DE', 'WURST-1', '11.90']] as const) {
			const amazonOrderId = world.seedAmazon({ marketplace, status: 'SHIPPED', items: [{ sku, quantity: 1, unitPrice: price }] });
			const imported = await world.importToShopify(amazonOrderId);
			world.sb.amazon.control.refundOnAmazon(amazonOrderId);
			world.advanceAmazon();
			const run = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId } }));
			const [recorded] = out(run, RECORD, 0);
			expect(recorded).toMatchObject({ status: 'recorded', currency: imported.currency });
			const [refund] = world.shopifyRefunds(imported.shopifyOrderId);
			expect(refund.transactions[0].amount.presentment).toMatchObject({ amount: price, currencyCode: imported.currency });
		}
	});
});

describe('finding Amazon refunds in recent finances (the schedule template as shipped)', () => {
	it('finds orders with refunds posted in the look-back window and records each once', async () => {
		const world = await RefundWorld.start(52);
		try {
			const ids = [world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'RECENT-1', quantity: 1, unitPrice: '9.00' }] }), world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'RECENT-2', quantity: 1, unitPrice: '7.00' }] })];
			const imported: Imported[] = [];
			for (const id of ids) imported.push(await world.importToShopify(id));
			for (const id of ids) world.sb.amazon.control.refundOnAmazon(id);
			world.advanceAmazon();
			// Finances only answer for postings at least 2 minutes old, and the sandbox cannot back-date a
			// refund: let the wall clock (shared by the sandbox and the nodes) read 5 minutes later.
			const realNow = Date.now();
			const shifted = jest.spyOn(Date, 'now').mockImplementation(() => realNow + 5 * 60 * 1000);
			let run;
			try {
				run = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record' }));
			} finally {
				shifted.mockRestore();
			}
			expect(runError(run)).toBeUndefined();
			const recorded = out(run, RECORD, 0);
			expect(recorded.map((r: AnyJson) => [r.amazonOrderId, r.status]).sort()).toEqual(ids.map((id) => [id, 'recorded']).sort());
			for (const o of imported) expect(world.shopifyRefunds(o.shopifyOrderId)).toHaveLength(1);
		} finally {
			await world.stop();
		}
	});
});
