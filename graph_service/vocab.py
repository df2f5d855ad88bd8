"""The kg: vocabulary, GENERATED from ontology/kg.ttl and links.ttl: do not edit by hand.

Regenerate with ``python -m graph_service.vocab``.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")


class KG(DefinedNamespace):
    """NK–RU cooperation ontology (https://w3id.org/nkru/ontology)."""

    # accepted: Reviewed and moved into a graph of its own, served like extracted claims with the
    # submitter as their source.
    Accepted: URIRef
    # agent: Something that acts, asserts or is acted upon in a report: a state, a person, a body,
    # an outlet, or an unnamed source.
    Agent: URIRef
    # anonymous source: An unnamed source that an article cites ("a government official",
    # "sources"); known only within one article, so its IRI includes the article id.
    AnonymousSource: URIRef
    # approximately: The number is an estimate ("about", "around", "some", "approximately").
    Approximately: URIRef
    # armed force: The military of a state as a whole, or one of its services (the Korean People's
    # Army).
    ArmedForce: URIRef
    # article: A news article that claims are read from: its text (schema:text), headline, outlet
    # (schema:publisher), author, publication date and URL.
    Article: URIRef
    # at least: The number is a floor that may be reached ("at least 500").
    AtLeast: URIRef
    # attribution role: The part an agent plays in the attribution of a claim: the claimer or a
    # channel.
    AttributionRole: URIRef
    # casualty report: Personnel of a force were killed, wounded, captured or went missing.
    CasualtyReport: URIRef
    # channel: The role of an outlet or intermediary that passes a claim on (chain positions 1, 2,
    # … from the claimer outwards).
    Channel: URIRef
    # city: A city or town (Pyongyang, Vladivostok).
    City: URIRef
    # claim: One fact as one article states it: the event it asserts, the quote that supports it
    # (kg:hasEvidence), its article (prov:wasDerivedFrom), who asserts it and through which
    # outlets, and its status.
    Claim: URIRef
    # claim statuses: How firmly an article presents a claim.
    ClaimStatusScheme: URIRef
    # claimer: The role of the agent who asserts a claim (chain position 0).
    Claimer: URIRef
    # confirmed: An authority the article cites confirms it.
    Confirmed: URIRef
    # country: The territory of a state, as a place.
    Country: URIRef
    # curated: Checked by a person against public sources (ontology/wikidata-curated.ttl); never
    # overridden by the linker.
    CuratedLink: URIRef
    # denied: Someone the article cites denies it.
    Denied: URIRef
    # deployment: A state sends personnel (troops, workers, engineers) to a destination.
    Deployment: URIRef
    # entity link: The record of one link between an entity of this graph and a Wikidata item: the
    # subject, the item, the predicate used (owl:sameAs or skos:exactMatch), the method, the score
    # and the candidates that lost.
    EntityLink: URIRef
    # event: Something that happened or is said to happen, as a claim states it: who did what, to
    # or with whom, how much, when.
    Event: URIRef
    # event cluster: A real-world event that one or more claims, usually from different articles,
    # report. Conflicting figures stay on the claims; the cluster gives their range and how many
    # independent sources stand behind it.
    EventCluster: URIRef
    # exact: The number is stated without qualification ("500 troops").
    Exact: URIRef
    # extraction: Reading claims out of articles with one extractor at one version: the rule
    # pipeline, or a language model whose proposals passed the grounding gate. A claim points to
    # it with prov:wasGeneratedBy; a claim both extractors found points to both.
    Extraction: URIRef
    # government body: A ministry, office, agency or council of a state's government (South
    # Korea's Joint Chiefs of Staff, the Pentagon).
    GovernmentBody: URIRef
    # hedges: How exactly an article states a number.
    HedgeScheme: URIRef
    # intelligence agency: A government body that gathers intelligence (South Korea's National
    # Intelligence Service, Ukraine's HUR).
    IntelligenceAgency: URIRef
    # label, type and context match: Found by label or alias in the entity's language, filtered by
    # Wikidata class (P31/P279), scored by context (P27, P39, P17, P131).
    LabelTypeContextMatch: URIRef
    # link candidate: A Wikidata item considered for an entity, with its score and why it lost or
    # was held back.
    LinkCandidate: URIRef
    # link methods:
    LinkMethodScheme: URIRef
    # link review: An entity that was not linked (no candidate reached the threshold, or two were
    # too close), with the candidates a person should review.
    LinkReview: URIRef
    # meeting: Leaders or officials meet (a summit, talks, a visit).
    Meeting: URIRef
    # military unit: A formation within an armed force: a corps, brigade, battalion (the 11th
    # Corps, the Storm Corps).
    MilitaryUnit: URIRef
    # news outlet: A newspaper, broadcaster or news agency that publishes articles or through
    # which claims are passed on (TV Chosun, KCNA, Yonhap).
    NewsOutlet: URIRef
    # occupied territory: Territory held by a state other than the one it belongs to under
    # international law (Russian-occupied Ukraine).
    OccupiedTerritory: URIRef
    # organization: A named group of people that acts as one: a body, a force, a party, an outlet.
    Organization: URIRef
    # over: The true figure is above the number ("over 500", "more than 500").
    Over: URIRef
    # pending: Stored in its staging graph, not yet reviewed; its claims are not served as part of
    # the graph.
    Pending: URIRef
    # person: A named human being, such as a leader or an official; kg:role and kg:affiliation say
    # in what capacity and for whom.
    Person: URIRef
    # place: A location where something happens or to which something is sent.
    Place: URIRef
    # planned: It is said to be planned or expected, not yet done.
    Planned: URIRef
    # political party: A political party (the Workers' Party of Korea).
    PoliticalParty: URIRef
    # possible: It is presented as possible or suspected, not as fact.
    Possible: URIRef
    # quantity: A number as an article reports it, with its hedge ("over 500", "about 11,000",
    # "dozens of") and the words as written.
    Quantity: URIRef
    # range: Two numbers bound the figure ("10,000 to 12,000"); kg:upperBound holds the upper one.
    Range: URIRef
    # region: A part of a country: a province, oblast or area (Kursk Oblast, the Far East).
    Region: URIRef
    # rejected: Reviewed and refused, with a reason; its staged content is dropped.
    Rejected: URIRef
    # reported: The article states it as reported, without confirmation or denial.
    Reported: URIRef
    # skipped span: Characters of an article's text (oa:start, oa:end, end exclusive) that are
    # page debris, not reporting: a widget, an advertisement, a share or subscribe prompt, a
    # related-link teaser, a photo caption. The text keeps them; extraction does not read them.
    SkippedSpan: URIRef
    # state: A sovereign state as a political actor (North Korea, Russia). The same thing is often
    # also a kg:Country, the territory.
    State: URIRef
    # statement: A speaker says something on the record; kg:gist gives what was said.
    Statement: URIRef
    # submission: RDF or fact records sent to the service by a user or a pipeline. It was
    # validated on arrival and sits in a staging graph until someone accepts or rejects it.
    Submission: URIRef
    # submission statuses: Where a submission stands in review.
    SubmissionStatusScheme: URIRef
    # syndication: One kg:copyOf link with how it was found: the copy, the original, their
    # similarity and the method.
    Syndication: URIRef
    # time specification: When something happened, as written ("autumn last year") and as resolved
    # against an anchor date to an interval bounded by earliest and latest days.
    TimeSpec: URIRef
    # transfer: A supplier gives or sells materiel (shells, missiles, equipment, technology) to a
    # recipient.
    Transfer: URIRef
    # treaty: A written agreement between states (the Treaty on Comprehensive Strategic
    # Partnership).
    Treaty: URIRef
    # treaty signing: Parties sign, ratify or bring into force a treaty.
    TreatySigning: URIRef
    # up to: The number is a ceiling ("up to", "as many as").
    UpTo: URIRef
    # vague: Words instead of a number ("dozens of", "a large amount"); kg:asWritten keeps them
    # and kg:value may give the lower end they imply.
    Vague: URIRef
    # web page: The raw page or feed an article's text was taken from, identified by the SHA-256
    # of its bytes; prov:generatedAtTime is when it was fetched (absent for a page saved by hand).
    WebPage: URIRef
    # accepted graph: The named graph the submission's content was moved to when it was accepted.
    acceptedGraph: URIRef
    # actor: Who does it: the sending state, the supplier, a party, a participant, the speaker, or
    # whose forces suffered casualties.
    actor: URIRef
    # affiliation: The state, body or outlet that a person or an anonymous source belongs to or
    # speaks for.
    affiliation: URIRef
    # alias: Another name by which articles refer to an entity ("DPRK", "Pyongyang" for North
    # Korea); used to find mentions in text.
    alias: URIRef
    # anchor date: The date relative words were resolved against, usually the article's
    # publication date.
    anchorDate: URIRef
    # article count: How many distinct articles report the event.
    articleCount: URIRef
    # as written: The words of the article that a quantity or a time was read from ("over 500",
    # "autumn last year").
    asWritten: URIRef
    # asserts: The event the claim says happened, with its roles, quantity and time.
    asserts: URIRef
    # boilerplate kind: What kind of debris a skipped span is: "widget", "advertisement",
    # "subscribe", "share", "related" or "caption".
    boilerplateKind: URIRef
    # candidate: A candidate held back for review (on a kg:LinkReview).
    candidate: URIRef
    # captured: How many were taken prisoner, as a quantity.
    captured: URIRef
    # chain position: The place of a qualified attribution in the chain from claimer to article: 0
    # is the claimer, 1 the first channel, and so on.
    chainPosition: URIRef
    # claimed by: Who asserts the claim (a person, a body, an anonymous source). Absent when the
    # article states it in its own voice; then kg:unattributed is true.
    claimedBy: URIRef
    # confidence: How sure the extractor is that it read the claim right, from 0 to 1. Not the
    # claim's credibility.
    confidence: URIRef
    # copy: The article that is the copy.
    copy: URIRef
    # copy of: The article is a near-verbatim copy of another (a syndicated or republished story);
    # its claims are kept, as evidence of reach, but count as one source with the original's.
    copyOf: URIRef
    # date basis: How schema:datePublished was established: the page's markup (meta tags, JSON-
    # LD), its URL, a date in its text, the feed item, or an analyst's note; read with
    # kg:datePrecision.
    dateBasis: URIRef
    # date precision: How precisely schema:datePublished is known: "day", "month", "year" or
    # "approximate".
    datePrecision: URIRef
    # destination: Where or to whom the personnel of a deployment are sent.
    destination: URIRef
    # earliest: The first day the time can mean (inclusive); absent when the text gives no lower
    # bound.
    earliest: URIRef
    # endpoint: The SPARQL endpoint a linking run asked.
    endpoint: URIRef
    # event time: When the event happened, as written and as resolved to earliest and latest
    # dates.
    eventTime: URIRef
    # event type: The class of the events the cluster's claims assert (kg:Deployment, kg:Transfer
    # …).
    eventType: URIRef
    # extractor name: Which extractor: "rules" (the parsed rule pipeline) or "llm" (a language
    # model's proposals, grounded in the text).
    extractorName: URIRef
    # extractor version: The version of the project's extractor.
    extractorVersion: URIRef
    # from page: The saved or fetched page (or feed) the article's text was read from, so that a
    # rebuild can read the same bytes without the network.
    fromPage: URIRef
    # from submission: The accepted submission a claim came from.
    fromSubmission: URIRef
    # gist: What a statement says, in a few words.
    gist: URIRef
    # has evidence: The part of the article that states the claim: an oa:SpecificResource with a
    # text quote selector and a text position selector into the article's schema:text.
    hasEvidence: URIRef
    # has report: A claim that reports this real-world event (the inverse of kg:reportsEvent).
    hasReport: URIRef
    # hedge: How exactly the number is stated: a concept of kg:HedgeScheme.
    hedge: URIRef
    # independent source: One of the independent sources counted in kg:independentSourceCount.
    independentSource: URIRef
    # independent source count: How many independent sources stand behind the event: distinct
    # original claimers, or the publishing outlet where a claim is unattributed. An outlet
    # repeating another outlet is not independent.
    independentSourceCount: URIRef
    # item: What moves, as words: the materiel transferred, the personnel deployed, the treaty, or
    # the gist of a statement.
    item: URIRef
    # killed: How many were killed, as a quantity.
    killed: URIRef
    # killed or wounded: How many were killed or wounded together, when the report does not split
    # them, as a quantity.
    killedOrWounded: URIRef
    # latest: The last day the time can mean (inclusive); absent when the text gives no upper
    # bound.
    latest: URIRef
    # link method: How the link was made: a concept in kg:LinkMethodScheme.
    linkMethod: URIRef
    # link predicate: The predicate the link asserts: owl:sameAs for individuals, skos:exactMatch
    # for classes and concepts.
    linkPredicate: URIRef
    # link subject: The entity of this graph that the link or review is about.
    linkSubject: URIRef
    # link target: The Wikidata item of a link or a candidate.
    linkTarget: URIRef
    # location: Where an event (a meeting, a signing) took place.
    location: URIRef
    # lower bound: The least value the words allow (500 for "over 500").
    lowerBound: URIRef
    # matched name: The label or alias through which a candidate was found.
    matchedName: URIRef
    # materiel: What a transfer moves, as words ("152mm artillery shells", "KN-23 ballistic
    # missiles").
    materiel: URIRef
    # maximum figure: The largest figure any report of the event gives (an upper bound counts).
    maxFigure: URIRef
    # minimum figure: The smallest figure any report of the event gives.
    minFigure: URIRef
    # missing: How many went missing, as a quantity.
    missing: URIRef
    # model name: The language model's name as its endpoint gives it (the model field of an
    # OpenAI-compatible answer).
    modelName: URIRef
    # normalized: The time in the exchange format's notation ("2024-06-19", "2024-autumn",
    # "2025-01/2025-02", "before 2024-06").
    normalized: URIRef
    # original: The article taken as the original: the earlier published, or, on the same day, the
    # first by IRI.
    original: URIRef
    # original outlet: The wire service an article credits as the origin of its copy ("(Reuters)",
    # "(AP) —", "— AFP", "(Yonhap)"). Outlets that run one agency's story are one source, not
    # several.
    originalOutlet: URIRef
    # part of: A place lies inside another place (Kursk Oblast part of Russia). Transitive, so
    # that a place inside a place inside another counts.
    partOf: URIRef
    # participant: Someone who takes part in a meeting.
    participant: URIRef
    # party: A state or body bound by a treaty; for a treaty signing, a party to the treaty
    # signed.
    party: URIRef
    # personnel count: How many personnel a deployment sends.
    personnelCount: URIRef
    # personnel kind: Which personnel are deployed, as words ("engineering troops", "special
    # forces").
    personnelKind: URIRef
    # quantity: How many or how much, as reported, with its hedge.
    quantity: URIRef
    # reason: Why a candidate scored as it did, or why an entity was left for review.
    reason: URIRef
    # recipient: Who receives the materiel of a transfer.
    recipient: URIRef
    # rejected candidate: A candidate that lost to the linked item.
    rejectedCandidate: URIRef
    # rejection reason: Why a reviewer rejected the submission, in their words.
    rejectionReason: URIRef
    # report count: How many claims report the event.
    reportCount: URIRef
    # reported on: The day the claim was published: the article's publication date.
    reportedOn: URIRef
    # reports event: A claim is one report of this real-world event.
    reportsEvent: URIRef
    # resolution rule: The rule that resolved the words against the anchor date ("relative-
    # year+season"), so a reader can check it.
    resolutionRule: URIRef
    # role: The capacity in which an agent is mentioned, as words ("South Korean lawmaker",
    # "Pentagon press secretary").
    role: URIRef
    # score: How sure the linker is, from 0 to 1 (curated links have 1).
    score: URIRef
    # sending state: The state that sends the personnel of a deployment.
    sendingState: URIRef
    # SHA-256: The SHA-256 digest of the page's raw bytes, as 64 lower-case hexadecimal digits.
    sha256: URIRef
    # signatory: A person who signed a treaty for a party.
    signatory: URIRef
    # signing date: The day a treaty was signed. Not functional: articles may disagree, and each
    # date stays with its claim.
    signingDate: URIRef
    # signing place: Where a treaty was signed.
    signingPlace: URIRef
    # similarity: How alike the two texts are, from 0 to 1: the Jaccard similarity of their word
    # shingles, as a MinHash estimates it.
    similarity: URIRef
    # similarity method: How kg:similarity was computed (shingle size, hash count, threshold).
    similarityMethod: URIRef
    # skipped span: A span of the article's text that extraction skips.
    skippedSpan: URIRef
    # speaker: Who makes a statement.
    speaker: URIRef
    # staging graph: The named graph that holds the submission's content while it awaits review.
    stagingGraph: URIRef
    # status: How firmly the article presents the claim: a concept of kg:ClaimStatusScheme.
    status: URIRef
    # submission status: Where the submission stands: pending, accepted or rejected.
    submissionStatus: URIRef
    # supplier: Who gives or sells the materiel of a transfer.
    supplier: URIRef
    # syndicates: An article whose near-verbatim copy this is the original of (the inverse of
    # kg:copyOf).
    syndicates: URIRef
    # target: To or with whom: the recipient state, the destination place, the other party or
    # participant.
    target: URIRef
    # threshold: The score a candidate had to reach to be linked in this run.
    threshold: URIRef
    # treaty: The treaty that a treaty signing is about.
    treaty: URIRef
    # triple count: How many triples the submission holds.
    tripleCount: URIRef
    # unattributed: True when the article states the claim in its own voice, citing no one.
    unattributed: URIRef
    # unit: What is counted or measured, as words ("troops", "rounds", "containers").
    unit: URIRef
    # upper bound: The greatest value the words allow (12,000 for "10,000 to 12,000", 3,000 for
    # "up to 3,000").
    upperBound: URIRef
    # value: The point value of a quantity, or the lower end that vague words imply. Non-negative.
    value: URIRef
    # via: An outlet or channel the claim passed through on its way to the article ("told TV
    # Chosun"); prov:qualifiedAttribution gives the order.
    via: URIRef
    # Wikidata class: The Wikidata class that a class of this ontology corresponds to, for
    # alignment and reconciliation. An annotation: it has no logical consequence.
    wikidataClass: URIRef
    # Wikidata id: The identifier ("Q423") of the Wikidata item that a reference entity is, as
    # verified by the project; graph/links holds the owl:sameAs link and its provenance.
    wikidataId: URIRef
    # Wikidata match class: A Wikidata class whose instances (P31, or P31 of a P279 subclass) may
    # be linked to instances of this class. An entity of a class with match classes is only linked
    # to an item of one of them.
    wikidataMatchClass: URIRef
    # wounded: How many were wounded, as a quantity.
    wounded: URIRef

    _NS = Namespace("https://w3id.org/nkru/ontology#")
    _fail = True


if __name__ == "__main__":
    from graph_service.vocab_gen import main

    main()
