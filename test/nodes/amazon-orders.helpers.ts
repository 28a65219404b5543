/**
 * Shared set-up for the Amazon → Shopify engine tests and the import benchmark: a sandbox with the
 * catalogue seeded, an engine whose credentials point at it, and the template workflow with
 * credentials selected (as a user does after importing it).
 */
import type { IDataObject, INode, INodeExecutionData, INodeParameters, IRun, IWorkflowBase } from 'n8n-workflow';

import { catalogue } from '../../sandbox/seed';
import template from '../../templates/amazon-orders-to-shopify.json';
import { resetShopCache } from '../../nodes/CreateShopifyOrder/actions/order/shop';
import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { resetShopifyBuckets } from '../../nodes/shared/transport/shopify/throttle';
import type { Engine } from '../harness/engine';
import type { Sandbox } from '../harness/sandbox';
import { startTestSandbox } from '../harness/sandbox';
import { outputOf, pollOnce, runWorkflow } from '../harness/engine';
import { createEngine, sandboxCredentialStore } from '../harness/pack';

export type { Sandbox };

export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';
export const UK = 'A1F83G8C2ARO7P';
export const DE = 'A1PA6795UKMFR9';
export const JP = 'A1VC38T7YXB528';

export const TRIGGER = 'Amazon Order Trigger';
export const CREATE = 'Create Shopify Order';
export const SUMMARY = 'Merchant Summary';
export const NOTIFY = 'Notify Merchant';

export interface World {
	sb: Sandbox;
	engine: Engine;
}

export interface WorldOptions {
	seed?: number;
	shopCurrency?: string;
	devStore?: boolean;
	piiRole?: boolean;
	region?: 'na' | 'eu' | 'fe';
	marketplaceIds?: string[];
	amazonRateLimits?: Record<string, { rate: number; burst: number }>;
	/** Catalogue rows to add to the sandbox's (e.g. SKUs that differ by case). */
	extraProducts?: Array<{ sku: string; title: string; price: string; currency?: string }>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
	resetAmazonBuckets();
	resetShopifyBuckets();
	resetShopCache();
	// Every request the nodes send is checked against the official models (test/contract/ledger.js).
	const sb = await startTestSandbox({
		clockScale: 1000,
		seed: options.seed ?? 7,
		devStore: options.devStore ?? false,
		amazon: { piiRole: options.piiRole ?? true, ...(options.amazonRateLimits ? { rateLimits: options.amazonRateLimits } : {}) },
		shopify: { shopCurrency: options.shopCurrency ?? 'USD' },
	});
	const products = catalogue.map((c: { sku: string; title: string; price: string; currency: string }) => ({ ...c, inventory: 100 }));
	await sb.shopify.control.seedProducts([...products, ...(options.extraProducts ?? []).map((p) => ({ currency: 'USD', inventory: 100, ...p }))]);
	const store = sandboxCredentialStore(sb);
	store.amazonSellingPartnerApi.region = options.region ?? 'na';
	store.amazonSellingPartnerApi.marketplaceIds = options.marketplaceIds ?? [US, CA];
	return { sb, engine: createEngine(store) };
}

type TemplateNode = INode & { onError?: string };

/** The template as imported, with credentials selected and parameters adjusted per test. */
export function templateWorkflow(
	adjust: { trigger?: IDataObject; triggerOptions?: IDataObject; create?: IDataObject; createOptions?: IDataObject; emailEnabled?: boolean } = {},
): IWorkflowBase {
	const workflow = JSON.parse(JSON.stringify(template)) as IWorkflowBase & { nodes: TemplateNode[] };
	for (const node of workflow.nodes) {
		if (node.name === TRIGGER) {
			node.credentials = { amazonSellingPartnerApi: { id: 'amazon', name: 'Amazon Selling Partner API account' } };
			Object.assign(node.parameters, adjust.trigger ?? {});
			node.parameters.options = { ...(node.parameters.options as IDataObject), ...(adjust.triggerOptions ?? {}) } as INodeParameters;
		}
		if (node.name === CREATE) {
			node.credentials = { shopifyAdminApi: { id: 'shopify', name: 'Shopify Admin API account' } };
			Object.assign(node.parameters, adjust.create ?? {});
			node.parameters.options = { ...(node.parameters.options as IDataObject), ...(adjust.createOptions ?? {}) } as INodeParameters;
		}
		if (node.name === NOTIFY && adjust.emailEnabled) node.disabled = false;
	}
	return { ...workflow, id: 'amazon-orders-to-shopify', active: true } as IWorkflowBase;
}

