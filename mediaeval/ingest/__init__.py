"""Files and records -> ``Article``; structure spans (headline, dateline, credit, boilerplate)."""
