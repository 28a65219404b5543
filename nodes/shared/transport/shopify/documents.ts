/**
 * Every GraphQL document the pack sends, by operation name. Keeping them in one module lets the
 * contract tests validate all of them against Shopify's schema, and keeps query costs visible.
 * Selections are kept small on purpose: cost points are the Shopify budget of every import.
 */
export const DOCUMENTS = {
	ShopInfo: /* GraphQL */ `
		query ShopInfo {
			shop { id name myshopifyDomain currencyCode ianaTimezone plan { partnerDevelopment shopifyPlus } }
		}`,

	FindVariantsBySkus: /* GraphQL */ `
		query FindVariantsBySkus($query: String!, $first: Int!) {
			productVariants(first: $first, query: $query) {
				nodes { id sku title inventoryItem { tracked } product { title } }
			}
		}`,

	AmazonOrderIdDefinition: /* GraphQL */ `
		query AmazonOrderIdDefinition {
			metafieldDefinitions(first: 1, ownerType: ORDER, namespace: "amazon", key: "order_id") {
				nodes { id capabilities { uniqueValues { enabled } } }
			}
		}`,

	CreateAmazonOrderIdDefinition: /* GraphQL */ `
		mutation CreateAmazonOrderIdDefinition {
			metafieldDefinitionCreate(
				definition: {
					name: "Amazon order ID"
					namespace: "amazon"
					key: "order_id"
					type: "id"
					ownerType: ORDER
					description: "Amazon order ID (unique): links the Shopify order to its Amazon order"
					capabilities: { uniqueValues: { enabled: true } }
				}
			) {
				createdDefinition { id }
				userErrors { field message code }
			}
		}`,

	OrderByAmazonId: /* GraphQL */ `
		query OrderByAmazonId($value: String!) {
			orderByIdentifier(identifier: { customId: { namespace: "amazon", key: "order_id", value: $value } }) {
				id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
				totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
			}
		}`,

	FindOrderBySourceIdentifier: /* GraphQL */ `
		query FindOrderBySourceIdentifier($query: String!) {
			orders(first: 5, query: $query, sortKey: CREATED_AT, reverse: true) {
				nodes {
					id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
					totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
				}
			}
		}`,

	OrderCreate: /* GraphQL */ `
		mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
			orderCreate(order: $order, options: $options) {
				order {
					id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
					totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
				}
				userErrors { field message code }
			}
		}`,

	// Create Shopify Order: the import itself. Lean on purpose (13 points): the totals were checked before.
	ImportAmazonOrder: /* GraphQL */ `
		mutation ImportAmazonOrder($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
			orderCreate(order: $order, options: $options) {
				order { id legacyResourceId name totalPriceSet { presentmentMoney { amount currencyCode } } }
				userErrors { field message code }
			}
		}`,

	// Create Shopify Order: an order imported as already shipped on Amazon (merchant-fulfilled) gets
	// Amazon's carrier and tracking on the fulfillment orderCreate made, without notifying anyone.
	ImportedOrderFulfillments: /* GraphQL */ `
		query ImportedOrderFulfillments($id: ID!) {
			order(id: $id) { id fulfillments(first: 5) { id status } }
		}`,

	ImportedOrderTracking: /* GraphQL */ `
		mutation ImportedOrderTracking($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!) {
			fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: false) {
				fulfillment { id }
				userErrors { field message }
			}
		}`,

	// Create Shopify Order: the variants of an order's SKUs, one query per order (1 point per variant).
	ResolveVariantSkus: /* GraphQL */ `
		query ResolveVariantSkus($query: String!, $first: Int!) {
			productVariants(first: $first, query: $query) { nodes { id sku } }
		}`,

	// Create Shopify Order: the sourceIdentifier fallback of the linkage, for many Amazon orders at once.
	FindOrdersBySourceIdentifiers: /* GraphQL */ `
		query FindOrdersBySourceIdentifiers($query: String!, $first: Int!) {
			orders(first: $first, query: $query) {
				nodes { id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus }
			}
		}`,

	OrderAmazonMapping: /* GraphQL */ `
		query OrderAmazonMapping($id: ID!) {
			order(id: $id) {
				id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
				amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value }
				amazonMarketplaceId: metafield(namespace: "amazon", key: "marketplace_id") { value }
				amazonFulfillmentChannel: metafield(namespace: "amazon", key: "fulfillment_channel") { value }
				amazonRefundLedger: metafield(namespace: "amazon", key: "refund_ledger") { value }
				cancelReason updatedAt currencyCode presentmentCurrencyCode
				customAttributes { key value }
				lineItems(first: 100) { nodes { id sku quantity customAttributes { key value } } }
			}
		}`,

	// Shopify Order Events Trigger, polling mode: what changed since the cursor (cheap; details per event below).
	OrderEventsPage: /* GraphQL */ `
		query OrderEventsPage($query: String!, $first: Int!, $after: String) {
			orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
				pageInfo { hasNextPage endCursor }
				nodes {
					id legacyResourceId updatedAt cancelledAt
					fulfillments(first: 20) { id updatedAt }
					refunds(first: 20) { id createdAt }
				}
			}
		}`,

	// One changed fulfillment with its order's Amazon linkage (same selection as OrderAmazonMapping).
	FulfillmentEventDetails: /* GraphQL */ `
		query FulfillmentEventDetails($orderId: ID!, $fulfillmentId: ID!) {
			order(id: $orderId) {
				id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
				amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value }
				amazonMarketplaceId: metafield(namespace: "amazon", key: "marketplace_id") { value }
				amazonFulfillmentChannel: metafield(namespace: "amazon", key: "fulfillment_channel") { value }
				amazonRefundLedger: metafield(namespace: "amazon", key: "refund_ledger") { value }
				cancelReason updatedAt currencyCode presentmentCurrencyCode
				customAttributes { key value }
				lineItems(first: 100) { nodes { id sku quantity customAttributes { key value } } }
			}
			fulfillment(id: $fulfillmentId) {
				id legacyResourceId name status createdAt updatedAt
				trackingInfo(first: 10) { company number url }
				fulfillmentLineItems(first: 50) { nodes { quantity lineItem { id sku } } }
			}
		}`,

	// One new refund with its order's Amazon linkage (same selection as OrderAmazonMapping).
	RefundEventDetails: /* GraphQL */ `
		query RefundEventDetails($orderId: ID!, $refundId: ID!) {
			order(id: $orderId) {
				id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
				amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value }
				amazonMarketplaceId: metafield(namespace: "amazon", key: "marketplace_id") { value }
				amazonFulfillmentChannel: metafield(namespace: "amazon", key: "fulfillment_channel") { value }
				amazonRefundLedger: metafield(namespace: "amazon", key: "refund_ledger") { value }
				cancelReason updatedAt currencyCode presentmentCurrencyCode
				customAttributes { key value }
				lineItems(first: 100) { nodes { id sku quantity customAttributes { key value } } }
			}
			refund(id: $refundId) {
				id legacyResourceId createdAt processedAt note
				totalRefundedSet { presentmentMoney { amount currencyCode } }
				refundLineItems(first: 30) {
					nodes {
						id quantity restockType location { id } lineItem { id sku }
						subtotalSet { presentmentMoney { amount currencyCode } }
						totalTaxSet { presentmentMoney { amount currencyCode } }
					}
				}
				refundShippingLines(first: 5) {
					nodes {
						subtotalAmountSet { presentmentMoney { amount currencyCode } }
						taxAmountSet { presentmentMoney { amount currencyCode } }
					}
				}
				transactions(first: 10) {
					nodes { id kind status gateway processedAt amountSet { presentmentMoney { amount currencyCode } } parentTransaction { id } }
				}
			}
		}`,

	// ---- refunds (Check Refund Eligibility, Sync Refund): nodes/shared/refunds/*
	RefundOrderContext: /* GraphQL */ `
		query RefundOrderContext($id: ID!) {
			order(id: $id) {
				id legacyResourceId name sourceIdentifier tags note cancelledAt cancelReason
				currencyCode presentmentCurrencyCode taxesIncluded
				amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value }
				amazonMarketplaceId: metafield(namespace: "amazon", key: "marketplace_id") { value }
				amazonFulfillmentChannel: metafield(namespace: "amazon", key: "fulfillment_channel") { value }
				amazonRefundLedger: metafield(namespace: "amazon", key: "refund_ledger") { value compareDigest }
				totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
				lineItems(first: 50) { nodes { id sku name quantity refundableQuantity customAttributes { key value } } }
				transactions(first: 20) {
					id kind status gateway manualPaymentGateway
					amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
				}
				refunds(first: 30) {
					id createdAt note
					totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
				}
			}
		}`,

	RefundDetail: /* GraphQL */ `
		query RefundDetail($id: ID!) {
			refund(id: $id) {
				id createdAt note
				order { id }
				totalRefundedSet { presentmentMoney { amount currencyCode } }
				refundLineItems(first: 50) {
					pageInfo { hasNextPage }
					nodes {
						quantity restockType lineItem { id }
						subtotalSet { presentmentMoney { amount currencyCode } }
						totalTaxSet { presentmentMoney { amount currencyCode } }
					}
				}
				refundShippingLines(first: 5) {
					nodes {
						subtotalAmountSet { presentmentMoney { amount currencyCode } }
						taxAmountSet { presentmentMoney { amount currencyCode } }
					}
				}
				transactions(first: 10) {
					nodes { id kind status gateway amountSet { presentmentMoney { amount currencyCode } } }
				}
				return { id }
			}
		}`,

	RefundLedgers: /* GraphQL */ `
		query RefundLedgers($ids: [ID!]!) {
			nodes(ids: $ids) {
				... on Order {
					id name tags note
					amazonRefundLedger: metafield(namespace: "amazon", key: "refund_ledger") { value compareDigest }
				}
			}
		}`,

	RefundLedgersSet: /* GraphQL */ `
		mutation RefundLedgersSet($metafields: [MetafieldsSetInput!]!) {
			metafieldsSet(metafields: $metafields) {
				metafields { key namespace compareDigest owner { ... on Order { id } } }
				userErrors { field message code elementIndex }
			}
		}`,

	RefundCreate: /* GraphQL */ `
		mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
			refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
				refund { id createdAt note totalRefundedSet { presentmentMoney { amount currencyCode } } }
				userErrors { field message }
			}
		}`,

	TagsRemove: /* GraphQL */ `
		mutation TagsRemove($id: ID!, $tags: [String!]!) {
			tagsRemove(id: $id, tags: $tags) {
				node { id }
				userErrors { field message }
			}
		}`,

	RefundOrderCancel: /* GraphQL */ `
		mutation RefundOrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $staffNote: String, $refundMethod: OrderCancelRefundMethodInput) {
			orderCancel(orderId: $orderId, reason: $reason, restock: $restock, notifyCustomer: false, staffNote: $staffNote, refundMethod: $refundMethod) {
				job { id done }
				orderCancelUserErrors { field message code }
			}
		}`,

	OrderIdsByQuery: /* GraphQL */ `
		query OrderIdsByQuery($query: String!, $first: Int!) {
			orders(first: $first, query: $query, sortKey: UPDATED_AT, reverse: true) { nodes { id } }
		}`,

	MetafieldsSet: /* GraphQL */ `
		mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
			metafieldsSet(metafields: $metafields) {
				metafields { key namespace value }
				userErrors { field message code }
			}
		}`,

	TagsAdd: /* GraphQL */ `
		mutation TagsAdd($id: ID!, $tags: [String!]!) {
			tagsAdd(id: $id, tags: $tags) {
				node { id }
				userErrors { field message }
			}
		}`,

	OrderUpdate: /* GraphQL */ `
		mutation OrderUpdate($input: OrderInput!) {
			orderUpdate(input: $input) {
				order { id note }
				userErrors { field message }
			}
		}`,

	WebhookSubscriptions: /* GraphQL */ `
		query WebhookSubscriptions($topics: [WebhookSubscriptionTopic!], $uri: String) {
			webhookSubscriptions(first: 50, topics: $topics, uri: $uri) {
				nodes { id topic uri }
			}
		}`,

	WebhookSubscriptionCreate: /* GraphQL */ `
		mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!, $filter: String, $includeFields: [String!]) {
			webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON, filter: $filter, includeFields: $includeFields }) {
				webhookSubscription { id topic uri }
				userErrors { field message }
			}
		}`,

	WebhookSubscriptionDelete: /* GraphQL */ `
		mutation WebhookSubscriptionDelete($id: ID!) {
			webhookSubscriptionDelete(id: $id) {
				deletedWebhookSubscriptionId
				userErrors { field message }
			}
		}`,
} as const;

export type DocumentName = keyof typeof DOCUMENTS;

export function isMutation(name: DocumentName): boolean {
	return /^\s*mutation\b/.test(DOCUMENTS[name]);
}
