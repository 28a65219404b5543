/**
 * Sync Refund and Check Refund Eligibility options and failure routing, in the real n8n engine
 * against the sandbox: failure items reach the error output under "Continue (using error output)",
 * the reason overrides apply to Check's decisions, "Max Wait for Feed Budget" caps the wait before
 * createFeed (the refund stays claimed, unsent, and a later run sends it once), and marketplace
 * parameters are checked against the credential's region before any call.
 */
import type { IDataObject, INodeProperties, IWorkflowBase } from 'n8n-workflow';

import { CheckRefundEligibility } from '../../nodes/CheckRefundEligibility/CheckRefundEligibility.node';
import { SyncRefund } from '../../nodes/SyncRefund/SyncRefund.node';
import { amazonPartnerKey } from '../../nodes/shared/transport/amazon/client';
import { bucketFor, resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { realClock } from '../../nodes/shared/transport/clock';
import { itemsOf, runWorkflow } from '../harness/engine';
import { sandboxCredentialStore } from '../harness/pack';
import { CHECK, RefundWorld, SYNC, out, runError } from './refund.helpers';
import type { AnyJson, Imported } from './refund.helpers';

jest.setTimeout(120_000);

/** Manual Trigger -> one node of the pack, with both credentials and an On Error setting. */
function single(type: 'checkRefundEligibility' | 'syncRefund', name: string, parameters: IDataObject, onError?: string): IWorkflowBase {
	return {
		id: `single-${name}`,
		name,
		active: false,
		nodes: [
			{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n',
				name,
				type: `n8n-nodes-amazon-shopify.${type}`,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } },
				...(onError ? { onError } : {}),
			},
		],
		connections: { Manual: { main: [[{ node: name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

function optionsOf(properties: INodeProperties[], show: Record<string, string>): INodeProperties[] {
	const collection = properties.find(
		(p) => p.name === 'options' && Object.entries(show).every(([key, value]) => (p.displayOptions?.show?.[key] as string[] | undefined)?.includes(value)),
	);
	return (collection?.options ?? []) as INodeProperties[];
}

describe('failure items on the error output', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(51);
	});

	afterAll(async () => {
		await world.stop();
	});

	it('Check Refund Eligibility: a failed item goes to the error output, with details, merged with the input', async () => {
		const workflow = single('checkRefundEligibility', CHECK, { resource: 'refund', operation: 'check', inputMode: 'event' }, 'continueErrorOutput');
		const { run } = await runWorkflow(workflow, world.engine, { triggerItems: [{ json: { note: 'not an event' } }] });
		expect(runError(run)).toBeUndefined();
		expect(itemsOf(run, CHECK, 0)).toEqual([]);
		expect(itemsOf(run, CHECK, 1)).toEqual([]);
		const errors = itemsOf(run, CHECK, 2);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({ note: 'not an event', error: expect.stringContaining('Shopify order'), details: { description: expect.stringContaining('Shopify Order Events Trigger') } });
		expect(errors[0].pairedItem).toEqual({ item: 0 });

		// Plain "Continue": the same item on Eligible.
		const regular = single('checkRefundEligibility', CHECK, { resource: 'refund', operation: 'check', inputMode: 'event' }, 'continueRegularOutput');
		const second = await runWorkflow(regular, world.engine, { triggerItems: [{ json: { note: 'not an event' } }] });
		expect(itemsOf(second.run, CHECK, 0).map((i) => i.json)).toEqual([{ error: expect.any(String), details: { description: expect.any(String) } }]);
	});

	it('Sync Refund: a failed item goes to the error output; under plain Continue it is a Failed item', async () => {
		const parameters = { resource: 'shopifyRefund', operation: 'sendToAmazon', inputMode: 'decision', options: {} };
		const input = [{ json: { foo: 1 } }, { json: { error: 'Check failed', details: { description: 'Do this' } } }];
		const { run } = await runWorkflow(single('syncRefund', SYNC, parameters, 'continueErrorOutput'), world.engine, { triggerItems: input });
		expect(runError(run)).toBeUndefined();
		expect(itemsOf(run, SYNC, 0)).toEqual([]);
		expect(itemsOf(run, SYNC, 1)).toEqual([]);
		const errors = itemsOf(run, SYNC, 2).map((i) => i.json as AnyJson);
		expect(errors).toHaveLength(2);
		expect(errors[0]).toMatchObject({ foo: 1, error: 'This item is not a decision of Check Refund Eligibility', details: { status: 'failed', notifyMerchant: true, description: expect.stringContaining('Eligible output') } });
		expect(errors[1]).toMatchObject({ error: 'Check failed', details: { status: 'failed', description: 'Do this' } });

		const regular = await runWorkflow(single('syncRefund', SYNC, parameters, 'continueRegularOutput'), world.engine, { triggerItems: input });
		const failed = itemsOf(regular.run, SYNC, 1).map((i) => i.json as AnyJson);
		expect(failed).toEqual([
			expect.objectContaining({ status: 'failed', notifyMerchant: true, error: 'This item is not a decision of Check Refund Eligibility', message: 'This item is not a decision of Check Refund Eligibility' }),
			expect.objectContaining({ status: 'failed', notifyMerchant: true, error: 'Check failed', details: { description: 'Do this' } }),
		]);
	});
});

describe('reason overrides on decisions of Check Refund Eligibility', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(52);
	});

	afterAll(async () => {
		await world.stop();
	});

	it('Adjustment Reason on Sync Refund replaces the decision\'s reason in the feed and the ledger', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'OVR-1', quantity: 2, unitPrice: '20.00', taxRate: 0.08 }] });
		const imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'OVR-1', quantity: 1 }] });
		const run = await world.runEvents([world.refundEvent(imported, refund.id)], world.refundsWorkflow({ sync: { adjustmentReason: 'PriceError' } }));
		expect(runError(run)).toBeUndefined();
		expect(out(run, CHECK, 0)).toEqual([expect.objectContaining({ action: 'paymentAdjustment', adjustmentReason: 'GeneralAdjustment' })]);
		const [synced] = out(run, SYNC, 0);
		expect(synced).toMatchObject({ status: 'succeeded', adjustmentReason: 'PriceError' });
		expect(synced.warnings).toEqual(expect.arrayContaining([expect.stringContaining('PriceError set on this node')]));
		expect(world.uploadedDocuments().pop()).toContain('<AdjustmentReason>PriceError</AdjustmentReason>');
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'succeeded', reason: 'PriceError' })]);
	});

	it('Cancel Reason on Sync Refund replaces the decision\'s reason of a whole-order cancellation', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'UNSHIPPED', items: [{ sku: 'OVR-2', quantity: 1, unitPrice: '30.00' }] });
		const imported = await world.importToShopify(amazonOrderId);
		world.cancelInShopify(imported.shopifyOrderId, { reason: 'customer', refund: true });
		const run = await world.runEvents([world.cancelEvent(imported)], world.refundsWorkflow({ sync: { cancelReason: 'NoInventory' } }));
		expect(runError(run)).toBeUndefined();
		expect(out(run, CHECK, 0)).toEqual([expect.objectContaining({ action: 'fullCancellation', cancelReason: 'BuyerCanceled' })]);
		expect(out(run, SYNC, 0)).toEqual([expect.objectContaining({ status: 'succeeded', cancelReason: 'NoInventory' })]);
		expect(world.uploadedDocuments().pop()).toContain('<CancelReason>NoInventory</CancelReason>');
	});

	it('Finances Source and Retry Refused Submissions are hidden for decisions; reasons have readable labels', () => {
		const sync = optionsOf(new SyncRefund().description.properties, { operation: 'sendToAmazon' });
		for (const name of ['financesSource', 'retryFailed']) {
			expect(sync.find((p) => p.name === name)?.displayOptions).toEqual({ hide: { '/inputMode': ['decision'] } });
		}
		for (const name of ['adjustmentReason', 'cancelReason']) expect(sync.find((p) => p.name === name)?.displayOptions).toBeUndefined();
		const check = optionsOf(new CheckRefundEligibility().description.properties, { operation: 'check' });
		const labels = (check.find((p) => p.name === 'adjustmentReason')?.options ?? []).map((o) => (o as { name: string }).name);
		expect(labels).toEqual(expect.arrayContaining(['Product Out of Stock', 'Risk Assessment Information Not Valid', 'Customer Return']));
		expect(labels.join('|')).not.toMatch(/Outof/);
	});

	it('Record in Shopify: Marketplace ID is shown only for Recent Amazon Finances', () => {
		const record = optionsOf(new SyncRefund().description.properties, { operation: 'recordInShopify' });
		expect(record.find((p) => p.name === 'marketplaceId')?.displayOptions).toEqual({ show: { '/recordSource': ['recent'] } });
	});

	it('Record in Shopify: a marketplace of another region fails before any call', async () => {
		const before = world.amazonCalls('listTransactions');
		const run = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'record', record: { options: { marketplaceId: 'A1PA6795UKMFR9' } } }));
		expect(runError(run)).toMatch(/Marketplace Germany \(A1PA6795UKMFR9\) belongs to the Europe region/);
		expect(world.amazonCalls('listTransactions')).toBe(before);
	});
});

