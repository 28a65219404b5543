/**
 * Shared set-up for the refund engine tests: a sandbox, an engine whose credentials point at it,
 * Amazon orders imported into Shopify with the pack's linkage and prices (as Create Shopify Order
 * does), refunds and cancellations made "by the merchant" in Shopify, and the two templates.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IRun, IWorkflowBase } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import refundsTemplate from '../../templates/shopify-refunds-to-amazon.json';
import amazonRefundsTemplate from '../../templates/amazon-refunds-to-shopify.json';
import { lineItemLinkProperties, linkageForOrderCreate } from '../../nodes/shared/linkage';
import type { RefundLedger } from '../../nodes/shared/refunds/ledger';
import { parseLedger } from '../../nodes/shared/refunds/ledger';
import { fromMinor, toMinor } from '../../nodes/shared/money';
import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { DOCUMENTS } from '../../nodes/shared/transport/shopify/documents';
import { resetShopifyBuckets } from '../../nodes/shared/transport/shopify/throttle';
import { createRng } from '../../sandbox/lib/rng';
import { buildOrder } from '../../sandbox/seed';
import { graphqlClient } from '../../sandbox/shopify/testing';
import type { Engine, FakeHttpResponse } from '../harness/engine';
import { invokeWebhook, itemsOf, runWebhookMethod, runWorkflow, TestNodeTypes } from '../harness/engine';
import { createEngine, loadNodeTypes, sandboxCredentialStore } from '../harness/pack';
import type { Sandbox } from '../harness/sandbox';
import { startTestSandbox } from '../harness/sandbox';
import { startWebhookForwarder } from '../harness/webhookForwarder';

/* eslint-disable @typescript-eslint/no-explicit-any -- sandbox state is untyped JSON */
export type AnyJson = any;

export const CHECK = 'Check Refund Eligibility';
export const SYNC = 'Sync Refund';
export const TRIGGER = 'Shopify Order Events Trigger';
export const ATTENTION = 'Needs Attention';
export const NOTIFY = 'Notify Merchant';

export const MARKETPLACES: Record<string, string> = { US: 'ATVPDKIKX0DER', JP: 'A1VC38T7YXB528', DE: 'A1PA6795UKMFR9', UK: 'A1F83G8C2ARO7P' };

/**
 * Stand-in for n8n-nodes-base.filter (v2): the templates route items whose `notifyMerchant` is true
 * to the notification. Evaluates boolean "is true"/"is false" conditions, which is all they use.
 */
