/** What the refund nodes say when something fails (not a refusal: a refusal is a decision). */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { OrderNotFoundError } from './context';
import { EventParseError } from './events';
import { FeedBuildError } from './feedXml';
import { LedgerUnreadableError } from './ledger';
import { LedgerWriteError } from './ledgerStore';
import { RequestInputError } from './parameters';

export interface RefundFailure {
	message: string;
	description?: string;
}

export function describeRefundError(error: unknown): RefundFailure {
	if (error instanceof EventParseError) {
		return { message: error.message, description: 'Connect the "refund created" and "order cancelled" events of the Shopify Order Events Trigger, or switch Input to "Define Below".' };
	}
	if (error instanceof RequestInputError) return { message: error.message, description: error.description };
	if (error instanceof LedgerUnreadableError) {
		return { message: error.message, description: 'The ledger records what was sent to Amazon; without it a refund could be sent twice. Restore the amazon.refund_ledger metafield (Shopify admin > order > Metafields), or remove it only if you are sure nothing was sent for this order.' };
	}
	if (error instanceof LedgerWriteError) return { message: error.message, description: 'Nothing was sent to Amazon for the refunds whose ledger entry could not be written. Run the step again.' };
	if (error instanceof FeedBuildError) return { message: error.message, description: 'Nothing was sent to Amazon.' };
	if (error instanceof OrderNotFoundError) return { message: error.message, description: 'Check the Shopify credential and the order ID.' };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return { message: error.message, description: error.description ?? undefined };
	return { message: error instanceof Error ? error.message : String(error) };
}
