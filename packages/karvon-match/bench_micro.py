"""Micro-benchmark: person_features per name token (cold and warm caches) and compare per record pair."""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from karvon_match import PersonRecord, compare, person_features, score
from karvon_match.compare import clear_pair_cache
from karvon_match.features import given_name_spellings, name_spelling, patronymic_spelling
from karvon_match.fold import arabic_skeletons, fold_latin, skeleton_of_folded
from karvon_match.similarity import jaro_winkler_cached
from karvon_match.tokens import analyse_token
from karvon_match.transliterate import to_latin

GIVEN = [
    "Мухаммад",
    "Muhammad",
    "Mohammad",
    "محمد",
    "Akmal",
    "Акмал",
    "Rustam",
    "Рустам",
    "Dilshod",
    "Дилшод",
    "Farrukh",
    "Фаррух",
    "Zarina",
    "Зарина",
    "Gulnora",
    "Гулнора",
    "Abdul Rahman",
    "Abdurakhmon",
    "عبدالرحمن",
    "Jamshid",
    "Жамшид",
    "Nodira",
    "Нодира",
    "Ahmad",
    "احمد",
    "Fatima",
    "فاطمه",
    "Hüseyn",
    "Həsən",
    "Zhanibek",
    "Жанибек",
    "Aibek",
    "Айбек",
    "Murat",
    "Мурат",
    "Oʻtkir",
    "Ўткир",
    "Bakhtiyor",
    "Бахтиёр",
    "Shahlo",
]
FAMILY = [
    "Саидов",
    "Saidov",
    "سعیدوف",
    "Rahimov",
    "Раҳимов",
    "رحیموف",
    "Karimova",
    "Каримова",
    "Yusupov",
    "Юсупов",
    "Qodirov",
    "Қодиров",
    "Hüseynov",
    "Гусейнов",
    "Həsənova",
    "Гасанова",
    "Tsoi",
    "Цой",
    "Saidzoda",
    "Саидзода",
    "Oʻrinboyev",
    "Уринбоев",
    "Nazarov",
    "Назаров",
    "Ahmadi",
    "احمدی",
    "Karimi",
    "کریمی",
    "Abdullaev",
    "Абдуллаев",
    "Mamedov",
    "Məmmədov",
    "Nurmatov",
    "Нурматов",
    "Ergashev",
    "Эргашев",
]
PATRONYMIC = [
    "Рустамович",
    "Rustamovich",
    "Akmal oʻgʻli",
    "Акмалович",
    "Karimovna",
    "Каримовна",
    "Ali qizi",
    "",
]
PRECISIONS = ["exact"] * 6 + ["year", "month", "estimated", "unknown"]


def make_records(count: int, rng: random.Random) -> list[PersonRecord]:
    records = []
    for index in range(count):
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(25_000))
        patronymic = rng.choice(PATRONYMIC)
        records.append(PersonRecord(
            record_id=str(index),
            given_names=tuple(rng.sample(GIVEN, rng.choice((1, 1, 2)))),
            family_names=tuple(rng.sample(FAMILY, rng.choice((1, 2)))),
            patronymics=(patronymic,) if patronymic else (),
            sex=rng.choice(("M", "F", None)),
            birth_date=birth,
            birth_date_precision=rng.choice(PRECISIONS),
            nationality=rng.choice(("TJK", "UZB", "AFG", "KAZ", None)),
            place_of_birth=rng.choice(("Душанбе", "Dushanbe", "Kabul", "کابل", "Tashkent", None)),
            document_numbers=(f"{rng.choice('ABNP')}{rng.randrange(10**7, 10**8)}",),
        ))  # fmt: skip
    return records


def name_tokens(record: PersonRecord) -> int:
    return sum(len(text.split()) for text in (*record.given_names, *record.family_names, *record.patronymics))


def clear_caches() -> None:
    for cached in (
        analyse_token,
        to_latin,
        fold_latin,
        skeleton_of_folded,
        arabic_skeletons,
        jaro_winkler_cached,
        name_spelling,
        given_name_spellings,
        patronymic_spelling,
    ):
        cached.cache_clear()
    clear_pair_cache()


def random_word(rng: random.Random) -> str:
    alphabet = rng.choice(
        ("abdefghijklmnopqrstuvyzx", "абвгдежзийклмнопрстуфхцчшқҳғӯ", "ابپتجچحخدرزسشعفقکگلمنوهی")
    )
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(4, 11)))


def best_of(repeats: int, run: Callable[[], None], prepare: Callable[[], None] = lambda: None) -> float:
    """Fastest of several timed runs: the machine's other work only ever adds time."""
    times = []
    for _ in range(repeats):
        prepare()
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def unique_name_records(count: int, rng: random.Random) -> list[PersonRecord]:
    return [
        PersonRecord(
            str(i), (random_word(rng),), (random_word(rng),), (random_word(rng),), birth_date=date(1990, 1, 2)
        )
        for i in range(count)
    ]


def main() -> None:
    rng = random.Random(7)
    words = [random_word(rng) for _ in range(20_000)]
    cold = best_of(3, lambda: [analyse_token(w) for w in words] and None, clear_caches)
    print(f"analyse_token, new word (cold caches):        {cold / len(words) * 1e6:7.2f} µs per word")

    fresh = unique_name_records(10_000, rng)
    elapsed = best_of(3, lambda: [person_features(r) for r in fresh] and None, clear_caches)
    per_record = elapsed / len(fresh) * 1e6
    print(
        f"person_features, every name new (cold):       {per_record / 3:7.2f} µs per name token "
        f"({per_record:.1f} µs per record)"
    )

    records = make_records(20_000, rng)
    tokens = sum(name_tokens(r) for r in records)
    prepared = [person_features(r) for r in records]
    elapsed = best_of(3, lambda: [person_features(r) for r in records] and None)
    print(
        f"person_features, register names (warm):       {elapsed / tokens * 1e6:7.2f} µs per name token "
        f"({elapsed / len(records) * 1e6:.1f} µs per record)"
    )

    pairs = [(rng.choice(prepared), rng.choice(prepared)) for _ in range(30_000)]

    def compare_without_pair_cache() -> None:
        for a, b in pairs:
            clear_pair_cache()
            compare(a, b)

    elapsed = best_of(3, compare_without_pair_cache, jaro_winkler_cached.cache_clear)
    print(f"compare, prepared pair (no pair cache):       {elapsed / len(pairs) * 1e6:7.2f} µs per pair")

    def compare_all() -> None:
        for a, b in pairs:
            compare(a, b)

    elapsed = best_of(3, compare_all)
    print(f"compare, prepared pair (warm pair cache):     {elapsed / len(pairs) * 1e6:7.2f} µs per pair")
    comparisons = [compare(a, b) for a, b in pairs]

    def score_all() -> None:
        for comparison in comparisons:
            score(comparison)

    elapsed = best_of(3, score_all)
    print(
        f"score, one comparison (default weights):      {elapsed / len(comparisons) * 1e6:7.2f} µs per pair"
    )


if __name__ == "__main__":
    main()
