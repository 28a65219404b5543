/**
 * Shopify refunds and cancellations -> Amazon, through the shopify-refunds-to-amazon template
 * (Check Refund Eligibility -> Sync Refund, notification branch) in the real n8n engine against
 * the sandbox. Assertions are on the sandbox's state: Amazon feeds and their messages, Amazon's
 * refunds and cancellations, the Shopify ledger metafield, tags, notes and notifications.
 */
import { printReport } from '../bench/print';
import { runWorkflow } from '../harness/engine';
import { CHECK, NOTIFY, RefundWorld, SYNC, allOut, out, runError } from './refund.helpers';
import type { AnyJson } from './refund.helpers';

jest.setTimeout(120_000);

describe('Shopify refunds and cancellations to Amazon', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(31);
	});

	afterAll(async () => {
		await world.stop();
	});

	afterEach(() => {
		expect(world.customerNotifications()).toEqual([]);
	});

	it('a partial refund of one item of a shipped order: one adjustment, Principal + Tax of that item', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'MUG-1', quantity: 2, unitPrice: '20.00', shipping: '5.00', taxRate: 0.08 }, { sku: 'CAP-1', quantity: 1, unitPrice: '10.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'MUG-1', quantity: 1 }], note: 'Customer return' });
		const feedsBefore = world.feeds().length;

		const started = performance.now();
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		const elapsedMs = performance.now() - started;
		expect(runError(run)).toBeUndefined();
		const scale = world.sb.amazon.control.state().clockScale as number;
		// Reported, not asserted. The sandbox runs `scale` times faster than the wall clock.
		printReport([
			`[refund timing] event -> Check -> Sync -> Amazon's confirmed result: ${elapsedMs.toFixed(0)} ms real = ${((elapsedMs * scale) / 1000).toFixed(0)} s on the sandbox clock (x${scale}; feed processing 120 s of it; batch window 0, getFeed every 20 ms)`,
		]);

		const [decision] = out(run, CHECK, 0);
		expect(decision).toMatchObject({ eligible: true, reasonCode: 'ELIGIBLE', path: 'refund', action: 'paymentAdjustment', adjustmentReason: 'CustomerReturn' });
		const mugItem = imported.lines.find((l) => l.sku === 'MUG-1')?.orderItemId as string;
		expect(decision.amounts.items).toEqual([expect.objectContaining({ orderItemId: mugItem, components: { Principal: 2000, Tax: 160 }, total: 2160 })]);

		const [synced] = out(run, SYNC, 0);
		expect(synced).toMatchObject({ status: 'succeeded', matchedBy: 'response', messageId: 1, amazonOrderId, totalFormatted: 'USD 21.60' });
		const feeds = world.feeds();
		expect(feeds).toHaveLength(feedsBefore + 1);
		const feed = feeds[feeds.length - 1];
		expect(feed).toMatchObject({ feedId: synced.feedId, feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', status: 'DONE', summary: { processed: 1, successful: 1 } });

		// Amazon refunded exactly that item, by component.
		const events = world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund');
		expect(events).toHaveLength(1);
		expect(events[0].items).toEqual([expect.objectContaining({ orderItemId: mugItem })]);

		const ledger = world.ledger(imported.shopifyOrderId);
		expect(ledger.entries).toEqual([
			expect.objectContaining({ dir: 'out', key: `refund:${refund.id}`, status: 'succeeded', feedId: synced.feedId, messageId: 1, feedDocumentId: feed.inputFeedDocumentId, total: 2160 }),
		]);
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).not.toContain('amazon-refund-failed');
		expect(allOut(run, NOTIFY)).toEqual([]);
	});
});

