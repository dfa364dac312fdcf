"""Pictures of a map for reports: PNG, SVG and PDF, drawn by the canvas's own items.

Runs headless on Qt's offscreen platform; File > Export in the window calls
the same functions.
"""
