import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { orderGid } from '../../../shared/linkage';
import type { Decision } from '../../../shared/refunds/eligibility';
import { TAG_REFUND_PENDING } from '../../../shared/refunds/flags';
import type { OutEntry } from '../../../shared/refunds/ledger';
import { openOutEntries } from '../../../shared/refunds/ledger';
import { readLedgers } from '../../../shared/refunds/ledgerStore';
import { submitRefunds } from '../../../shared/refunds/submit';
import type { SyncContext, WaitOptions } from '../shared';
import { outcomeJson, submitOptions, waitOptionProperties } from '../shared';

const show = { resource: ['shopifyRefund'], operation: ['updatePending'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Orders',
		name: 'pendingSource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Orders Tagged Pending', value: 'tagged', description: `Shopify orders tagged "${TAG_REFUND_PENDING}" (set while Amazon has not answered)` },
			{ name: 'From Input', value: 'input', description: 'The Shopify order of each input item' },
		],
		default: 'tagged',
	},
	{
		displayName: 'Shopify Order ID',
		name: 'shopifyOrderId',
		type: 'string',
		displayOptions: { show: { ...show, pendingSource: ['input'] } },
		default: '={{ $json.shopifyOrderId }}',
		description: 'GID or numeric ID of the Shopify order',
	},
	{
		displayName: 'Max Orders',
		name: 'maxOrders',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 250 },
		displayOptions: { show: { ...show, pendingSource: ['tagged'] } },
		default: 50,
		description: 'Max number of tagged orders to look at in one run',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: waitOptionProperties(),
	},
];

/** A resume decision for an open ledger entry: Sync never re-sends it blindly. */
export function resumeDecision(orderId: string, orderName: string | undefined, entry: OutEntry): Decision {
	return {
		eligible: true,
		reasonCode: 'ELIGIBLE',
		reason: 'Eligible',
		message: `Finishing an earlier submission (${entry.status}).`,
		notifyMerchant: false,
		path: entry.path === 'refund' ? 'refund' : 'cancel',
		action: 'resume',
		feedType: entry.feedType as Decision['feedType'],
		ledgerKey: entry.key,
		request: entry.shopifyRefundId ? { kind: 'refund', source: 'shopifyRefund', shopifyRefundId: entry.shopifyRefundId } : { kind: 'cancellation', source: 'shopifyCancellation' },
		shopifyOrderId: orderId,
		shopifyOrderName: orderName,
		shopifyRefundId: entry.shopifyRefundId,
		amazonOrderId: entry.amazonOrderId,
		marketplaceId: entry.marketplaceId,
		currency: entry.currency,
		financesMayLag: false,
		warnings: [],
	};
}

export async function execute(this: IExecuteFunctions, ctx: SyncContext): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const source = this.getNodeParameter('pendingSource', 0, 'tagged') as string;
	const options = this.getNodeParameter('options', 0, {}) as WaitOptions;
	const shopify = await ctx.shopify();
	const orderIds: Array<{ id: string; item: number }> = [];
	if (source === 'tagged') {
		const first = Number(this.getNodeParameter('maxOrders', 0, 50));
		const data = await shopify.run<{ orders: { nodes: Array<{ id: string }> } }>('OrderIdsByQuery', { query: `tag:'${TAG_REFUND_PENDING}' status:any`, first });
		for (const node of data.orders.nodes) orderIds.push({ id: node.id, item: 0 });
	} else {
		for (let i = 0; i < items.length; i++) {
			const value = String(this.getNodeParameter('shopifyOrderId', i, '') ?? '').trim();
			if (value) orderIds.push({ id: orderGid(value), item: i });
		}
	}
	const done: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	if (!orderIds.length) return [done, failed];
	const ledgers = await readLedgers(shopify, orderIds.map((o) => o.id));
	const decisions: Array<{ item: number; decision: Decision }> = [];
	for (const { id, item } of orderIds) {
		const stored = ledgers.get(id);
		if (!stored) continue;
		for (const entry of openOutEntries(stored.ledger)) decisions.push({ item, decision: resumeDecision(id, stored.orderName, entry) });
	}
	if (!decisions.length) {
		for (const { id, item } of orderIds) done.push({ json: { status: 'upToDate', shopifyOrderId: id, message: 'No open submission on this order.' } as IDataObject, pairedItem: { item } });
		return [done, failed];
	}
	const outcomes = await submitRefunds(await ctx.amazon(), shopify, decisions.map((d) => d.decision), submitOptions(options, ctx.clock));
	outcomes.forEach((outcome, n) => {
		const item: INodeExecutionData = { json: outcomeJson(outcome), pairedItem: { item: decisions[n].item } };
		(outcome.status === 'failed' ? failed : done).push(item);
	});
	return [done, failed];
}
