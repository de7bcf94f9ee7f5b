"""Loaders turn source documents and files into tidy tables, then into graph batches."""
