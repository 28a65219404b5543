/**
 * Shared set-up for the Shopify → Amazon fulfillment engine tests: a sandbox, an engine whose
 * credentials point at it, Amazon orders imported into Shopify with the pack's linkage, and the
 * template workflow wired to the sandbox's webhook deliveries through a loopback forwarder.
 */
import type { IDataObject, INodeExecutionData, IRun, IWorkflowBase } from 'n8n-workflow';

import fulfillmentTemplate from '../../templates/shopify-fulfillments-to-amazon.json';
import { lineItemLinkProperties, linkageForOrderCreate } from '../../nodes/shared/linkage';
import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { DOCUMENTS } from '../../nodes/shared/transport/shopify/documents';
import { resetShopifyBuckets } from '../../nodes/shared/transport/shopify/throttle';
import { createRng } from '../../sandbox/lib/rng';
import { buildOrder } from '../../sandbox/seed';
import { graphqlClient } from '../../sandbox/shopify/testing';
import type { Engine, FakeHttpResponse } from '../harness/engine';
import { invokeWebhook, itemsOf, pollOnce, runWebhookMethod, runWorkflow } from '../harness/engine';
import { createEngine, sandboxCredentialStore } from '../harness/pack';
import type { Sandbox } from '../harness/sandbox';
import { startTestSandbox } from '../harness/sandbox';
import { startWebhookForwarder } from '../harness/webhookForwarder';

export const US = 'ATVPDKIKX0DER';
export const TRIGGER = 'Shopify Order Events Trigger';
export const MARK = 'Mark Amazon Fulfilled';
export const CONFIRMED = 'Confirmed on Amazon';
export const SKIPPED = 'Skipped';
export const NOTIFY = 'Notify Merchant';

/** Credentials selected on every node of the pack in a template (as a user does after importing it). */
export function withCredentials(workflow: IWorkflowBase): IWorkflowBase {
	const copy = JSON.parse(JSON.stringify(workflow)) as IWorkflowBase;
	for (const node of copy.nodes) {
		if (!node.type.startsWith('n8n-nodes-amazon-shopify.')) continue;
		node.credentials = { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } };
	}
	return copy;
}

const HOUR = 3_600_000;

/* eslint-disable @typescript-eslint/no-explicit-any -- sandbox state is untyped JSON */
export type AnyJson = any;

/** The template as a user has it after selecting credentials (and optionally changing parameters). */
export function fulfillmentWorkflow(
	overrides: { trigger?: IDataObject; mark?: IDataObject; markOptions?: IDataObject } = {},
): IWorkflowBase {
	const workflow = JSON.parse(JSON.stringify(fulfillmentTemplate)) as IWorkflowBase;
	for (const node of workflow.nodes) {
		if (node.name === TRIGGER) {
			node.credentials = { shopifyAdminApi: { id: '1', name: 'Shopify' } };
			Object.assign(node.parameters, overrides.trigger ?? {});
		}
		if (node.name === MARK) {
			node.credentials = { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } };
			Object.assign(node.parameters, overrides.mark ?? {});
			Object.assign(node.parameters.options as IDataObject, overrides.markOptions ?? {});
		}
	}
	return workflow;
}

export interface AmazonSpec {
	items: Array<{ sku: string; quantity: number; unitPrice?: string }>;
	fulfilledBy?: 'MERCHANT' | 'AMAZON';
	programs?: string[];
	/** Hours from now to the latest ship date (negative: already late). Default +20. */
	shipByInHours?: number;
	status?: 'UNSHIPPED' | 'SHIPPED' | 'PENDING';
}

export interface ImportOptions {
	/** full: as Create Shopify Order links it; tagOnly: tagged Amazon, no order id; none: a plain Shopify order. */
	linkage?: 'full' | 'tagOnly' | 'none';
	/** Write the "Latest ship date" / "Amazon programs" attributes (Create Shopify Order does). */
	attributes?: boolean;
	/** Replace an Amazon OrderItemId in the line properties (a broken link). */
	orderItemIdOverride?: Record<string, string>;
	/** Extra Shopify line without an Amazon link. */
	extraLine?: boolean;
	/** Override the "Amazon programs" attribute (what the import recorded). */
	programsAttribute?: string;
}

export interface Imported {
	amazonOrderId: string;
	shopifyOrderId: string;
	shopifyOrderName: string;
	lineItems: Array<{ id: string; sku: string; orderItemId: string; quantity: number }>;
	latestShipDate: string;
}

export class FulfillmentWorld {
	readonly staticData: IDataObject = {};
	readonly runs: IRun[] = [];
	/** Time from the request reaching n8n to the node's answer, per delivery (ms). */
	readonly ackMs: number[] = [];
	private seeded = 0;
	private readonly active = new Map<string, { workflow: IWorkflowBase; staticData: IDataObject }>();
	private forwarder?: Awaited<ReturnType<typeof startWebhookForwarder>>;
	private gql: ReturnType<typeof graphqlClient>;

	private constructor(
		readonly sb: Sandbox,
		readonly engine: Engine,
	) {
		this.gql = graphqlClient(sb.shopify, { token: sb.shopify.credentials.accessToken });
	}

