/**
 * JSON-LD to RDF for provenance tests: expands a document with the `jsonld`
 * processor to N-Quads (no network: any remote context fails the test) and
 * parses the quads into a small queryable graph.
 *
 * @module
 */
import jsonld from "../../tools/dev_deps/jsonld.ts";

/** An RDF term: an IRI, a blank node or a literal with its datatype. */
export type Term =
  | { readonly kind: "iri"; readonly value: string }
  | { readonly kind: "blank"; readonly value: string }
  | { readonly kind: "literal"; readonly value: string; readonly datatype: string };

/** One triple of the default graph. */
export interface Triple {
  readonly s: string;
  readonly p: string;
  readonly o: Term;
}

// Typed wall around the untyped `jsonld` package: only `toRDF` to N-Quads is used.
type ToRdf = (doc: unknown, options: Record<string, unknown>) => Promise<string>;
const toRDF = (jsonld as unknown as { toRDF: ToRdf }).toRDF;

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
const TERM = String.raw`<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@[\w-]+)?`;
const QUAD = new RegExp(String.raw`^(<[^>]*>|_:\S+) <([^>]*)> (${TERM})(?: <[^>]*>)? \.$`);

function unescape(s: string): string {
  return JSON.parse(`"${s}"`);
}

function parseLine(line: string): Triple {
  const m = QUAD.exec(line);
  if (m === null) throw new SyntaxError(`Not an N-Quads line: '${line}'`);
  const s = m[1]!.replace(/^<|>$/g, "");
  const o: Term = m[4] !== undefined
    ? { kind: "iri", value: m[4] }
    : m[5] !== undefined
    ? { kind: "blank", value: m[5] }
    : { kind: "literal", value: unescape(m[6]!), datatype: m[7] ?? XSD_STRING };
  return { s, p: m[2]!, o };
}

/** Expands a JSON-LD document to N-Quads with `jsonld` and parses the triples. */
export async function toTriples(doc: unknown): Promise<{ nquads: string; triples: Triple[] }> {
  const nquads = await toRDF(doc, {
    format: "application/n-quads",
    documentLoader: (url: string) => {
      throw new Error(`The provenance context must be inline; '${url}' was fetched`);
    },
  });
  const triples = nquads.split("\n").filter((l) => l !== "").map(parseLine);
  return { nquads, triples };
}

/** Queries over a set of triples. */
export class Graph {
  readonly #triples: readonly Triple[];

  constructor(triples: readonly Triple[]) {
    this.#triples = triples;
  }

  /** Objects of `s p ?`. */
  objects(s: string, p: string): Term[] {
    return this.#triples.filter((t) => t.s === s && t.p === p).map((t) => t.o);
  }

  /** The single literal value of `s p ?`, or undefined. */
  literal(s: string, p: string): string | undefined {
    const lits = this.objects(s, p).filter((o) => o.kind === "literal");
    return lits.length === 1 ? lits[0]!.value : undefined;
  }

  /** IRIs of `s p ?`. */
  iris(s: string, p: string): string[] {
    return this.objects(s, p).filter((o) => o.kind === "iri").map((o) => o.value);
  }

  /** Subjects of `? p o` with a literal or IRI object equal to `o`. */
  subjects(p: string, o: string): string[] {
    return this.#triples.filter((t) => t.p === p && t.o.value === o).map((t) => t.s);
  }
}
