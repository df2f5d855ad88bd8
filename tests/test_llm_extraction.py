"""The language-model extractor against a real HTTP server on loopback that speaks the
chat-completions API and answers from a script (tests/llm_server.py), so no model is needed.

Each scripted answer has its expected outcome: claims accepted, records refused with their
reason, or a clear error that names the endpoint."""

from __future__ import annotations

import json
import socket
import time

import pytest

from graph_service import cli
from graph_service.articles import article_from_text
from graph_service.extraction import RULES, extract_many
from graph_service.extraction.chat import ChatClient, ChatSettings, LLMError
from graph_service.extraction.grounding import (ACTOR_NOT_IN_QUOTE, MALFORMED, NUMBER_NOT_IN_QUOTE, QUOTE_NOT_FOUND,
                                                SHAPES)
from graph_service.extraction.llm import Window, read_many, windows
from graph_service.extraction.model import parse
from graph_service.pipeline import ingest
from graph_service.store import open_store
from llm_server import MODEL, Step, facts, llm_server, reply  # noqa: F401  (fixture)

# Written for these tests.
TEXT = ("North Korea has sent about 10,000 troops to Russia's Kursk region, South Korea's National "
        "Intelligence Service said on Thursday.\n\n"
        "Moscow also received 5.2 million artillery shells from Pyongyang last year, a South Korean "
        "lawmaker told Yonhap.")
META = {"published": "2025-02-13", "title": "Troops and shells"}
DEPLOY = "North Korea has sent about 10,000 troops to Russia's Kursk region"
TRANSFER = "Moscow also received 5.2 million artillery shells from Pyongyang last year"


def rec(**fields) -> dict:
    base = {"type": "deployment", "actor": "North Korea", "target": None, "item": None, "quantity": None,
            "counts": None, "status": "reported", "event_time": None, "claimed_by": None, "via": None}
    return {**base, **fields}


GOOD = rec(quote=DEPLOY, target="Kursk Oblast", item="troops", quantity={"value": 10000, "qualifier": "approximately",
                                                                          "upper": None, "text": "about 10,000"},
           claimed_by="National Intelligence Service")


def article():
    return article_from_text(TEXT, meta=META)


def chat_client(server, **options) -> ChatClient:
    settings = {"timeout": 5.0, "retries": 0, "backoff": 0.01, **options}
    return ChatClient(ChatSettings(endpoint=server.url, model="local-model", **settings))


def verdicts(server, *steps, **options):
    server.play(*steps)
    return read_many([article()], chat_client(server, **options))[0]


def test_well_formed_records_become_claims(llm_server):
    reading = verdicts(llm_server, facts(GOOD, rec(type="transfer", quote=TRANSFER, target="Russia",
                                                    item="artillery shells", quantity={"value": 5.2e6},
                                                    claimed_by="a South Korean lawmaker", via="Yonhap")))
    assert [v.reason for v in reading.verdicts] == [None, None]
    deploy, transfer = reading.claims
    assert (deploy.type, deploy.actor.label, deploy.target.label) == ("deployment", "North Korea", "Kursk Oblast")
    assert deploy.quote == TEXT[deploy.start:deploy.end] == DEPLOY
    assert transfer.quantity.value == 5_200_000 and transfer.event_time.normalized == "2024"
    assert [v.label for v in transfer.via] == ["Yonhap"]
    assert {e.model for c in reading.claims for e in c.generated_by} == {MODEL}  # the server's name


def test_the_request_asks_for_json_of_the_schema(llm_server, monkeypatch):
    monkeypatch.setenv("KG_LLM_API_KEY", "sk-test-1")
    settings = ChatSettings.from_env(endpoint=llm_server.url + "/v1", model="local-model", retries=0)
    llm_server.play(facts())
    read_many([article()], ChatClient(settings))
    body, headers = llm_server.requests[0], llm_server.headers[0]
    assert body["model"] == "local-model" and body["stream"] is False
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["facts"]["items"]["required"][-1] == "quote"
    assert "Kursk region" in body["messages"][-1]["content"]
    assert headers["Authorization"] == "Bearer sk-test-1"
    assert "sk-test-1" not in repr(settings)


def test_a_server_without_response_format_is_asked_again_without_it(llm_server):
    reading = verdicts(llm_server, Step(status=400, body=b'{"error": "response_format not supported"}'),
                       facts(GOOD))
    assert len(reading.claims) == 1
    assert "response_format" in llm_server.requests[0] and "response_format" not in llm_server.requests[1]