class FilterStub implements INodeType {
	description = {
		displayName: 'Filter',
		name: 'filter',
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'test stub',
		defaults: { name: 'Filter' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const kept: INodeExecutionData[] = [];
		this.getInputData().forEach((item, i) => {
			const conditions = (this.getNodeParameter('conditions', i, {}) as { conditions?: Array<{ leftValue: unknown; operator: { operation: string } }> }).conditions ?? [];
			const pass = conditions.every((c) => (c.operator.operation === 'false' ? c.leftValue === false : c.leftValue === true));
			if (pass) kept.push({ json: item.json, pairedItem: { item: i } });
		});
		return [kept];
	}
}

export interface AmazonItemSpec {
	sku: string;
	quantity: number;
	unitPrice: string;
	shipping?: string;
	taxRate?: number;
}

export interface AmazonSpec {
	marketplace?: 'US' | 'JP' | 'DE' | 'UK';
	status: 'UNSHIPPED' | 'SHIPPED' | 'PARTIALLY_SHIPPED' | 'PENDING';
	fulfilledBy?: 'MERCHANT' | 'AMAZON';
	items: AmazonItemSpec[];
}

export interface Imported {
	amazonOrderId: string;
	shopifyOrderId: string;
	shopifyOrderName: string;
	currency: string;
	lines: Array<{ id: string; sku: string; orderItemId: string; quantity: number }>;
}

function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class RefundWorld {
	/** Executions started by real Shopify webhook deliveries (see activateWebhooks). */
	readonly webhookRuns: IRun[] = [];
	private readonly webhookStaticData: IDataObject = {};
	private forwarder?: Awaited<ReturnType<typeof startWebhookForwarder>>;
	private seeded = 0;
	private readonly gql: ReturnType<typeof graphqlClient>;
	private definitionReady = false;

	private constructor(
		readonly sb: Sandbox,
		readonly engine: Engine,
	) {
		this.gql = graphqlClient(sb.shopify, { token: sb.shopify.credentials.accessToken });
	}

	static async start(seed = 21, options: { sellerId?: string } = {}): Promise<RefundWorld> {
		resetAmazonBuckets();
		resetShopifyBuckets();
		const sb = await startTestSandbox({ clockScale: 1000, seed });
		const store = sandboxCredentialStore(sb);
		if (options.sellerId !== undefined) store.amazonSellingPartnerApi.sellerId = options.sellerId;
		const base = createEngine(store);
		const engine: Engine = { ...base, nodeTypes: new TestNodeTypes({ ...loadNodeTypes(), 'n8n-nodes-base.filter': new FilterStub() }) };
		return new RefundWorld(sb, engine);
	}

	async stop(): Promise<void> {
		await this.forwarder?.stop();
		await this.sb.stop();
	}

	/**
	 * Subscribes the template's trigger to Shopify's webhooks (checkExists, create) at a loopback
	 * forwarder; each delivery runs the trigger's webhook() and then the workflow, like n8n does.
	 */
	async activateWebhooks(workflow: IWorkflowBase): Promise<void> {
		this.forwarder ??= await startWebhookForwarder(async (request, reply) => {
			const { response } = await invokeWebhook(workflow, TRIGGER, this.engine, { headers: request.headers, rawBody: request.rawBody }, {
				staticData: this.webhookStaticData,
				onRespond: (http: FakeHttpResponse) => reply(http.statusCode, typeof http.body === 'string' ? http.body : JSON.stringify(http.body ?? '')),
			});
			const items = response.workflowData?.[0];
			if (items?.length) {
				const { run } = await runWorkflow(workflow, this.engine, { mode: 'webhook', startNode: TRIGGER, triggerItems: items });
				this.webhookRuns.push(run);
			}
		});
		const options = { staticData: this.webhookStaticData, webhookBaseUrl: this.forwarder.url };
		const exists = await runWebhookMethod(workflow, TRIGGER, 'checkExists', this.engine, options);
		if (!exists.result) await runWebhookMethod(workflow, TRIGGER, 'create', this.engine, options);
	}

	/** Waits until Shopify delivered everything and the executions it started finished. */
	async settleWebhooks(): Promise<void> {
		await this.sb.shopify.control.waitForWebhooks();
		await this.forwarder?.settled();
		if (this.forwarder?.errors.length) throw this.forwarder.errors[0] as Error;
	}

	// --------------------------------------------------------------------------- Amazon side

	seedAmazon(spec: AmazonSpec): string {
		const now = Date.now();
		const full = buildOrder(
			{ marketplace: spec.marketplace ?? 'US', status: spec.status, fulfilledBy: spec.fulfilledBy ?? 'MERCHANT', items: spec.items, createdTime: iso(now - 30 * 3600 * 1000) },
			{ now, rng: createRng(`refund-${this.seeded++}-${now}`) },
		);
		const [id] = this.sb.amazon.control.seedOrders([full]) as string[];
		return id;
	}

	amazonOrder(id: string): AnyJson {
		return this.sb.amazon.control.getOrder(id);
	}

	/** Feeds Amazon received, oldest first, with their parsed processing reports. */
	feeds(): AnyJson[] {
		return this.sb.amazon.control.feeds() as AnyJson[];
	}

	/** The XML documents uploaded to Amazon, oldest first. */
	uploadedDocuments(): string[] {
		return this.sb.amazon.control.recordedRequests({ operation: 'uploadFeedDocument' }).map((r: AnyJson) => String(r.body ?? ''));
	}

	amazonCalls(operation: string): number {
		return this.sb.amazon.control.recordedRequests({ operation }).length;
	}

	/** Refund events, including not yet visible ones. */
	financialEvents(orderId?: string): AnyJson[] {
		return this.sb.amazon.control.financialEvents(orderId) as AnyJson[];
	}

	/** Makes pending financial events visible (Amazon's lag) and finishes feeds. */
	advanceAmazon(ms = 4 * 3600 * 1000): void {
		this.sb.amazon.control.advanceTime(ms);
	}

	// -------------------------------------------------------------------------- Shopify side

	private async ensureDefinition(): Promise<void> {
		if (this.definitionReady) return;
		await this.gql(DOCUMENTS.CreateAmazonOrderIdDefinition, {});
		this.definitionReady = true;
	}

	/**
	 * The Amazon order in Shopify, priced like Create Shopify Order: presentment currency = the Amazon
	 * currency, line price = ITEM (+ its tax when the marketplace prices include tax) per unit, one
	 * shipping line, a SALE through the manual gateway "Amazon", and the pack's linkage.
	 */
	async importToShopify(amazonOrderId: string): Promise<Imported> {
		await this.ensureDefinition();
		const amazon = this.amazonOrder(amazonOrderId);
		const currency = amazon.proceeds?.grandTotal?.currencyCode ?? 'USD';
		const marketplaceId = amazon.salesChannel.marketplaceId as string;
		const taxesIncluded = ['JP', 'DE', 'UK'].some((k) => MARKETPLACES[k] === marketplaceId);
		const part = (item: AnyJson, type: string, subtype?: string): number => {
			let sum = 0;
			for (const b of item.proceeds?.breakdowns ?? []) {
				if (b.type !== type) continue;
				if (!subtype) sum += toMinor(b.subtotal.amount, currency);
				else for (const d of b.detailedBreakdowns ?? []) if (d.subtype === subtype) sum += toMinor(d.value.amount, currency);
			}
			return sum;
		};
		const money = (minor: number) => ({ shopMoney: { amount: fromMinor(minor, currency), currencyCode: currency }, presentmentMoney: { amount: fromMinor(minor, currency), currencyCode: currency } });
		let total = 0;
		let shipping = 0;
		let shippingTax = 0;
		const lineItems = amazon.orderItems.map((item: AnyJson) => {
			const qty = item.quantityOrdered as number;
			const price = part(item, 'ITEM');
			const tax = part(item, 'TAX', 'ITEM');
			shipping += part(item, 'SHIPPING');
			shippingTax += part(item, 'TAX', 'SHIPPING');
			const lineTotal = taxesIncluded ? price + tax : price;
			if (lineTotal % qty !== 0) throw new Error(`pick a unit price that divides: ${lineTotal} / ${qty}`);
			total += lineTotal + (taxesIncluded ? 0 : tax);
			return {
				title: item.product.sellerSku,
				sku: item.product.sellerSku,
				quantity: qty,
				priceSet: money(lineTotal / qty),
				requiresShipping: true,
				taxable: tax > 0,
				properties: lineItemLinkProperties(item.orderItemId, item.product.asin),
				...(tax > 0 ? { taxLines: [{ title: 'Tax', rate: '0.08', priceSet: money(tax) }] } : {}),
			};
		});
		const shippingPrice = taxesIncluded ? shipping + shippingTax : shipping;
		total += shippingPrice + (taxesIncluded ? 0 : shippingTax);
		const link = linkageForOrderCreate({ amazonOrderId, marketplaceId, fulfillmentChannel: amazon.fulfillment.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN' });
		const order: IDataObject = {
			presentmentCurrency: currency,
			...(currency !== 'USD' ? { currency: 'USD' } : { currency: 'USD' }),
			taxesIncluded,
			lineItems,
			...(shippingPrice > 0 ? { shippingLines: [{ title: 'Amazon Standard', code: 'Standard', source: 'amazon', priceSet: money(shippingPrice), ...(shippingTax > 0 ? { taxLines: [{ title: 'Tax', rate: '0.08', priceSet: money(shippingTax) }] } : {}) }] } : {}),
			transactions: [{ kind: 'SALE', status: 'SUCCESS', gateway: 'Amazon', amountSet: money(total) }],
			...link,
		};
		const result = await this.gql(DOCUMENTS.OrderCreate, { order, options: { sendReceipt: false, sendFulfillmentReceipt: false, inventoryBehaviour: 'BYPASS' } });
		const created = result.body?.data?.orderCreate;
		if (!created?.order) throw new Error(`orderCreate failed: ${JSON.stringify(result.body)}`);
		const state = this.shopifyOrder(created.order.id);
		return {
			amazonOrderId,
			shopifyOrderId: created.order.id,
			shopifyOrderName: created.order.name,
			currency,
			lines: state.lineItems.map((l: AnyJson, i: number) => ({ id: l.id, sku: l.sku, quantity: l.quantity, orderItemId: amazon.orderItems[i].orderItemId })),
		};
	}

	shopifyOrder(id: string): AnyJson {
		return this.sb.shopify.control.state().orders.find((o: AnyJson) => o.id === id);
	}

	ledger(shopifyOrderId: string): RefundLedger {
		const metafield = this.shopifyOrder(shopifyOrderId).metafields.find((m: AnyJson) => m.namespace === 'amazon' && m.key === 'refund_ledger');
		return parseLedger(metafield?.value);
	}

	shopifyRefunds(shopifyOrderId: string): AnyJson[] {
		return this.sb.shopify.control.state().refunds.filter((r: AnyJson) => r.orderId === shopifyOrderId);
	}

	customerNotifications(): AnyJson[] {
		return this.sb.shopify.control.state().customerNotifications as AnyJson[];
	}

	/** A refund made by the merchant in the Shopify admin (money back through the Amazon gateway). */
	refundInShopify(shopifyOrderId: string, opts: { lines?: Array<{ sku: string; quantity: number; restockType?: string }>; shippingAmount?: string; note?: string }): AnyJson {
		return this.sb.shopify.control.refundOrder(shopifyOrderId, {
			...(opts.lines ? { lineItems: opts.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, restockType: l.restockType ?? 'NO_RESTOCK' })) } : {}),
			...(opts.shippingAmount !== undefined ? { shippingAmount: opts.shippingAmount } : {}),
			...(opts.note ? { note: opts.note } : {}),
		});
	}

