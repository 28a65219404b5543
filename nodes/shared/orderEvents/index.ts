/**
 * Shopify order events (fulfillment created/updated, refund created, order cancelled): the shape
 * the Shopify Order Events Trigger emits and its consumers read (model.ts), the normalisers of
 * Shopify's REST webhook and GraphQL payloads (payloads.ts), and the linkage enrichment (enrich.ts).
 */
export * from './model';
export * from './payloads';
export * from './enrich';
