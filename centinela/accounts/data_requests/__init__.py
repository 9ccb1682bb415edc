"""Data-protection requests (LOPDP): find everything held about one person across the apps (`registry`, filled by
each app's `personal_data.py`), export it, erase what may be erased here; every step in the audit trail."""
