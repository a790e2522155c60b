"""`compare`: two names scored against each other by the screening matcher."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from exportguard.cli._app import _friendly, app, out
from exportguard.cli._screen import starter_warning

if TYPE_CHECKING:
    from exportguard.screening.pairs import NameComparison

__all__ = ["compare"]


@app.command()
@_friendly
def compare(
    name_a: Annotated[str, typer.Argument(help="The party asked about, as a screen's query.")],
    name_b: Annotated[str, typer.Argument(help="The name to compare it with, as a listed name.")],
    country_a: Annotated[str | None, typer.Option(help="ISO-2 country of party A.")] = None,
    country_b: Annotated[str | None, typer.Option(help="ISO-2 country of party B.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score two names against each other with the screening matcher, and explain the score.

    Name B is scored as if it were a listed name, with words weighed as the loaded lists weigh
    them: the score is the one a screen of A would give B.
    """
    # The matcher and the store are imported here, as `screen` does: `--help` needs neither.
    from exportguard.screening.loaded import screener_for
    from exportguard.screening.pairs import compare_names
    from exportguard.store.direct import open_for_screening

    store = open_for_screening()
    try:
        screener = screener_for(store, None)
    finally:
        store.close()
    result = compare_names(name_a, name_b, country_a=country_a, country_b=country_b,
                           screener=screener)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(result)
    if screener.starter_only:
        # Words weighed by the starter set's few names only: scores differ from the full lists'.
        starter_warning()


def _print(result: NameComparison) -> None:
    out.print(f"[bold]{result.name_a}[/] against [bold]{result.name_b}[/]: score "
              f"{result.score:.4f}, {result.decision} at the threshold {result.threshold:.2f}",
              highlight=False)
    match = result.match
    if match is None:
        out.print("No word, trigram or sound of A (in any reading) is in B: a screen would not "
                  "score B for A.", highlight=False)
        return
    out.print(f"A read as '{match.query_form}' ({match.query_form_kind}), matched on "
              f"'{match.matched_name}' ({match.matched_origin}):", highlight=False)
    for feature in match.features:
        out.print(f"  {feature.name} {feature.contribution:+.2f}  {feature.detail}",
                  highlight=False)
