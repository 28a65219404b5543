// @ts-check
'use strict';
/**
 * Child-process helper: runs read-only SQL against an n8n sqlite database and prints JSON.
 *
 * It is started by n8n-instance.js with the SAME node binary as the n8n build (Node 24 for 2.x,
 * system Node 20 for 1.x) and loads that build's own `sqlite3` addon and `flatted`, so no sqlite3
 * CLI and no extra package is needed, and the addon ABI always matches.
 *
 * stdin: JSON { db, n8nModules, queries: [{ sql, params?, parseFlatted?: string[] }] }
 * stdout: JSON array of row arrays, one per query. Columns named in parseFlatted are decoded with
 * flatted (how n8n stores execution_data.data); JSON-looking text columns are left as strings.
 */

const path = require('node:path');

/** @returns {Promise<string>} */
function readStdin() {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		process.stdin.on('data', (c) => chunks.push(c));
		process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		process.stdin.on('error', reject);
	});
}

async function main() {
	/** @type {{ db: string, n8nModules: string, queries: { sql: string, params?: unknown[], parseFlatted?: string[] }[] }} */
	const input = JSON.parse(await readStdin());
	/** @type {any} */
	const sqlite3 = require(path.join(input.n8nModules, 'sqlite3'));
	/** @type {any} */
	let flatted = null;
	const db = new sqlite3.Database(input.db, sqlite3.OPEN_READONLY);
	// n8n may hold a write lock for a moment; wait instead of failing with SQLITE_BUSY.
	db.configure('busyTimeout', 5000);
	/** @type {unknown[][]} */
	const results = [];
	for (const q of input.queries) {
		/** @type {Record<string, unknown>[]} */
		const rows = await new Promise((resolve, reject) =>
			db.all(q.sql, q.params || [], (/** @type {Error|null} */ err, /** @type {Record<string, unknown>[]} */ r) =>
				err ? reject(err) : resolve(r),
			),
		);
		if (q.parseFlatted && q.parseFlatted.length) {
			if (!flatted) flatted = require(path.join(input.n8nModules, 'flatted'));
			for (const row of rows) {
				for (const col of q.parseFlatted) {
					const v = row[col];
					if (typeof v === 'string' && v) {
						try {
							row[col] = flatted.parse(v);
						} catch {
							/* leave as text */
						}
					}
				}
			}
		}
		results.push(rows);
	}
	await new Promise((resolve) => db.close(() => resolve(undefined)));
	process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
	process.stderr.write(String(e && e.stack ? e.stack : e));
	process.exit(1);
});
