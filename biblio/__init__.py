"""biblio: build, trace, lint and export the bibliography of a corpus of documents."""

__version__ = "0.1.0"
