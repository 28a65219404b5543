/**
 * Order → Find Due to Ship: Amazon merchant-fulfilled orders that are still unshipped on Amazon
 * and whose latest ship date is within the next N hours (or already past), with their state in
 * Shopify. Late confirmations count against the Late Shipment Rate (under 4 %), and Amazon
 * cancels orders left unconfirmed: this is the list to act on before that happens.
 *
 * Calls: searchOrders (one page per 100 orders, Amazon allows about one call per 3 minutes with a
 * burst of 20, so schedule this hourly, not every minute), then one Shopify search per 50 due
 * orders (by sourceIdentifier, which Create Shopify Order sets; the search index may lag seconds).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { findOrdersBySourceIdentifiers } from '../../../shared/linkage';
import { findMarketplace, sellerCentralOrderUrl } from '../../../shared/marketplaces';
import * as amazonApi from '../../../shared/transport/amazon/api';
import type { SpOrder } from '../../../shared/transport/amazon/types';
import type { RunContext } from '../context';

const SHOW = { resource: ['order'], operation: ['findDueToShip'] };

export type ShopifyState = 'notInShopify' | 'unfulfilled' | 'partiallyFulfilled' | 'fulfilledNotConfirmed' | 'cancelledInShopify';

const STATES: Array<{ name: string; value: ShopifyState; description: string }> = [
	{ name: 'Cancelled in Shopify', value: 'cancelledInShopify', description: 'Cancelled in Shopify, not yet on Amazon' },
	{ name: 'Fulfilled in Shopify, Not Confirmed on Amazon', value: 'fulfilledNotConfirmed', description: 'Shipped in Shopify but the confirmation did not reach Amazon' },
	{ name: 'Not in Shopify', value: 'notInShopify', description: 'The Amazon order was never imported' },
	{ name: 'Partially Fulfilled in Shopify', value: 'partiallyFulfilled', description: 'Some items shipped in Shopify' },
	{ name: 'Unfulfilled in Shopify', value: 'unfulfilled', description: 'Nothing shipped in Shopify yet' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Due Within (Hours)',
		name: 'dueWithinHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 24,
		description: 'Orders whose latest ship date is at most this many hours away. Overdue orders are always included.',
		displayOptions: { show: SHOW },
	},
	{
		displayName: 'Shopify States',
		name: 'shopifyStates',
		type: 'multiOptions',
		options: STATES,
		default: ['unfulfilled', 'partiallyFulfilled', 'notInShopify', 'fulfilledNotConfirmed'],
		description: 'Which due orders to return, by their state in Shopify',
		displayOptions: { show: SHOW },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Order', value: 'perOrder' },
			{ name: 'One Summary Item', value: 'summary', description: 'A single item with the list and a ready-to-send text, or nothing when no order is due' },
		],
		default: 'perOrder',
		displayOptions: { show: SHOW },
	},
	{
		displayName: 'Options',
		name: 'dueOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: SHOW },
		options: [
			{
				displayName: 'Look Back (Days)',
				name: 'lookBackDays',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 60 },
				default: 14,
				description: 'Only orders placed in this many days are searched',
			},
			{
				displayName: 'Marketplace IDs',
				name: 'marketplaceIds',
				type: 'string',
				default: '',
				placeholder: 'ATVPDKIKX0DER, A2EUQ1WTGCTBG2',
				description: 'Comma-separated, of the Amazon credential\'s region. Empty: the marketplaces of the Amazon credential.',
			},
		],
	},
];

export interface DueOrder extends IDataObject {
	amazonOrderId: string;
	marketplaceId: string | null;
	purchaseDate: string;
	latestShipDate: string;
	hoursLeft: number;
	overdue: boolean;
	amazonStatus: string;
	unshippedUnits: number;
	shopifyOrder: { id: string; name: string; displayFulfillmentStatus: string | null } | null;
	shopifyState: ShopifyState;
	sellerCentralUrl: string | null;
	message: string;
}

function unshippedUnits(order: SpOrder): number {
	return order.orderItems.reduce((sum, item) => sum + Math.max(0, item.quantityOrdered - (item.fulfillment?.quantityFulfilled ?? 0)), 0);
}

function messageFor(order: DueOrder): string {
	const when = order.overdue ? `was due ${Math.abs(order.hoursLeft)} h ago` : `must ship within ${order.hoursLeft} h`;
	const what: Record<ShopifyState, string> = {
		notInShopify: 'it is not in Shopify',
		unfulfilled: 'it is unfulfilled in Shopify',
		partiallyFulfilled: 'it is partially fulfilled in Shopify',
		fulfilledNotConfirmed: 'it is fulfilled in Shopify but the shipment is not confirmed on Amazon (check the Mark Amazon Fulfilled executions)',
		cancelledInShopify: 'it is cancelled in Shopify but not on Amazon',
	};
	return `Amazon order ${order.amazonOrderId}${order.shopifyOrder ? ` (Shopify ${order.shopifyOrder.name})` : ''} ${when} (latest ship date ${order.latestShipDate}): ${what[order.shopifyState]}.`;
}

export async function execute(this: IExecuteFunctions, i: number, ctx: RunContext): Promise<IDataObject[]> {
	const dueWithinHours = Number(this.getNodeParameter('dueWithinHours', i, 24));
	const states = this.getNodeParameter('shopifyStates', i, []) as ShopifyState[];
	const output = this.getNodeParameter('output', i, 'perOrder') as 'perOrder' | 'summary';
	const options = this.getNodeParameter('dueOptions', i, {}) as { lookBackDays?: number; marketplaceIds?: string };
	const amazon = await ctx.amazon();
	const marketplaceIds = (options.marketplaceIds ?? '').split(',').map((m) => m.trim()).filter(Boolean);
	if (marketplaceIds.length) amazon.assertMarketplaces(marketplaceIds, i);
	const now = ctx.clock.now();
	const lookBackDays = Math.min(Math.max(Number(options.lookBackDays ?? 14), 1), 60);

	const params = {
		createdAfter: new Date(now - lookBackDays * 86_400_000).toISOString(),
		fulfillmentStatuses: ['UNSHIPPED', 'PARTIALLY_SHIPPED'],
		fulfilledBy: ['MERCHANT'],
		marketplaceIds: marketplaceIds.length ? marketplaceIds : amazon.defaultMarketplaceIds,
		includedData: ['FULFILLMENT'],
		maxResultsPerPage: 100,
	};
	const due: SpOrder[] = [];
	let paginationToken: string | undefined;
	do {
		const page = await amazonApi.searchOrders(amazon, { ...params, ...(paginationToken ? { paginationToken } : {}) });
		for (const order of page.orders) {
			const latest = Date.parse(order.fulfillment?.shipByWindow?.latestDateTime ?? '');
			if (!Number.isNaN(latest) && latest - now <= dueWithinHours * 3_600_000) due.push(order);
		}
		paginationToken = page.pagination?.nextToken;
	} while (paginationToken);

	// One Shopify search per 50 due orders: imported orders carry the Amazon order id as sourceIdentifier.
	const linkedOrders = due.length ? await findOrdersBySourceIdentifiers(await ctx.shopify(), due.map((o) => o.orderId)) : new Map();
	const results: DueOrder[] = [];
	for (const order of due) {
		const latest = Date.parse(order.fulfillment?.shipByWindow?.latestDateTime as string);
		const linked = linkedOrders.get(order.orderId);
		const state: ShopifyState = !linked
			? 'notInShopify'
			: linked.cancelledAt
				? 'cancelledInShopify'
				: linked.displayFulfillmentStatus === 'FULFILLED'
					? 'fulfilledNotConfirmed'
					: linked.displayFulfillmentStatus === 'PARTIALLY_FULFILLED'
						? 'partiallyFulfilled'
						: 'unfulfilled';
		if (!states.includes(state)) continue;
		const marketplaceId = order.salesChannel?.marketplaceId ?? null;
		const hoursLeft = Math.round(((latest - now) / 3_600_000) * 10) / 10;
		const item: DueOrder = {
			amazonOrderId: order.orderId,
			marketplaceId,
			purchaseDate: order.createdTime,
			latestShipDate: new Date(latest).toISOString(),
			hoursLeft,
			overdue: latest < now,
			amazonStatus: order.fulfillment?.fulfillmentStatus ?? 'UNKNOWN',
			unshippedUnits: unshippedUnits(order),
			shopifyOrder: linked ? { id: linked.id, name: linked.name, displayFulfillmentStatus: linked.displayFulfillmentStatus ?? null } : null,
			shopifyState: state,
			sellerCentralUrl: marketplaceId && findMarketplace(marketplaceId) ? sellerCentralOrderUrl(marketplaceId, order.orderId) : null,
			message: '',
		};
		item.message = messageFor(item);
		results.push(item);
	}
	results.sort((a, b) => Date.parse(a.latestShipDate) - Date.parse(b.latestShipDate));
	if (output === 'perOrder') return results;
	if (results.length === 0) return [];
	const overdue = results.filter((r) => r.overdue).length;
	return [
		{
			count: results.length,
			overdue,
			dueSoon: results.length - overdue,
			subject: `${results.length} Amazon order${results.length === 1 ? '' : 's'} to ship${overdue ? ` (${overdue} overdue)` : ''}`,
			text: results.map((r) => `- ${r.message}${r.sellerCentralUrl ? ` ${r.sellerCentralUrl}` : ''}`).join('\n'),
			orders: results,
		},
	];
}
