"""Look and feel. Gradio 6 takes theme and CSS in `launch()`, so both live here for app and tests."""

from __future__ import annotations

from typing import Any

import gradio as gr

CSS = """
.ss-header h1 { margin-bottom: 0; font-size: 2rem; letter-spacing: -0.02em;
  background: linear-gradient(90deg, #7c3aed, #ec4899 60%, #f59e0b);
  -webkit-background-clip: text; background-clip: text; color: transparent; }
.ss-header p { margin-top: 0.2rem; opacity: 0.75; }
.ss-badge { display: inline-block; font-size: 0.8rem; opacity: 0.85; padding: 2px 10px;
  border-radius: 999px; background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); }
.ss-faint { opacity: 0.65; margin-top: 4px; }
.ss-chips { gap: 6px !important; flex-wrap: wrap !important; }
.ss-chips button { border-radius: 999px !important; flex: 0 0 auto !important; min-width: 0 !important;
  font-size: 0.85rem !important; padding: 4px 14px !important; }
.ss-notes { border-left: 4px solid #f59e0b; padding: 2px 12px; border-radius: 6px;
  background: color-mix(in srgb, #f59e0b 10%, transparent); }
.ss-summary { font-size: 1.05rem; }
.ss-dice button, button.ss-dice { font-size: 1.9rem !important; line-height: 1 !important; }
footer { opacity: 0.6; }
@media (max-width: 640px) {
  .ss-header h1 { font-size: 1.6rem; }
  .ss-table table { font-size: 0.8rem; }
  .ss-table td, .ss-table th { word-break: normal !important; overflow-wrap: normal !important; }
  .ss-actions button { min-width: 0 !important; }
}
"""


def theme() -> gr.themes.Base:
    return gr.themes.Soft(
        primary_hue="violet",
        secondary_hue="pink",
        neutral_hue="slate",
        font=["Inter", "ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=["JetBrains Mono", "ui-monospace", "monospace"],
    )


def launch_options() -> dict[str, Any]:
    """Keyword arguments every launch of the app passes (theme, CSS, clean errors)."""
    return {"theme": theme(), "css": CSS, "show_error": True}
