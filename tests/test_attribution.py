"""Attribution frames: who makes a claim, and through which outlets (nearest the claimer first)."""

import pytest

from graph_service.attribution import attribute
from graph_service.mentions import find_mentions

# sentence -> (claimer label or None, via labels)
CASES = [
    ("\u201cOver 500 troops have been deployed,\u201d a government official told TV Chosun.",
     "a government official", ["TV Chosun"]),
    ("According to South Korea\u2019s Joint Chiefs of Staff, 3,000 troops were deployed.",
     "Joint Chiefs of Staff", []),
    ("Ukrainian intelligence sources told the Financial Times that shells arrived.",
     "Ukrainian intelligence sources", ["Financial Times"]),
    ("\u2018They are heroes,\u2019 KCNA quoted Kim Jong Un as stating.", "Kim Jong Un", ["Korean Central News Agency"]),
    ("TV Chosun cited a South Korean government official, who said troops would go.",
     "a South Korean government official", ["TV Chosun"]),
    ("North Korea might send engineers, according to South Korea's TV Chosun, citing government sources.",
     "government sources", ["TV Chosun"]),
    ("Seoul also said that Pyongyang dispatched missiles, CNN reported.", "South Korea", ["CNN"]),
    ("Ukraine's foreign ministry said North Korean troops had arrived.", "Ukraine", []),
    ("North Korea supplied 11,000 containers, the Washington Post reported.", None, ["The Washington Post"]),
    ("The success was described as historic, according to the KCNA state news agency, which cited the ruling party.",
     "Workers' Party of Korea", ["Korean Central News Agency"]),
    ("Russian Foreign Minister Sergei Lavrov stated that the agreement is defensive.", "Sergei Lavrov", []),
    ("Around 400 troops were killed, South Korean lawmaker Yoo Yong-won said on Tuesday.", "Yoo Yong-won", []),
    ("Meanwhile, the U.S. Department of State has repeatedly criticized the cooperation.",
     "U.S. Department of State", []),
    ("Kim Jong Un and Vladimir Putin signed a treaty in June.", None, []),
    ("As reported by Korea Times, he made this statement in parliament.", None, ["Korea Times"]),
    ("According to Seoul's National Intelligence Service, 300 North Korean soldiers have been killed.",
     "South Korea", []),
    ("Ukraine's military intelligence agency (HUR) reported that North Korean units had been deployed.",
     "Main Intelligence Directorate of Ukraine", []),
    ("Officials in Seoul believe Russia has shipped air defence equipment.", "officials in Seoul", []),
    ("Shells arrived, according to the Institute for the Study of War.", "Institute for the Study of War", []),
    ("Choe said North Korea would stand by Russia, according to Russian state news agency RIA Novosti.",
     "Choe Son Hui", ["RIA Novosti"]),
    ("Kim Yo Jong, the powerful sister of North Korean leader Kim Jong Un, said the North would support Russia.",
     "Kim Yo Jong", []),
    ("\u201cWe are seeing North Korean troops moving,\u201d said Pentagon spokesperson Sabrina Singh.", "Sabrina Singh", []),
    ("North Korea's foreign ministry said in a statement carried by KCNA that the deployment was legitimate.",
     "North Korean Ministry of Foreign Affairs", ["Korean Central News Agency"]),
    ("Putin expressed thanks for the support, and said that Russia would develop cooperation.", "Vladimir Putin", []),
    ("\u201cNorth Korea is getting combat data,\u201d said Joseph Dempsey, a research associate at the Institute.",
     "Joseph Dempsey", []),
]


@pytest.mark.parametrize("sentence,claimer,via", CASES, ids=[c[0][:50] for c in CASES])
def test_attribution(sentence, claimer, via):
    mentions = find_mentions(sentence)
    a = attribute(sentence, 0, len(sentence), mentions)
    assert (a.claimer.label if a.claimer else None) == claimer
    assert [v.label for v in a.via] == via


# pronouns and definite descriptions in a short article: the last sentence's claimer
ANAPHORA = [
    ("Pentagon press secretary General Pat Ryder spoke on Tuesday. He added that the U.S. was watching.",
     "Pat Ryder"),
    ("Meanwhile, the U.S. Department of State criticized the deal. The department added that costs would follow.",
     "U.S. Department of State"),
    ("South Korea's defense ministry spoke on Tuesday. The ministry also said more troops may follow.",
     "Ministry of National Defense"),
    ("South Korea's National Intelligence Service briefed lawmakers. Troops went in January, the agency told them.",
     "National Intelligence Service"),
    ("Alexander Matsegora, Russia\u2019s ambassador to Pyongyang, told Rossiyskaya Gazeta about it. "
     "Russia supplies coal, Matsegora told the outlet.", "Alexander Matsegora"),
]


@pytest.mark.parametrize("text,claimer", ANAPHORA, ids=[a[1] for a in ANAPHORA])
def test_anaphoric_claimer(text, claimer):
    mentions = find_mentions(text)
    start = text.index(". ") + 2
    a = attribute(text, start, len(text), mentions)
    assert a.claimer is not None and a.claimer.label == claimer
    assert a.anaphoric or a.claimer.label.endswith(text[start:].split(" told")[0].split()[-1])


def test_told_the_outlet_is_the_outlet_named_before():
    text = ("Alexander Matsegora, Russia\u2019s ambassador to Pyongyang, told Rossiyskaya Gazeta about it. "
            "Russia supplies coal, Matsegora told the outlet.")
    start = text.index(". ") + 2
    a = attribute(text, start, len(text), find_mentions(text))
    assert [v.label for v in a.via] == ["Rossiyskaya Gazeta"]
