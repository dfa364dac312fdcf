"""Formats other tools use: Mermaid journeys, CSV and XLSX observations, GraphML.

Like the model and the file layer, nothing here imports Qt or matplotlib.
"""

from journeymap.interop.errors import ImportProblemError

__all__ = ["ImportProblemError"]
