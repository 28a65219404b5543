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

	OrderAmazonMapping: /* GraphQL */ `
		query OrderAmazonMapping($id: ID!) {
			order(id: $id) {
				id legacyResourceId name sourceIdentifier tags cancelledAt displayFulfillmentStatus
				amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value }
				amazonMarketplaceId: metafield(namespace: "amazon", key: "marketplace_id") { value }
				amazonFulfillmentChannel: metafield(namespace: "amazon", key: "fulfillment_channel") { value }
				amazonRefundLedger: metafield(namespace: "amazon", key: "refund_ledger") { value }
				lineItems(first: 100) { nodes { id sku quantity customAttributes { key value } } }
			}
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
		mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!, $filter: String) {
			webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON, filter: $filter }) {
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
