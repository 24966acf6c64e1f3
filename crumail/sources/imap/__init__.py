"""An IMAP mailbox as a source, every message taken exactly once.

    imap/source    ImapSource: the exactly-once sync of each folder (ledger, watermark, sizes first)
    imap/connect   TLS, login and timeouts of one connection (its settings: crumail/settings/sources.py)
    imap/auth      logins: a password, or an OAuth2 token (XOAUTH2, msal or a command)
    imap/idle      FolderWatcher: IDLE on one folder, taking new mail within seconds
    imap/actions   server actions after commit: add a keyword, move the message

Nothing is imported here: imapclient and msal load only when a configured
source needs them (crumail/sources/factory.py).
"""