	cancelInShopify(shopifyOrderId: string, opts: { reason: string; refund: boolean }): AnyJson {
		return this.sb.shopify.control.cancelOrder(shopifyOrderId, { reason: opts.reason, refund: opts.refund });
	}

	// ------------------------------------------------------------------------- events, runs

	/** The Shopify Order Events Trigger's item for a refund (the fields its contract guarantees). */
	refundEvent(imported: Imported, refundId: string, webhookId = `wh-${refundId}`): IDataObject {
		return {
			event: 'refundCreated',
			topic: 'refunds/create',
			source: 'webhook',
			webhookId,
			dedupeKey: `refund:${refundId}`,
			shopifyOrder: { id: imported.shopifyOrderId, name: imported.shopifyOrderName, cancelledAt: null },
			isAmazonOrder: true,
			refund: { id: refundId },
		};
	}

	cancelEvent(imported: Imported, webhookId = `wh-cancel-${imported.shopifyOrderId}`): IDataObject {
		return {
			event: 'orderCancelled',
			topic: 'orders/cancelled',
			source: 'webhook',
			webhookId,
			dedupeKey: `orderCancelled:${imported.shopifyOrderId}`,
			shopifyOrder: { id: imported.shopifyOrderId, name: imported.shopifyOrderName, cancelledAt: new Date().toISOString() },
			isAmazonOrder: true,
		};
	}

