import type { ASTNode } from '@marcbachmann/cel-js';
import { CostLimitError, charge } from './celBudget';
import { celEnvironment } from './celEnvironment';
import { re2Matches } from './libRegex';

/** A compiled CEL expression: call it with the variables, it returns the value or throws. */
export interface CelProgram {
  readonly evaluate: (variables: Record<string, unknown>) => unknown;
  /** Identifiers the expression reads (`self`, `oldSelf`, ...). */
  readonly variables: ReadonlySet<string>;
}

export type CompileResult = { readonly program: CelProgram } | { readonly error: string };

const cache = new Map<string, CompileResult>();

/**
 * Parses and type-checks an expression in the Kubernetes environment, and instruments it so
 * that every node evaluated is charged to the current cost meter and `matches` runs on RE2
 * (linear time, RE2 syntax, as cel-go). Results are cached by expression text.
 */
export function compileCel(expression: string): CompileResult {
  let result = cache.get(expression);
  if (!result) {
    result = compile(expression);
    if (cache.size > 5_000) {
      cache.clear();
    }
    cache.set(expression, result);
  }
  return result;
}

function compile(expression: string): CompileResult {
  const env = celEnvironment();
  try {
    const parsed = env.parse(expression);
    allowHasOnAnyOperand(parsed.ast, new Set());
    const checked = parsed.check();
    if (!checked.valid) {
      return { error: firstLine(checked.error?.message ?? 'type error') };
    }
    const variables = new Set<string>();
    instrument(parsed.ast, variables, new Set());
    return {
      program: {
        evaluate: (context) => parsed(context) as unknown,
        variables,
      },
    };
  } catch (error) {
    return { error: firstLine(error instanceof Error ? error.message : String(error)) };
  }
}

type Evaluate = (ev: unknown, ast: ASTNode, ctx: unknown) => unknown;

interface NodeMeta {
  alternate?: MaybeNode;
  macro?: { evaluate: Evaluate } & Record<string, unknown>;
  evaluate: Evaluate;
}

interface MaybeNode {
  op: string;
  args: unknown;
  meta: NodeMeta;
  evaluate: Evaluate;
}

function isNode(value: unknown): value is MaybeNode {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { op?: unknown }).op === 'string' &&
    'args' in value &&
    typeof (value as { meta?: unknown }).meta === 'object'
  );
}

/**
 * Replaces each node's evaluate function by one that charges the meter first. The original is
 * found as cel-js itself finds it on first evaluation (alternate, macro, or the operator's).
 */
function instrument(value: unknown, variables: Set<string>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) {
    return;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      instrument(item, variables, seen);
    }
    return;
  }
  if (!isNode(value)) {
    for (const child of Object.values(value as Record<string, unknown>)) {
      instrument(child, variables, seen);
    }
    return;
  }
  const node = value;
  if (node.op === 'id' && typeof node.args === 'string') {
    variables.add(node.args);
  }
  instrument(node.args, variables, seen);
  instrument(node.meta.alternate, variables, seen);
  instrument(node.meta.macro, variables, seen);
  const meta = node.meta;
  const original: Evaluate = (ev, ast, ctx) => {
    if (meta.alternate) {
      return meta.alternate.evaluate(ev, meta.alternate as unknown as ASTNode, ctx);
    }
    if (meta.macro) {
      return meta.macro.evaluate(ev, meta.macro as unknown as ASTNode, ctx);
    }
    return meta.evaluate.call(node, ev, ast, ctx);
  };
  const regex = regexOperands(node);
  if (node.op === '||' || node.op === '&&') {
    const logical = logicalOperator(node, original);
    node.evaluate = (ev, ast, ctx): unknown => {
      charge(1);
      return logical(ev, ast, ctx);
    };
    return;
  }
  node.evaluate = regex
    ? (ev, ast, ctx): unknown => {
        charge(1);
        const run = (operand: MaybeNode): unknown => operand.evaluate(ev, operand as never, ctx);
        const text = run(regex.text);
        const pattern = run(regex.pattern);
        if (typeof text === 'string' && typeof pattern === 'string') {
          return re2Matches(text, pattern);
        }
        return original(ev, ast, ctx);
      }
    : (ev, ast, ctx): unknown => {
        charge(1);
        return original(ev, ast, ctx);
      };
}

