"""The map canvas: a Qt graphics scene that mirrors and lays out a journey map.

It knows nothing of editing: the window adds dragging, rubber-band selection
and connecting on top (``journeymap.ui.interactions``), and exports draw the
same scene offscreen.
"""
