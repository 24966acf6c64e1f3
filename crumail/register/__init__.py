"""The force register above the store: its CSV form (csvfile.py), matching a
sender to a force (match.py) and what an import would change (plan.py).
All pure; the rows live in crumail.store.forces."""
