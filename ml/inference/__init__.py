"""Running the models: engines, backends, the server, bulk parsing (floor 4 of DESIGN.md)."""

PARSE_SEQUENCES = 4
"""Answers decoded together where the toolkit parses: ``griller parse``'s default batch, the backend's local mode, the
API-vs-local benchmark, ``load_engine``'s default, and what ``griller eval`` loads, so that it scores the decode
users get. On llama.cpp the numbers differ with the count (a resume's parts are decoded this many at a time; batched
matrix products round differently), so an evaluation on 1 sequence scored another decode (session 36: 43 of 80 real
validation outputs differed). Not tuned: measure 1/4/8 on your model and machine."""