describe('refund paths and refusals', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(32);
	});

	afterAll(async () => {
		await world.stop();
	});

	afterEach(() => {
		expect(world.customerNotifications()).toEqual([]);
	});

	it('a refund of shipping only: Shipping + ShippingTax, spread over the items by their shipping', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'BAG-1', quantity: 1, unitPrice: '30.00', shipping: '6.00', taxRate: 0.1 }, { sku: 'BAG-2', quantity: 1, unitPrice: '15.00', shipping: '3.00', taxRate: 0.1 }] });
		const imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { shippingAmount: '9.00' });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(runError(run)).toBeUndefined();
		const [decision] = out(run, CHECK, 0);
		const byItem = Object.fromEntries(decision.amounts.items.map((i: AnyJson) => [i.sku, i.components]));
		expect(byItem).toEqual({ 'BAG-1': { Shipping: 600, ShippingTax: 60 }, 'BAG-2': { Shipping: 300, ShippingTax: 30 } });
		const [synced] = out(run, SYNC, 0);
		expect(synced).toMatchObject({ status: 'succeeded', totalFormatted: 'USD 9.90' });
		const xml = world.uploadedDocuments().pop() as string;
		expect(xml).toContain('<Type>Shipping</Type>');
		expect(xml).toContain('<Amount currency="USD">6.00</Amount>');
		expect(xml).not.toContain('<Type>Principal</Type>');
	});

	it('a full cancellation with a refund above 0: one OrderAcknowledgement Failure, even for both events', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'UNSHIPPED', items: [{ sku: 'LAMP-1', quantity: 2, unitPrice: '25.00', shipping: '5.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		const cancelled = world.cancelInShopify(imported.shopifyOrderId, { reason: 'customer', refund: true });
		const feedsBefore = world.feeds().length;
		// Shopify sends orders/cancelled and refunds/create for one cancellation with a refund.
		const run = await world.runEvents([world.cancelEvent(imported), world.refundEvent(imported, cancelled.refund.id)]);
		expect(runError(run)).toBeUndefined();
		const decisions = out(run, CHECK, 0);
		expect(decisions).toHaveLength(2);
		expect(decisions[0]).toMatchObject({ eligible: true, path: 'cancel', action: 'fullCancellation', feedType: 'POST_ORDER_ACKNOWLEDGEMENT_DATA', cancelReason: 'BuyerCanceled', ledgerKey: `cancel:${imported.shopifyOrderId}` });
		// The refund of the same cancellation is recognised as the same Amazon cancellation.
		expect(decisions[1]).toMatchObject({ eligible: true, path: 'cancel', action: 'resume', ledgerKey: `cancel:${imported.shopifyOrderId}` });
		const results = out(run, SYNC, 0);
		expect(results.map((r: AnyJson) => r.status).sort()).toEqual(['duplicate', 'succeeded']);
		expect(world.feeds()).toHaveLength(feedsBefore + 1);
		const feed = world.feeds().pop();
		expect(feed).toMatchObject({ feedType: 'POST_ORDER_ACKNOWLEDGEMENT_DATA', summary: { processed: 1, successful: 1 } });
		const xml = world.uploadedDocuments().pop() as string;
		expect(xml).toContain('<StatusCode>Failure</StatusCode>');
		expect(xml).toContain('<CancelReason>BuyerCanceled</CancelReason>');
		expect(world.amazonOrder(amazonOrderId).fulfillment.fulfillmentStatus).toBe('CANCELLED');
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ key: `cancel:${imported.shopifyOrderId}`, path: 'cancel', status: 'succeeded', items: [expect.objectContaining({ quantityCancelled: 2 })] })]);
	});

	it('a cancellation with a refund of 0 is refused, flagged on the order and notified', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'UNSHIPPED', items: [{ sku: 'DESK-1', quantity: 1, unitPrice: '80.00' }] });
		const imported = await world.importToShopify(amazonOrderId);
		world.cancelInShopify(imported.shopifyOrderId, { reason: 'other', refund: false });
		const feedsBefore = world.feeds().length;
		const run = await world.runEvents([world.cancelEvent(imported)]);
		expect(runError(run)).toBeUndefined();
		const [refused] = out(run, CHECK, 1);
		expect(refused).toMatchObject({ eligible: false, reasonCode: 'CANCEL_WITHOUT_REFUND', notifyMerchant: true, flaggedOnShopifyOrder: true });
		expect(refused.message).toContain('needs a Shopify refund above USD 0.00');
		expect(world.feeds()).toHaveLength(feedsBefore);
		expect(world.amazonOrder(amazonOrderId).fulfillment.fulfillmentStatus).toBe('UNSHIPPED');
		const order = world.shopifyOrder(imported.shopifyOrderId);
		expect(order.tags).toContain('amazon-refund-failed');
		expect(order.note).toContain(`[amazon-refund cancel:${imported.shopifyOrderId}]`);
		expect(allOut(run, NOTIFY)).toEqual([expect.objectContaining({ reasonCode: 'CANCEL_WITHOUT_REFUND' })]);
	});

	it('a refund already made on Amazon is refused with a notice, nothing is sent', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'SHOE-1', quantity: 1, unitPrice: '60.00', taxRate: 0.05 }] });
		const imported = await world.importToShopify(amazonOrderId);
		world.sb.amazon.control.refundOnAmazon(amazonOrderId);
		world.advanceAmazon();
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'SHOE-1', quantity: 1 }] });
		const feedsBefore = world.feeds().length;
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		const [refused] = out(run, CHECK, 1);
		expect(refused).toMatchObject({ reasonCode: 'ALREADY_REFUNDED_ON_AMAZON', notifyMerchant: true, alreadyRefunded: { total: 6300 } });
		expect(refused.message).toContain('same amount');
		expect(world.feeds()).toHaveLength(feedsBefore);
		expect(world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).toContain('amazon-refund-failed');
		expect(allOut(run, NOTIFY)).toEqual([expect.objectContaining({ reasonCode: 'ALREADY_REFUNDED_ON_AMAZON' })]);
	});

	it('a refund of more than what is left on Amazon is refused', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'TENT-1', quantity: 2, unitPrice: '50.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		// Amazon already gave back 15.00 of the tent's price, and the record workflow brought it into Shopify.
		const item = imported.lines[0].orderItemId;
		world.sb.amazon.control.refundOnAmazon(amazonOrderId, [{ orderItemId: item, amounts: { Principal: '15.00' } }]);
		world.advanceAmazon();
		const recorded = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { recordSource: 'input', order: amazonOrderId } }));
		expect(out(recorded, 'Record Amazon Refunds', 0)).toEqual([expect.objectContaining({ status: 'recorded', total: 1500 })]);
		// Now the merchant refunds both tents in Shopify: Amazon has only 108.00 - 15.00 left.
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'TENT-1', quantity: 2 }] });
		const feedsBefore = world.feeds().length;
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		const [refused] = out(run, CHECK, 1);
		expect(refused).toMatchObject({ reasonCode: 'MORE_THAN_REFUNDABLE', notifyMerchant: true });
		expect(refused.message).toContain('USD 93.00');
		expect(world.feeds()).toHaveLength(feedsBefore);
		expect(allOut(run, NOTIFY)).toEqual([expect.objectContaining({ reasonCode: 'MORE_THAN_REFUNDABLE' })]);
	});

	it('a partial cancellation of an unshipped order: QuantityCancelled for the units, no money', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'UNSHIPPED', items: [{ sku: 'PLATE-1', quantity: 3, unitPrice: '10.00', taxRate: 0.08 }, { sku: 'BOWL-1', quantity: 1, unitPrice: '12.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'PLATE-1', quantity: 2, restockType: 'CANCEL' }] });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(runError(run)).toBeUndefined();
		const [decision] = out(run, CHECK, 0);
		expect(decision).toMatchObject({ eligible: true, path: 'cancel', action: 'partialCancellation', feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', adjustmentReason: 'NoInventory', amounts: { total: 0, cancelledValueTotal: 2160 } });
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
		const xml = world.uploadedDocuments().pop() as string;
		expect(xml).toContain('<QuantityCancelled>2</QuantityCancelled>');
		expect(xml).not.toContain('<ItemPriceAdjustments>');
		const plate = world.amazonOrder(amazonOrderId).orderItems.find((i: AnyJson) => i.product.sellerSku === 'PLATE-1');
		expect(plate.fulfillment.quantityUnfulfilled).toBe(1);
		expect(world.amazonOrder(amazonOrderId).fulfillment.fulfillmentStatus).toBe('UNSHIPPED');
		expect(world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(0);
	});

	it('an FBA order is refused (Amazon handles its refunds) and nothing is sent', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', fulfilledBy: 'AMAZON', items: [{ sku: 'FBA-1', quantity: 1, unitPrice: '10.00' }] });
		const imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'FBA-1', quantity: 1 }] });
		const getOrderCalls = world.amazonCalls('getOrder');
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(out(run, CHECK, 1)).toEqual([expect.objectContaining({ reasonCode: 'FBA_ORDER', notifyMerchant: true })]);
		// Decided from the Shopify linkage alone: no Amazon call was spent on it.
		expect(world.amazonCalls('getOrder')).toBe(getOrderCalls);
	});

	it('JPY: amounts without decimals end to end', async () => {
		const amazonOrderId = world.seedAmazon({ marketplace: 'JP', status: 'SHIPPED', items: [{ sku: 'TEA-1', quantity: 3, unitPrice: '1650', shipping: '550' }] });
		const imported = await world.importToShopify(amazonOrderId);
		expect(imported.currency).toBe('JPY');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'TEA-1', quantity: 1 }] });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(runError(run)).toBeUndefined();
		const [decision] = out(run, CHECK, 0);
		expect(decision).toMatchObject({ eligible: true, currency: 'JPY', amounts: { total: 1650, totalFormatted: 'JPY 1650' } });
		expect(decision.amounts.items[0].components).toEqual({ Principal: 1500, Tax: 150 });
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'succeeded', currency: 'JPY', total: 1650 })]);
		const xml = world.uploadedDocuments().pop() as string;
		expect(xml).toContain('<Amount currency="JPY">1500</Amount>');
		expect(xml).toContain('<Amount currency="JPY">150</Amount>');
	});

	it('EUR (prices include VAT): the Shopify money split by Amazon\'s own Principal/Tax', async () => {
		const amazonOrderId = world.seedAmazon({ marketplace: 'DE', status: 'SHIPPED', items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: '23.80', shipping: '4.76' }] });
		const imported = await world.importToShopify(amazonOrderId);
		expect(imported.currency).toBe('EUR');
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'BOOK-1', quantity: 1 }], shippingAmount: '4.76' });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)]);
		expect(runError(run)).toBeUndefined();
		const [decision] = out(run, CHECK, 0);
		expect(decision).toMatchObject({ eligible: true, currency: 'EUR', amounts: { total: 2856, totalFormatted: 'EUR 28.56' } });
		expect(decision.amounts.items[0].components).toEqual({ Principal: 2000, Shipping: 400, Tax: 380, ShippingTax: 76 });
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'succeeded', currency: 'EUR' })]);
		expect(world.uploadedDocuments().pop()).toContain('<Amount currency="EUR">20.00</Amount>');
	});
});