@pytest.mark.parametrize("bad, reason", [
    (rec(quote="North Korea has sent 12,000 special forces to Kursk"), QUOTE_NOT_FOUND),
    (rec(quote=DEPLOY, quantity={"value": 12000, "qualifier": "exact"}), NUMBER_NOT_IN_QUOTE),
    (rec(quote=DEPLOY, actor="Belarus"), ACTOR_NOT_IN_QUOTE),
], ids=["hallucinated-quote", "number-not-in-quote", "actor-not-in-text"])
def test_records_the_text_does_not_bear_out_are_refused(llm_server, bad, reason):
    reading = verdicts(llm_server, facts(GOOD, bad))
    assert [v.reason for v in reading.verdicts] == [None, reason]
    assert len(reading.claims) == 1
    assert reading.refusals() == {reason: 1}


@pytest.mark.parametrize("content", ['{"facts": [{"type": "deployment", "quote": ', "Sure! Here are the facts:",
                                     '{"records": []}'], ids=["truncated", "prose", "wrong-shape"])
def test_malformed_answers_are_refused(llm_server, content):
    reading = verdicts(llm_server, reply(content))
    assert [v.reason for v in reading.verdicts] == [MALFORMED]
    assert reading.claims == []


def test_a_fenced_answer_is_read(llm_server):
    reading = verdicts(llm_server, reply("```json\n" + json.dumps({"facts": [GOOD]}) + "\n```"))
    assert len(reading.claims) == 1


def test_a_500_is_retried_then_succeeds(llm_server):
    reading = verdicts(llm_server, Step(status=500), Step(status=502), facts(GOOD), retries=2)
    assert len(reading.claims) == 1 and len(llm_server.requests) == 3


def test_a_500_that_persists_is_an_error_naming_the_endpoint(llm_server):
    llm_server.play(Step(status=500), Step(status=500))
    with pytest.raises(LLMError) as err:
        read_many([article()], chat_client(llm_server, retries=1))
    assert err.value.where == llm_server.url + "/v1/chat/completions"
    assert "500" in str(err.value) and llm_server.url in str(err.value)
    assert err.value.exit_code == 3


def test_a_429_waits_as_long_as_retry_after_says(llm_server):
    reading = verdicts(llm_server, Step(status=429, headers={"Retry-After": "1"}), facts(GOOD),
                       retries=1, backoff=0.01)
    assert len(reading.claims) == 1
    assert llm_server.times[1] - llm_server.times[0] >= 0.9


def test_a_hang_past_the_timeout_is_an_error_naming_the_endpoint(llm_server):
    llm_server.play(Step(hang=1.5, content="{}"))
    started = time.monotonic()
    with pytest.raises(LLMError, match="did not answer within 0.2 s") as err:
        read_many([article()], chat_client(llm_server, timeout=0.2))
    assert time.monotonic() - started < 1.2
    assert llm_server.url in str(err.value)


def test_an_unreachable_endpoint_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    settings = ChatSettings(endpoint=f"http://127.0.0.1:{port}", model="m", retries=0, timeout=2)
    with pytest.raises(LLMError, match="cannot reach the model endpoint") as err:
        read_many([article()], ChatClient(settings))
    assert f"127.0.0.1:{port}" in str(err.value)


def test_settings_come_from_the_environment_and_are_checked():
    env = {"KG_LLM_ENDPOINT": "http://127.0.0.1:11434", "KG_LLM_MODEL": "qwen2.5:3b", "KG_LLM_TIMEOUT": "30",
           "KG_LLM_CONCURRENCY": "4"}
    s = ChatSettings.from_env(env)
    assert (s.url, s.model, s.timeout, s.concurrency) == ("http://127.0.0.1:11434/v1/chat/completions",
                                                          "qwen2.5:3b", 30.0, 4)
    assert ChatSettings.from_env(env, model="other").model == "other"   # the command line wins
    for broken, message in [({}, "--llm-endpoint"), ({"KG_LLM_ENDPOINT": "http://h"}, "--llm-model"),
                            ({**env, "KG_LLM_TIMEOUT": "soon"}, "KG_LLM_TIMEOUT"),
                            ({**env, "KG_LLM_ENDPOINT": "ftp://h"}, "http")]:
        with pytest.raises(Exception, match=message):
            ChatSettings.from_env(broken)