interface HasMacro {
  args: MaybeNode[];
  macroHasProps?: MaybeNode[];
  typeCheck: (
    checker: { check: (n: unknown, c: unknown) => unknown; getType: (t: string) => unknown },
    macro: HasMacro,
    ctx: unknown,
  ) => unknown;
}

/**
 * cel-js accepts `has(a.b.c)` only on a chain of field selections from a variable, while CEL
 * (and so cel-go) allows any operand: `has(self.matches[0].path)`, used by Gateway API. Its
 * evaluation already handles any operand, so only its type check is widened.
 */
function allowHasOnAnyOperand(value: unknown, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) {
    return;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item) => allowHasOnAnyOperand(item, seen));
    return;
  }
  if (!isNode(value)) {
    Object.values(value as Record<string, unknown>).forEach((child) =>
      allowHasOnAnyOperand(child, seen),
    );
    return;
  }
  const macro = value.meta.macro as HasMacro | undefined;
  const args = value.args as unknown[];
  if (value.op === 'call' && args[0] === 'has' && macro && typeof macro.typeCheck === 'function') {
    const original = macro.typeCheck;
    macro.typeCheck = (checker, self, ctx) => {
      let node = self.args[0];
      if (!node || node.op !== '.') {
        return original(checker, self, ctx);
      }
      const props: MaybeNode[] = [];
      while (node.op === '.' || node.op === '.?') {
        props.push(node);
        node = (node.args as MaybeNode[])[0]!;
      }
      checker.check(node, ctx);
      props.push(node);
      self.macroHasProps = props;
      return checker.getType('bool');
    };
  }
  allowHasOnAnyOperand(value.args, seen);
  allowHasOnAnyOperand(value.meta.alternate, seen);
  allowHasOnAnyOperand(value.meta.macro, seen);
}

/**
 * `||` and `&&` as cel-go evaluates them: both sides are tried, a deciding value wins over an
 * error, and when both sides fail the left error is the one reported.
 */
function logicalOperator(node: MaybeNode, original: Evaluate): Evaluate {
  const [left, right] = node.args as [MaybeNode, MaybeNode];
  const decisive = node.op === '||';
  return (ev, ast, ctx) => {
    const attempt = (operand: MaybeNode): unknown => {
      try {
        return operand.evaluate(ev, operand as never, ctx);
      } catch (error) {
        if (error instanceof CostLimitError || !(error instanceof Error)) {
          throw error;
        }
        return error;
      }
    };
    const l = attempt(left);
    if (l === decisive) return decisive;
    const r = attempt(right);
    if (r === decisive) return decisive;
    if (l instanceof Error) throw l;
    if (r instanceof Error) throw r;
    if (typeof l === 'boolean' && typeof r === 'boolean') return !decisive;
    return original(ev, ast, ctx);
  };
}

/** `s.matches(p)` or `matches(s, p)`: its operands, to be matched with RE2. */
function regexOperands(node: MaybeNode): { text: MaybeNode; pattern: MaybeNode } | undefined {
  const args = node.args as unknown[];
  if (node.op === 'rcall' && args[0] === 'matches') {
    const receiver = args[1];
    const rest = args[2] as unknown[];
    if (isNode(receiver) && rest.length === 1 && isNode(rest[0])) {
      return { text: receiver, pattern: rest[0] };
    }
  }
  if (node.op === 'call' && args[0] === 'matches') {
    const rest = args[1] as unknown[];
    if (rest.length === 2 && isNode(rest[0]) && isNode(rest[1])) {
      return { text: rest[0], pattern: rest[1] };
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
