"""Prompt templates: the built-in ones, the variables each task offers, the sandboxed engine."""