def test_concurrency_is_limited(llm_server):
    long = article_from_text(" ".join(f"Sentence {i} says nothing of note here." for i in range(12)), meta=META)
    llm_server.play(*[Step(hang=0.2, content='{"facts": []}') for _ in range(6)])
    read_many([long], chat_client(llm_server, window=2, concurrency=2))
    assert len(llm_server.requests) == 6
    # three rounds of two: never all six at once
    assert max(llm_server.times) - min(llm_server.times) >= 0.35


def test_long_articles_go_in_windows_of_sentences():
    doc = parse(TEXT)
    assert windows(doc, 1) == [Window(0, TEXT.index("\n")), Window(TEXT.index("Moscow"), len(TEXT))]
    assert windows(doc, 40) == [Window(0, len(TEXT))]


def test_both_merges_a_fact_found_twice_into_one_claim(llm_server):
    rules = extract_many([article()])[0]
    ruled = [c for c in rules if c.type == "deployment"]
    assert ruled, "the rules find the deployment"
    llm_server.play(facts(GOOD, rec(type="transfer", quote="5.2 million artillery shells from Pyongyang",
                                    actor="North Korea", target=None)))
    merged = extract_many([article()], extractor="both", client=chat_client(llm_server))[0]
    deploys = [c for c in merged if c.type == "deployment" and c.start == ruled[0].start]
    assert len(deploys) == 1
    assert {e.name for e in deploys[0].generated_by} == {"rules", "llm"}
    assert deploys[0].quote == ruled[0].quote   # the rule claim's fields are kept
    assert len(merged) >= len(rules)


def test_the_rules_alone_never_contact_the_endpoint(llm_server, monkeypatch):
    monkeypatch.setenv("KG_LLM_ENDPOINT", llm_server.url)
    monkeypatch.setenv("KG_LLM_MODEL", "m")
    claims = extract_many([article()])[0]
    assert claims and all(c.generated_by == (RULES,) for c in claims)
    assert llm_server.requests == []


def test_ingested_claims_can_be_filtered_by_extractor(llm_server, tmp_path):
    llm_server.play(facts(GOOD))
    with open_store(tmp_path / "store") as store:
        ingest(store, article(), extractor="both", client=chat_client(llm_server), relink=False)
        rows = store.query("""
            PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX kg: <https://w3id.org/nkru/ontology#>
            SELECT ?claim ?name ?model WHERE { ?claim a kg:Claim ; prov:wasGeneratedBy ?x .
              ?x kg:extractorName ?name . OPTIONAL { ?x kg:modelName ?model } }""")
        rows = [(r["name"].value, r["model"].value if r["model"] is not None else None) for r in rows]
    assert {name for name, _ in rows} == {"rules", "llm"}
    assert {model for name, model in rows if name == "llm"} == {MODEL}


def test_cli_explain_prints_each_record_with_its_verdict(llm_server, tmp_path, monkeypatch, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(META), encoding="utf-8")
    monkeypatch.setenv("KG_LLM_MODEL", "local-model")
    bare = rec(type="transfer", quote="shells from Pyongyang", actor="North Korea")  # no recipient
    llm_server.play(facts(GOOD, rec(quote=DEPLOY, actor="Belarus"), bare))
    code = cli.main(["extract", str(path), "--extractor", "llm", "--explain", "--llm-endpoint", llm_server.url])
    out, err = capsys.readouterr()
    assert code == 0
    shown = json.loads(out)
    assert [v["verdict"] for v in shown] == ["accepted", "refused", "refused"]
    assert shown[1]["reason"] == ACTOR_NOT_IN_QUOTE and shown[0]["claim"]["extractor"] == ["llm"]
    assert shown[2]["reason"] == SHAPES and "recipient" in shown[2]["detail"]
    assert "proposed 3  accepted 1  refused 2" in err
    llm_server.play(facts(GOOD, bare))
    assert cli.main(["extract", str(path), "--extractor", "llm", "--llm-endpoint", llm_server.url]) == 0
    assert [r["type"] for r in json.loads(capsys.readouterr().out)] == ["deployment"]


