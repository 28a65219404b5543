import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { Coalescer } from '../../../shared/refunds/batcher';
import { checkRefund } from '../../../shared/refunds/context';
import type { Decision } from '../../../shared/refunds/eligibility';
import { describeRefundError } from '../../../shared/refunds/errors';
import type { OutEntry } from '../../../shared/refunds/ledger';
import { flagRefundFailure } from '../../../shared/refunds/flags';
import type { ReasonOptions } from '../../../shared/refunds/parameters';
import { eligibilityOptions, inputProperties, reasonOptionProperties, requestFromParameters, withReasonOverrides } from '../../../shared/refunds/parameters';
import type { SubmitOutcome } from '../../../shared/refunds/submit';
import { submitRefunds } from '../../../shared/refunds/submit';
import type { SyncContext, WaitOptions } from '../shared';
import { failedItem, isDecision, outcomeJson, submitOptions, waitOptionProperties } from '../shared';

const show = { resource: ['shopifyRefund'], operation: ['sendToAmazon'] };

export const description: INodeProperties[] = [
	...inputProperties(show, true),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Batch Window (Seconds)',
				name: 'batchWindowSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 5,
				description: 'Executions that reach this step within this window (for example a burst of refund webhooks) are sent in one feed per feed type and marketplace. 0 = one feed per execution.',
			},
			{
				displayName: 'Max Wait for Feed Budget (Minutes)',
				name: 'feedBudgetWaitMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description: 'Amazon allows about one createFeed every 2 minutes (burst 15). When the budget is empty, wait up to this long; beyond it nothing is sent yet: the refund is "pending" (not sent yet), stays claimed on the order (tagged amazon-refund-pending), and the next run or Update Pending Results sends it, once.',
			},
			...waitOptionProperties(),
			...reasonOptionProperties(),
		],
	},
];

interface SendOptions extends WaitOptions, ReasonOptions {
	batchWindowSeconds?: number;
	feedBudgetWaitMinutes?: number;
}

/** Executions of the same seller and shop that reach Sync Refund together share one feed. */
const coalescer = new Coalescer<Decision, SubmitOutcome>();

export function batchesJoined(): number {
	return coalescer.joined;
}

export interface SendResult {
	done: INodeExecutionData[];
	failed: INodeExecutionData[];
}

/** A refusal the merchant must hear about goes to Failed ("refused"); an expected one to Done ("skipped"). */
function refusalJson(decision: Decision | IDataObject): IDataObject {
	const d = decision as Decision;
	return {
		status: d.notifyMerchant ? 'refused' : 'skipped',
		message: d.message,
		notifyMerchant: d.notifyMerchant === true,
		reasonCode: d.reasonCode,
		reason: d.reason,
		shopifyOrderId: d.shopifyOrderId,
		shopifyOrderName: d.shopifyOrderName ?? null,
		shopifyRefundId: d.shopifyRefundId ?? null,
		amazonOrderId: d.amazonOrderId ?? null,
		ledgerKey: d.ledgerKey,
	};
}

export async function execute(this: IExecuteFunctions, ctx: SyncContext): Promise<SendResult> {
	const items = this.getInputData();
	const node = this.getNode();
	const done: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const toSend: Array<{ index: number; decision: Decision }> = [];
	const options = this.getNodeParameter('options', 0, {}) as SendOptions;
	const mode = this.getNodeParameter('inputMode', 0, 'decision') as string;
	const earlier = new Map<string, OutEntry[]>();

	for (let i = 0; i < items.length; i++) {
		const json = items[i].json;
		try {
			if (mode === 'decision') {
				if (typeof json.error === 'string' && !isDecision(json)) {
					// A failure item of Check Refund Eligibility (On Error: Continue): still an error here.
					const details = (json.details ?? {}) as IDataObject;
					const description = [details.description, json.description].find((d): d is string => typeof d === 'string');
					failed.push(failedItem(node, { message: json.error, description }, i));
					continue;
				}
				if (!isDecision(json)) {
					throw new NodeOperationError(node, 'This item is not a decision of Check Refund Eligibility', {
						itemIndex: i,
						description: 'Connect the Eligible output of Check Refund Eligibility, or set Input to "Shopify Order Event".',
					});
				}
				const decision = json as unknown as Decision;
				if (!decision.eligible) (decision.notifyMerchant ? failed : done).push({ json: refusalJson(decision), pairedItem: { item: i } });
				else toSend.push({ index: i, decision: withReasonOverrides(decision, this.getNodeParameter('options', i, {}) as SendOptions) });
				continue;
			}
			const itemOptions = this.getNodeParameter('options', i, {}) as SendOptions;
			const resolved = await requestFromParameters(this, i, ctx.shopify);
			const shopify = await ctx.shopify();
			const { decision, shopify: side } = await checkRefund(shopify, await ctx.amazon(), {
				request: resolved.request,
				shopifyOrderId: resolved.shopifyOrderId,
				options: eligibilityOptions(itemOptions),
				financesSource: itemOptions.financesSource,
				now: ctx.clock.now(),
				earlier,
			});
			if (decision.eligible) {
				toSend.push({ index: i, decision });
				continue;
			}
			if (decision.notifyMerchant && itemOptions.flagFailures !== false) {
				await flagRefundFailure(shopify, { orderId: side.order.id, key: decision.ledgerKey, message: `Not sent to Amazon (${decision.reason}): ${decision.message}`, note: side.order.note, tags: side.order.tags }, ctx.clock.now());
			}
			(decision.notifyMerchant ? failed : done).push({ json: refusalJson(decision), pairedItem: { item: i } });
		} catch (error) {
			const failure = describeRefundError(error);
			if (!this.continueOnFail()) {
				if (error instanceof NodeApiError) throw new NodeApiError(node, error as unknown as JsonObject, { itemIndex: i });
				throw new NodeOperationError(node, failure.message, { itemIndex: i, description: failure.description });
			}
			failed.push(failedItem(node, failure, i));
		}
	}
	if (!toSend.length) return { done, failed };

	const amazon = await ctx.amazon();
	const shopify = await ctx.shopify();
	const windowMs = Math.max(0, Number(options.batchWindowSeconds ?? 5)) * 1000;
	const key = `${amazon.partnerKey}|${shopify.shopKey}|${node.name}`;
	let outcomes: SubmitOutcome[];
	try {
		outcomes = await coalescer.run(key, toSend.map((t) => t.decision), windowMs, ctx.clock, async (all) => await submitRefunds(amazon, shopify, all, submitOptions(options, ctx.clock)));
	} catch (error) {
		const failure = describeRefundError(error);
		if (!this.continueOnFail()) {
			if (error instanceof NodeApiError) throw new NodeApiError(node, error as unknown as JsonObject, { itemIndex: toSend[0].index });
			throw new NodeOperationError(node, failure.message, { itemIndex: toSend[0].index, description: failure.description });
		}
		for (const { index, decision } of toSend) failed.push(failedItem(node, failure, index, refusalJson(decision)));
		return { done, failed };
	}
	outcomes.forEach((outcome, n) => {
		const { index, decision } = toSend[n];
		const item: INodeExecutionData = { json: outcomeJson(outcome, decision), pairedItem: { item: index } };
		(outcome.status === 'failed' ? failed : done).push(item);
	});
	return { done, failed };
}