describe('Max Wait for Feed Budget caps the wait before createFeed', () => {
	let world: RefundWorld;

	beforeAll(async () => {
		world = await RefundWorld.start(53);
	});

	afterAll(async () => {
		resetAmazonBuckets();
		await world.stop();
	});

	/** Empties this seller's createFeed bucket, as if 15 feeds had just been sent (refills in ~2 min). */
	function spendCreateFeedBudget(): void {
		// A fresh bucket at Amazon's documented rate (the sandbox's faster rate is adopted on the first answer).
		resetAmazonBuckets();
		const key = amazonPartnerKey(sandboxCredentialStore(world.sb).amazonSellingPartnerApi);
		bucketFor(key, 'createFeed', realClock).drain(Date.now());
	}

	it('an empty budget: "pending", nothing sent, the claim stays; a later run sends it once', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'BUDGET-1', quantity: 2, unitPrice: '15.00' }] });
		const imported: Imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'BUDGET-1', quantity: 1 }] });
		const workflow = world.refundsWorkflow({ sync: { feedBudgetWaitMinutes: 1 } });
		spendCreateFeedBudget();

		const run = await world.runEvents([world.refundEvent(imported, refund.id)], workflow);
		expect(runError(run)).toBeUndefined();
		expect(out(run, SYNC, 1)).toEqual([]);
		const [pending] = out(run, SYNC, 0);
		expect(pending).toMatchObject({ status: 'pending', notifyMerchant: false, feedId: null, ledgerKey: `refund:${refund.id}` });
		expect(pending.message).toMatch(/^Not sent yet: Amazon's createFeed budget is empty/);
		expect(world.amazonCalls('createFeed')).toBe(0);
		expect(world.feeds()).toEqual([]);
		expect(world.ledger(imported.shopifyOrderId).entries).toEqual([expect.objectContaining({ status: 'pending', deferredUntil: expect.any(String), attempts: 0 })]);
		expect((world.ledger(imported.shopifyOrderId).entries[0] as AnyJson).feedId).toBeUndefined();
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).toContain('amazon-refund-pending');

		// A replay while the budget is still empty: the open claim is recognised, still nothing sent.
		const replay = await world.runEvents([world.refundEvent(imported, refund.id, 'again')], workflow);
		expect(out(replay, CHECK, 0)).toEqual([expect.objectContaining({ action: 'resume', message: expect.stringContaining('not sent yet') })]);
		expect(out(replay, SYNC, 0)).toEqual([expect.objectContaining({ status: 'pending' })]);
		expect(world.amazonCalls('createFeed')).toBe(0);

		// The budget is back: Update Pending Results claims it again and sends it, once.
		resetAmazonBuckets();
		const later = await world.runSchedule(world.amazonRefundsWorkflow({ only: 'pending' }));
		expect(out(later, 'Update Pending Results', 0)).toEqual([expect.objectContaining({ status: 'succeeded', ledgerKey: `refund:${refund.id}` })]);
		expect(world.amazonCalls('createFeed')).toBe(1);
		expect(world.feeds()).toHaveLength(1);
		expect(world.feeds()[0].summary).toMatchObject({ processed: 1, successful: 1 });
		const [entry] = world.ledger(imported.shopifyOrderId).entries as AnyJson[];
		expect(entry).toMatchObject({ status: 'succeeded', attempts: 1, messageCount: 1 });
		expect(entry.deferredUntil).toBeUndefined();
		expect(world.shopifyOrder(imported.shopifyOrderId).tags).not.toContain('amazon-refund-pending');

		// Any later replay: already synced, nothing sent again.
		const last = await world.runEvents([world.refundEvent(imported, refund.id, 'third')], workflow);
		expect(out(last, CHECK, 1)).toEqual([expect.objectContaining({ reasonCode: 'ALREADY_SYNCED' })]);
		expect(world.amazonCalls('createFeed')).toBe(1);
		expect(world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
	});

	it('concurrent runs resuming the same deferred refund send it once', async () => {
		const amazonOrderId = world.seedAmazon({ status: 'SHIPPED', items: [{ sku: 'BUDGET-2', quantity: 1, unitPrice: '25.00' }] });
		const imported = await world.importToShopify(amazonOrderId);
		const refund = world.refundInShopify(imported.shopifyOrderId, { lines: [{ sku: 'BUDGET-2', quantity: 1 }] });
		// A run that finds the claim taken mid-way looks for a lost feed: keep that look-up short.
		const workflow = world.refundsWorkflow({ sync: { feedBudgetWaitMinutes: 1, lostFeedLookupSeconds: 0.2 } });
		spendCreateFeedBudget();
		const first = await world.runEvents([world.refundEvent(imported, refund.id)], workflow);
		expect(out(first, SYNC, 0)).toEqual([expect.objectContaining({ status: 'pending' })]);
		const createFeedBefore = world.amazonCalls('createFeed');

		resetAmazonBuckets();
		const runs = await Promise.all([
			world.runEvents([world.refundEvent(imported, refund.id, 'a')], workflow),
			world.runSchedule(world.amazonRefundsWorkflow({ only: 'pending', pending: { lostFeedLookupSeconds: 0.2 } })),
		]);
		const statuses = [...out(runs[0], SYNC, 0), ...out(runs[0], SYNC, 1), ...out(runs[1], 'Update Pending Results', 0), ...out(runs[1], 'Update Pending Results', 1)].map((r: AnyJson) => r.status);
		expect(statuses.filter((s) => s === 'succeeded')).toHaveLength(1);
		expect(world.amazonCalls('createFeed')).toBe(createFeedBefore + 1);
		expect(world.financialEvents(amazonOrderId).filter((e: AnyJson) => e.kind === 'refund')).toHaveLength(1);
	});
});
