/**
 * Default SP-API usage plans (requests per second, burst), from the API models' descriptions.
 * Amazon may grant a seller a different rate; the client adopts `x-amzn-RateLimit-Limit` when sent.
 */
export const AMAZON_USAGE_PLANS = {
	searchOrders: { rate: 0.0056, burst: 20 },
	getOrder: { rate: 0.5, burst: 30 },
	confirmShipment: { rate: 2, burst: 10 },
	createFeedDocument: { rate: 0.5, burst: 15 },
	createFeed: { rate: 0.0083, burst: 15 },
	getFeed: { rate: 2, burst: 15 },
	getFeeds: { rate: 0.0222, burst: 10 },
	getFeedDocument: { rate: 0.0222, burst: 10 },
	listFinancialEventsByOrderId: { rate: 0.5, burst: 30 },
	listTransactions: { rate: 0.5, burst: 10 },
	getMarketplaceParticipations: { rate: 0.016, burst: 15 },
} as const;

export type AmazonOperation = keyof typeof AMAZON_USAGE_PLANS;
