import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isAmazonOrderId, orderGid } from '../../../shared/linkage';
import type { FinancesSource } from '../../../shared/refunds/context';
import type { RecordOutcome } from '../../../shared/refunds/recordAmazonRefunds';
import { AmazonRefundRecorder, amazonOrdersWithRecentRefunds } from '../../../shared/refunds/recordAmazonRefunds';
import type { RestockChoice } from '../../../shared/refunds/record';
import { RequestInputError } from '../../../shared/refunds/parameters';
import { settle } from '../../../shared/refunds/settle';
import { describeRefundError } from '../../../shared/refunds/errors';
import type { SyncContext } from '../shared';
import { failedItem } from '../shared';

const show = { resource: ['amazonRefund'], operation: ['recordInShopify'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Find Refunds In',
		name: 'recordSource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Recent Amazon Finances', value: 'recent', description: 'Every order with a refund posted on Amazon in the look-back window (for a Schedule Trigger)' },
			{ name: 'Orders From Input', value: 'input', description: 'The order of each input item, for example from the Amazon Order Trigger; also records cancellations made on Amazon' },
		],
		default: 'recent',
	},
	{
		displayName: 'Order',
		name: 'order',
		type: 'string',
		displayOptions: { show: { ...show, recordSource: ['input'] } },
		default: '={{ $json.amazonOrderId }}',
		description: 'Amazon order ID, or Shopify order ID/GID of a linked order',
	},
	{
		displayName: 'Look Back (Days)',
		name: 'lookbackDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 180 },
		displayOptions: { show: { ...show, recordSource: ['recent'] } },
		default: 3,
		description: 'Amazon finances can lag 48 hours, so look back at least 3 days; refunds already recorded are skipped',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Cancel Orders Canceled on Amazon',
				name: 'cancelOrders',
				type: 'boolean',
				default: true,
				description: 'Whether a Shopify order whose Amazon order was canceled (by the buyer or Amazon) is canceled too: restocked, payment given back on the manual Amazon gateway (no money moves), customer not notified',
			},
			{
				displayName: 'Finances Source',
				name: 'financesSource',
				type: 'options',
				options: [
					{ name: 'Automatic', value: 'auto' },
					{ name: 'Finances V0 Only', value: 'financesV0' },
					{ name: 'Finances 2024-06-19 Only', value: 'transactions' },
				],
				default: 'auto',
			},
			{
				displayName: 'Flag Failures on the Shopify Order',
				name: 'flagFailures',
				type: 'boolean',
				default: true,
				description: 'Whether an Amazon refund Shopify refuses to record tags the order "amazon-refund-failed" and adds a staff note',
			},
			{
				displayName: 'Include FBA Orders',
				name: 'includeFba',
				type: 'boolean',
				default: false,
				description: 'Whether refunds of orders fulfilled by Amazon are recorded too',
			},
			{
				displayName: 'Location ID',
				name: 'locationId',
				type: 'string',
				default: '',
				placeholder: 'gid://shopify/Location/1',
				description: 'Where returned units are restocked (with Return to Stock)',
			},
			{
				displayName: 'Marketplace ID',
				name: 'marketplaceId',
				type: 'string',
				default: '',
				description: 'Limit Recent Amazon Finances to one marketplace of the credential\'s region. Leave empty for US merchant-fulfilled orders (Amazon omits them when a marketplace is given).',
				displayOptions: { show: { '/recordSource': ['recent'] } },
			},
			{
				displayName: 'Output Orders Without New Refunds',
				name: 'outputUpToDate',
				type: 'boolean',
				default: false,
				description: 'Whether orders with nothing new to record produce an item ("upToDate")',
			},
			{
				displayName: 'Restock',
				name: 'restockType',
				type: 'options',
				options: [
					{ name: 'No Restock', value: 'NO_RESTOCK', description: 'Amazon returns often go to Amazon or are not resellable' },
					{ name: 'Return to Stock', value: 'RETURN', description: 'Refunded units go back to stock at the location below' },
				],
				default: 'NO_RESTOCK',
			},
		],
	},
];

interface RecordOptionsRaw {
	cancelOrders?: boolean;
	restockType?: RestockChoice;
	locationId?: string;
	includeFba?: boolean;
	marketplaceId?: string;
	outputUpToDate?: boolean;
	financesSource?: FinancesSource;
	flagFailures?: boolean;
}

const DAY = 24 * 3600 * 1000;
/** Amazon needs postedBefore at least 2 minutes before now. */
const SAFETY_MS = 3 * 60 * 1000;

function outcomeJson(outcome: RecordOutcome): IDataObject {
	return { ...(outcome as unknown as IDataObject), notifyMerchant: outcome.status === 'failed' };
}

export async function execute(this: IExecuteFunctions, ctx: SyncContext): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const source = this.getNodeParameter('recordSource', 0, 'recent') as string;
	const options = this.getNodeParameter('options', 0, {}) as RecordOptionsRaw;
	const recorder = new AmazonRefundRecorder(await ctx.amazon(), await ctx.shopify(), {
		restockType: options.restockType,
		locationId: options.locationId || undefined,
		includeFba: options.includeFba === true,
		financesSource: options.financesSource,
		flagFailures: options.flagFailures !== false,
		cancelOrders: options.cancelOrders !== false,
		now: () => ctx.clock.now(),
	});
	const targets: Array<{ item: number; target: { amazonOrderId?: string; shopifyOrderId?: string } }> = [];
	if (source === 'recent') {
		const days = Number(this.getNodeParameter('lookbackDays', 0, 3));
		const until = ctx.clock.now() - SAFETY_MS;
		const amazon = await ctx.amazon();
		const marketplaceId = options.marketplaceId?.trim() || undefined;
		if (marketplaceId) amazon.assertMarketplaces([marketplaceId]);
		const ids = await amazonOrdersWithRecentRefunds(amazon, until - days * DAY, until, marketplaceId);
		for (const amazonOrderId of ids) targets.push({ item: 0, target: { amazonOrderId } });
	} else {
		for (let i = 0; i < items.length; i++) {
			const value = String(this.getNodeParameter('order', i, '') ?? '').trim();
			if (!value) throw new RequestInputError(`Item ${i}: Order is empty`, 'Map the Amazon order ID (for example {{ $json.amazonOrderId }}) or a Shopify order ID.');
			targets.push({ item: i, target: isAmazonOrderId(value) ? { amazonOrderId: value } : { shopifyOrderId: orderGid(value) } });
		}
	}
	const done: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	for (const { item, target } of targets) {
		const recorded = await settle(async () => await recorder.recordOrder(target));
		if (!recorded.ok) {
			if (!this.continueOnFail()) throw recorded.error;
			const failure = describeRefundError(recorded.error);
			failed.push(failedItem(this.getNode(), { ...failure, amazonOrderId: target.amazonOrderId }, item, { ...target }));
			continue;
		}
		for (const outcome of recorded.value) {
			if (outcome.status === 'upToDate' && !options.outputUpToDate) continue;
			(outcome.status === 'failed' ? failed : done).push({ json: outcomeJson(outcome), pairedItem: { item } });
		}
	}
	return [done, failed];
}
