"""Catalog search: finds what citizens mean, the same on SQLite and PostgreSQL.

The published catalog is small (hundreds to a few thousand services), so the
search runs over an in-process inverted index built from the database and
rebuilt when the catalog changes, as the configuration generation tells
every process (see docs/adr/0002-catalog-search.md):

- text is folded (lower case, no accents, no punctuation) and Spanish plurals
  are stripped, in the index and in the query alike (the stems live only in
  this memory: a change of `stem` holds from each process's next start, with
  nothing stored to migrate);
- citizens' words are expanded by the Synonym table (brevete -> licencia de
  conducir) and by each service's keywords;
- a word not in the vocabulary is corrected to vocabulary words within one
  or two edits (symmetric-deletion lookup), and a short unfinished word also
  matches as a prefix;
- each matched word scores its inverse document frequency times the weight of
  the field it was found in; a query phrase found whole in a title earns a
  bonus; services offered in more centers win ties.
"""

from __future__ import annotations

import math
import re
import threading
import time
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.conf import settings
from django.db import connection

from mac.catalog.models import Offer, Service, ServiceChannel, Synonym
from mac.centers.models import Center
from mac.core import generation

# Words that carry no meaning in a citizen's request ("quiero sacar mi dni").
_STOPWORDS = """a al como con cual cuanto cuesta de del donde el en es esta este hacer la las lo los
    me mi mis necesito o para pedir por puedo que quiero sacar se sobre solicitar su sus
    tramitar tramite tramites obtener un una uno y ya hay quisiera deseo saber informacion
    requisitos costo precio hago ver mas si tengo tener saco sacan necesita necesitan
    esto eso ese esa algo alguien cuando porque""".split()

# Field weights: a word in the plain name counts most, a word in the
# description least.
W_PLAIN, W_NAME, W_KEYWORDS, W_ENTITY, W_CATEGORY, W_DESCRIPTION = 3.0, 2.5, 2.5, 1.6, 1.0, 0.6
FUZZY_PENALTY = 0.65
PREFIX_PENALTY = 0.8
SYNONYM_PENALTY = 0.9
PHRASE_BONUS = 2.0
PHRASE_CANDIDATES = 400
MIN_RELATIVE_SCORE = 0.2

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def fold(text: str) -> str:
    """Lower case without accents or punctuation (ñ folds to n: citizens type both)."""
    text = _CONTROL.sub(" ", text or "").lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


# Three-letter singulars whose plural adds -es (red, redes; gas, gases). The
# rule below cannot tell their five-letter plurals from those of four-letter
# singulars in -e (sede, sedes; base, bases), nor these singulars from others
# that must stay apart (sed and sede, sal and sale): only a list can. Words a
# citizen may look for in the catalog; one missing here is found as before.
_SHORT_SINGULARS = frozenset("red gas sol mar pan fin mil par bar mal".split())


def stem(word: str) -> str:
    """The form that a Spanish word's singular and plural share, so that either
    finds the other (folded text: "países" is "paises" here).

    - A plural in -es after a consonant is the singular, which then goes on
      as the singular would: pensiones -> pension, leyes -> ley, meses -> mes,
      paises -> pais. Not after -as (clases, bases: singulars in -ase are far
      more common than gas) nor after -j (viajes: viaje, far more common than
      reloj).
    - A plural in -s after a vowel is the singular: actas -> acta.
    - A singular in -e after l, r, n, d or c drops the -e, as its plural lost
      -es (nombre, nombres -> nombr; indice, indices -> indic); one in -se
      after e, i, o or u drops it too (cese, ceses -> ces); and a final -z is
      written -c, as in its plural (luz, luces -> luc).
    Short words keep their endings where the two readings clash (sede, sedes;
    mes and mesa stay apart), except the plurals of _SHORT_SINGULARS (redes
    -> red, soles -> sol)."""
    n = len(word)
    if n == 5 and word.endswith("es") and word[:3] in _SHORT_SINGULARS:
        return word[:3]
    if n >= 5 and word.endswith("es"):
        before = word[-3]
        if before == "y" or (before == "s" and word[-4] in "eiou"):
            return stem(word[:-2])
        if before in "lrnd" and n > 5:
            return stem(word[:-2])
    if n > 3 and word.endswith("s") and word[-2] in "aeiou":
        return stem(word[:-1])
    if n >= 4 and word.endswith("se") and word[-3] in "eiou":
        return stem(word[:-1])
    if n >= 5 and word.endswith("e") and word[-2] in "lrnd":
        return word[:-1]
    if n >= 4 and word.endswith("ce"):
        return word[:-1]
    if n >= 3 and word.endswith("z"):
        return word[:-1] + "c"
    return word


