"""Measurements (accuracy, latency, audio analysis) that print a table and write JSON; run each as
`python -m bench.<name>` from the repository root. Not part of the installed packages."""
