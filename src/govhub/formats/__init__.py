"""Date and number formats where GovHub departs from Django's defaults (``FORMAT_MODULE_PATH``)."""
