// @ts-check
'use strict';
/**
 * The whole story in a real n8n (issue #7): every template imported untouched (ids and credential
 * references injected), published, n8n started; then Amazon orders -> Shopify exactly once,
 * Shopify fulfillments -> Amazon confirmations, refunds both ways, a refusal on the notification
 * branch, no customer notification; plus bad input (wrong HMAC, wrong client secret, a template
 * without credentials). The steps live in scripts/lib/story.js, shared with `npm run demo`.
 *
 * Prints wall time, n8n's peak memory (main process + task runner) and the two latencies (seeded
 * Amazon order -> Shopify order, Shopify fulfillment -> Amazon confirmation).
 *
 * E2E_REAL_SCHEDULE=1 adds an order placed "now" that must arrive through the template's own
 * 5-minute poll schedule (no switching): up to ~8 more minutes per n8n version.
 */

const story = require('../lib/story');

module.exports = {
	name: 'story',
	description: 'every template in a real n8n: orders, shipments, refunds both ways, refusals, bad input',
	needsSandbox: true,

	/** @param {import('../e2e').Context} ctx */
	async run(ctx) {
		const t0 = Date.now();
		await ctx.withSandbox(story.SANDBOX_OPTIONS, async (sb) => {
			await ctx.withInstance(async (n8n) => {
				const world = await story.setUp(n8n, sb, ctx, { badInput: true });
				const summary = await story.run(world, ctx, { progress: (l) => ctx.log(`- ${l}`), realSchedule: process.env.E2E_REAL_SCHEDULE === '1' });
				ctx.log('- bad input');
				const tb = Date.now();
				await story.badInput(world, ctx);
				ctx.metric('step bad input', Date.now() - tb);
				process.stdout.write(
					`\n${story
						.formatSummary(summary)
						.split('\n')
						.map((l) => (l ? `    ${l}` : l))
						.join('\n')}\n`,
				);
				const execs = await n8n.executions({});
				const storyWfs = world.templates.map((t) => t.id);
				const failed = execs.filter((e) => storyWfs.includes(e.workflowId) && e.status !== 'success');
				ctx.check(`every execution of the templates succeeded (${execs.filter((e) => storyWfs.includes(e.workflowId)).length})`, failed.length === 0, failed);
				const serverLog = n8n.logsSinceStart();
				const problems = serverLog.split('\n').filter((l) => /n8n-nodes-amazon-shopify/.test(l) && /error|fail/i.test(l));
				ctx.check('server log has no error line about our package', problems.length === 0, problems.slice(0, 10));
				const mem = n8n.peakRssMb();
				ctx.metric('n8n peak RSS MB (main)', mem.mainMb);
				ctx.metric('n8n peak RSS MB (task runner)', mem.childrenMb);
				ctx.metric('n8n peak RSS MB (main + task runner)', mem.totalMb);
				ctx.metric('n8n peak RSS MB (largest CLI command)', mem.cliMb);
			});
		});
		ctx.metric('story wall time (sandbox + n8n + story + bad input)', Date.now() - t0);
	},
};
