/**
 * Google's partial-response `fields` parameter: parsing (`a,b/c,d(e,f),*`), validation against a
 * resource schema, and projection of a response onto the selection.
 */

/** Field name → sub-selection, or `null` for "the whole value". The key `*` selects every field. */
export type FieldSelection = Map<string, FieldSelection | null>;

/** `leaf`: a scalar or array of scalars; `open`: an object whose inner fields the fake does not check. */
export type FieldSchema = { readonly [name: string]: FieldSchema | 'leaf' | 'open' };

export class FieldsError extends Error {
	constructor(readonly selection: string) {
		super(`Invalid field selection ${selection}`);
	}
}

export function parseFields(expression: string): FieldSelection {
	const parser = new Parser(expression);
	const selection = parser.list();
	if (!parser.done()) throw new FieldsError(expression.slice(parser.position));
	return selection;
}

class Parser {
	position = 0;

	constructor(private readonly text: string) {}

	done(): boolean {
		this.skipSpaces();
		return this.position >= this.text.length;
	}

	list(): FieldSelection {
		const selection: FieldSelection = new Map();
		do {
			this.item(selection);
		} while (this.eat(','));
		return selection;
	}

	private item(into: FieldSelection): void {
		const path = [this.name()];
		while (this.eat('/')) path.push(this.name());
		const sub = this.eat('(') ? this.closeGroup(this.list()) : null;
		let target = into;
		for (const [index, name] of path.entries()) {
			const last = index === path.length - 1;
			const inner: FieldSelection | null = last ? sub : new Map();
			target = merge(target, name, inner);
			if (last) return;
		}
	}

	private closeGroup(selection: FieldSelection): FieldSelection {
		if (!this.eat(')')) throw new FieldsError(this.text.slice(this.position) || this.text);
		return selection;
	}

	private name(): string {
		this.skipSpaces();
		const match = /^(\*|[A-Za-z_$][A-Za-z0-9_$.-]*)/.exec(this.text.slice(this.position));
		if (!match) throw new FieldsError(this.text.slice(this.position) || this.text);
		this.position += match[0].length;
		return match[0];
	}

	private eat(char: string): boolean {
		this.skipSpaces();
		if (this.text[this.position] !== char) return false;
		this.position += 1;
		return true;
	}

	private skipSpaces(): void {
		while (this.text[this.position] === ' ') this.position += 1;
	}
}

/** Adds `name → sub` to a selection; returns the selection to descend into for a `a/b` path. */
function merge(into: FieldSelection, name: string, sub: FieldSelection | null): FieldSelection {
	const existing = into.get(name);
	if (existing === null) return new Map(); // already whole: a narrower selection changes nothing
	if (sub === null) {
		into.set(name, null);
		return new Map();
	}
	if (existing === undefined) {
		into.set(name, sub);
		return sub;
	}
	for (const [key, value] of sub) merge(existing, key, value);
	return existing;
}

/** Throws `FieldsError` naming the first selected field the schema does not define. */
export function validateSelection(selection: FieldSelection, schema: FieldSchema): void {
	for (const [name, sub] of selection) {
		if (name === '*') {
			if (sub !== null) throw new FieldsError(`*(${describe(sub)})`);
			continue;
		}
		const child = schema[name];
		if (child === undefined) throw new FieldsError(name);
		if (sub === null || child === 'open') continue;
		if (child === 'leaf') throw new FieldsError(`${name}/${describe(sub)}`);
		validateSelection(sub, child);
	}
}

function describe(selection: FieldSelection): string {
	return [...selection.keys()].join(',');
}

/** Keeps only the selected fields. Reads nothing else, so expensive getters on `value` stay unread. */
export function project(value: unknown, selection: FieldSelection | null): unknown {
	if (selection === null || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((element) => project(element, selection));
	const source = value as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	const all = selection.has('*');
	for (const key of Object.keys(source)) {
		if (!all && !selection.has(key)) continue;
		const field = source[key];
		if (field === undefined) continue;
		out[key] = project(field, all ? null : (selection.get(key) ?? null));
	}
	return out;
}

/** Whether `path` (e.g. `['files', 'md5Checksum']`) is selected, directly or through `*`. */
export function selects(selection: FieldSelection | null, path: readonly string[]): boolean {
	let current: FieldSelection | null = selection;
	for (const name of path) {
		if (current === null || current.has('*')) return true;
		if (!current.has(name)) return false;
		current = current.get(name) ?? null;
	}
	return true;
}