# Both forms, because queries are compared after stemming.
STOPWORDS = frozenset(_STOPWORDS) | {stem(w) for w in _STOPWORDS}


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    words = fold(text).split()
    if not keep_stopwords:
        words = [w for w in words if w not in STOPWORDS]
    return [stem(w) for w in words if w]


def clean_query(raw: str | None) -> str:
    """What the search accepts from a user: no control characters, bounded."""
    return _CONTROL.sub(" ", raw or "")[: settings.SEARCH_MAX_QUERY].strip()


def _deletes(word: str, depth: int) -> set[str]:
    out, frontier = set(), {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment), stopping past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def max_edits(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass
class Doc:
    id: int
    entity_id: int
    entity_keys: frozenset[str]
    sort_key: str
    # " word word |" for the plain name, name and each keyword: phrase matches
    # are substring tests that cannot span two titles.
    titles: str
    centers: frozenset[str]
    channels: frozenset[str]
    popularity: float


@dataclass
class Index:
    docs: dict[int, Doc] = field(default_factory=dict)
    postings: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    vocabulary: list[str] = field(default_factory=list)
    deletes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    synonyms: list[tuple[tuple[str, ...], list[str]]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    synonym_words: set[str] = field(default_factory=set)
    by_name: list[int] = field(default_factory=list)

    def add(self, doc_id: int, text: str, weight: float) -> None:
        for word in tokens(text):
            posting = self.postings[word]
            if posting.get(doc_id, 0.0) < weight:
                posting[doc_id] = weight

    def finish(self, synonym_rows: Iterable[tuple[str, str]]) -> None:
        n = max(len(self.docs), 1)
        self.idf = {w: math.log(1 + n / len(p)) for w, p in self.postings.items()}
        self.by_name = [d.id for d in sorted(self.docs.values(), key=lambda d: d.sort_key)]
        for raw_term, expansion in synonym_rows:
            term = tuple(tokens(raw_term))
            if term:
                self.synonyms.append((term, tokens(expansion)))
        # The longest synonym first, so "partida de nacimiento" wins over "partida".
        self.synonyms.sort(key=lambda s: -len(s[0]))
        self.synonym_words = {w for term, _ in self.synonyms for w in term}
        words = set(self.postings) | self.synonym_words
        self.vocabulary = sorted(words)
        for word in words:
            for deleted in _deletes(word, 1 if len(word) < 8 else 2):
                self.deletes[deleted].add(word)


def _build() -> Index:
    index = Index()
    services = list(
        Service.objects.published()
        .select_related("entity")
        .prefetch_related("categories")
        .only(
            "id",
            "name",
            "plain_name",
            "keywords",
            "description",
            "entity__id",
            "entity__acronym",
            "entity__name",
            "entity__slug",
        )
    )
    centers: dict[int, set[str]] = defaultdict(set)
    offers = Offer.objects.filter(active=True, center__status=Center.Status.OPERATING)
    for service_id, center_id, slug in offers.values_list(
        "service_id", "center_id", "center__slug"
    ):
        centers[service_id].update((slug, str(center_id)))
    channels: dict[int, set[str]] = defaultdict(set)
    for service_id, channel in ServiceChannel.objects.values_list("service_id", "channel"):
        channels[service_id].add(channel)
    for s in services:
        entity = s.entity
        keywords = [k for k in (s.keywords or "").split(",") if k.strip()]
        index.docs[s.id] = Doc(
            id=s.id,
            entity_id=entity.id,
            entity_keys=frozenset({fold(entity.acronym), entity.slug, str(entity.id)}),
            sort_key=fold(s.plain_name),
            titles="|".join(f" {' '.join(tokens(t))} " for t in [s.plain_name, s.name, *keywords]),
            centers=frozenset(centers.get(s.id, ())),
            channels=frozenset(channels.get(s.id, ())),
            popularity=math.log1p(len(centers.get(s.id, ())) / 2),
        )
        index.add(s.id, s.plain_name, W_PLAIN)
        index.add(s.id, s.name, W_NAME)
        index.add(s.id, " ".join(keywords), W_KEYWORDS)
        index.add(s.id, f"{entity.acronym} {entity.name}", W_ENTITY)
        index.add(s.id, " ".join(c.name for c in s.categories.all()), W_CATEGORY)
        index.add(s.id, s.description, W_DESCRIPTION)
    index.finish(Synonym.objects.values_list("term", "expansion"))
    return index


_lock = threading.Lock()
_cache: dict[str, Any] = {"built_under": None, "index": None, "checked": -math.inf}


def get_index() -> Index:
    """The index of the current catalog. Every change made through the catalog
    and centers actions raises the configuration generation in its
    transaction (mac.core.generation); the index is rebuilt when the
    generation moved, read at most every SEARCH_INDEX_CHECK_SECONDS (this
    process's own edits drop the index at once, through their events). The
    generation is read before the catalog: a change that commits during a
    build moves it past the one the index keeps, and the next check
    rebuilds."""
    now = time.monotonic()
    with _lock:
        index: Index | None = _cache["index"]
        if index is not None and now - _cache["checked"] < settings.SEARCH_INDEX_CHECK_SECONDS:
            return index
    # The database too: a process (a test, a benchmark) may switch databases.
    current = (connection.alias, connection.settings_dict["NAME"], generation.read())
    with _lock:
        if _cache["index"] is None or _cache["built_under"] != current:
            _cache["index"] = _build()
            _cache["built_under"] = current
        _cache["checked"] = now
        built: Index = _cache["index"]
        return built


def invalidate(topic: str = "", payload: Any = None) -> None:
    """Drop the index (also an event handler for catalog and center changes)."""
    with _lock:
        _cache["built_under"] = None
        _cache["index"] = None


def _synonym_spans(words: list[str], index: Index) -> list[tuple[int, int, list[str]]]:
    """(start, end, expansion) for each synonym found in the query words,
    longest first and not overlapping."""
    spans: list[tuple[int, int, list[str]]] = []
    taken: set[int] = set()
    for term, expansion in index.synonyms:
        n = len(term)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == term and not taken & set(range(i, i + n)):
                spans.append((i, i + n, expansion))
                taken |= set(range(i, i + n))
    return spans


def _word_scores(
    alternatives: list[tuple[str, float]], index: Index, allowed: set[int] | None
) -> dict[int, float]:
    """Per service, the best score among a query word's alternatives (itself, its
    corrections, its completions): alternatives compete, they do not add up."""
    scores: dict[int, float] = {}
    for word, confidence in alternatives:
        posting = index.postings.get(word)
        if not posting:
            continue
        idf = index.idf[word] * confidence
        for doc_id, weight in posting.items():
            if (allowed is None or doc_id in allowed) and scores.get(doc_id, 0.0) < idf * weight:
                scores[doc_id] = idf * weight
    return scores


def _correct(word: str, index: Index) -> list[tuple[str, float]]:
    """Vocabulary words a query word may mean, with a confidence factor."""
    limit = max_edits(word)
    in_vocab = word in index.postings or word in index.synonym_words
    found: list[tuple[str, float]] = [(word, 1.0)] if in_vocab else []
    if limit and (not in_vocab or len(index.postings.get(word, ())) < 2):
        candidates: set[str] = set()
        for key in {word} | _deletes(word, limit):
            candidates |= index.deletes.get(key, set())
            if key in index.postings:
                candidates.add(key)
        best = {c: edit_distance(word, c, limit) for c in candidates if c != word}
        found += [(c, FUZZY_PENALTY / d) for c, d in best.items() if d <= limit]
    # An unfinished word ("pasapor") also matches as a prefix; a known word does
    # not, or rare longer words ("licenciada") would outrank it.
    if len(word) >= 4 and not in_vocab:
        start = bisect_left(index.vocabulary, word)
        for candidate in index.vocabulary[start : start + 30]:
            if not candidate.startswith(word):
                break
            if candidate != word:
                found.append((candidate, PREFIX_PENALTY))
    return found


def _allowed(doc: Doc, entity: str | None, center: str | None, channel: str | None) -> bool:
    if entity and fold(entity) not in doc.entity_keys and entity not in doc.entity_keys:
        return False
    if center and center not in doc.centers:
        return False
    return not (channel and channel not in doc.channels)


def rank(
    query: str,
    *,
    entity: str | None = None,
    center: str | None = None,
    channel: str | None = None,
) -> list[int]:
    """Service ids, best match first."""
    index = get_index()
    allowed_ids: set[int] | None = None  # None: no filter
    if entity or center or channel:
        allowed_ids = {d.id for d in index.docs.values() if _allowed(d, entity, center, channel)}
    cleaned = clean_query(query)
    raw_words = tokens(cleaned, keep_stopwords=True)
    content = [w for w in raw_words if w not in STOPWORDS] or raw_words
    if not content and cleaned:
        return []  # only symbols or emoji: nothing to look for
    if not content:
        ids = (
            index.by_name if allowed_ids is None else [i for i in index.by_name if i in allowed_ids]
        )
        return list(ids)

    options = [_correct(word, index) for word in content]
    corrected = [
        max(o, key=lambda c: c[1])[0] if o else w for w, o in zip(content, options, strict=True)
    ]
    per_word = [_word_scores(o, index, allowed_ids) for o in options]

    # Each query word is a concept scored by its best alternative. A synonym
    # ("partida de nacimiento" -> "acta de nacimiento") competes with the words
    # it stands for: the better of the two counts, so a long expansion does not
    # outweigh the citizen's other words.
    scores: dict[int, float] = defaultdict(float)
    spans = _synonym_spans(corrected, index)
    covered = {i for start, end, _ in spans for i in range(start, end)}
    for i, word_scores in enumerate(per_word):
        if i not in covered:
            for doc_id, score in word_scores.items():
                scores[doc_id] += score
    # Phrases of two or more words that earn a bonus when found whole in a
    # title, with their weight: the query itself, and synonyms' expansions
    # scaled like the synonym.
    phrases: list[tuple[list[str], float]] = [(corrected, 1.0)] if len(corrected) > 1 else []
    for start, end, expansion in spans:
        if len(expansion) > 1:
            phrases.append((expansion, SYNONYM_PENALTY * (end - start) / len(expansion)))
        own: dict[int, float] = defaultdict(float)
        for word_scores in per_word[start:end]:
            for doc_id, score in word_scores.items():
                own[doc_id] += score
        replaced: dict[int, float] = defaultdict(float)
        for word in expansion:
            for doc_id, score in _word_scores([(word, 1.0)], index, allowed_ids).items():
                replaced[doc_id] += score * SYNONYM_PENALTY * (end - start) / len(expansion)
        for doc_id in own.keys() | replaced.keys():
            scores[doc_id] += max(own.get(doc_id, 0.0), replaced.get(doc_id, 0.0))
    if not scores:
        return []
    # Only the best candidates can be lifted to the first pages by a bonus.
    candidates = sorted(scores, key=scores.__getitem__, reverse=True)[:PHRASE_CANDIDATES]
    weighted = [
        (f" {' '.join(phrase)} ", factor * sum(index.idf.get(w, 0.0) for w in phrase))
        for phrase, factor in phrases
    ]
    for doc_id in candidates:
        doc = index.docs[doc_id]
        bonus = max((value for key, value in weighted if key in doc.titles), default=0.0)
        scores[doc_id] += PHRASE_BONUS * bonus + 0.15 * doc.popularity
    top = max(scores.values())
    ordered = sorted(scores.items(), key=lambda item: (-item[1], index.docs[item[0]].sort_key))
    return [doc_id for doc_id, score in ordered if score >= MIN_RELATIVE_SCORE * top]


class SearchResults(Sequence[Service]):
    """Ranked results that load only the services a page shows."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self, value: Any = None) -> int:  # type: ignore[override]
        # Django's Paginator calls count() with no argument.
        return len(self.ids) if value is None else self.ids.count(getattr(value, "pk", value))

    def _load(self, ids: list[int]) -> list[Service]:
        by_id = Service.objects.select_related("entity").in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    @overload
    def __getitem__(self, key: int) -> Service: ...
    @overload
    def __getitem__(self, key: slice) -> list[Service]: ...
    def __getitem__(self, key: int | slice) -> Service | list[Service]:
        if isinstance(key, slice):
            return self._load(self.ids[key])
        return self._load([self.ids[key]])[0]

    def __iter__(self) -> Iterator[Service]:
        for start in range(0, len(self.ids), 200):
            yield from self._load(self.ids[start : start + 200])


def search_services(
    query: str,
    *,
    entity: str | None = None,
    center: str | None = None,
    channel: str | None = None,
    limit: int | None = None,
) -> SearchResults:
    """Published services ranked by how well they match `query`, best first.
    `entity` is an acronym, slug or id; `center` a slug or id; `channel` a
    Channel value. An empty query lists everything that passes the filters by
    name. The result is a sequence (len, slicing, iteration) that loads only
    the rows a page shows."""
    ids = rank(query, entity=entity, center=center, channel=channel)
    return SearchResults(ids[:limit] if limit else ids)
