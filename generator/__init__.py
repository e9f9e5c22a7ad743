"""timeline: a bilingual (right-to-left / left-to-right) static timeline generator."""

__version__ = "0.1.0"
