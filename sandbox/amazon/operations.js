// @ts-check
'use strict';

/**
 * SP-API operations served by the sandbox: route, Swagger file that defines it, default usage plan
 * (amazon.md §3.1; rate in requests per sandbox second, burst).
 *
 * @typedef {{ name: string, method: string, path: string, spec: string, rate: number, burst: number }} OperationDef
 */

/** @type {OperationDef[]} */
const OPERATIONS = [
	{ name: 'searchOrders', method: 'GET', path: '/orders/2026-01-01/orders', spec: 'orders_2026-01-01.json', rate: 0.0056, burst: 20 },
	{ name: 'getOrder', method: 'GET', path: '/orders/2026-01-01/orders/{orderId}', spec: 'orders_2026-01-01.json', rate: 0.5, burst: 30 },
	{ name: 'confirmShipment', method: 'POST', path: '/orders/v0/orders/{orderId}/shipmentConfirmation', spec: 'ordersV0.json', rate: 2, burst: 10 },
	{ name: 'getOrdersV0', method: 'GET', path: '/orders/v0/orders', spec: 'ordersV0.json', rate: 0.0167, burst: 20 },
	{ name: 'getOrderV0', method: 'GET', path: '/orders/v0/orders/{orderId}', spec: 'ordersV0.json', rate: 0.5, burst: 30 },
	{ name: 'getOrderItemsV0', method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems', spec: 'ordersV0.json', rate: 0.5, burst: 30 },
	{ name: 'getOrderAddressV0', method: 'GET', path: '/orders/v0/orders/{orderId}/address', spec: 'ordersV0.json', rate: 0.5, burst: 30 },
	{ name: 'createRestrictedDataToken', method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken', spec: 'tokens_2021-03-01.json', rate: 1, burst: 10 },
	{ name: 'createFeedDocument', method: 'POST', path: '/feeds/2021-06-30/documents', spec: 'feeds_2021-06-30.json', rate: 0.5, burst: 15 },
	{ name: 'getFeedDocument', method: 'GET', path: '/feeds/2021-06-30/documents/{feedDocumentId}', spec: 'feeds_2021-06-30.json', rate: 0.0222, burst: 10 },
	{ name: 'createFeed', method: 'POST', path: '/feeds/2021-06-30/feeds', spec: 'feeds_2021-06-30.json', rate: 0.0083, burst: 15 },
	{ name: 'getFeeds', method: 'GET', path: '/feeds/2021-06-30/feeds', spec: 'feeds_2021-06-30.json', rate: 0.0222, burst: 10 },
	{ name: 'getFeed', method: 'GET', path: '/feeds/2021-06-30/feeds/{feedId}', spec: 'feeds_2021-06-30.json', rate: 2, burst: 15 },
	{ name: 'cancelFeed', method: 'DELETE', path: '/feeds/2021-06-30/feeds/{feedId}', spec: 'feeds_2021-06-30.json', rate: 2, burst: 15 },
	{ name: 'listFinancialEventsByOrderId', method: 'GET', path: '/finances/v0/orders/{orderId}/financialEvents', spec: 'finances_v0.json', rate: 0.5, burst: 30 },
	{ name: 'listTransactions', method: 'GET', path: '/finances/2024-06-19/transactions', spec: 'finances_2024-06-19.json', rate: 0.5, burst: 10 },
	{ name: 'getMarketplaceParticipations', method: 'GET', path: '/sellers/v1/marketplaceParticipations', spec: 'sellers_v1.json', rate: 0.016, burst: 15 },
];

/** Names that are recorded and can carry faults but are not SP-API operations. */
const EXTRA_OPERATIONS = ['lwaToken', 'uploadFeedDocument', 'downloadDocument'];

const OPERATION_NAMES = [...OPERATIONS.map((o) => o.name), ...EXTRA_OPERATIONS];

module.exports = { OPERATIONS, OPERATION_NAMES, EXTRA_OPERATIONS };
