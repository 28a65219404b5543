// @ts-check
// Prints the benchmark report to the terminal. Plain JS: the n8n lint rules that apply to every
// .ts file forbid `console` and `process`.
'use strict';

/** @param {string[]} lines */
function printReport(lines) {
	process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

module.exports = { printReport };