def test_cli_names_a_failing_endpoint(llm_server, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    llm_server.play(Step(status=500))
    code = cli.main(["extract", str(path), "--extractor", "llm", "--llm-endpoint", llm_server.url,
                     "--llm-model", "m", "--llm-retries", "0"])
    assert code == 3
    assert llm_server.url in capsys.readouterr().err


def test_a_model_claim_that_fails_the_shapes_is_refused_not_the_article(llm_server, tmp_path, caplog):
    # grounded, but a transfer needs a recipient and what moved (shapes/kg-shapes.ttl)
    bare = rec(type="transfer", quote="shells from Pyongyang", actor="North Korea")
    llm_server.play(facts(GOOD, bare))
    caplog.set_level("INFO", logger="graph_service.pipeline")
    with open_store(tmp_path / "store") as store:
        prepared = ingest(store, article(), extractor="llm", client=chat_client(llm_server), relink=False)
    assert [c.type for c in prepared.claims] == ["deployment"]
    assert "fails the shapes" in caplog.text and "shells from Pyongyang" in caplog.text


def test_eval_scores_each_extractor_and_asks_the_model_once(llm_server, tmp_path, capsys):
    gold, articles = tmp_path / "gold", tmp_path / "articles"
    gold.mkdir()
    articles.mkdir()
    (articles / "a.txt").write_text(TEXT, encoding="utf-8")
    (articles / "a.json").write_text(json.dumps(META), encoding="utf-8")
    (gold / "a.json").write_text(json.dumps([{**GOOD, "quantity": {"value": 10000, "qualifier": "approximately",
                                                                   "upper": None}}]), encoding="utf-8")
    llm_server.play(facts(GOOD))
    code = cli.main(["eval", "--gold", str(gold), "--articles", str(articles), "--json", "--extractor", "each",
                     "--llm-endpoint", llm_server.url, "--llm-model", "m", "--pred", str(tmp_path / "pred")])
    assert code == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores) == {"rules", "llm", "both"}
    assert scores["llm"]["strict"]["r"] == 1.0 and scores["both"]["strict"]["r"] == 1.0
    assert len(llm_server.requests) == 1
    kept = json.loads((tmp_path / "pred" / "llm" / "a.json").read_text(encoding="utf-8"))
    assert [r["extractor"] for r in kept] == [["llm"]]


def test_the_api_filters_claims_by_extractor(llm_server, store, client):
    llm_server.play(facts(GOOD, rec(type="transfer", quote=TRANSFER, actor="Pyongyang", target="Moscow",
                                    item="artillery shells")))
    ingest(store, article(), extractor="both", client=chat_client(llm_server), relink=False)
    every = client.get("/api/claims?limit=100").get_json()["items"]
    by_llm = client.get("/api/claims?extractor=llm&limit=100").get_json()["items"]
    by_rules = client.get("/api/claims?extractor=rules&limit=100").get_json()["items"]
    assert by_llm and by_rules and len(every) >= len(by_llm)
    assert all("llm" in c["extractor"] for c in by_llm)
    assert all("rules" in c["extractor"] for c in by_rules)
    assert {c["claim"] for c in by_llm} | {c["claim"] for c in by_rules} == {c["claim"] for c in every}
    assert client.get("/api/claims?extractor=gpt").status_code == 400


def test_cli_ingest_reports_what_the_gate_refused(llm_server, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(META), encoding="utf-8")
    llm_server.play(facts(GOOD, rec(quote=DEPLOY, actor="Belarus")))
    code = cli.main(["ingest", str(path), "--store", str(tmp_path / "store"), "--no-events",
                     "--extractor", "llm", "--llm-endpoint", llm_server.url, "--llm-model", "m"])
    err = capsys.readouterr().err
    assert code == 0
    assert "1 claims accepted, refused: 1 actor not in the quote" in err


def test_retry_after_as_seconds_or_as_a_date_is_capped():
    import email.utils

    import requests

    from graph_service.extraction.chat import _retry_after

    settings = ChatSettings(endpoint="http://127.0.0.1:1", model="m", max_wait=5)

    def waiting(value):
        response = requests.Response()
        response.headers["Retry-After"] = value
        return _retry_after(response, settings)

    assert waiting("2") == 2.0
    assert waiting("120") == 5.0                                            # capped
    assert 2.0 < waiting(email.utils.formatdate(time.time() + 4, usegmt=True)) <= 4.0
    assert waiting("soon") is None
