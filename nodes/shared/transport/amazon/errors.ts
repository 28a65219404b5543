import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { AmazonOperation } from './usagePlans';

export interface SpApiErrorEntry {
	code?: string;
	message?: string;
	details?: string;
}

export interface AmazonFailure {
	operation: AmazonOperation;
	status: number;
	errors: SpApiErrorEntry[];
	orderId?: string;
}

/** Hints that tell the merchant what to change, keyed by SP-API error code. */
function hintFor(failure: AmazonFailure): string {
	const first = failure.errors[0] ?? {};
	const text = `${first.message ?? ''} ${first.details ?? ''}`;
	switch (first.code) {
		case 'Unauthorized':
			return 'The app lacks the Selling Partner role this call needs, or the credential is for another region or seller. Orders need "Inventory and Order Tracking", shipping addresses "Direct-to-Consumer Shipping (Restricted)", refund checks "Finance and Accounting". Update the app in Developer Central, then re-authorize it and paste the new refresh token.';
		case 'InvalidInput':
			if (/before/i.test(text)) {
				return 'Amazon requires createdBefore/lastUpdatedBefore to be at least 2 minutes before now. Check the clock of the n8n server.';
			}
			return 'Amazon rejected a parameter of this call. The message above names it.';
		case 'QuotaExceeded':
			return 'Amazon throttled this call and it was retried until the retry budget ran out. Poll less often, or let fewer executions run at once.';
		case 'NotFound':
			return 'Amazon does not know this resource. Check the order ID, and that the credential region and marketplaces match the order.';
		case 'PackageToUpdateNotFound':
			return 'Amazon found no package to update: the order may be fully shipped already, or the package reference does not exist.';
		default:
			if (failure.status >= 500) return 'Amazon had a temporary failure and the retries ran out. Run the step again later.';
			return 'See Amazon\'s message above.';
	}
}

export function describeAmazonFailure(failure: AmazonFailure): { message: string; description: string } {
	const first = failure.errors[0] ?? {};
	const subject = failure.orderId ? ` for order ${failure.orderId}` : '';
	const code = first.code ? `${first.code}: ` : '';
	const detail = first.details ? ` (${first.details})` : '';
	return {
		message: `Amazon ${failure.operation}${subject} failed with HTTP ${failure.status}. ${code}${first.message ?? 'no message'}${detail}`,
		description: hintFor(failure),
	};
}

export function amazonApiError(node: INode, failure: AmazonFailure): NodeApiError {
	const { message, description } = describeAmazonFailure(failure);
	return new NodeApiError(node, { errors: failure.errors } as unknown as JsonObject, {
		message,
		description,
		httpCode: String(failure.status),
	});
}

/** The client would have to wait for the usage plan, and the caller asked to be told instead. */
export class AmazonRateLimitWait extends Error {
	constructor(
		readonly operation: AmazonOperation,
		readonly waitMs: number,
	) {
		super(`Amazon ${operation} budget is empty for ${Math.ceil(waitMs / 1000)} s more`);
		this.name = 'AmazonRateLimitWait';
	}
}

/** A write whose outcome is unknown (timeout, reset, lost response): look before sending it again. */
export class AmazonUnknownOutcome extends Error {
	constructor(
		readonly operation: AmazonOperation,
		readonly reason: string,
	) {
		super(`Amazon ${operation}: the request may or may not have been applied (${reason})`);
		this.name = 'AmazonUnknownOutcome';
	}
}
