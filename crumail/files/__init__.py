"""Files outside the database: what crumail reads from others and writes for people.

    files/untrusted  reading files someone else put there: no links, no FIFOs,
                     no devices, nothing read past its limit
    files/private    writing files that hold mail data: 0600, whole, never through a link
    files/export     crumail export: the casebook as CSV or XLSX, through files/private

The database's own files (and the refusal to open them as anything else)
are the store's: crumail/store/own_files.py.
"""