export interface PollResult {
	emitted: IDataObject[];
	staticData: IDataObject;
	run?: IRun;
	created: IDataObject[];
	failed: IDataObject[];
	summary: IDataObject[];
}

/**
 * One activated-workflow tick: poll the trigger (static data persisted as JSON, like n8n does),
 * and when it emitted, run the workflow with its items as the trigger's output.
 */
export async function tick(world: World, workflow: IWorkflowBase, staticData: IDataObject = {}): Promise<PollResult> {
	const { result, staticData: after } = await pollOnce(workflow, TRIGGER, world.engine, { staticData });
	const persisted = JSON.parse(JSON.stringify(after)) as IDataObject;
	const items: INodeExecutionData[] = result?.[0] ?? [];
	if (!items.length) return { emitted: [], staticData: persisted, created: [], failed: [], summary: [] };
	const { run } = await runWorkflow(workflow, world.engine, { mode: 'trigger', startNode: TRIGGER, triggerItems: items });
	const created = safeOutput(run, CREATE, 0);
	const failed = safeOutput(run, CREATE, 1);
	return { emitted: items.map((i) => i.json), staticData: persisted, run, created, failed, summary: safeOutput(run, SUMMARY, 0) };
}

function safeOutput(run: IRun, node: string, index: number): IDataObject[] {
	try {
		return outputOf(run, node, index);
	} catch {
		return [];
	}
}

/** The trigger's state in the static data. */
export function triggerState(staticData: IDataObject): IDataObject {
	return ((staticData[`node:${TRIGGER}`] as IDataObject | undefined)?.amazonOrders ?? {}) as IDataObject;
}

/** Runs Create Shopify Order alone on given items (Manual Trigger -> Create Shopify Order). */
export async function runCreate(world: World, items: IDataObject[], parameters: IDataObject = {}, options: { continueOnFail?: boolean } = {}) {
	const workflow = {
		id: 'create-only',
		name: 'create only',
		active: false,
		nodes: [
			{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'c',
				name: CREATE,
				type: 'n8n-nodes-amazon-shopify.createShopifyOrder',
				typeVersion: 1,
				position: [200, 0],
				parameters: { source: 'inputItem', unknownSku: 'customLineItem', options: {}, ...parameters },
				credentials: {
					shopifyAdminApi: { id: 'shopify', name: 'Shopify' },
					amazonSellingPartnerApi: { id: 'amazon', name: 'Amazon' },
				},
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: { Manual: { main: [[{ node: CREATE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
	const { run } = await runWorkflow(workflow, world.engine, { triggerItems: items.map((json) => ({ json })) });
	return { run, out: safeOutput(run, CREATE, 0), error: run.data.resultData.error };
}

/** Shopify orders in the sandbox, by Amazon order id. */
export function shopifyOrders(world: World): Array<IDataObject & { sourceIdentifier: string; tags: string[]; totals: IDataObject }> {
	return world.sb.shopify!.control.state().orders;
}

export function ordersFor(world: World, amazonOrderId: string) {
	return shopifyOrders(world).filter((o) => o.sourceIdentifier === amazonOrderId);
}

/** ISO time `minutes` ago, to the second (Amazon's format). */
export function minutesAgo(minutes: number): string {
	return new Date(Math.floor((Date.now() - minutes * 60_000) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seeds orders from compact specs (sandbox/seed.js OrderSpec) and returns their ids. */
export function seed(world: World, specs: IDataObject[]): string[] {
	return world.sb.amazon.control.seedOrders(specs);
}
