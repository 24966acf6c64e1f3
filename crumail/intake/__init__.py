"""Intake: what runs the diagram, message by message and job by job.

    intake/pipeline       run_source(): a source's messages, in batches, to commits and acks
    intake/prepare        prepare(): raw bytes to a row ready to store (parse, extract, caps)
    intake/workers        Preparer: large batches prepared in a pool of parser processes
    intake/forkserver     the pool's preloaded forkserver (imported there only)
    intake/lifeline       the pool's processes end with the daemon, even after SIGKILL
    intake/daemon         crumail run: the scheduler, one job per source, drafting, sending
    intake/storage_guard  the daemon's one view of a full, read-only or vanished disk
    intake/daily_backup   the daemon's daily backup: when due, where, how many kept
    intake/notify         systemd's notify protocol (READY, WATCHDOG, STOPPING)
    intake/lock           one daemon per database
    intake/maintenance    crumail reprocess and quarantine retry: raw bytes read again

Everything here sits above the stages it drives (sources, parse, extract,
store, drafts, send) and nothing below imports it.
"""
