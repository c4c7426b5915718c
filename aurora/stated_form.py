"""The plan's sections when the user lists them ("intro, verse, chorus, verse, chorus, outro"): as listed.

The form's template had been played instead, so a user who listed six sections got eight. Each listed section takes
the share of the piece, the energy and the description of its namesake in the form the genre plays ("chorus 2" of
the verse-chorus form), else of the first form in the knowledge base that has one ("build" and "drop": the club
form's), so a chorus still lifts over its verse and an outro still winds down.
"""

from __future__ import annotations

from collections.abc import Sequence

from aurora.harmony_plan import base_name
from knowledge_base.schema import Structure, StructureSection

UNKNOWN_SHARE = 0.14  # a section no form names: a verse's share
UNKNOWN_ENERGY = 0.6


def stated_template(form: Sequence[str], own: Structure, structures: Sequence[Structure]) -> list[StructureSection]:
    """The listed sections, each modelled on its namesake in ``own`` (the genre's form) or another form."""
    pool = [own, *structures]
    out: list[StructureSection] = []
    for name in form:
        model = next((s for st in pool for s in st.sections if s.name == name), None) or \
            next((s for st in pool for s in st.sections if base_name(s.name) == base_name(name)), None)
        if model is None:
            model = StructureSection(name=name, ratio=UNKNOWN_SHARE, energy=UNKNOWN_ENERGY,
                                     description=f"{name.capitalize()}, as the prompt lists it.")
        out.append(model.model_copy(update={"name": name}))
    return out
