// @ts-check
'use strict';

/**
 * startSandbox(): both marketplace sandboxes on loopback, plus seeding (see sandbox/README.md).
 *
 *   const { startSandbox } = require('./sandbox');
 *   const sb = await startSandbox({ clockScale: 1000, seed: 42 });
 *   await sb.seed({ orders: 50 });          // Amazon orders + the Shopify catalogue
 *   sb.amazon.url; sb.shopify?.url; await sb.stop();
 */

const { startAmazonSandbox } = require('./amazon');
const { generateDataset } = require('./seed');

/**
 * @typedef {{
 *   clockScale?: number, seed?: number|string, specsDir?: string, host?: string,
 *   portAmazon?: number, portShopify?: number, orders?: number, devStore?: boolean,
 *   amazon?: Omit<import('./amazon').AmazonSandboxOptions, 'clockScale'|'seed'|'specsDir'|'host'|'port'>,
 *   shopify?: Record<string, unknown>,
 * }} SandboxOptions
 * @typedef {{ url: string, credentials: any, control: any, stop: () => Promise<void> }} ShopifySandbox
 * @typedef {{
 *   amazon: import('./amazon').AmazonSandbox,
 *   shopify: ShopifySandbox | null,
 *   warnings: string[],
 *   seed: (opts?: { orders?: number, seed?: number|string, now?: number }) => Promise<{ orders: string[], catalogue: number }>,
 *   stop: () => Promise<void>,
 * }} Sandbox
 */

/**
 * Load sandbox/shopify if it exists. Only a missing module is tolerated; errors inside it are not.
 * @returns {{ startShopifySandbox: (opts: any) => Promise<ShopifySandbox> } | null}
 */
function loadShopify() {
	let resolved;
	try {
		resolved = require.resolve('./shopify');
	} catch {
		return null;
	}
	return require(resolved);
}

/**
 * @param {SandboxOptions} [opts]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(opts = {}) {
	const known = ['clockScale', 'seed', 'specsDir', 'host', 'portAmazon', 'portShopify', 'orders', 'devStore', 'amazon', 'shopify'];
	for (const k of Object.keys(opts)) if (!known.includes(k)) throw new Error(`startSandbox: unknown option "${k}" (known: ${known.join(', ')})`);
	/** @type {string[]} */
	const warnings = [];
	const common = {
		...(opts.clockScale !== undefined ? { clockScale: opts.clockScale } : {}),
		...(opts.seed !== undefined ? { seed: opts.seed } : {}),
		...(opts.specsDir !== undefined ? { specsDir: opts.specsDir } : {}),
		...(opts.host !== undefined ? { host: opts.host } : {}),
	};
	const amazon = await startAmazonSandbox({ ...(opts.amazon ?? {}), ...common, ...(opts.portAmazon !== undefined ? { port: opts.portAmazon } : {}) });
	/** @type {ShopifySandbox|null} */
	let shopify = null;
	const mod = loadShopify();
	if (!mod) {
		warnings.push('Shopify sandbox not available: sandbox/shopify/index.js does not exist yet (only the Amazon side is running).');
	} else {
		try {
			shopify = await mod.startShopifySandbox({
				...(opts.shopify ?? {}),
				...common,
				...(opts.devStore !== undefined ? { devStore: opts.devStore } : {}),
				...(opts.portShopify !== undefined ? { port: opts.portShopify } : {}),
			});
		} catch (err) {
			await amazon.stop();
			throw err;
		}
	}

	/** @param {{ orders?: number, seed?: number|string, now?: number }} [seedOpts] */
	async function seed(seedOpts = {}) {
		const data = generateDataset({ seed: seedOpts.seed ?? opts.seed ?? 42, orders: seedOpts.orders ?? opts.orders ?? 50, now: seedOpts.now });
		const ids = amazon.control.seedOrders(data.orders);
		if (shopify) await shopify.control.seedProducts(data.catalogue);
		return { orders: ids, catalogue: shopify ? data.catalogue.length : 0 };
	}

	const sandbox = {
		amazon,
		shopify,
		warnings,
		seed,
		stop: async () => {
			await Promise.all([amazon.stop(), shopify ? shopify.stop() : Promise.resolve()]);
		},
	};
	if (opts.orders) await seed({ orders: opts.orders });
	return sandbox;
}

module.exports = { startSandbox, startAmazonSandbox };
