"""Printing query results on a terminal: a table, or SPARQL JSON/XML/CSV/TSV from Oxigraph."""

from __future__ import annotations

from typing import TextIO

import pyoxigraph as ox

from .errors import InputError
from .formats import RDFFormat, ResultFormat

PREFIXES = {
    "https://w3id.org/nkru/ontology#": "kg:",
    "https://w3id.org/nkru/id/": "id:",
    "https://w3id.org/nkru/graph/": "graph:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/oa#": "oa:",
    "https://schema.org/": "schema:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.wikidata.org/entity/": "wd:",
}


def show_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for ns, prefix in PREFIXES.items():
            if term.value.startswith(ns):
                return prefix + term.value[len(ns):]
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: list[list[str]], *, max_width: int = 60) -> str:
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]

    def line(vals: list[str]) -> str:
        return " | ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def print_results(result, *, fmt: str, out: TextIO) -> None:
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            out.write(("true" if bool(result) else "false") + "\n")
        else:
            out.write(result.serialize(format=_result_format(fmt).oxigraph).decode("utf-8"))
        return
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            variables = [v.value for v in result.variables]
            rows = [[show_term(sol[v]) for v in variables] for sol in result]
            out.write(table(variables, rows) + "\n")
        else:
            out.write(result.serialize(format=_result_format(fmt).oxigraph).decode("utf-8"))
        return
    # CONSTRUCT / DESCRIBE: a graph; "table" and "json" print Turtle and JSON-LD.
    rdf = RDFFormat.JSONLD if fmt == "json" else RDFFormat.TURTLE
    if fmt in ("csv", "tsv", "xml"):
        rdf = {"xml": RDFFormat.RDFXML}.get(fmt) or _refuse(fmt)
    out.write(ox.serialize(result, format=rdf.oxigraph).decode("utf-8"))


def _result_format(name: str) -> ResultFormat:
    for fmt in ResultFormat:
        if fmt.key == name:
            return fmt
    raise InputError(f"unknown result format {name!r}")


def _refuse(fmt: str):
    raise InputError(f"a CONSTRUCT or DESCRIBE result is a graph; {fmt} is for SELECT results "
                     "(use --format table, json or xml)")
