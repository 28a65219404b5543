import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AmazonClient } from '../../../shared/transport/amazon/client';
import type { Clock } from '../../../shared/transport/clock';
import type { ShopifyClient } from '../../../shared/transport/shopify/client';
import { checkRefund } from '../../../shared/refunds/context';
import type { Decision } from '../../../shared/refunds/eligibility';
import type { OutEntry } from '../../../shared/refunds/ledger';
import { flagRefundFailure } from '../../../shared/refunds/flags';
import type { ReasonOptions } from '../../../shared/refunds/parameters';
import { eligibilityOptions, inputProperties, reasonOptionProperties, requestFromParameters } from '../../../shared/refunds/parameters';

const show = { resource: ['refund'], operation: ['check'] };

export const description: INodeProperties[] = [
	...inputProperties(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			...reasonOptionProperties(),
			{
				displayName: 'Flag Refusals on the Shopify Order',
				name: 'flagRefusals',
				type: 'boolean',
				default: true,
				description: 'Whether a refusal the merchant must act on tags the order "amazon-refund-failed" and adds a staff note (once per refund)',
			},
		],
	},
];

export interface CheckContext {
	amazon: () => Promise<AmazonClient>;
	shopify: () => Promise<ShopifyClient>;
	clock: Clock;
	/** Eligible refunds of this execution, per Shopify order (see CheckInput.earlier). */
	earlier: Map<string, OutEntry[]>;
}

interface CheckOptions extends ReasonOptions {
	flagRefusals?: boolean;
}

export interface CheckResult {
	output: 'eligible' | 'notEligible';
	json: IDataObject;
	decision: Decision;
}

/** Output item: the decision itself (Sync Refund reads it back), plus when and from what. */
export function decisionJson(decision: Decision, extra: IDataObject = {}): IDataObject {
	return { ...(decision as unknown as IDataObject), ...extra };
}

export async function execute(this: IExecuteFunctions, i: number, ctx: CheckContext): Promise<CheckResult> {
	const options = this.getNodeParameter('options', i, {}) as CheckOptions;
	const resolved = await requestFromParameters(this, i, ctx.shopify);
	const shopify = await ctx.shopify();
	const amazon = await ctx.amazon();
	const { decision, shopify: side } = await checkRefund(shopify, amazon, {
		request: resolved.request,
		shopifyOrderId: resolved.shopifyOrderId,
		options: eligibilityOptions(options),
		financesSource: options.financesSource,
		now: ctx.clock.now(),
		earlier: ctx.earlier,
	});
	const extra: IDataObject = { checkedAt: new Date(ctx.clock.now()).toISOString() };
	if (resolved.event?.eventId) extra.eventId = resolved.event.eventId;
	if (!decision.eligible && decision.notifyMerchant && options.flagRefusals !== false) {
		const flagged = await flagRefundFailure(
			shopify,
			{ orderId: side.order.id, key: decision.ledgerKey, message: `Not sent to Amazon (${decision.reason}): ${decision.message}`, note: side.order.note, tags: side.order.tags },
			ctx.clock.now(),
		);
		extra.flaggedOnShopifyOrder = flagged.problems.length === 0;
		if (flagged.problems.length) extra.flagProblems = flagged.problems;
	}
	return { output: decision.eligible ? 'eligible' : 'notEligible', json: decisionJson(decision, extra), decision };
}
