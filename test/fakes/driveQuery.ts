/**
 * The subset of Drive's `q` search language that connectors use:
 *   `'<id>' in parents`, `'me' in owners`, `name|mimeType = != contains '…'`, `fullText contains '…'`,
 *   `trashed|starred|sharedWithMe = != true|false`, `modifiedTime|createdTime = != < <= > >= '<RFC 3339>'`,
 *   `and`, `or`, `not`, parentheses.
 * Anything else is rejected, the way Drive answers 400 "Invalid Value" for a query it cannot parse.
 */

export interface QueryableFile {
	name: string;
	mimeType: string;
	parents: readonly string[];
	ownerEmails: readonly string[];
	trashed: boolean;
	starred: boolean;
	modifiedTime: string;
	createdTime: string;
	/** Text that `fullText contains` searches (name, description, content of text files). */
	fullText: string;
}

export interface QueryContext {
	/** Maps aliases such as `root` to real ids. */
	resolveId(id: string): string;
	/** The signed-in user's e-mail, which `'me'` stands for. */
	me: string;
}

export class DriveQueryError extends Error {}

export type FilePredicate = (file: QueryableFile) => boolean;

type Token =
	| { kind: 'string'; value: string }
	| { kind: 'word'; value: string }
	| { kind: 'op'; value: string }
	| { kind: 'paren'; value: '(' | ')' };

export function parseDriveQuery(q: string, context: QueryContext): FilePredicate {
	const tokens = tokenize(q);
	let position = 0;

	const peek = (): Token | undefined => tokens[position];
	const next = (): Token => {
		const token = tokens[position];
		if (!token) throw new DriveQueryError('unexpected end of query');
		position += 1;
		return token;
	};
	const isWord = (token: Token | undefined, word: string): boolean =>
		token?.kind === 'word' && token.value.toLowerCase() === word;

	function orExpression(): FilePredicate {
		let left = andExpression();
		while (isWord(peek(), 'or')) {
			next();
			const a = left;
			const b = andExpression();
			left = (file) => a(file) || b(file);
		}
		return left;
	}

	function andExpression(): FilePredicate {
		let left = unary();
		while (isWord(peek(), 'and')) {
			next();
			const a = left;
			const b = unary();
			left = (file) => a(file) && b(file);
		}
		return left;
	}

	function unary(): FilePredicate {
		const token = peek();
		if (isWord(token, 'not')) {
			next();
			const inner = unary();
			return (file) => !inner(file);
		}
		if (token?.kind === 'paren' && token.value === '(') {
			next();
			const inner = orExpression();
			const close = next();
			if (close.kind !== 'paren' || close.value !== ')') throw new DriveQueryError('expected )');
			return inner;
		}
		return term();
	}

	function term(): FilePredicate {
		const first = next();
		if (first.kind === 'string') {
			const keyword = next();
			if (!isWord(keyword, 'in')) throw new DriveQueryError(`expected "in" after '${first.value}'`);
			const collection = next();
			if (collection.kind !== 'word') throw new DriveQueryError('expected a collection after "in"');
			return membership(first.value, collection.value);
		}
		if (first.kind !== 'word') throw new DriveQueryError(`unexpected ${first.value}`);
		const operator = next();
		const operatorText =
			operator.kind === 'op' ? operator.value : operator.kind === 'word' ? operator.value.toLowerCase() : '';
		const value = next();
		return comparison(first.value, operatorText, value);
	}

	function membership(value: string, collection: string): FilePredicate {
		if (collection === 'parents') {
			const id = context.resolveId(value);
			return (file) => file.parents.includes(id);
		}
		if (collection === 'owners') {
			const email = value === 'me' ? context.me : value;
			return (file) => file.ownerEmails.includes(email);
		}
		throw new DriveQueryError(`unsupported collection ${collection}`);
	}

	function comparison(field: string, operator: string, value: Token): FilePredicate {
		switch (field) {
			case 'name':
			case 'mimeType': {
				const expected = stringValue(value);
				const get = (file: QueryableFile): string => (field === 'name' ? file.name : file.mimeType);
				if (operator === '=') return (file) => get(file) === expected;
				if (operator === '!=') return (file) => get(file) !== expected;
				if (operator === 'contains') {
					return field === 'name'
						? (file) => nameContains(file.name, expected)
						: (file) => file.mimeType.includes(expected);
				}
				break;
			}
			case 'fullText': {
				const expected = stringValue(value).toLowerCase();
				if (operator === 'contains') return (file) => file.fullText.toLowerCase().includes(expected);
				break;
			}
			case 'trashed':
			case 'starred':
			case 'sharedWithMe': {
				const expected = booleanValue(value);
				const get = (file: QueryableFile): boolean =>
					field === 'trashed' ? file.trashed : field === 'starred' ? file.starred : false;
				if (operator === '=') return (file) => get(file) === expected;
				if (operator === '!=') return (file) => get(file) !== expected;
				break;
			}
			case 'modifiedTime':
			case 'createdTime': {
				const expected = Date.parse(stringValue(value));
				if (Number.isNaN(expected)) throw new DriveQueryError(`invalid date for ${field}`);
				const compare = numericOperator(operator);
				if (compare) return (file) => compare(Date.parse(file[field]), expected);
				break;
			}
			default:
				throw new DriveQueryError(`unsupported query term ${field}`);
		}
		throw new DriveQueryError(`operator ${operator} not supported for ${field}`);
	}

	const predicate = orExpression();
	if (position < tokens.length) throw new DriveQueryError(`unexpected ${tokens[position].value}`);
	return predicate;
}

