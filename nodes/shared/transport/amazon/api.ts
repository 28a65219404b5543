import type { IDataObject } from 'n8n-workflow';

import type { AmazonClient } from './client';
import type {
	ConfirmShipmentRequest,
	SearchOrdersPage,
	SearchOrdersParams,
	SpFeed,
	SpFeedDocument,
	SpOrder,
} from './types';

/** SP-API operations the pack uses, one function each, named as in the official models. */

export async function searchOrders(client: AmazonClient, params: SearchOrdersParams): Promise<SearchOrdersPage> {
	const { body } = await client.request<SearchOrdersPage>({
		operation: 'searchOrders',
		method: 'GET',
		path: '/orders/2026-01-01/orders',
		qs: params as unknown as IDataObject,
		idempotent: true,
	});
	return { ...body, orders: body.orders ?? [] };
}

/**
 * One searchOrders page with the response headers: the Amazon Order Trigger reads `date` (Amazon's
 * clock, for the 2-minute rule) and `x-amzn-ratelimit-limit` (the seller's real rate).
 */
export async function searchOrdersWithHeaders(
	client: AmazonClient,
	params: SearchOrdersParams,
): Promise<{ page: SearchOrdersPage; headers: Record<string, string> }> {
	const { body, headers } = await client.request<SearchOrdersPage>({
		operation: 'searchOrders',
		method: 'GET',
		path: '/orders/2026-01-01/orders',
		qs: params as unknown as IDataObject,
		idempotent: true,
	});
	return { page: { ...body, orders: body.orders ?? [] }, headers };
}

export async function getOrder(client: AmazonClient, orderId: string, includedData: string[]): Promise<SpOrder> {
	const { body } = await client.request<{ order: SpOrder }>({
		operation: 'getOrder',
		method: 'GET',
		path: `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}`,
		qs: { includedData },
		orderId,
		idempotent: true,
	});
	return body.order;
}

/** Re-posting the same packageReferenceId edits that package, so a retry cannot make a second one. */
export async function confirmShipment(client: AmazonClient, orderId: string, payload: ConfirmShipmentRequest): Promise<void> {
	await client.request<unknown>({
		operation: 'confirmShipment',
		method: 'POST',
		path: `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`,
		body: payload as unknown as IDataObject,
		orderId,
		idempotent: true,
	});
}

export async function createFeedDocument(client: AmazonClient, contentType: string): Promise<SpFeedDocument> {
	const { body } = await client.request<SpFeedDocument>({
		operation: 'createFeedDocument',
		method: 'POST',
		path: '/feeds/2021-06-30/documents',
		body: { contentType },
		idempotent: true,
	});
	return body;
}

/** Not idempotent: a lost response throws AmazonUnknownOutcome, and the caller must look first. */
export async function createFeed(
	client: AmazonClient,
	feedType: string,
	marketplaceIds: string[],
	inputFeedDocumentId: string,
): Promise<string> {
	const { body } = await client.request<{ feedId: string }>({
		operation: 'createFeed',
		method: 'POST',
		path: '/feeds/2021-06-30/feeds',
		body: { feedType, marketplaceIds, inputFeedDocumentId },
		idempotent: false,
	});
	return body.feedId;
}

export async function getFeed(client: AmazonClient, feedId: string): Promise<SpFeed> {
	const { body } = await client.request<SpFeed>({
		operation: 'getFeed',
		method: 'GET',
		path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`,
		idempotent: true,
	});
	return body;
}

export async function getFeeds(
	client: AmazonClient,
	query: { feedTypes: string[]; marketplaceIds?: string[]; createdSince?: string; processingStatuses?: string[] },
): Promise<SpFeed[]> {
	const { body } = await client.request<{ feeds?: SpFeed[] }>({
		operation: 'getFeeds',
		method: 'GET',
		path: '/feeds/2021-06-30/feeds',
		qs: query as unknown as IDataObject,
		idempotent: true,
	});
	return body.feeds ?? [];
}

export async function getFeedDocument(client: AmazonClient, feedDocumentId: string): Promise<SpFeedDocument> {
	const { body } = await client.request<SpFeedDocument>({
		operation: 'getFeedDocument',
		method: 'GET',
		path: `/feeds/2021-06-30/documents/${encodeURIComponent(feedDocumentId)}`,
		idempotent: true,
	});
	return body;
}

export interface FinancialEventsPage {
	payload?: { FinancialEvents?: IDataObject; NextToken?: string };
}

/** Finances v0: every page of an order's financial events (pages may be empty). */
export async function listFinancialEventsByOrderId(client: AmazonClient, orderId: string): Promise<IDataObject[]> {
	const pages: IDataObject[] = [];
	let nextToken: string | undefined;
	do {
		const { body } = await client.request<FinancialEventsPage>({
			operation: 'listFinancialEventsByOrderId',
			method: 'GET',
			path: `/finances/v0/orders/${encodeURIComponent(orderId)}/financialEvents`,
			qs: { MaxResultsPerPage: 100, NextToken: nextToken },
			orderId,
			idempotent: true,
		});
		pages.push(body.payload?.FinancialEvents ?? {});
		nextToken = body.payload?.NextToken;
	} while (nextToken);
	return pages;
}

/** Finances 2024-06-19: the transactions related to one order, every page. */
export async function listTransactions(client: AmazonClient, orderId: string): Promise<IDataObject[]> {
	const transactions: IDataObject[] = [];
	let nextToken: string | undefined;
	do {
		const { body } = await client.request<{ payload?: { transactions?: IDataObject[]; nextToken?: string } }>({
			operation: 'listTransactions',
			method: 'GET',
			path: '/finances/2024-06-19/transactions',
			qs: { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: orderId, nextToken },
			orderId,
			idempotent: true,
		});
		transactions.push(...(body.payload?.transactions ?? []));
		nextToken = body.payload?.nextToken;
	} while (nextToken);
	return transactions;
}

/**
 * Finances 2024-06-19: every transaction posted in [postedAfter, postedBefore), all orders (used to
 * find refunds made on Amazon). postedBefore must be at least 2 minutes before now. Leave
 * marketplaceId out for US merchant-fulfilled orders (model note).
 */
export async function listTransactionsPosted(
	client: AmazonClient,
	query: { postedAfter: string; postedBefore?: string; marketplaceId?: string },
): Promise<IDataObject[]> {
	const transactions: IDataObject[] = [];
	let nextToken: string | undefined;
	do {
		const { body } = await client.request<{ payload?: { transactions?: IDataObject[]; nextToken?: string } }>({
			operation: 'listTransactions',
			method: 'GET',
			path: '/finances/2024-06-19/transactions',
			qs: { postedAfter: query.postedAfter, postedBefore: query.postedBefore, marketplaceId: query.marketplaceId, nextToken },
			idempotent: true,
		});
		transactions.push(...(body.payload?.transactions ?? []));
		nextToken = body.payload?.nextToken;
	} while (nextToken);
	return transactions;
}

export async function getMarketplaceParticipations(client: AmazonClient): Promise<IDataObject[]> {
	const { body } = await client.request<{ payload?: IDataObject[] }>({
		operation: 'getMarketplaceParticipations',
		method: 'GET',
		path: '/sellers/v1/marketplaceParticipations',
		idempotent: true,
	});
	return body.payload ?? [];
}
