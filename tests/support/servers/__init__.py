"""The real servers the tests start: Dovecot, aiosmtpd, Chromium with a running desk."""
