"""The kg command: each subcommand's output and each error's exit status and message."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph_service.cli import main
from graph_service.resources import SEEDS_DIR

SEED = sorted(SEEDS_DIR.glob("*.txt"))[0]


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["build", "--store", str(path)]) == 0
    return path


@pytest.fixture
def store(built_store, tmp_path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_prints_counts_and_conforms(tmp_path, capsys):
    code, out, _ = run(capsys, "build", "--store", str(tmp_path / "s"))
    assert code == 0
    assert "articles 5" in out and "validation: conforms" in out


def test_store_path_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "from-env"))
    code, _, _ = run(capsys, "build")
    assert code == 0
    assert (tmp_path / "from-env").is_dir()


def test_extract_facts_are_fact_records_with_iris(capsys):
    code, out, _ = run(capsys, "extract", str(SEED), "--format", "facts")
    assert code == 0
    records = json.loads(out)
    assert records and all(r["iri"].startswith("https://w3id.org/nkru/id/claim/") for r in records)
    text = SEED.read_text(encoding="utf-8")
    assert all(r["quote"] in text for r in records)


@pytest.mark.parametrize("fmt, marker", [("turtle", "@prefix"), ("trig", "{")])
def test_extract_rdf_formats(capsys, fmt, marker):
    code, out, _ = run(capsys, "extract", str(SEED), "--format", fmt)
    assert code == 0 and marker in out and "TextQuoteSelector" in out


def test_query_table_json_csv(store, capsys):
    q = ("PREFIX kg: <https://w3id.org/nkru/ontology#> "
         "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kg:Article }")
    code, out, _ = run(capsys, "query", q, "--store", str(store))
    assert code == 0 and "5" in out.splitlines()[2]
    code, out, _ = run(capsys, "query", q, "--store", str(store), "--format", "json")
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "5"
    code, out, _ = run(capsys, "query", q, "--store", str(store), "--format", "csv")
    assert out.split() == ["n", "5"]


def test_query_from_file(store, tmp_path, capsys):
    q = tmp_path / "q.rq"
    q.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    code, out, _ = run(capsys, "query", "--file", str(q), "--store", str(store))
    assert (code, out.strip()) == (0, "true")


def test_query_syntax_error_names_line_and_column(store, capsys):
    code, _, err = run(capsys, "query", "SELECT * WHERE {\n ?s ?p }", "--store", str(store))
    assert code == 2
    assert "line 2" in err and "column" in err


def test_ingest_new_article(store, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("South Korea's spy agency said North Korea sent 1,500 special forces "
                       "troops to Russia in October.\n", encoding="utf-8")
    meta = tmp_path / "m.json"
    meta.write_text(json.dumps({"title": "t", "outlet": "Yonhap", "published": "2024-10-18"}))
    code, out, _ = run(capsys, "ingest", str(article), "--meta", str(meta), "--store", str(store))
    assert code == 0 and "claims" in out


def test_export_and_stats(store, capsys):
    code, out, _ = run(capsys, "export", "--format", "nquads", "--store", str(store))
    assert code == 0
    code, out, _ = run(capsys, "stats", "--store", str(store))
    assert code == 0 and "claims" in out and "triples" in out


@pytest.mark.parametrize("argv, needle", [
    (["extract", "no/such/article.txt"], "no/such/article.txt"),
    (["ingest", "no/such/article.txt", "--store", "{store}"], "no/such/article.txt"),
    (["validate", "no/such/file.ttl"], "no/such/file.ttl"),
    (["query", "--file", "no/such/q.rq", "--store", "{store}"], "no/such/q.rq"),
])
def test_missing_input_is_one_line_and_exit_2(argv, needle, store, capsys):
    argv = [a.replace("{store}", str(store)) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("content, needle", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    ("caf\u00e9".encode("latin-1"), "not UTF-8"),
    (b"x" * 1_000_001, "limit"),
])
def test_bad_article_text_is_refused(tmp_path, capsys, content, needle):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, _, err = run(capsys, "extract", str(path))
    assert code == 2 and needle in err and str(path) in err


def test_malformed_metadata_names_line_and_column(tmp_path, capsys):
    meta = tmp_path / "m.json"
    meta.write_text('{"title": "x",\n "published": }')
    code, _, err = run(capsys, "extract", str(SEED), "--meta", str(meta))
    assert code == 2 and "line 2" in err and str(meta) in err


def test_metadata_with_bad_date_is_refused(tmp_path, capsys):
    meta = tmp_path / "m.json"
    meta.write_text('{"published": "last Tuesday"}')
    code, _, err = run(capsys, "extract", str(SEED), "--meta", str(meta))
    assert code == 2 and "published" in err


def test_validate_parse_error_exit_2_with_line_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2 and "line 3" in err and "column" in err


def test_validate_nonconforming_exit_1_with_report(tmp_path, capsys):
    bad = tmp_path / "claim.ttl"
    bad.write_text("""
        @prefix kg: <https://w3id.org/nkru/ontology#> .
        <https://w3id.org/nkru/id/claim/broken> a kg:Claim .
    """)
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1
    assert "https://w3id.org/nkru/id/claim/broken" in out and "shape" in out


def test_validate_conforming_exit_0(tmp_path, capsys):
    code, out, _ = run(capsys, "extract", str(SEED), "--format", "turtle")
    good = tmp_path / "good.ttl"
    good.write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(good))
    assert code == 0 and "conforms" in out


def test_no_traceback_from_the_console_script(tmp_path):
    exe = Path(sys.executable).with_name("kg")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "graph_service.cli"]
    proc = subprocess.run(cmd + ["extract", str(tmp_path / "missing.txt")],
                          capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "missing.txt" in proc.stderr


CORPUS = Path(__file__).parent / "corpus"
SPLIT = CORPUS / "test"


def test_eval_prints_the_scorers_report(capsys):
    code, out, _ = run(capsys, "eval", "--gold", str(SPLIT / "gold"), "--articles", str(SPLIT / "articles"))
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["type", "gold", "pred"]
    assert out.strip().splitlines()[-1].startswith("strict   P=")


def test_eval_reports_both_splits_of_the_corpus(capsys):
    code, out, _ = run(capsys, "eval", "--corpus", str(CORPUS), "--json")
    assert code == 0
    figures = json.loads(out)
    assert set(figures) == {"dev", "test"}
    for split in figures.values():
        assert {"deployment", "transfer", "meeting", "statement"} <= set(split["per_type"])
        assert 0 < split["strict"]["f"] <= 1


def test_eval_min_f1_and_json(capsys, tmp_path):
    code, out, _ = run(capsys, "eval", "--gold", str(SPLIT / "gold"), "--articles", str(SPLIT / "articles"),
                       "--json", "--min-f1", "1.01", "--pred", str(tmp_path / "pred"))
    assert code == 1
    assert 0 < json.loads(out)["strict"]["f"] <= 1
    assert any((tmp_path / "pred").glob("*.json"))


def test_eval_missing_folder_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "eval", "--gold", str(tmp_path / "none"), "--articles", str(SPLIT / "articles"))
    assert code == 2 and "none" in err


def test_ingest_several_articles_at_once(store, tmp_path, capsys):
    paths = []
    for i, n in enumerate(("1,200", "800")):
        path = tmp_path / f"a{i}.txt"
        path.write_text(f"Ukraine's military intelligence said North Korea sent {n} more troops "
                        f"to Russia's Kursk region last month.\n", encoding="utf-8")
        paths.append(str(path))
    code, out, _ = run(capsys, "ingest", *paths, "--store", str(store))
    assert code == 0 and len(out.strip().splitlines()) == 2


def test_ingest_skips_a_bad_input_by_name_and_stores_the_rest(store, tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("North Korea sent 900 troops to Russia, officials said.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, _, err = run(capsys, "ingest", str(good), str(bad), "--store", str(store))
    assert code == 2 and "bad.txt" in err and "1 failed" in err
    code, out, _ = run(capsys, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                       "FILTER(CONTAINS(STR(?o), \"900 troops\")) }", "--store", str(store),
                       "--format", "csv")
    assert out.split()[0] == "n" and int(out.split()[1]) > 0  # the good one is stored


def test_ingest_of_nothing_says_so(store, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, "ingest", str(tmp_path / "empty"), "--store", str(store))
    assert code == 2 and out == "" and "no articles in the inputs" in err
