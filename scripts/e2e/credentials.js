// @ts-check
'use strict';
/**
 * Credentials against the sandbox inside real n8n, without any of our nodes: n8n's own HTTP
 * Request node with "predefined credential type" = ours. Proves that n8n (not our harness) runs
 * `preAuthentication` (Amazon LWA refresh-token exchange, Shopify client-credentials grant), sends
 * the token through `authenticate`, and persists the new token in the encrypted credential.
 *
 * Also the reference for scenario modules: sandbox + instance + import + execute + assert state.
 */

/** @param {string} name @param {number} x @param {Record<string, unknown>} parameters @param {string} credType */
function httpNode(name, x, parameters, credType) {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, 0],
		parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: credType, options: {}, ...parameters },
		// ids are filled in by importWorkflows() from the imported credential of this type
		credentials: { [credType]: { name: credType } },
	};
}

/**
 * @param {import('../lib/e2e-kit').Sandbox} sb
 */
function workflow(sb) {
	const trigger = 'When clicking ‘Execute workflow’';
	/** @type {any[]} */
	const nodes = [
		{ name: trigger, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		httpNode(
			'Amazon participations',
			220,
			{ method: 'GET', url: `${sb.amazon.url}/sellers/v1/marketplaceParticipations` },
			'amazonSellingPartnerApi',
		),
	];
	/** @type {Record<string, any>} */
	const connections = { [trigger]: { main: [[{ node: 'Amazon participations', type: 'main', index: 0 }]] } };
	if (sb.shopify) {
		nodes.push(
			httpNode(
				'Shopify shop',
				440,
				{
					method: 'POST',
					url: `${sb.shopify.url}/admin/api/2026-10/graphql.json`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify({ query: '{ shop { name currencyCode } }' }),
				},
				'shopifyAdminApi',
			),
		);
		connections['Amazon participations'] = { main: [[{ node: 'Shopify shop', type: 'main', index: 0 }]] };
	}
	return { name: 'E2E credentials via HTTP Request', nodes, connections, settings: { executionOrder: 'v1' } };
}

module.exports = {
	name: 'credentials',
	description: 'our credential types authenticate against the sandbox in real n8n (HTTP Request node)',
	needsSandbox: true,

	/** @param {import('../e2e').Context} ctx */
	async run(ctx) {
		await ctx.withSandbox({ seed: 42, clockScale: 1 }, async (sb) => {
			if (sb.warnings && sb.warnings.length) ctx.log(`sandbox: ${sb.warnings.join('; ')}`);
			await ctx.withInstance(async (n8n) => {
				const creds = await n8n.importCredentials(ctx.sandboxCredentials(sb));
				const [before] = await n8n.queryDb([{ sql: 'SELECT id, type, data, updatedAt FROM credentials_entity' }]);
				const tokenRequestsBefore = Number(sb.amazon.control.stats().tokenRequests) || 0;
				const [wf] = await n8n.importWorkflows([workflow(sb)]);
				const run = await n8n.execute(wf.id, { allowFail: true });
				ctx.metric('n8n execute (2 authenticated calls)', run.ms);
				const rd = (run.result && run.result.data && run.result.data.resultData && run.result.data.resultData.runData) || {};
				const err = run.result && run.result.data && run.result.data.resultData && run.result.data.resultData.error;
				if (run.exitCrash)
					ctx.log(`! n8n execute: ${run.exitCrash} at exit after the run completed (known n8n 2.x isolated-vm exit race; tolerated)`);
				ctx.check(
					`execute exits 0 (${(run.ms / 1000).toFixed(1)} s)`,
					run.ok,
					err ? err.message || err : run.stdout.slice(-600) + run.stderr.slice(-600),
				);

				/** @param {string} node what to show when a node has no output */
				const nodeProblem = (node) =>
					rd[node]
						? rd[node][0].error || rd[node][0]
						: `no run data for "${node}" (${run.result ? 'not in the run JSON' : 'run JSON not parsed'}); see ${n8n.cliLogFile}`;
				const amazonOut = rd['Amazon participations'] && rd['Amazon participations'][0].data && rd['Amazon participations'][0].data.main[0];
				ctx.check(
					'Amazon: GET /sellers/v1/marketplaceParticipations answered with a payload',
					!!amazonOut && Array.isArray(amazonOut[0].json.payload),
					amazonOut ? amazonOut[0].json : nodeProblem('Amazon participations'),
				);
				const tokenRequests = Number(sb.amazon.control.stats().tokenRequests) || 0;
				ctx.check(
					`Amazon: n8n ran preAuthentication (LWA token requests ${tokenRequestsBefore} -> ${tokenRequests})`,
					tokenRequests > tokenRequestsBefore,
				);

				if (sb.shopify) {
					const shopOut = rd['Shopify shop'] && rd['Shopify shop'][0].data && rd['Shopify shop'][0].data.main[0];
					const shop = shopOut && shopOut[0].json.data && shopOut[0].json.data.shop;
					ctx.check(
						'Shopify: GraphQL { shop { name } } answered',
						!!shop && typeof shop.name === 'string',
						shopOut ? shopOut[0].json : nodeProblem('Shopify shop'),
					);
				} else {
					ctx.skip('Shopify: GraphQL shop query', 'sandbox has no Shopify side yet');
				}

				const [after] = await n8n.queryDb([{ sql: 'SELECT id, type, data, updatedAt FROM credentials_entity' }]);
				const amazonId = creds.find((c) => c.type === 'amazonSellingPartnerApi')?.id;
				const b = before.find((/** @type {any} */ r) => r.id === amazonId);
				const a = after.find((/** @type {any} */ r) => r.id === amazonId);
				ctx.check('Amazon: the new access token was written back to the encrypted credential', !!a && !!b && a.data !== b.data, {
					before: b && b.updatedAt,
					after: a && a.updatedAt,
				});
			});
		});
	},
};
