"""UI helpers for the Soundstar Gradio app: callbacks, formatting, plots and theme."""
