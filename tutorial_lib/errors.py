"""The errors of tutorial_lib (all notebooks): one small hierarchy, so a caller catches by name.

Every message is one line that says what is wrong and how to fix it; the command-line runners
print it as one ``error:`` line. All are ``ValueError`` subclasses: bad input, not a bug.
"""


class TutorialError(ValueError):
    """A function got a value it cannot use (a learner's own call); the base of the errors below."""


class ConfigError(TutorialError):
    """A parameter has a value the series cannot use (here); the message says which values are allowed."""


class DataError(TutorialError):
    """A file or the data in it cannot be used: missing, not a CSV, wrong columns, too few rows, a bad bundle."""


class ChecksumMismatchError(DataError):
    """A data file's sha256 digest is not the registered one; the file was not used."""
