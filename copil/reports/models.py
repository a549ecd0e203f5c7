"""No Django model: the search index is a raw SQL table per database (see search.py).

This module exists so that Django sends this app the pre_migrate / post_migrate signals
(only apps with a models module receive them), which keep the SQLite triggers right.
"""
