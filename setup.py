"""Build configuration beyond pyproject.toml: the optional C decoder of the reference tagger.

``optional=True``: without a C compiler the install still succeeds and python-crfsuite tags instead
(the same labels, several times slower); see biblio/parse/crf.py.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("biblio.parse._crf", ["biblio/parse/_crf.c"], optional=True)])
