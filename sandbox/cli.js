#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run sandbox` (node sandbox/cli.js): start both sandboxes on loopback, print ONE JSON line
 * with endpoints and credentials, stop on SIGINT/SIGTERM.
 *
 * Flags: --port-amazon N  --port-shopify N  --clock-scale X  --seed S  --orders N
 *        --feed-processing-ms N  --refund-event-delay-ms N  --host 127.0.0.1  --help
 */

const { startSandbox } = require('./index');

const USAGE = 'usage: node sandbox/cli.js [--port-amazon N] [--port-shopify N] [--clock-scale X] [--seed S] [--orders N] [--feed-processing-ms N] [--refund-event-delay-ms N] [--host 127.0.0.1]';

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string>} */
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--help' || a === '-h') {
			out.help = 'true';
			continue;
		}
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
		if (!m) throw new Error(`unexpected argument ${a}\n${USAGE}`);
		const value = m[2] ?? argv[++i];
		if (value === undefined) throw new Error(`--${m[1]} needs a value\n${USAGE}`);
		out[m[1]] = value;
	}
	const allowed = ['help', 'port-amazon', 'port-shopify', 'clock-scale', 'seed', 'orders', 'feed-processing-ms', 'refund-event-delay-ms', 'host'];
	for (const k of Object.keys(out)) if (!allowed.includes(k)) throw new Error(`unknown flag --${k}\n${USAGE}`);
	return out;
}

/** @param {string|undefined} v @param {string} flag */
function num(v, flag) {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a non-negative number, got ${v}`);
	return n;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const seed = args.seed === undefined ? undefined : /^\d+$/.test(args.seed) ? Number(args.seed) : args.seed;
	const amazonOpts = {
		...(args['feed-processing-ms'] !== undefined ? { feedProcessingMs: num(args['feed-processing-ms'], 'feed-processing-ms') } : {}),
		...(args['refund-event-delay-ms'] !== undefined ? { refundEventDelayMs: num(args['refund-event-delay-ms'], 'refund-event-delay-ms') } : {}),
	};
	const sb = await startSandbox({
		portAmazon: num(args['port-amazon'], 'port-amazon'),
		portShopify: num(args['port-shopify'], 'port-shopify'),
		clockScale: num(args['clock-scale'], 'clock-scale'),
		seed,
		host: args.host,
		amazon: amazonOpts,
	});
	const seeded = args.orders ? await sb.seed({ orders: Number(num(args.orders, 'orders')) }) : null;
	const line = {
		amazon: {
			url: sb.amazon.url,
			lwaTokenUrl: sb.amazon.lwaTokenUrl,
			control: `${sb.amazon.url}/_sandbox/amazon`,
			credentials: sb.amazon.credentials,
		},
		shopify: sb.shopify
			? { url: sb.shopify.url, control: `${sb.shopify.url}/_sandbox/shopify`, credentials: sb.shopify.credentials }
			: null,
		seeded: seeded ? { orders: seeded.orders.length, catalogue: seeded.catalogue } : null,
		warnings: sb.warnings,
	};
	process.stdout.write(`${JSON.stringify(line)}\n`);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await sb.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
	process.exit(1);
});
