require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const { startSandbox } = require('./sandbox');
const { graphqlClient, startWebhookReceiver } = require('./sandbox/shopify/testing');
const { DOCUMENTS } = require('./nodes/shared/transport/shopify/documents.ts');
const { linkageForOrderCreate, lineItemLinkProperties } = require('./nodes/shared/linkage');
(async () => {
  const sb = await startSandbox({ clockScale: 1000, seed: 3 });
  try {
    const [id] = sb.amazon.control.seedOrders([{ marketplace: 'US', status: 'UNSHIPPED', items: [{ sku: 'ABC-1', quantity: 2, unitPrice: '10.00' }, { sku: 'XYZ-2', quantity: 1, unitPrice: '5.00' }] }]);
    const ao = sb.amazon.control.getOrder(id);
    console.log(id, ao.fulfillment, ao.orderItems.map(i => [i.orderItemId, i.quantityOrdered]));
    const gql = graphqlClient(sb.shopify, { token: sb.shopify.credentials.accessToken });
    const link = linkageForOrderCreate({ amazonOrderId: id, marketplaceId: 'ATVPDKIKX0DER', fulfillmentChannel: 'MFN' });
    const order = {
      currency: 'USD', sourceName: 'amazon', ...link,
      customAttributes: [{ key: 'Latest ship date', value: ao.fulfillment.shipByWindow.latestDateTime }, { key: 'Amazon programs', value: 'none' }],
      lineItems: ao.orderItems.map(i => ({ title: i.product.title ?? i.product.sellerSku, sku: i.product.sellerSku, quantity: i.quantityOrdered, priceSet: { shopMoney: { amount: '10.00', currencyCode: 'USD' } }, requiresShipping: true, properties: lineItemLinkProperties(i.orderItemId, i.product.asin) })),
    };
    const r = await gql(DOCUMENTS.OrderCreate, { order, options: { sendReceipt: false, sendFulfillmentReceipt: false, inventoryBehaviour: 'BYPASS' } });
    console.log(JSON.stringify(r.body).slice(0, 800));
    const recv = await startWebhookReceiver();
    const sub = await gql(DOCUMENTS.WebhookSubscriptionCreate, { topic: 'FULFILLMENTS_CREATE', uri: recv.url, includeFields: ['id','admin_graphql_api_id','order_id','name','status','created_at','updated_at','tracking_company','tracking_numbers','tracking_urls','line_items'] });
    console.log(JSON.stringify(sub.body));
    const f = sb.shopify.control.fulfillOrder(r.body.data.orderCreate.order.id, { tracking: { company: 'UPS', number: '1Z999AA10123456784' } });
    console.log(JSON.stringify(f));
    await sb.shopify.control.waitForWebhooks();
    console.log(recv.received.length, JSON.stringify(recv.received[0]?.headers), recv.received[0]?.rawBody.slice(0, 1500));
    await recv.stop();
  } finally { await sb.stop(); }
})().catch(e => { console.error(e); process.exit(1); });
