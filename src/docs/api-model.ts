/**
 * @module Reads the public API from its declarations with the TypeScript compiler: every component
 * class an entry file exports (token, description, Args fields with types, defaults, `@see` links,
 * and outputs) and the object types its Args refer to by name. The reference docs are rendered from
 * this model (src/docs/render-reference.ts); dev-time only, it loads `typescript`.
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";

/** One Args field, output, or field of a referenced type. */
export interface ApiField {
  /** Property name, as the component takes it. */
  name: string;
  /** The type as written in the declaration, e.g. `pulumi.Input<string>`. */
  type: string;
  /** True when the field may be left out. */
  optional: boolean;
  /** JSDoc text, without tags. */
  description: string;
  /** `@default` text, e.g. `8080` or `- the component name`. */
  defaultValue?: string;
  /** `@see` links. */
  see: string[];
}

/** An object type (interface or object alias) the API exports by name. */
export interface ApiType {
  name: string;
  /** JSDoc of the declaration. */
  description: string;
  /** Fields, inherited and mapped (`Omit<…>`) ones included, in declaration order. */
  fields: ApiField[];
  /** For a union of object types (e.g. `DockerHostArgs`): the member type names. */
  variants?: string[];
  /** For a union of literals (e.g. `RestartPolicy`) or an enum: the allowed values. */
  values?: string[];
}

/** A `pulumi.ComponentResource` subclass the entry exports. */
export interface ApiComponent {
  name: string;
  /** Type token, from the `super("<token>", …)` call. */
  token: string;
  /** Repository-relative source file. */
  file: string;
  /** JSDoc of the class, without tags. */
  description: string;
  /** Name of the constructor's `args` type. */
  argsType: string;
  /** The Args, or for a union the fields of each variant (see `types`). */
  args: ApiType;
  /** `public readonly` members. */
  outputs: ApiField[];
}

/** What {@link readApis} returns for one entry. */
export interface ApiModel {
  components: ApiComponent[];
  /** Object types referenced by Args (transitively) and exported by the entry, by name. */
  types: ApiType[];
}

/** Types whose reference lives elsewhere: the stack config's, generated into docs/config-reference.md. */
const SKIPPED_TYPES = new Set(["StackConfig", "AlertThresholds"]);

const PRINT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

function compilerOptions(root: string): ts.CompilerOptions {
  const file = resolve(root, "tsconfig.json");
  const config = ts.readConfigFile(file, ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(file)).options, noEmit: true, skipLibCheck: true };
}