describe('through real Shopify webhooks (the template as shipped)', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(33);
	});

	afterAll(async () => {
		await world.stop();
	});

	it('refund and cancellation webhooks reach Amazon once each; a duplicate delivery changes nothing', async () => {
		const workflow = world.refundsWorkflow({ id: 'wf-refunds' });
		await world.activateWebhooks(workflow);
		const shipped = await world.importToShopify(world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'WH-1', quantity: 2, unitPrice: '15.00', taxRate: 0.08 }] }));
		const unshipped = await world.importToShopify(world.seedAmazon({ status: 'UNSHIPPED', items: [{ sku: 'WH-2', quantity: 1, unitPrice: '22.00' }] }));
		const feedsBefore = world.feeds().length;

		const refund = world.refundInShopify(shipped.shopifyOrderId, { lines: [{ sku: 'WH-1', quantity: 1 }] });
		world.cancelInShopify(unshipped.shopifyOrderId, { reason: 'customer', refund: true });
		await world.settleWebhooks();
		const refundDelivery = world.sb.shopify.control.webhooks.deliveries().find((d: AnyJson) => d.topic === 'refunds/create' && String(d.payload.admin_graphql_api_id) === refund.id);
		world.sb.shopify.control.deliverDuplicate(refundDelivery.deliveryId);
		await world.settleWebhooks();

		const synced = world.webhookRuns.flatMap((run) => out(run, SYNC, 0));
		expect(synced.filter((r: AnyJson) => r.status === 'succeeded').map((r: AnyJson) => r.amazonOrderId).sort()).toEqual([shipped.amazonOrderId, unshipped.amazonOrderId].sort());
		const feeds = world.feeds().slice(feedsBefore);
		expect(feeds.map((f: AnyJson) => f.feedType).sort()).toEqual(['POST_ORDER_ACKNOWLEDGEMENT_DATA', 'POST_PAYMENT_ADJUSTMENT_DATA']);
		expect(feeds.reduce((n: number, f: AnyJson) => n + f.summary.processed, 0)).toBe(2);
		expect(world.amazonOrder(unshipped.amazonOrderId).fulfillment.fulfillmentStatus).toBe('CANCELLED');
		expect(world.financialEvents(shipped.amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
		expect(world.customerNotifications()).toEqual([]);
	});
});

