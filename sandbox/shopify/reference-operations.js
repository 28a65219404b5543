// @ts-check
'use strict';

/**
 * The GraphQL operations of the research notes (shared/reference/shopify.md §11, "Validated operation
 * texts"), verbatim, with their sample variables. The sandbox tests send exactly these documents, and
 * tools/make-subset.js makes sure the fallback subset schema covers them.
 * @typedef {{ id: string, title: string, query: string, variables?: Record<string, unknown> }} ReferenceOperation
 */

/** @type {ReferenceOperation[]} */
const REFERENCE_OPERATIONS = [
	{
		id: 'op16',
		title: "Credential test / dev-store detection",
		query: `query ShopInfo {
  shop { id name myshopifyDomain currencyCode ianaTimezone plan { partnerDevelopment shopifyPlus } }
  currentAppInstallation { accessScopes { handle } }
}`,
	},
	{
		id: 'op01',
		title: "Variant by SKU",
		query: `query FindVariantBySku($query: String!) {
  productVariants(first: 5, query: $query) {
    nodes {
      id
      sku
      title
      price
      inventoryItem { id tracked }
      product { id title status }
    }
  }
}`,
		variables: {"query": "sku:\"SKU-1\""},
	},
	{
		id: 'op17',
		title: "One-time setup: unique Amazon-order-ID definition on orders",
		query: `mutation CreateAmazonOrderIdDefinition {
  metafieldDefinitionCreate(
    definition: {
      name: "Amazon order ID"
      namespace: "amazon"
      key: "order_id"
      type: "id"
      ownerType: ORDER
      description: "Amazon order ID (unique) used for idempotent imports"
      capabilities: { uniqueValues: { enabled: true } }
    }
  ) {
    createdDefinition { id namespace key type { name } capabilities { uniqueValues { enabled eligible } } }
    userErrors { field message code }
  }
}`,
	},
	{
		id: 'op03',
		title: "Idempotency lookup by custom ID (preferred)",
		query: `query OrderByAmazonId($namespace: String!, $key: String!, $value: String!) {
  orderByIdentifier(identifier: { customId: { namespace: $namespace, key: $key, value: $value } }) {
    id
    name
    sourceIdentifier
  }
}`,
		variables: {"namespace": "amazon", "key": "order_id", "value": "113-1234567-1234567"},
	},
	{
		id: 'op02',
		title: "Idempotency lookup by sourceIdentifier (fallback)",
		query: `query FindOrderBySourceIdentifier($query: String!) {
  orders(first: 5, query: $query, sortKey: CREATED_AT, reverse: true) {
    nodes {
      id
      name
      sourceName
      sourceIdentifier
      tags
      createdAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      customAttributes { key value }
    }
  }
}`,
		variables: {"query": "source_identifier:\"113-1234567-1234567\" status:any"},
	},
	{
		id: 'op04',
		title: "orderCreate",
		query: `mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    order {
      id
      legacyResourceId
      name
      sourceName
      sourceIdentifier
      tags
      displayFinancialStatus
      displayFulfillmentStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 50) { nodes { id sku quantity variant { id } } }
    }
    userErrors { field message code }
  }
}`,
		variables: {"order": {"sourceName": "amazon", "sourceIdentifier": "113-1234567-1234567", "sourceUrl": "https://sellercentral.amazon.com/orders-v3/order/113-1234567-1234567", "name": "AMZ-113-1234567-1234567", "processedAt": "2026-11-20T10:00:00Z", "currency": "USD", "presentmentCurrency": "USD", "email": "buyer@marketplace.amazon.com", "phone": "+12065550100", "tags": ["amazon", "amazon-mfn"], "note": "Imported from Amazon", "customAttributes": [{"key": "amazon_order_id", "value": "113-1234567-1234567"}], "metafields": [{"namespace": "amazon", "key": "order_id", "type": "id", "value": "113-1234567-1234567"}], "financialStatus": "PAID", "taxesIncluded": false, "test": false, "lineItems": [{"variantId": "gid://shopify/ProductVariant/1", "sku": "SKU-1", "quantity": 2, "priceSet": {"shopMoney": {"amount": "19.99", "currencyCode": "USD"}}, "taxLines": [{"title": "Sales tax", "rate": "0.07", "channelLiable": true, "priceSet": {"shopMoney": {"amount": "2.80", "currencyCode": "USD"}}}]}, {"title": "Unmapped Amazon item", "sku": "AMZ-SKU-9", "quantity": 1, "requiresShipping": true, "taxable": true, "priceSet": {"shopMoney": {"amount": "5.00", "currencyCode": "USD"}}, "properties": [{"name": "ASIN", "value": "B000000000"}]}], "shippingLines": [{"title": "Amazon Standard", "code": "Standard", "source": "amazon", "priceSet": {"shopMoney": {"amount": "4.99", "currencyCode": "USD"}}}], "shippingAddress": {"firstName": "Jane", "lastName": "Doe", "address1": "1 Main St", "city": "Seattle", "provinceCode": "WA", "countryCode": "US", "zip": "98101", "phone": "+12065550100"}, "billingAddress": {"firstName": "Jane", "lastName": "Doe", "address1": "1 Main St", "city": "Seattle", "provinceCode": "WA", "countryCode": "US", "zip": "98101"}, "customer": {"toUpsert": {"email": "buyer@marketplace.amazon.com", "firstName": "Jane", "lastName": "Doe", "tags": ["amazon"]}}, "transactions": [{"kind": "SALE", "status": "SUCCESS", "gateway": "amazon", "processedAt": "2026-11-20T10:00:00Z", "amountSet": {"shopMoney": {"amount": "47.78", "currencyCode": "USD"}}}]}, "options": {"inventoryBehaviour": "DECREMENT_IGNORING_POLICY", "sendReceipt": false, "sendFulfillmentReceipt": false}},
	},
	{
		id: 'op18',
		title: "Webhook enrichment: map a Shopify order back to Amazon",
		query: `query OrderAmazonMapping($id: ID!) {
  order(id: $id) {
    id
    name
    sourceIdentifier
    tags
    cancelledAt
    displayFulfillmentStatus
    amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value }
    lineItems(first: 100) {
      nodes { id sku quantity customAttributes { key value } }
    }
  }
}`,
		variables: {"id": "gid://shopify/Order/1"},
	},
	{
		id: 'op09',
		title: "Fulfillment orders of an order (input for fulfillmentCreate)",
		query: `query FulfillmentOrdersForOrder($id: ID!) {
  order(id: $id) {
    id
    fulfillmentOrders(first: 20) {
      nodes {
        id
        status
        requestStatus
        assignedLocation { location { id name } }
        supportedActions { action }
        lineItems(first: 50) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } }
      }
    }
  }
}`,
	},
	{
		id: 'op10',
		title: "fulfillmentCreate",
		query: `mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment {
      id
      status
      createdAt
      trackingInfo(first: 10) { company number url }
    }
    userErrors { field message }
  }
}`,
		variables: {"fulfillment": {"notifyCustomer": false, "trackingInfo": {"company": "UPS", "number": "1Z999AA10123456784", "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784"}, "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1", "fulfillmentOrderLineItems": [{"id": "gid://shopify/FulfillmentOrderLineItem/1", "quantity": 1}]}]}},
	},
	{
		id: 'op12',
		title: "Read fulfillments and tracking",
		query: `query OrderFulfillments($id: ID!) {
  order(id: $id) {
    id
    name
    sourceIdentifier
    displayFulfillmentStatus
    fulfillments(first: 20) {
      id
      name
      status
      displayStatus
      createdAt
      updatedAt
      deliveredAt
      trackingInfo(first: 10) { company number url }
      location { id name }
      fulfillmentLineItems(first: 50) { nodes { id quantity lineItem { id sku } } }
    }
  }
}`,
	},
	{
		id: 'op06',
		title: "suggestedRefund",
		query: `query SuggestedRefund($id: ID!, $refundLineItems: [RefundLineItemInput!], $refundShipping: Boolean) {
  order(id: $id) {
    id
    suggestedRefund(refundLineItems: $refundLineItems, refundShipping: $refundShipping) {
      amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      subtotalSet { shopMoney { amount currencyCode } }
      totalTaxSet { shopMoney { amount currencyCode } }
      shipping { amountSet { shopMoney { amount currencyCode } } maximumRefundableSet { shopMoney { amount } } }
      refundLineItems { lineItem { id sku } quantity restockType }
      suggestedTransactions { amountSet { shopMoney { amount currencyCode } } gateway kind parentTransaction { id } }
    }
  }
}`,
		variables: {"id": "gid://shopify/Order/1", "refundLineItems": [{"lineItemId": "gid://shopify/LineItem/1", "quantity": 1, "restockType": "RETURN", "locationId": "gid://shopify/Location/1"}], "refundShipping": false},
	},
	{
		id: 'op07',
		title: "refundCreate (idempotent)",
		query: `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund {
      id
      createdAt
      note
      totalRefundedSet { shopMoney { amount currencyCode } }
      refundLineItems(first: 50) { nodes { lineItem { id sku } quantity restockType } }
      transactions(first: 10) { nodes { id kind status gateway amountSet { shopMoney { amount currencyCode } } } }
    }
    userErrors { field message }
  }
}`,
		variables: {"idempotencyKey": "amazon-refund-113-1234567-1234567-adj-1", "input": {"orderId": "gid://shopify/Order/1", "note": "Amazon refund", "notify": false, "refundLineItems": [{"lineItemId": "gid://shopify/LineItem/1", "quantity": 1, "restockType": "NO_RESTOCK"}], "shipping": {"amount": "4.99"}, "transactions": [{"orderId": "gid://shopify/Order/1", "parentId": "gid://shopify/OrderTransaction/1", "kind": "REFUND", "gateway": "amazon", "amount": "24.98"}]}},
	},
	{
		id: 'op08',
		title: "orderCancel",
		query: `mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String, $refundMethod: OrderCancelRefundMethodInput) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote, refundMethod: $refundMethod) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}`,
		variables: {"orderId": "gid://shopify/Order/1", "reason": "CUSTOMER", "restock": true, "notifyCustomer": false, "staffNote": "Cancelled on Amazon", "refundMethod": {"originalPaymentMethodsRefund": true}},
	},
	{
		id: 'op13',
		title: "webhookSubscriptionCreate",
		query: `mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!, $includeFields: [String!], $filter: String) {
  webhookSubscriptionCreate(
    topic: $topic
    webhookSubscription: { uri: $uri, format: JSON, includeFields: $includeFields, filter: $filter }
  ) {
    webhookSubscription { id topic uri format filter includeFields apiVersion { handle } createdAt }
    userErrors { field message }
  }
}`,
		variables: {"topic": "FULFILLMENTS_CREATE", "uri": "https://n8n.example.com/webhook/abc/webhook"},
	},
	{
		id: 'op15a',
		title: "List and delete subscriptions (trigger checkExists and delete) (list)",
		query: `query WebhookSubscriptions($topics: [WebhookSubscriptionTopic!], $uri: String) {
  webhookSubscriptions(first: 50, topics: $topics, uri: $uri) {
    nodes { id topic uri format filter includeFields createdAt apiVersion { handle } }
  }
}`,
	},
	{
		id: 'op15b',
		title: "List and delete subscriptions (trigger checkExists and delete) (delete)",
		query: `mutation WebhookSubscriptionDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`,
	},
];

module.exports = { REFERENCE_OPERATIONS };
