"""Data protection: retention and erasure, subject access.

    privacy/masking     personal data in stored text replaced by the unit's markers
                        (S.40(2), S.31(1)) with the outbound checks' own detectors
    privacy/retention   `crumail retention plan` / `apply` and the daemon's daily run
    privacy/person      `crumail person find` / `erase`: a subject access request

The SQL is in crumail.store.retention and crumail.store.person.
"""
