/**
 * Node parameters shared by Check Refund Eligibility and Sync Refund: how the input names the
 * refund, the reason overrides and the finances source. Both nodes read them through
 * `requestFromParameters`, so "Define Below" means the same thing in both.
 */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { findLinkedOrder, isAmazonOrderId, orderGid } from '../linkage';
import type { ShopifyClient } from '../transport/shopify/client';
import type { Decision, EligibilityOptions, ExplicitLine, RefundRequest } from './eligibility';
import type { ParsedEvent } from './events';
import { parseRefundEvent } from './events';
import type { FinancesSource } from './context';
import { ADJUSTMENT_REASONS, CANCEL_REASONS, isAdjustmentReason, isCancelReason, REASON_LABELS } from './reasons';
import { shortHash } from './record';

function options(values: ReadonlyArray<keyof typeof REASON_LABELS>): INodePropertyOptions[] {
	return values.map((value) => ({ name: REASON_LABELS[value], value }));
}

/** Options that only apply when the node checks the refund itself (not to decisions of Check Refund Eligibility). */
const ONLY_WHEN_CHECKING: IDisplayOptions = { hide: { '/inputMode': ['decision'] } };

type Show = Record<string, Array<string | number | boolean>>;

export function inputProperties(show: Show, withDecision = false): INodeProperties[] {
	const when = (extra: Show = {}): IDisplayOptions => ({ show: { ...show, ...extra } });
	const modes: INodePropertyOptions[] = [
		{ name: 'Shopify Order Event', value: 'event', description: 'A "refund created" or "order cancelled" event from the Shopify Order Events Trigger (or a raw Shopify refunds/create or orders/cancelled webhook); checked first' },
		{ name: 'Define Below', value: 'fields', description: 'Name the Shopify order and the refund, items or amount yourself; checked first' },
	];
	if (withDecision) {
		modes.unshift({ name: 'Check Refund Eligibility Output', value: 'decision', description: 'Items from the Eligible output of Check Refund Eligibility' });
	}
	const inputMode: INodeProperties = withDecision
		? { displayName: 'Input', name: 'inputMode', type: 'options', noDataExpression: true, displayOptions: when(), options: modes, default: 'decision' }
		: { displayName: 'Input', name: 'inputMode', type: 'options', noDataExpression: true, displayOptions: when(), options: modes, default: 'event' };
	return [
		inputMode,
		{
			displayName: 'Order',
			name: 'order',
			type: 'string',
			required: true,
			displayOptions: when({ inputMode: ['fields'] }),
			default: '',
			placeholder: 'gid://shopify/Order/1234 or 113-1234567-1234567',
			description: 'The Shopify order (GID or numeric ID) or its Amazon order ID',
		},
		{
			displayName: 'Type',
			name: 'requestType',
			type: 'options',
			displayOptions: when({ inputMode: ['fields'] }),
			options: [
				{ name: 'Refund', value: 'refund' },
				{ name: 'Cancellation', value: 'cancellation', description: 'The Shopify order was cancelled (with a refund above 0)' },
			],
			default: 'refund',
		},
		{
			displayName: 'Shopify Refund ID',
			name: 'shopifyRefundId',
			type: 'string',
			displayOptions: when({ inputMode: ['fields'], requestType: ['refund'] }),
			default: '',
			placeholder: 'gid://shopify/Refund/5678',
			description: 'An existing Shopify refund to send. Leave empty to describe the refund with items and amounts below.',
		},
		{
			displayName: 'Items',
			name: 'items',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			displayOptions: when({ inputMode: ['fields'], shopifyRefundId: [''] }),
			default: {},
			placeholder: 'Add Item',
			options: [
				{
					displayName: 'Item',
					name: 'item',
					values: [
						{ displayName: 'Item', name: 'item', type: 'string', default: '', description: 'Amazon order item ID, Shopify line item ID, or SKU' },
						{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
					],
				},
			],
			description: 'Units to refund (shipped) or cancel (unshipped). Their amounts come from Amazon\'s prices unless Amount is set. A cancellation without items cancels the whole order, which needs a Shopify refund above 0 on the order.',
		},
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'string',
			displayOptions: when({ inputMode: ['fields'], requestType: ['refund'], shopifyRefundId: [''] }),
			default: '',
			placeholder: '12.50',
			description: 'Total to give back, in the Amazon order\'s currency. Empty = the price and tax of the items.',
		},
		{
			displayName: 'Shipping Amount',
			name: 'shippingAmount',
			type: 'string',
			displayOptions: when({ inputMode: ['fields'], requestType: ['refund'], shopifyRefundId: [''] }),
			default: '',
			placeholder: '4.99',
			description: 'Shipping to give back (with its tax), in the Amazon order\'s currency',
		},
		{
			displayName: 'Refund Reference',
			name: 'reference',
			type: 'string',
			displayOptions: when({ inputMode: ['fields'], shopifyRefundId: [''] }),
			default: '',
			description: 'A unique ID for this refund (for example your return number). The same reference is never sent to Amazon twice. Empty = derived from the order, items and amounts.',
		},
	];
}

