/**
 * A small YAML emitter for front-matter. Every string is double-quoted (JSON string
 * syntax is valid YAML), so titles with `:`, `#`, quotes, a leading `-`, newlines, or
 * words like `yes` / `2024-01-01` read back as the same string in any YAML parser.
 */

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// YAML 1.1 readers take these as booleans or null even as keys.
const RESERVED_WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
// Characters JSON leaves raw that YAML does not allow unescaped (or, in YAML 1.1, reads as line breaks).
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

export function yamlString(value: string): string {
	return JSON.stringify(value).replace(YAML_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function yamlKey(key: string): string {
	return PLAIN_KEY.test(key) && !RESERVED_WORDS.test(key) ? key : yamlString(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function yamlScalar(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') return Number.isFinite(value) ? String(Object.is(value, -0) ? 0 : value) : 'null';
	if (typeof value === 'string') return yamlString(value);
	return yamlString(String(value));
}

/** A value as YAML lines: scalars inline, maps and sequences in block style, empty ones as `{}` / `[]`. */
function yamlLines(value: unknown): string[] {
	if (Array.isArray(value)) {
		if (value.length === 0) return ['[]'];
		const lines: string[] = [];
		for (const item of value) {
			const itemLines = yamlLines(item);
			lines.push(`- ${itemLines[0]}`);
			for (let i = 1; i < itemLines.length; i++) lines.push(`  ${itemLines[i]}`);
		}
		return lines;
	}
	if (isRecord(value)) {
		const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
		if (entries.length === 0) return ['{}'];
		const lines: string[] = [];
		for (const [key, entry] of entries) {
			if (isCollection(entry)) {
				lines.push(`${yamlKey(key)}:`);
				for (const line of yamlLines(entry)) lines.push(`  ${line}`);
			} else {
				lines.push(`${yamlKey(key)}: ${yamlLines(entry)[0]}`);
			}
		}
		return lines;
	}
	return [yamlScalar(value)];
}

/** Non-empty maps and sequences go on their own lines; empty ones stay inline (`[]`, `{}`). */
function isCollection(value: unknown): boolean {
	if (Array.isArray(value)) return value.length > 0;
	return isRecord(value) && Object.values(value).some((entry) => entry !== undefined);
}

/** A map as a YAML document body (no `---` fences), one entry per line, ending without a newline. */
export function toYaml(value: Record<string, unknown>): string {
	return yamlLines(value).join('\n');
}

/** Front-matter block: `---`, the YAML, `---`. */
export function frontMatterBlock(value: Record<string, unknown>): string {
	return `---\n${toYaml(value)}\n---`;
}
