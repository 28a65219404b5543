import type { INodeProperties } from 'n8n-workflow';

import { MARKETPLACES } from '../shared/marketplaces';

const marketplaceOptions = [...MARKETPLACES]
	.sort((a, b) => a.name.localeCompare(b.name))
	.map((m) => ({ name: `${m.name} (${m.countryCode})`, value: m.id }));

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Amazon allows about one order search every 3 minutes (burst 20). This trigger keeps its own budget and skips a poll instead of exceeding it, whatever the poll interval; every 5 minutes is a good setting.',
		name: 'usageNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'New Orders',
				value: 'newOrders',
				description:
					'Orders ready to ship (Unshipped or Partially Shipped), each once. Fulfilled-by-Amazon orders are also emitted once Shipped.',
			},
			{
				name: 'Cancellations',
				value: 'cancellations',
				description: 'Orders canceled on Amazon, each once',
			},
			{
				name: 'Any Update',
				value: 'anyUpdate',
				description: 'Every change of an order (each version once): status, shipments, cancellations',
			},
		],
		default: 'newOrders',
	},
	{
		displayName: 'Fulfilled By',
		name: 'fulfilledBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Merchant (MFN)', value: 'merchant', description: 'Orders you ship yourself' },
			{ name: 'Amazon (FBA)', value: 'amazon', description: 'Orders Amazon ships from its warehouses' },
			{ name: 'Both', value: 'both' },
		],
		default: 'both',
	},
	{
		displayName: 'Marketplaces',
		name: 'marketplaceIds',
		type: 'multiOptions',
		options: marketplaceOptions,
		default: [],
		description: 'Leave empty to use the marketplaces of the Amazon credential. They must belong to the credential region.',
	},
	{
		displayName: 'First Run',
		name: 'firstRun',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Start From Now', value: 'now', description: 'The first poll only sets the starting point; orders from then on are emitted' },
			{ name: 'Backfill', value: 'backfill', description: 'The first poll emits the orders of the last days too' },
		],
		default: 'now',
	},
	{
		displayName: 'Backfill Days',
		name: 'backfillDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 730 },
		default: 7,
		displayOptions: { show: { firstRun: ['backfill'] } },
		description: 'How many days back the first poll reads',
	},
	{
		displayName: 'Pending Orders',
		name: 'pendingOrders',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Hold Until Priced',
				value: 'hold',
				description: 'Pending orders have no prices yet; emit them once Amazon prices them (Unshipped)',
			},
			{
				name: 'Emit Without Prices',
				value: 'emit',
				description: 'Also emit Pending orders at once (event "pending", pricesAvailable false); they are emitted again once priced',
			},
		],
		default: 'hold',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Already-Shipped Merchant Orders',
				name: 'includeShipped',
				type: 'boolean',
				default: false,
				description:
					'Whether "New Orders" also emits merchant-fulfilled orders that were shipped before the trigger saw them (for example in a backfill)',
			},
			{
				displayName: 'Include Buyer Personal Data',
				name: 'includePersonalData',
				type: 'boolean',
				default: true,
				description:
					'Whether to include the buyer name, e-mail, street address, phone and gift messages (when the app has the roles). Turn off to keep personal data out of n8n executions.',
			},
			{
				displayName: 'Max Pages per Poll',
				name: 'maxPagesPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 20,
				description: 'Each page holds up to 100 orders and costs one search from the budget',
			},
			{
				displayName: 'Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1440 },
				default: 10,
				description: 'Each window re-reads this much of the previous one; orders already emitted are not emitted again',
			},
			{
				displayName: 'Reconcile Every (Hours)',
				name: 'reconcileEveryHours',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 168, numberPrecision: 2 },
				default: 6,
				description: 'How often a wider window catches orders Amazon indexed late. 0 turns it off.',
			},
			{
				displayName: 'Reconcile Lookback (Hours)',
				name: 'reconcileLookbackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 720 },
				default: 24,
				description: 'How far back the reconcile window reads',
			},
			{
				displayName: 'Safety Margin (Seconds)',
				name: 'safetyMarginSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 60,
				description: 'Added to the 2 minutes Amazon requires between the end of a window and now, for clock differences',
			},
		],
	},
];
