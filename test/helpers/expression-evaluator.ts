// An evaluator of the part of GitHub's expression language the rendered
// workflows use in values that decide what a run writes to the registry
// (cache-from/cache-to, metadata-action's enable=): literals, context paths,
// ! == != && || and parentheses, format() and startsWith(). It follows
// GitHub's documented semantics: && and || return one of their operands,
// comparisons of strings ignore case, '' and false are falsy.

export type Value = string | boolean | number | null;
export type Context = Record<string, Value>;

type Token = { kind: 'str' | 'num' | 'id' | 'op'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:'((?:[^']|'')*)'|(\d+)|([A-Za-z_][A-Za-z0-9_.-]*)|(==|!=|&&|\|\||[!(),]))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < source.trimEnd().length && (m = re.exec(source)) !== null) {
    if (m[1] !== undefined) {
      tokens.push({ kind: 'str', text: m[1].replace(/''/g, '\'') });
    } else if (m[2] !== undefined) {
      tokens.push({ kind: 'num', text: m[2] });
    } else if (m[3] !== undefined) {
      tokens.push({ kind: 'id', text: m[3] });
    } else {
      tokens.push({ kind: 'op', text: m[4] });
    }
  }
  if (re.lastIndex < source.trimEnd().length) {
    throw new Error(`cannot read the expression at ${source.slice(re.lastIndex)}`);
  }
  return tokens;
}

const truthy = (v: Value) => v !== '' && v !== false && v !== null && v !== 0;

/** Evaluates one expression (the text inside `${{ }}`). */
export function evaluateExpression(source: string, context: Context): Value {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (text: string) => tokens[i]?.kind === 'op' && tokens[i].text === text;
  const expect = (text: string) => {
    if (!peek(text)) {
      throw new Error(`expected ${text} in ${source}`);
    }
    i++;
  };
  const or = (): Value => {
    let left = and();
    while (peek('||')) {
      i++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek('&&')) {
      i++;
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const comparison = (): Value => {
    const left = unary();
    if (peek('==') || peek('!=')) {
      const negate = tokens[i++].text === '!=';
      const right = unary();
      const equal = typeof left === 'string' && typeof right === 'string' ? left.toLowerCase() === right.toLowerCase() : left === right;
      return negate ? !equal : equal;
    }
    return left;
  };
  const unary = (): Value => {
    if (peek('!')) {
      i++;
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const token = tokens[i++];
    if (token === undefined) {
      throw new Error(`unexpected end of ${source}`);
    }
    if (token.kind === 'op' && token.text === '(') {
      const value = or();
      expect(')');
      return value;
    }
    if (token.kind === 'str') {
      return token.text;
    }
    if (token.kind === 'num') {
      return Number(token.text);
    }
    if (token.kind === 'id' && peek('(')) {
      i++;
      const args: Value[] = [];
      while (!peek(')')) {
        args.push(or());
        if (peek(',')) {
          i++;
        }
      }
      expect(')');
      return call(token.text, args);
    }
    if (token.kind === 'id') {
      if (token.text === 'true' || token.text === 'false') {
        return token.text === 'true';
      }
      if (!(token.text in context)) {
        throw new Error(`the context has no ${token.text}`);
      }
      return context[token.text];
    }
    throw new Error(`unexpected ${token.text} in ${source}`);
  };
  const value = or();
  if (i !== tokens.length) {
    throw new Error(`unexpected ${tokens[i].text} in ${source}`);
  }
  return value;
}

function call(name: string, args: Value[]): Value {
  if (name === 'format') {
    const [template, ...rest] = args as string[];
    return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n) => (m === '{{' ? '{' : m === '}}' ? '}' : String(rest[Number(n)])));
  }
  if (name === 'startsWith') {
    return String(args[0]).toLowerCase().startsWith(String(args[1]).toLowerCase());
  }
  throw new Error(`no function ${name}`);
}

/** A value as the runner passes it to an action: every `${{ }}` replaced by its result. */
export function interpolate(text: string, context: Context): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression) => {
    const value = evaluateExpression(expression, context);
    return value === null ? '' : String(value);
  });
}