	/** The refunds template with credentials selected; the trigger is replaced by a manual start. */
	refundsWorkflow(options: { sync?: IDataObject; check?: IDataObject; id?: string } = {}): IWorkflowBase {
		const workflow = JSON.parse(JSON.stringify(refundsTemplate)) as IWorkflowBase;
		workflow.id = options.id ?? 'refunds';
		for (const node of workflow.nodes) {
			if (node.name === TRIGGER) node.credentials = { shopifyAdminApi: { id: '1', name: 'Shopify' } };
			if (node.name === CHECK || node.name === SYNC) node.credentials = { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } };
			if (node.name === CHECK) Object.assign(node.parameters.options as IDataObject, options.check ?? {});
			// Tests never wait real minutes: Amazon polls every 20 ms, and the sandbox runs 1000x.
			if (node.name === SYNC) Object.assign(node.parameters.options as IDataObject, { pollEverySeconds: 0.02, batchWindowSeconds: 0, ...(options.sync ?? {}) });
			if (node.name === NOTIFY) node.disabled = false;
		}
		return workflow;
	}

	amazonRefundsWorkflow(options: { record?: IDataObject; pending?: IDataObject; only?: 'record' | 'pending' } = {}): IWorkflowBase {
		const workflow = JSON.parse(JSON.stringify(amazonRefundsTemplate)) as IWorkflowBase;
		workflow.id = 'amazon-refunds';
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-amazon-shopify.syncRefund') node.credentials = { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } };
			if (node.type === 'n8n-nodes-amazon-shopify.amazonOrderTrigger') node.credentials = { amazonSellingPartnerApi: { id: '2', name: 'Amazon' } };
			if (node.name === 'Record Amazon Refunds') Object.assign(node.parameters, options.record ?? {});
			if (node.name === 'Update Pending Results') Object.assign(node.parameters.options as IDataObject, { pollEverySeconds: 0.02, ...(options.pending ?? {}) });
			if (node.name === NOTIFY) node.disabled = false;
			if (options.only === 'pending' && node.name === 'Record Amazon Refunds') node.disabled = true;
			if (options.only === 'record' && node.name === 'Update Pending Results') node.disabled = true;
		}
		return workflow;
	}

	/** Runs the refunds template from its trigger with the given events. */
	async runEvents(events: IDataObject[], workflow = this.refundsWorkflow()): Promise<IRun> {
		const { run } = await runWorkflow(workflow, this.engine, { mode: 'webhook', startNode: TRIGGER, triggerItems: events.map((json) => ({ json })) });
		return run;
	}

	async runSchedule(workflow = this.amazonRefundsWorkflow()): Promise<IRun> {
		const { run } = await runWorkflow(workflow, this.engine, { mode: 'trigger', startNode: 'Every Hour', triggerItems: [{ json: {} }] });
		return run;
	}

	/** Runs the template's cancellation branch as if the Amazon Order Trigger emitted these orders. */
	async runAmazonCancellations(amazonOrderIds: string[]): Promise<IRun> {
		const { run } = await runWorkflow(this.amazonRefundsWorkflow(), this.engine, { mode: 'trigger', startNode: 'Amazon Order Trigger', triggerItems: amazonOrderIds.map((amazonOrderId) => ({ json: { event: 'cancelled', amazonOrderId } })) });
		return run;
	}
}

/** JSON of an output of a node, or [] when the node did not run. */
export function out(run: IRun, node: string, output = 0): AnyJson[] {
	return run.data.resultData.runData[node] ? itemsOf(run, node, output).map((i) => i.json as AnyJson) : [];
}

/** Every run's items of a node output (a node fed by two connections runs twice). */
export function allOut(run: IRun, node: string, output = 0): AnyJson[] {
	return (run.data.resultData.runData[node] ?? []).flatMap((task) => (task.data?.main?.[output] ?? []).map((i) => i.json as AnyJson));
}

export function runError(run: IRun): string | undefined {
	const error = run.data.resultData.error;
	return error ? `${error.message} ${(error as { description?: string }).description ?? ''}` : undefined;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
