"""Yilian (益联): registry for social-organization incubation centers."""

__version__ = "0.1.0"
