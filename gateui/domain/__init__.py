"""Pure rules of the gate: validation of IDs, plates, phones and names, the site checklist,
the change log's hash chain and passage direction. No I/O, no SQL, no UI."""