function tagText(tag: ts.JSDocTagInfo): string {
  return ts.displayPartsToString(tag.text).replace(/\s+/g, " ").trim();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * Reads the API exported by each entry (paths relative to `root`, the repository root), from one
 * TypeScript program: parsing the Pulumi SDKs' declarations is most of the cost.
 */
export function readApis(root: string, entries: readonly string[]): ApiModel[] {
  const program = ts.createProgram(
    entries.map((e) => resolve(root, e)),
    compilerOptions(root),
  );
  return entries.map((entry) => readEntry(program, root, entry));
}

function readEntry(program: ts.Program, root: string, entry: string): ApiModel {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(resolve(root, entry));
  if (source === undefined) throw new Error(`${entry}: not found under ${root}`);
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  const exported = new Map<string, ts.Symbol>();
  for (const sym of checker.getExportsOfModule(moduleSymbol)) {
    exported.set(sym.name, sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym);
  }

  const field = (sym: ts.Symbol): ApiField => {
    const decl = sym.valueDeclaration ?? sym.declarations?.[0];
    const typeNode = decl && (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
    const type = typeNode !== undefined ? typeNode.getText() : checker.typeToString(checker.getTypeOfSymbol(sym), undefined, PRINT);
    const tags = sym.getJsDocTags(checker);
    const defaultTag = tags.find((t) => t.name === "default");
    return {
      name: sym.name,
      type: oneLine(type),
      optional: (sym.flags & ts.SymbolFlags.Optional) !== 0,
      description: oneLine(ts.displayPartsToString(sym.getDocumentationComment(checker))),
      ...(defaultTag !== undefined ? { defaultValue: tagText(defaultTag) } : {}),
      see: tags.filter((t) => t.name === "see").map(tagText),
    };
  };

  const typeOf = (name: string, sym: ts.Symbol): ApiType | undefined => {
    const type = checker.getDeclaredTypeOfSymbol(sym);
    const description = oneLine(ts.displayPartsToString(sym.getDocumentationComment(checker)));
    const members = type.isUnion() ? type.types : [type];
    if (members.every((t) => t.isLiteral())) {
      return { name, description, fields: [], values: members.map((t) => JSON.stringify((t as ts.LiteralType).value)) };
    }
    if (type.isUnion() && members.every((t) => (t.flags & ts.TypeFlags.Object) !== 0 && (t.aliasSymbol ?? t.getSymbol()) !== undefined)) {
      return { name, description, fields: [], variants: members.map((t) => (t.aliasSymbol ?? t.getSymbol())!.name) };
    }
    if (type.isUnion() || (type.flags & ts.TypeFlags.Object) === 0) return undefined;
    return { name, description, fields: checker.getPropertiesOfType(type).map(field) };
  };

  const components: ApiComponent[] = [];
  for (const [name, sym] of exported) {
    const decl = sym.valueDeclaration;
    if (decl === undefined || !ts.isClassDeclaration(decl) || !extendsComponentResource(checker, decl)) continue;
    const ctor = decl.members.find(ts.isConstructorDeclaration);
    const argsParam = ctor?.parameters.find((p) => p.name.getText() === "args");
    const argsTypeName = argsParam?.type?.getText() ?? "";
    const argsSym = exported.get(argsTypeName) ?? checker.getTypeAtLocation(argsParam!).aliasSymbol ?? checker.getTypeAtLocation(argsParam!).getSymbol();
    const outputs = decl.members
      .filter(ts.isPropertyDeclaration)
      .filter((m) => (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0)
      .map((m) => field(checker.getSymbolAtLocation(m.name)!));
    components.push({
      name,
      token: superToken(ctor) ?? "",
      file: relative(root, decl.getSourceFile().fileName),
      description: oneLine(ts.displayPartsToString(sym.getDocumentationComment(checker))),
      argsType: argsTypeName,
      args: typeOf(argsTypeName, argsSym!) ?? { name: argsTypeName, description: "", fields: [] },
      outputs,
    });
  }

  // Object types the Args mention by name and the entry exports, followed transitively.
  const types = new Map<string, ApiType>();
  const pending = components.flatMap((c) => [...c.args.fields.map((f) => f.type), ...(c.args.variants ?? []), ...c.outputs.map((o) => o.type)]);
  while (pending.length > 0) {
    for (const name of pending.shift()!.match(/[A-Z][A-Za-z0-9]*/g) ?? []) {
      const sym = exported.get(name);
      if (sym === undefined || types.has(name) || components.some((c) => c.name === name)) continue;
      if (!(sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum))) continue;
      const t = typeOf(name, sym);
      if (t === undefined || SKIPPED_TYPES.has(name)) continue;
      types.set(name, t);
      pending.push(...t.fields.map((f) => f.type), ...(t.variants ?? []));
    }
  }
  return {
    components: components.sort((a, b) => a.name.localeCompare(b.name)),
    types: [...types.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function extendsComponentResource(checker: ts.TypeChecker, decl: ts.ClassDeclaration): boolean {
  return (decl.heritageClauses ?? []).some((h) => h.types.some((t) => checker.getTypeAtLocation(t).getSymbol()?.name === "ComponentResource"));
}

/** The type token of `super("<token>", …)` in a constructor. */
function superToken(ctor: ts.ConstructorDeclaration | undefined): string | undefined {
  let token: string | undefined;
  const visit = (node: ts.Node): void => {
    if (token !== undefined) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      token = node.arguments[0].text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (ctor?.body) visit(ctor.body);
  return token;
}

/** The `version` of the package.json at `root`. */
export function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { version: string }).version;
}
