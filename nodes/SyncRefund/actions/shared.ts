import type { IDataObject, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ItemFailure } from '../../shared/errorItems';
import { errorItem } from '../../shared/errorItems';
import type { AmazonClient } from '../../shared/transport/amazon/client';
import type { Clock } from '../../shared/transport/clock';
import type { ShopifyClient } from '../../shared/transport/shopify/client';
import { formatMoney } from '../../shared/money';
import type { Decision } from '../../shared/refunds/eligibility';
import type { SubmitOptions, SubmitOutcome } from '../../shared/refunds/submit';

export interface SyncContext {
	amazon: () => Promise<AmazonClient>;
	shopify: () => Promise<ShopifyClient>;
	clock: Clock;
}

export interface WaitOptions {
	maxWaitSeconds?: number;
	pollEverySeconds?: number;
	lostFeedLookupSeconds?: number;
	resendAfterMinutes?: number;
	flagFailures?: boolean;
}

export function waitOptionProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Max Wait for Amazon (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description: 'How long to wait for Amazon to process the feed before reporting "pending". Feeds usually take minutes; pending results are finished by "Update Pending Results" or a rerun.',
		},
		{
			displayName: 'Check Every (Seconds)',
			name: 'pollEverySeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 20,
			description: 'How often to ask Amazon whether the feed is processed (getFeed allows 2 calls per second)',
		},
		{
			displayName: 'Lost Answer Look-Up (Seconds)',
			name: 'lostFeedLookupSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120,
			description: 'When the answer to createFeed is lost, how long to look for the feed (getFeeds) before reporting "unknown". Nothing is ever re-sent in that case until Resend After has passed.',
		},
		{
			displayName: 'Resend After (Minutes)',
			name: 'resendAfterMinutes',
			type: 'number',
			typeOptions: { minValue: 5 },
			default: 30,
			description: 'A submission whose feed still cannot be found this long after it was sent was never created by Amazon, and is sent again',
		},
		{
			displayName: 'Flag Failures on the Shopify Order',
			name: 'flagFailures',
			type: 'boolean',
			default: true,
			description: 'Whether a refund Amazon refuses tags the order "amazon-refund-failed" and adds a staff note',
		},
	];
}

export function submitOptions(raw: WaitOptions, clock: Clock): SubmitOptions {
	const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);
	return {
		clock,
		maxWaitMs: num(raw.maxWaitSeconds, 300) * 1000,
		pollEveryMs: num(raw.pollEverySeconds, 20) * 1000,
		lostFeedLookupMs: num(raw.lostFeedLookupSeconds, 120) * 1000,
		resendAfterMs: Math.max(5, num(raw.resendAfterMinutes, 30)) * 60 * 1000,
		flagFailures: raw.flagFailures !== false,
	};
}

/** Is this JSON a Check Refund Eligibility decision? */
export function isDecision(json: IDataObject): boolean {
	return (
		typeof json.ledgerKey === 'string' &&
		typeof json.reasonCode === 'string' &&
		typeof json.eligible === 'boolean' &&
		typeof json.shopifyOrderId === 'string' &&
		typeof json.request === 'object' &&
		json.request !== null
	);
}

/** One output item per refund: Sync Refund's result, with the decision's amounts for context. */
export function outcomeJson(outcome: SubmitOutcome, decision?: Decision): IDataObject {
	const json: IDataObject = {
		status: outcome.status,
		message: outcome.message,
		notifyMerchant: outcome.status === 'failed' || outcome.status === 'unknown',
		shopifyOrderId: outcome.shopifyOrderId,
		shopifyOrderName: outcome.shopifyOrderName ?? null,
		shopifyRefundId: outcome.shopifyRefundId ?? null,
		amazonOrderId: outcome.amazonOrderId ?? null,
		marketplaceId: outcome.marketplaceId ?? null,
		ledgerKey: outcome.ledgerKey,
		feedType: outcome.feedType ?? null,
		feedId: outcome.feedId ?? null,
		feedDocumentId: outcome.feedDocumentId ?? null,
		messageId: outcome.messageId ?? null,
		matchedBy: outcome.matchedBy ?? null,
		amazonResultCode: outcome.amazonResultCode ?? null,
		amazonMessageCode: outcome.amazonMessageCode ?? null,
		amazonMessage: outcome.amazonMessage ?? null,
		currency: outcome.currency ?? null,
		total: outcome.total ?? null,
		totalFormatted: outcome.currency && outcome.total !== undefined ? formatMoney({ amount: outcome.total, currency: outcome.currency }) : null,
		flaggedOnShopifyOrder: outcome.flagged === true,
		warnings: outcome.warnings,
	};
	if (decision) {
		json.path = decision.path ?? null;
		json.action = decision.action ?? null;
		json.amounts = (decision.amounts as unknown as IDataObject) ?? null;
		json.adjustmentReason = decision.adjustmentReason ?? null;
		json.cancelReason = decision.cancelReason ?? null;
	}
	return json;
}

/**
 * An item for an error (not Amazon's refusal of a refund). Under "Continue" it is a Failed item
 * with `status: "failed"` and `notifyMerchant` (the template's filter reads them) besides `error`,
 * `message` and `details`; under "Continue (using error output)" only `error`, `message` and
 * `details` (holding the rest), so n8n sends it to the error output (nodes/shared/errorItems.ts).
 */
export function failedItem(node: INode, failure: ItemFailure, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	return errorItem(node, failure, itemIndex, { ...extra, status: 'failed', notifyMerchant: true, message: failure.message });
}