export function reasonOptionProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Adjustment Reason',
			name: 'adjustmentReason',
			type: 'options',
			options: [{ name: 'Automatic (From the Shopify Refund)', value: 'auto' }, ...options(ADJUSTMENT_REASONS)],
			default: 'auto',
			description: 'Amazon AdjustmentReason for refunds and unit cancellations. Automatic: a return -> Customer Return; a telling word in the refund note (wrong item, price error, refused...) -> that reason; else General Adjustment. Another choice overrides it (in Sync Refund also for decisions of Check Refund Eligibility; never for a submission already claimed).',
		},
		{
			displayName: 'Cancel Reason',
			name: 'cancelReason',
			type: 'options',
			options: [{ name: 'Automatic (From the Shopify Cancellation)', value: 'auto' }, ...options(CANCEL_REASONS)],
			default: 'auto',
			description: 'Amazon CancelReason for whole-order cancellations. Automatic: customer or buyer request -> Buyer Canceled; inventory -> No Inventory; fraud -> Risk Assessment Information Not Valid; else General Adjustment. Another choice overrides it (in Sync Refund also for decisions of Check Refund Eligibility; never for a submission already claimed).',
		},
		{
			displayName: 'Finances Source',
			name: 'financesSource',
			type: 'options',
			options: [
				{ name: 'Automatic', value: 'auto', description: 'Finances v0 (per item), falling back to 2024-06-19 when v0 is refused or removed' },
				{ name: 'Finances V0 Only', value: 'financesV0' },
				{ name: 'Finances 2024-06-19 Only', value: 'transactions', description: 'Transactions API; items are matched by SKU' },
			],
			default: 'auto',
			description: 'Where to read refunds Amazon already made, when this node checks the refund (with Check Refund Eligibility Output, set it on Check Refund Eligibility). Both can miss the last 48 hours; the ledger on the Shopify order covers what this workflow sent.',
			displayOptions: ONLY_WHEN_CHECKING,
		},
		{
			displayName: 'Retry Refused Submissions',
			name: 'retryFailed',
			type: 'boolean',
			default: false,
			description: 'Whether a refund Amazon refused before may be sent again (after you fixed the cause), when this node checks the refund (with Check Refund Eligibility Output, set it on Check Refund Eligibility)',
			displayOptions: ONLY_WHEN_CHECKING,
		},
	];
}

export interface ReasonOptions {
	adjustmentReason?: string;
	cancelReason?: string;
	financesSource?: FinancesSource;
	retryFailed?: boolean;
}

export function eligibilityOptions(raw: ReasonOptions): EligibilityOptions {
	return {
		adjustmentReason: isAdjustmentReason(raw.adjustmentReason) ? raw.adjustmentReason : undefined,
		cancelReason: isCancelReason(raw.cancelReason) ? raw.cancelReason : undefined,
		retryFailed: raw.retryFailed === true,
	};
}

/**
 * The reason overrides applied to a decision made elsewhere (Sync Refund's input from Check
 * Refund Eligibility), the way Check applies them: AdjustmentReason for payment adjustments and
 * unit cancellations, CancelReason for whole-order cancellations. A resumed submission keeps the
 * reason it was claimed with.
 */
