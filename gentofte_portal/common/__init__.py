"""Shared plumbing that no domain app owns and that imports none of them: storage, roles, web helpers."""