	static async start(seed = 11): Promise<FulfillmentWorld> {
		resetAmazonBuckets();
		resetShopifyBuckets();
		const sb = await startTestSandbox({ clockScale: 1000, seed });
		return new FulfillmentWorld(sb, createEngine(sandboxCredentialStore(sb)));
	}

	async stop(): Promise<void> {
		await this.forwarder?.stop();
		await this.sb.stop();
	}

	// ------------------------------------------------------------------------------ orders

	/** An Amazon order (compact spec) whose latest ship date is `shipByInHours` from now. */
	seedAmazon(spec: AmazonSpec): { id: string; order: AnyJson } {
		const now = Date.now();
		const latest = now + (spec.shipByInHours ?? 20) * HOUR;
		const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const full = buildOrder(
			{ marketplace: 'US', status: spec.status ?? 'UNSHIPPED', fulfilledBy: spec.fulfilledBy ?? 'MERCHANT', programs: spec.programs ?? [], items: spec.items, createdTime: iso(Math.min(latest - 24 * HOUR, now - HOUR)) },
			{ now, rng: createRng(`fulfillment-${this.seeded++}-${now}`) },
		);
		full.fulfillment.shipByWindow = { earliestDateTime: full.createdTime, latestDateTime: iso(latest) };
		full.fulfillment.deliverByWindow = { earliestDateTime: iso(latest + 24 * HOUR), latestDateTime: iso(latest + 5 * 24 * HOUR) };
		const [id] = this.sb.amazon.control.seedOrders([full]) as string[];
		return { id, order: this.sb.amazon.control.getOrder(id) };
	}

	/** Imports an Amazon order into Shopify the way Create Shopify Order links it. */
	async importToShopify(amazonOrderId: string, options: ImportOptions = {}): Promise<Imported> {
		const amazon = this.sb.amazon.control.getOrder(amazonOrderId);
		const linkageMode = options.linkage ?? 'full';
		const isFba = amazon.fulfillment.fulfilledBy === 'AMAZON';
		const link = linkageForOrderCreate({ amazonOrderId, marketplaceId: US, fulfillmentChannel: isFba ? 'AFN' : 'MFN' });
		const latestShipDate = amazon.fulfillment.shipByWindow.latestDateTime as string;
		const lineItems = amazon.orderItems.map((item: AnyJson) => {
			const orderItemId = options.orderItemIdOverride?.[item.orderItemId] ?? item.orderItemId;
			return {
				title: item.product.title ?? item.product.sellerSku,
				sku: item.product.sellerSku,
				quantity: item.quantityOrdered,
				priceSet: { shopMoney: { amount: '10.00', currencyCode: 'USD' } },
				requiresShipping: true,
				...(linkageMode === 'none' ? {} : { properties: lineItemLinkProperties(orderItemId, item.product.asin) }),
			};
		});
		if (options.extraLine) lineItems.push({ title: 'Gift box', sku: 'GIFT-BOX', quantity: 1, priceSet: { shopMoney: { amount: '1.00', currencyCode: 'USD' } }, requiresShipping: true });
		const order: IDataObject = {
			currency: 'USD',
			lineItems,
			...(linkageMode === 'full' ? link : linkageMode === 'tagOnly' ? { tags: ['Amazon', 'Amazon US'] } : { tags: ['Retail'] }),
			...(options.attributes === false || linkageMode !== 'full'
				? {}
				: {
						customAttributes: [
							{ key: 'Amazon order ID', value: amazonOrderId },
							{ key: 'Latest ship date', value: latestShipDate },
							{ key: 'Amazon programs', value: options.programsAttribute ?? ((amazon.programs ?? []).length ? amazon.programs.join(', ') : 'none') },
						],
					}),
		};
		const result = await this.gql(DOCUMENTS.OrderCreate, { order, options: { sendReceipt: false, sendFulfillmentReceipt: false, inventoryBehaviour: 'BYPASS' } });
		const created = result.body?.data?.orderCreate;
		if (!created?.order) throw new Error(`orderCreate failed: ${JSON.stringify(result.body)}`);
		const state = this.shopifyOrder(created.order.id);
		return {
			amazonOrderId,
			shopifyOrderId: created.order.id,
			shopifyOrderName: created.order.name,
			latestShipDate,
			lineItems: state.lineItems.map((l: AnyJson, i: number) => ({ id: l.id, sku: l.sku, quantity: l.quantity, orderItemId: amazon.orderItems[i]?.orderItemId })),
		};
	}

	/** A GraphQL call straight to the sandbox (what the merchant or Shopify itself does). */
	async shopifyGraphql(query: string, variables: Record<string, unknown> = {}): Promise<AnyJson> {
		return (await this.gql(query, variables)).body;
	}

	shopifyOrder(id: string): AnyJson {
		return this.sb.shopify.control.state().orders.find((o: AnyJson) => o.id === id);
	}

	amazonOrder(id: string): AnyJson {
		return this.sb.amazon.control.getOrder(id);
	}

