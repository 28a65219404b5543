/**
 * templates/amazon-orders-to-shopify.json: importable as it is (no credential ids, node types and
 * versions that exist, parameters our nodes know), and its failure branch works in the engine.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import template from '../../templates/amazon-orders-to-shopify.json';
import { loadNodeTypes } from '../harness/pack';
import type { World } from './amazon-orders.helpers';
import { CREATE, NOTIFY, SUMMARY, TRIGGER, minutesAgo, ordersFor, seed, startWorld, templateWorkflow, tick } from './amazon-orders.helpers';
import { outputOf } from '../harness/engine';

interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: unknown;
	disabled?: boolean;
	onError?: string;
}

const nodes = template.nodes as TemplateNode[];
const byName = (name: string) => nodes.find((n) => n.name === name)!;

/** Every parameter the template sets for our node exists in its description, with a valid option. */
function checkParameters(parameters: Record<string, unknown>, properties: INodeProperties[], where: string): string[] {
	const problems: string[] = [];
	for (const [name, value] of Object.entries(parameters)) {
		if (name === 'pollTimes') continue; // added by n8n to every polling node
		const property = properties.find((p) => p.name === name);
		if (!property) {
			problems.push(`${where}.${name} is not a parameter of the node`);
			continue;
		}
		if (property.type === 'options' && !property.options?.some((o) => 'value' in o && o.value === value)) problems.push(`${where}.${name}: ${String(value)} is not an option`);
		if (property.type === 'collection' && value && typeof value === 'object') {
			problems.push(...checkParameters(value as Record<string, unknown>, (property.options ?? []) as INodeProperties[], `${where}.${name}`));
		}
	}
	return problems;
}

describe('template amazon-orders-to-shopify.json', () => {
	it('carries no credentials, ids or instance data, and keeps the e-mail node disabled', () => {
		const text = JSON.stringify(template);
		expect(nodes.every((n) => n.credentials === undefined)).toBe(true);
		expect(text).not.toMatch(/instanceId|"credentials"/);
		expect(template.meta).toEqual({ templateCredsSetupCompleted: false });
		expect(template.pinData).toEqual({});
		expect(template.settings).toEqual({ executionOrder: 'v1' });
		expect(byName(NOTIFY)).toMatchObject({ type: 'n8n-nodes-base.emailSend', typeVersion: 2.1, disabled: true });
		expect(byName(SUMMARY)).toMatchObject({ type: 'n8n-nodes-base.set', typeVersion: 3.4 });
		expect(nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(3);
		expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
	});

	it('uses our node types and versions, and only parameters they define', () => {
		const types = loadNodeTypes();
		for (const name of [TRIGGER, CREATE]) {
			const node = byName(name);
			const type = types[node.type];
			expect(type).toBeDefined();
			const description = type.description as INodeTypeDescription;
			const versions = Array.isArray(description.version) ? description.version : [description.version];
			expect(versions).toContain(node.typeVersion);
			expect(checkParameters(node.parameters, description.properties, name)).toEqual([]);
		}
		expect(byName(CREATE).onError).toBe('continueErrorOutput');
		expect(template.connections[TRIGGER].main[0]).toEqual([{ node: CREATE, type: 'main', index: 0 }]);
		expect(template.connections[CREATE].main).toEqual([[{ node: SUMMARY, type: 'main', index: 0 }], [{ node: NOTIFY, type: 'main', index: 0 }]]);
	});

	describe('in the engine', () => {
		let world: World;
		beforeAll(async () => {
			world = await startWorld({ piiRole: false });
		});
		afterAll(async () => world.sb.stop());

		it('routes an order that cannot be imported to the merchant notification, with the reason and the order', async () => {
			const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'MUG-CAFE-CREME-4' }], lastUpdatedTime: minutesAgo(20) }]);
			const r = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } }));
			expect(r.created).toEqual([]);
			const notified = outputOf(r.run!, NOTIFY);
			expect(notified).toHaveLength(1);
			expect(notified[0]).toMatchObject({ amazonOrderId: id, details: { field: 'shippingAddress' }, error: expect.stringContaining(id) });
			expect(ordersFor(world, id)).toHaveLength(0);
		});
	});
});