describe('explicit fields (no Shopify refund event)', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(34);
	});

	afterAll(async () => {
		await world.stop();
	});

	function syncWithFields(parameters: Record<string, unknown>) {
		return {
			id: 'fields',
			name: 'fields',
			active: false,
			nodes: [
				{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 's',
					name: SYNC,
					type: 'n8n-nodes-amazon-shopify.syncRefund',
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'shopifyRefund', operation: 'sendToAmazon', inputMode: 'fields', options: { pollEverySeconds: 0.02, batchWindowSeconds: 0 }, ...parameters },
					credentials: { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } },
				},
			],
			connections: { Manual: { main: [[{ node: SYNC, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		} as never;
	}

	it('a return by SKU and quantity, keyed by its reference: checked inline, sent once', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'RMA-A', quantity: 2, unitPrice: '30.00', taxRate: 0.1 }] });
		await world.importToShopify(amazonOrderId);
		const workflow = syncWithFields({ order: amazonOrderId, requestType: 'refund', items: { item: [{ item: 'RMA-A', quantity: 1 }] }, reference: 'RMA-1001', options: { pollEverySeconds: 0.02, batchWindowSeconds: 0, adjustmentReason: 'CustomerReturn' } });
		const { run } = await runWorkflow(workflow, world.engine);
		expect(runError(run)).toBeUndefined();
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'succeeded', ledgerKey: 'manual:RMA-1001', total: 3300, adjustmentReason: 'CustomerReturn' })]);
		const again = await runWorkflow(workflow, world.engine);
		expect(out(again.run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'skipped', reasonCode: 'ALREADY_SYNCED', notifyMerchant: false })]);
		expect(world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
	});
});
