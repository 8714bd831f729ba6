"""Accounts: users and their sessions, passwords, roles, organisations and partnerships."""