/**
 * Drive matches `name contains` by prefix on the whole name or on its words: "HelloWorld" matches
 * 'Hello' but not 'World'; "Quarterly report.pdf" matches 'rep'.
 */
function nameContains(name: string, fragment: string): boolean {
	const needle = fragment.toLowerCase();
	const haystack = name.toLowerCase();
	if (haystack.startsWith(needle)) return true;
	return haystack.split(/[\s\-_.,;:()[\]{}'"/]+/).some((word) => word.startsWith(needle));
}

function stringValue(token: Token): string {
	if (token.kind !== 'string') throw new DriveQueryError(`expected a quoted string, got ${token.value}`);
	return token.value;
}

function booleanValue(token: Token): boolean {
	if (token.kind === 'word' && (token.value === 'true' || token.value === 'false')) return token.value === 'true';
	throw new DriveQueryError(`expected true or false, got ${token.value}`);
}

function numericOperator(operator: string): ((a: number, b: number) => boolean) | undefined {
	switch (operator) {
		case '=':
			return (a, b) => a === b;
		case '!=':
			return (a, b) => a !== b;
		case '<':
			return (a, b) => a < b;
		case '<=':
			return (a, b) => a <= b;
		case '>':
			return (a, b) => a > b;
		case '>=':
			return (a, b) => a >= b;
		default:
			return undefined;
	}
}

function tokenize(q: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < q.length) {
		const char = q[i];
		if (/\s/.test(char)) {
			i += 1;
		} else if (char === "'") {
			let value = '';
			i += 1;
			for (;;) {
				if (i >= q.length) throw new DriveQueryError('unterminated string');
				const c = q[i];
				if (c === '\\') {
					if (i + 1 >= q.length) throw new DriveQueryError('dangling escape');
					value += q[i + 1];
					i += 2;
				} else if (c === "'") {
					i += 1;
					break;
				} else {
					value += c;
					i += 1;
				}
			}
			tokens.push({ kind: 'string', value });
		} else if (char === '(' || char === ')') {
			tokens.push({ kind: 'paren', value: char });
			i += 1;
		} else if ('=!<>'.includes(char)) {
			const two = q.slice(i, i + 2);
			const op = ['!=', '<=', '>='].includes(two) ? two : char;
			if (op === '!') throw new DriveQueryError('unexpected !');
			tokens.push({ kind: 'op', value: op });
			i += op.length;
		} else {
			const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i));
			if (!match) throw new DriveQueryError(`unexpected character ${char}`);
			tokens.push({ kind: 'word', value: match[0] });
			i += match[0].length;
		}
	}
	return tokens;
}
