"""Sources: where mail comes from, each yielding RawMessage values and told
(``ack``) only after the store has committed them.

    sources/base       the Source interface
    sources/directory  a drop folder of .eml/.msg files (and ``crumail ingest``'s files)
    sources/imap/      IMAP mailboxes, exactly once (a package of its own)
    sources/backoff    the reconnect backoff with jitter
    sources/factory    a configured [[source]] table to its Source
"""
