"""The unit's figures at a glance: counted from the store (compute.py), the
topics of its logs (topics.py), charts drawn as SVG on the server (svg.py),
and the quarterly return written as XLSX or HTML (report.py)."""
