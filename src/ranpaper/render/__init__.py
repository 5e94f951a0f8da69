"""Renderers read the model and write outputs; none of them sees Markdown tokens."""