	/** Amazon calls of one operation so far (the sandbox's own record). */
	amazonCalls(operation: string): number {
		return this.sb.amazon.control.recordedRequests({ operation }).length;
	}

	// ---------------------------------------------------------------------------- webhooks

	/**
	 * Subscribes a workflow's trigger (n8n's activation: checkExists, then create) at the loopback
	 * forwarder. Several workflows can be active; each has its own id, webhook URL and static data.
	 */
	async activateWebhooks(workflow: IWorkflowBase): Promise<{ uri: string }> {
		this.forwarder ??= await startWebhookForwarder(async (request, reply) => {
			const target = [...this.active.values()].find((a) => request.path.startsWith(`/${a.workflow.id}/`));
			if (!target) return reply(404, 'no active workflow at this path');
			const started = performance.now();
			const { response } = await invokeWebhook(
				target.workflow,
				TRIGGER,
				this.engine,
				{ headers: request.headers, rawBody: request.rawBody },
				{
					staticData: target.staticData,
					onRespond: (http: FakeHttpResponse) => {
						this.ackMs.push(performance.now() - started);
						reply(http.statusCode, typeof http.body === 'string' ? http.body : JSON.stringify(http.body ?? ''));
					},
				},
			);
			const items = response.workflowData?.[0];
			if (items?.length) {
				const { run } = await runWorkflow(target.workflow, this.engine, { mode: 'webhook', startNode: TRIGGER, triggerItems: items });
				this.runs.push(run);
			}
		});
		workflow.id ??= `wf${this.active.size + 1}`;
		const entry = { workflow, staticData: this.active.get(workflow.id)?.staticData ?? (this.active.size === 0 ? this.staticData : {}) };
		this.active.set(workflow.id, entry);
		const options = { staticData: entry.staticData, webhookBaseUrl: this.forwarder.url };
		const exists = await runWebhookMethod(workflow, TRIGGER, 'checkExists', this.engine, options);
		if (!exists.result) await runWebhookMethod(workflow, TRIGGER, 'create', this.engine, options);
		return { uri: exists.webhookUrl as string };
	}

	webhookMethod(workflow: IWorkflowBase, method: 'checkExists' | 'create' | 'delete') {
		const staticData = (workflow.id && this.active.get(workflow.id)?.staticData) || this.staticData;
		return runWebhookMethod(workflow, TRIGGER, method, this.engine, { staticData, webhookBaseUrl: this.forwarder?.url });
	}

	/** Stops routing deliveries to a workflow (its subscriptions stay, like an n8n that is down). */
	deactivate(workflow: IWorkflowBase): void {
		if (workflow.id) this.active.delete(workflow.id);
	}

	/** Waits until the sandbox has delivered everything and every resulting execution finished. */
	async settle(): Promise<void> {
		await this.sb.shopify.control.waitForWebhooks();
		await this.forwarder?.settled();
		if (this.forwarder?.errors.length) throw this.forwarder.errors[0] as Error;
	}

	deliveries(topic?: string): AnyJson[] {
		const all = this.sb.shopify.control.webhooks.deliveries() as AnyJson[];
		return topic ? all.filter((d) => d.topic === topic) : all;
	}

	// ----------------------------------------------------------------------------- polling

	async poll(workflow: IWorkflowBase): Promise<IRun | null> {
		const { result } = await pollOnce(workflow, TRIGGER, this.engine, { staticData: this.staticData });
		const items = result?.[0];
		if (!items?.length) return null;
		const { run } = await runWorkflow(workflow, this.engine, { mode: 'trigger', startNode: TRIGGER, triggerItems: items });
		this.runs.push(run);
		return run;
	}

	// ----------------------------------------------------------------------------- results

	/** Every item that reached `node` across all runs so far. */
	itemsAt(node: string, output = 0): INodeExecutionData[] {
		return this.runs.flatMap((run) => (run.data.resultData.runData[node] ? itemsOf(run, node, output) : []));
	}

	outputs() {
		return {
			confirmed: this.itemsAt(MARK, 0).map((i) => i.json as AnyJson),
			skipped: this.itemsAt(MARK, 1).map((i) => i.json as AnyJson),
			errors: this.itemsAt(MARK, 2).map((i) => i.json as AnyJson),
			events: this.itemsAt(TRIGGER, 0).map((i) => i.json as AnyJson),
		};
	}
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Manual Trigger → Mark Amazon Fulfilled with explicit fields (error output on). */
export function explicitWorkflow(parameters: IDataObject): IWorkflowBase {
	return {
		id: 'explicit',
		name: 'explicit fields',
		active: false,
		nodes: [
			{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'k',
				name: MARK,
				type: 'n8n-nodes-amazon-shopify.markAmazonFulfilled',
				typeVersion: 1,
				position: [200, 0],
				onError: 'continueErrorOutput',
				parameters: { resource: 'shipment', operation: 'confirm', source: 'fields', ...parameters },
				credentials: { amazonSellingPartnerApi: { id: '2', name: 'Amazon' } },
			},
		],
		connections: { Manual: { main: [[{ node: MARK, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

export function last<T>(list: readonly T[]): T {
	return list[list.length - 1];
}
