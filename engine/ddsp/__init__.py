"""DDSP synthesis (spec §2): harmonic-plus-filtered-noise voices and synthesised drums.

Nothing heavy happens at import: torch is imported by the modules that synthesise.
"""