export function withReasonOverrides(decision: Decision, raw: ReasonOptions): Decision {
	const { adjustmentReason, cancelReason } = eligibilityOptions(raw);
	if (!decision.eligible) return decision;
	if (adjustmentReason && (decision.action === 'paymentAdjustment' || decision.action === 'partialCancellation') && adjustmentReason !== decision.adjustmentReason) {
		return {
			...decision,
			adjustmentReason,
			warnings: [...decision.warnings, `Adjustment reason ${adjustmentReason} set on this node (the decision had ${decision.adjustmentReason ?? 'none'}).`],
		};
	}
	if (cancelReason && decision.action === 'fullCancellation' && cancelReason !== decision.cancelReason) {
		return {
			...decision,
			cancelReason,
			warnings: [...decision.warnings, `Cancel reason ${cancelReason} set on this node (the decision had ${decision.cancelReason ?? 'none'}).`],
		};
	}
	return decision;
}

export class RequestInputError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'RequestInputError';
	}
}

export interface ResolvedRequest {
	request: RefundRequest;
	shopifyOrderId: string;
	event?: ParsedEvent;
}

async function resolveOrderId(shopify: ShopifyClient, value: string): Promise<string> {
	const text = value.trim();
	if (text.startsWith('gid://shopify/Order/') || /^\d+$/.test(text)) return orderGid(text);
	if (isAmazonOrderId(text)) {
		const linked = await findLinkedOrder(shopify, text);
		if (!linked) throw new RequestInputError(`No Shopify order is linked to Amazon order ${text}`, 'Import the Amazon order with Create Shopify Order first, or give the Shopify order ID.');
		return linked.id;
	}
	throw new RequestInputError(`"${text}" is not a Shopify order ID or an Amazon order ID`, 'Use gid://shopify/Order/1234, 1234, or an Amazon order ID like 113-1234567-1234567.');
}

/** The refund request of item `i`, from the event or from the fields. */
export async function requestFromParameters(ctx: IExecuteFunctions, i: number, shopify: () => Promise<ShopifyClient>): Promise<ResolvedRequest> {
	const mode = ctx.getNodeParameter('inputMode', i, 'event') as string;
	if (mode === 'event') {
		const event = parseRefundEvent(ctx.getInputData()[i].json);
		const request: RefundRequest = event.kind === 'refund'
			? { kind: 'refund', source: 'shopifyRefund', shopifyRefundId: event.shopifyRefundId as string }
			: { kind: 'cancellation', source: 'shopifyCancellation' };
		return { request, shopifyOrderId: event.shopifyOrderId, event };
	}
	const orderValue = String(ctx.getNodeParameter('order', i, '') ?? '').trim();
	if (!orderValue) throw new RequestInputError('Order is empty', 'Give the Shopify order ID (or its Amazon order ID).');
	const shopifyOrderId = await resolveOrderId(await shopify(), orderValue);
	const kind = ctx.getNodeParameter('requestType', i, 'refund') as 'refund' | 'cancellation';
	const refundId = kind === 'refund' ? String(ctx.getNodeParameter('shopifyRefundId', i, '') ?? '').trim() : '';
	if (refundId) {
		const gid = refundId.startsWith('gid://') ? refundId : `gid://shopify/Refund/${refundId}`;
		return { request: { kind: 'refund', source: 'shopifyRefund', shopifyRefundId: gid }, shopifyOrderId };
	}
	const rawItems = (ctx.getNodeParameter('items', i, {}) as { item?: Array<{ item?: string; quantity?: number }> }).item ?? [];
	const lines: ExplicitLine[] = rawItems.filter((l) => String(l.item ?? '').trim()).map((l) => ({ item: String(l.item).trim(), quantity: l.quantity === undefined ? undefined : Number(l.quantity) }));
	const amount = String(ctx.getNodeParameter('amount', i, '') ?? '').trim() || undefined;
	const shippingAmount = kind === 'refund' ? String(ctx.getNodeParameter('shippingAmount', i, '') ?? '').trim() || undefined : undefined;
	if (kind === 'refund' && !lines.length && !amount && !shippingAmount) {
		throw new RequestInputError('Nothing to refund: add items, an amount or a shipping amount, or give a Shopify refund ID');
	}
	const reference =
		String(ctx.getNodeParameter('reference', i, '') ?? '').trim() ||
		`auto-${shortHash(JSON.stringify({ shopifyOrderId, kind, lines, amount, shippingAmount })).slice(0, 16)}`;
	if (kind === 'cancellation' && !lines.length) {
		// A whole-order cancellation is keyed like the Shopify event, so both never send twice.
		return { request: { kind: 'cancellation', source: 'shopifyCancellation' }, shopifyOrderId };
	}
	return { request: { kind, source: 'explicit', reference, lines, amount, shippingAmount }, shopifyOrderId };
}
