import type { World } from './amazon-orders.helpers';
import { minutesAgo, ordersFor, seed, startWorld, templateWorkflow, tick } from './amazon-orders.helpers';

describe('smoke', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
	});
	afterAll(async () => world.sb.stop());

	it('imports one order', async () => {
		const [id] = seed(world, [{ marketplace: 'US', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 2, shipping: '4.99' }], lastUpdatedTime: minutesAgo(30), createdTime: minutesAgo(40) }]);
		const wf = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } });
		const r = await tick(world, wf);
		console.log(JSON.stringify(r.emitted[0], null, 1).slice(0, 1500));
		console.log(JSON.stringify(r.created, null, 1).slice(0, 3000), JSON.stringify(r.failed), r.run?.data.resultData.error);
		console.log(JSON.stringify(ordersFor(world, id), null, 1).slice(0, 3000));
		console.log(JSON.stringify(r.staticData));
	});
});
